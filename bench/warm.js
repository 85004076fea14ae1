// @ts-check
/**
 * The warm rebuild, through the preview's own code (dist/preview/server.js): the preview of an issue is
 * started, its page and its PDF asked for once (the PDF's browser starts then and its layout cache fills); then,
 * for each edit, one paragraph is appended to one document (as saving it in an editor does) and two times are
 * taken from the save: until the preview serves the new page (its HTML, which the viewer's browser then lays out
 * with paged.js), and until it serves the new PDF (asked for as soon as the preview announces the new version,
 * as the page does). Prints one JSON line:
 *
 *   node bench/warm.js <issue folder to edit> <edits>
 *   → {"firstPageS":…,"firstPdfS":…,"pageS":[…],"pdfS":[…],"lastEditSteps":[{"at":…,"step":…},…]}
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { appendParagraph } from './issues.js';

const [issueDir, editsArg] = process.argv.slice(2);
const edits = Number(editsArg ?? 2);
if (!issueDir || !Number.isInteger(edits) || edits < 1) {
  process.stderr.write('usage: node bench/warm.js <issue folder to edit> <edits>\n');
  process.exit(2);
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** @type {{ startPreview: (source: string, options: object) => Promise<{ url: string, close: () => Promise<void> }> }} */
const { startPreview } = await import(pathToFileURL(path.join(root, 'dist', 'preview', 'server.js')).href);

/** @type {{ at: number, step: string }[]} the build's steps since the last save (see bench/profile.js) */
let steps = [];
let savedAt = 0;
const preview = await startPreview(path.resolve(issueDir), {
  port: 0,
  watchStyles: false,
  logger: {
    progress() {},
    info() {},
    warn: (/** @type {string} */ message) => process.stderr.write(`${message}\n`),
    step: (/** @type {string} */ step) =>
      steps.push({ at: Number(((performance.now() - savedAt) / 1000).toFixed(2)), step }),
  },
});
/** @type {http.ClientRequest | undefined} */
let events;
try {
  const started = performance.now();
  await get('/');
  const firstPageS = (performance.now() - started) / 1000;
  let pdfHash = hash(await get('/pdf'));
  const firstPdfS = (performance.now() - started) / 1000;

  /** @type {((version: string) => void)[]} */
  const versionWaiters = [];
  events = http.get(new URL('/events', preview.url), (response) => {
    let buffer = '';
    response.setEncoding('utf8');
    response.on('data', (chunk) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const version = /^data: (.*)$/m.exec(buffer.slice(0, end))?.[1];
        buffer = buffer.slice(end + 2);
        if (version) for (const waiter of versionWaiters.splice(0)) waiter(version);
      }
    });
  });
  // The first event is the current version.
  await new Promise((resolve) => versionWaiters.push(resolve));

  /** @type {number[]} */
  const pageS = [];
  /** @type {number[]} */
  const pdfS = [];
  for (let edit = 1; edit <= edits; edit++) {
    const announced = new Promise((resolve) => versionWaiters.push(resolve));
    const saved = performance.now();
    savedAt = saved;
    steps = [];
    await appendParagraph(issueDir, 1000 + edit);
    const marker = `第${1000 + edit}段`;
    await announced;
    const pdf = (async () => {
      const bytes = await get('/pdf');
      const digest = hash(bytes);
      if (digest === pdfHash) throw new Error(`edit ${edit}: the preview served the old PDF`);
      pdfHash = digest;
      pdfS.push((performance.now() - saved) / 1000);
    })();
    const page = await get('/');
    if (!page.toString('utf8').includes(marker)) throw new Error(`edit ${edit}: the new page lacks the edit`);
    pageS.push((performance.now() - saved) / 1000);
    await pdf;
  }
  process.stdout.write(`${JSON.stringify({ firstPageS, firstPdfS, pageS, pdfS, lastEditSteps: steps })}\n`);
} finally {
  events?.destroy();
  await preview.close();
}

/** @param {string} route @returns {Promise<Buffer>} */
function get(route) {
  return new Promise((resolve, reject) => {
    http
      .get(new URL(route, preview.url), (response) => {
        /** @type {Buffer[]} */
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks);
          if (response.statusCode === 200) resolve(body);
          else reject(new Error(`${route}: HTTP ${response.statusCode}: ${body.toString('utf8').slice(0, 300)}`));
        });
      })
      .on('error', reject);
  });
}

/** @param {Buffer} bytes */
function hash(bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}
