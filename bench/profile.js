// @ts-check
/**
 * Where a cold build's time goes: one build in this process (as `gazette build --no-cache` runs it), with a mark
 * at the end of each step (the build's `logger.step`), and a CPU profile of every tab's page (Chromium's
 * profiler, over CDP) split by script: paged.js, our handlers, the render's own code in the page.
 *
 *   node bench/profile.js <issue folder> [--cache DIR] [--json] [--no-cpu-profile]
 *
 * The marks are times since this process started (Node's time origin), so the first one includes Node's own
 * start and the import of the build's modules. Steps of tabs that run side by side overlap.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: 'boolean', default: false },
    cache: { type: 'string' },
    'no-cpu-profile': { type: 'boolean', default: false },
  },
});
const source = positionals[0];
if (!source) {
  process.stderr.write('usage: node bench/profile.js <issue folder> [--cache DIR] [--json] [--no-cpu-profile]\n');
  process.exit(2);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** @param {string} file */
const dist = (file) => pathToFileURL(path.join(root, 'dist', file)).href;

/** @type {{ at: number, step: string }[]} */
const marks = [];
/** @param {string} step */
const mark = (step) => marks.push({ at: performance.now(), step });

// As the CLI does: Chromium starts as the build's modules load and the sources are read, with V8's optimizing
// compiler held off until the issue is printed.
const { BrowserPool } = await import(dist('render/pool.js'));
const { holdOptimizing, resumeOptimizing } = await import(dist('cli/optimizing.js'));
const pool = new BrowserPool(1, { sharedRenderer: true });
pool.warmUp(1);
holdOptimizing();
const { buildIssue } = await import(dist('api/build.js'));
mark('modules imported');

const outDir = await mkdtemp(path.join(os.tmpdir(), 'gazette-profile-'));
/** @type {Promise<{ url: string, selfMs: number, fn: string }[]>[]} */
const profiles = [];
let watching = false;
/** Every tab of the browser gets a CPU profile, taken just before the tab is closed. */
const watchTabs = (/** @type {import('puppeteer-core').Browser} */ browser) => {
  if (watching) return;
  watching = true;
  mark('browser launched');
  if (values['no-cpu-profile']) return;
  // The tab opened ahead at launch exists before this listener does.
  for (const target of browser.targets()) void profileTab(target);
  browser.on('targetcreated', profileTab);
};

/**
 * A CPU profile of the tab, taken until it is closed.
 * @param {import('puppeteer-core').Target} target
 */
async function profileTab(target) {
  if (target.type() !== 'page') return;
  const page = await target.page();
  if (!page) return;
  const session = await target.createCDPSession();
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 500 });
  await session.send('Profiler.start');
  const close = page.close.bind(page);
  page.close = async (options) => {
    profiles.push(
      session.send('Profiler.stop').then(
        ({ profile }) => selfTimes(profile),
        () => [],
      ),
    );
    await profiles.at(-1);
    return close(options);
  };
}

void pool.browser(0).then(watchTabs, () => undefined);

const logger = {
  progress() {},
  info() {},
  warn(/** @type {string} */ message) {
    process.stderr.write(`warning: ${message}\n`);
  },
  step(/** @type {string} */ name) {
    mark(name);
  },
};

let result;
try {
  result = await buildIssue(path.resolve(source), {
    outDir,
    logger,
    browser: pool,
    cacheDir: values.cache ? path.resolve(values.cache) : undefined,
    onPrinted: resumeOptimizing,
  });
} finally {
  await pool.close();
  mark('browser stopped');
  await rm(outDir, { recursive: true, force: true });
}

const page = summarise((await Promise.all(profiles)).flat());
const report = { issue: path.basename(source), pages: result.pageCount, marks, page };
if (values.json) {
  process.stdout.write(`${JSON.stringify(report)}\n`);
} else {
  process.stdout.write(
    `${report.issue}: ${report.pages} pages\n\n| ends at s | step | took s |\n| ---: | --- | ---: |\n`,
  );
  let before = 0;
  for (const { at, step } of marks) {
    process.stdout.write(`| ${(at / 1000).toFixed(2)} | ${step} | ${((at - before) / 1000).toFixed(2)} |\n`);
    before = at;
  }
  process.stdout.write(`\nCPU in the pages (all tabs), by script:\n\n| script | CPU s |\n| --- | ---: |\n`);
  for (const [what, ms] of page.byScript) process.stdout.write(`| ${what} | ${(ms / 1000).toFixed(2)} |\n`);
  process.stdout.write(`\nThe busiest functions:\n\n| function | CPU s |\n| --- | ---: |\n`);
  for (const [what, ms] of page.byFunction) process.stdout.write(`| ${what} | ${(ms / 1000).toFixed(2)} |\n`);
}

/**
 * Self time of each profile node: samples × their interval. Native work a script asks for (a layout forced by
 * reading a box, a style computed) counts as the self time of the function that asked.
 *
 * @param {{ nodes: { id: number, callFrame: { url: string, functionName: string, lineNumber: number } }[], samples?: number[], timeDeltas?: number[] }} profile
 */
function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  /** @type {Map<number, number>} */
  const us = new Map();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let index = 0; index < samples.length; index++) {
    const id = /** @type {number} */ (samples[index]);
    us.set(id, (us.get(id) ?? 0) + (deltas[index + 1] ?? 0));
  }
  return [...us].map(([id, time]) => {
    const frame = byId.get(id)?.callFrame ?? { url: '', functionName: '?', lineNumber: 0 };
    return {
      url: frame.url,
      selfMs: time / 1000,
      fn: `${frame.functionName || '(anonymous)'}:${frame.lineNumber + 1}`,
    };
  });
}

/** @param {{ url: string, selfMs: number, fn: string }[]} entries */
function summarise(entries) {
  /** @param {string} url @param {string} fn */
  const scriptOf = (url, fn) => {
    if (url.includes('paged.polyfill')) return 'paged.js';
    if (url.includes('gazette-handlers')) return 'our handlers (gazette-handlers.js)';
    if (url.startsWith('pptr:') || url === '')
      return fn.startsWith('(') ? fn.replace(/:\d+$/, '') : 'render code in the page';
    return url.replace(/^file:\/\/.*\//, '');
  };
  /** @type {Map<string, number>} */
  const byScript = new Map();
  /** @type {Map<string, number>} */
  const byFunction = new Map();
  for (const { url, selfMs, fn } of entries) {
    const script = scriptOf(url, fn);
    byScript.set(script, (byScript.get(script) ?? 0) + selfMs);
    if (!fn.startsWith('(')) {
      const key = `${script}: ${fn}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + selfMs);
    }
  }
  const sorted = (/** @type {Map<string, number>} */ map, /** @type {number} */ count) =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, count);
  return { byScript: sorted(byScript, 12), byFunction: sorted(byFunction, 15) };
}
