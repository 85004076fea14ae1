import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import chokidar from 'chokidar';
import { DocumentCache, isEditorFile } from '../api/document-cache.js';
import { type Logger, silentLogger } from '../api/logger.js';
import { composePrepared, convertIssue, type PreparedIssue } from '../api/prepare.js';
import { pageScripts } from '../layout/browser/index.js';
import { composeBodyPart, composeFrontMatter, type LaidOutPart, packageRoot } from '../layout/compose.js';
import { contentsEntry } from '../layout/contents.js';
import { defaultSubsetCache } from '../layout/font-subset.js';
import { formatMessage, GazetteInputError } from '../model/index.js';
import { pagedPolyfill } from '../render/render-pdf.js';
import type { SourceEncoding } from '../sources/decode.js';
import { encodeSegment, errorPage, issuePage, type PreviewPage, scriptRoutes } from './page.js';
import { PdfJob } from './pdf-job.js';
import { Rebuilder } from './rebuilder.js';
import { contentTypes, type PreviewReply, previewRoutes } from './routes.js';

const clientScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'client.js');

export interface PreviewOptions {
  /** The port; 0 takes any free one. Default 4173. */
  port?: number;
  /** The address to listen on. Default 127.0.0.1: the preview is for this machine only. */
  host?: string;
  logger?: Logger;
  /** Quiet time after the last change before rebuilding, ms. Default 50 (an editor's save is one burst). */
  debounceMs?: number;
  /** Watch the package's styles/ and templates/ too, not only the issue. Default true. */
  watchStyles?: boolean;
  /** The sources' encoding (UTF-8 unless told). */
  encoding?: SourceEncoding;
}

export interface PreviewServer {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  /** Stops watching, closes the server and its connections and the browser /pdf started. */
  close(): Promise<void>;
}

/** The pages of one state of the sources: the body and the cover with the contents, or the errors. */
export interface PreviewPages {
  body: PreviewPage;
  front?: PreviewPage;
  /**
   * The issue read, made into HTML and composed (not when the sources have errors), composed when first asked
   * for: the PDF is built from it.
   */
  prepared?: () => PreparedIssue;
}

/**
 * The preview's pages for the sources as they are now (never rejects): the body as the PDF paginates it (one
 * part with every document: the HTML `build` hands paged.js) and the cover with the contents, each with the
 * routes of its files; or the page listing the errors.
 */
export async function previewPages(
  source: string,
  version: string,
  options: { logger?: Logger; encoding?: SourceEncoding; documents?: DocumentCache } = {},
): Promise<PreviewPages> {
  const logger = options.logger ?? silentLogger;
  const started = performance.now();
  try {
    const converted = await convertIssue(source, { encoding: options.encoding, logger, documents: options.documents });
    const { issue, bodies } = converted;
    const part = composeBodyPart(issue, bodies, issue.documents);
    const body: LaidOutPart = { html: part.html(), assets: part.assets };
    const front = composeFrontMatter(issue, issue.documents.map(contentsEntry));
    let prepared: PreparedIssue | undefined;
    const pageOf = async (laidOutPart: LaidOutPart, assetRoutes: string) => {
      const files = [...laidOutPart.assets, pagedPolyfill, clientScript, ...pageScripts];
      const stamps = new Map<string, string>();
      for (const [file, found] of await Promise.all(files.map(async (file) => [file, await stampOf(file)] as const))) {
        if (found) stamps.set(file, found.stamp);
      }
      return issuePage(laidOutPart, {
        version,
        stamps,
        polyfill: pagedPolyfill,
        client: clientScript,
        handlers: pageScripts.map((file, index) => ({ route: handlerRoute(index), file })),
        assetRoutes,
      });
    };
    const pages = {
      body: await pageOf(body, '/assets/'),
      front: await pageOf(front, '/front/assets/'),
      prepared: () => {
        prepared ??= composePrepared(converted, logger);
        return prepared;
      },
    };
    logger.progress(`preview: laid out in ${Math.round(performance.now() - started)} ms`);
    return pages;
  } catch (error) {
    const messages =
      error instanceof GazetteInputError ? error.messages.map(formatMessage) : [(error as Error).message];
    for (const message of messages) logger.warn(message);
    return { body: { html: errorPage(messages, version), assets: new Map() } };
  }
}

/**
 * Serves an issue (folder or single-file issue) paginated by paged.js in the browser, on 127.0.0.1 (the routes
 * are in routes.ts). The issue, styles/ and templates/ are watched; a change rebuilds the pages (debounced)
 * and every open page reloads.
 */
export async function startPreview(source: string, options: PreviewOptions = {}): Promise<PreviewServer> {
  const logger = options.logger ?? silentLogger;
  const host = options.host ?? '127.0.0.1';
  const listeners = new Set<http.ServerResponse>();
  const pages = new PagesInFlight();
  // The PDF is built from what the page's build read and made (once per state of the sources), unless a change
  // waits to be built: then it reads the sources itself.
  const pdfJob = new PdfJob(source, {
    logger,
    encoding: options.encoding,
    prepared: async () => {
      if (!rebuilder.settled) return undefined;
      const current = await rebuilder.current();
      // The pages asked for meanwhile are answered first: composing the issue holds the process for a while.
      await pages.answered();
      return current.prepared?.();
    },
  });
  // A save checks and converts only the documents it changed.
  const documents = new DocumentCache();
  const rebuilder = new Rebuilder(
    (version) => previewPages(source, version, { logger, encoding: options.encoding, documents }),
    {
      boot: randomBytes(4).toString('hex'),
      debounceMs: options.debounceMs ?? 50,
      // Open pages are told as soon as a build starts: they ask again, and GET / waits for that build.
      onVersion: (version) => {
        for (const response of listeners) response.write(`event: version\ndata: ${version}\n\n`);
      },
      // The whole path, every document processed (a cache of its own), the issue composed as for its PDF: the
      // first save is as fast as the next.
      warmUp: async () =>
        (
          await previewPages(source, 'warm-up', { encoding: options.encoding, documents: new DocumentCache() })
        ).prepared?.(),
    },
  );

  let allowedHosts = new Set<string>();
  const route = previewRoutes({
    allowedHosts: () => allowedHosts,
    pages: () => rebuilder.current(),
    pdf: () => pdfJob.pdf(),
    scripts: new Map<string, string>([
      [scriptRoutes.polyfill, pagedPolyfill],
      [scriptRoutes.client, clientScript],
      ...pageScripts.map((file, index): [string, string] => [handlerRoute(index), file]),
    ]),
    warn: (message) => logger.warn(message),
  });

  const server = http.createServer((request, response) => {
    const headOnly = request.method === 'HEAD';
    if (!/^\/(pdf|events)\b/.test(request.url ?? '/')) pages.add(response);
    route({ method: request.method ?? 'GET', url: request.url ?? '/', host: request.headers.host ?? '' })
      .then((reply) => answer(reply, request, response, headOnly))
      .catch((error: Error) => {
        logger.warn(`preview: ${request.url}: ${error.message}`);
        if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', `${error.message}\n`);
        else response.destroy();
      });
  });

  function answer(
    reply: PreviewReply,
    request: http.IncomingMessage,
    response: http.ServerResponse,
    headOnly: boolean,
  ): Promise<void> | void {
    if (reply.kind === 'file') return sendFile(request, response, reply.file, reply.stamp);
    if (reply.kind === 'body') return send(response, reply.status, reply.type, reply.body, headOnly, reply.headers);
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    response.write(`retry: 500\nevent: version\ndata: ${rebuilder.version}\n\n`);
    listeners.add(response);
    request.on('close', () => listeners.delete(response));
  }

  const styles = options.watchStyles === false ? [] : ['styles', 'templates'].map((dir) => path.join(packageRoot, dir));
  const watcher = chokidar.watch([source, ...styles], {
    ignoreInitial: true,
    ignored: (file) => isEditorFile(path.basename(file)),
  });
  watcher.on('all', (_event, file) => {
    logger.progress(`preview: ${path.basename(file)} changed`);
    pdfJob.changed();
    rebuilder.changed();
  });
  watcher.on('error', (error) => logger.warn(`preview: watching: ${(error as Error).message}`));

  try {
    await new Promise<void>((resolve, reject) => {
      watcher.once('ready', resolve);
      watcher.once('error', reject);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 4173, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await watcher.close();
    await rebuilder.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  // Only names of this machine: a page elsewhere cannot reach the preview through DNS rebinding.
  allowedHosts = new Set([`${hostPart}:${port}`, `127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);

  let closed = false;
  return {
    url: `http://${hostPart}:${port}/`,
    async close() {
      if (closed) return;
      closed = true;
      await watcher.close();
      for (const response of listeners) response.end();
      listeners.clear();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await stopped;
      await rebuilder.close();
      await pdfJob.close();
    },
  };
}

/** The responses of pages and their files under way: the PDF's build starts once they are sent. */
class PagesInFlight {
  private readonly responses = new Set<http.ServerResponse>();
  private waiting: (() => void)[] = [];

  add(response: http.ServerResponse): void {
    this.responses.add(response);
    const done = () => {
      this.responses.delete(response);
      if (this.responses.size === 0) for (const resolve of this.waiting.splice(0)) resolve();
    };
    response.once('finish', done).once('close', done);
  }

  /** Resolves once no page is being answered, a turn of the event loop later (the reader gets its bytes). */
  async answered(): Promise<void> {
    if (this.responses.size > 0) await new Promise<void>((resolve) => this.waiting.push(resolve));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function handlerRoute(index: number): string {
  return `/preview/scripts/${index}/${encodeSegment(path.basename(pageScripts[index] ?? ''))}`;
}

function send(
  response: http.ServerResponse,
  status: number,
  type: string,
  body: string | Uint8Array,
  headOnly = false,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    ...headers,
    'Content-Type': type,
    'Content-Length': typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  response.end(headOnly ? undefined : body);
}

/** The last content stamp of each file served, with the size and time it was taken at. */
const contentStamps = new Map<string, { at: string; stamp: string }>();

/**
 * A stamp of a file's content (a hash, taken again only when its size or time changed); undefined when it is
 * missing. Not the time itself: every build touches the font subsets it reuses, and a stamp that followed would
 * make the viewer's browser fetch every font again after each save.
 */
async function stampOf(file: string): Promise<{ stamp: string; size: number } | undefined> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  // A font subset's name carries the hash of what it was cut from and to: the file never changes under it.
  if (path.dirname(file) === defaultSubsetCache) return { stamp: info.size.toString(36), size: info.size };
  const at = `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}`;
  let known = contentStamps.get(file);
  if (known?.at !== at) {
    const bytes = await readFile(file).catch(() => undefined);
    if (!bytes) return undefined;
    known = { at, stamp: createHash('sha256').update(bytes).digest('base64url').slice(0, 16) };
    contentStamps.set(file, known);
  }
  return { stamp: known.stamp, size: info.size };
}

/**
 * A listed file. Asked for with its current stamp (`?v=`, as the page links it), it is cached for good, so a
 * reload fetches none of the fonts again; otherwise it is revalidated (ETag) on every load.
 */
async function sendFile(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  file: string,
  version: string | null,
): Promise<void> {
  const found = await stampOf(file);
  if (!found) return send(response, 404, 'text/plain; charset=utf-8', 'Not found\n');
  const headers = {
    'Cache-Control': version === found.stamp ? 'public, max-age=31536000, immutable' : 'no-cache',
    ETag: `"${found.stamp}"`,
    'X-Content-Type-Options': 'nosniff',
  };
  if (request.headers['if-none-match'] === headers.ETag) {
    response.writeHead(304, headers);
    response.end();
    return;
  }
  response.writeHead(200, {
    ...headers,
    'Content-Type': contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': found.size,
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    createReadStream(file).on('error', reject).on('end', resolve).pipe(response);
  });
}
