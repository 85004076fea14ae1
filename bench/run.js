// @ts-check
/**
 * `npm run bench`: speed and memory of a build, against the floor (Chromium's bare print of the same HTML) and
 * a peer (pagedjs-cli on the same HTML), measured in one run on the same content.
 *
 *   npm run bench                      # every issue: the two samples, each also repeated 5 times
 *   npm run bench -- --quick           # (or BENCH_QUICK=1) 1 run, no warm-up: both samples, Baoshan ×5
 *   npm run bench -- --runs 5 --only baoshan-2024-03,baoshan-2024-03x5
 *
 * Each measured command is a cold process (`node …`, browser start included), timed from spawn to exit, with
 * the peak memory of its whole process tree (see measure.js). The table goes to stdout, progress to stderr, and
 * the table, the targets and every run to output/bench.json.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import { appendParagraph, copyIssue, writeRepeatedIssue } from './issues.js';
import { measure, stopAll } from './measure.js';
import { writeSimplePage } from './simple-page.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const gazetteBin = path.join(root, 'bin', 'gazette.js');
const floorScript = path.join(root, 'bench', 'floor.js');
const pagedjsCli = path.join(root, 'node_modules', 'pagedjs-cli', 'src', 'cli.js');

const warmScript = path.join(root, 'bench', 'warm.js');

/** The targets of issue 18 (and the start-up one of the issue before), as ratios measured in the same run. */
const targets = {
  floorRatio: 2,
  peerRatio: 1,
  scaleRatio: 5,
  memoryRatio: 1.2,
  warmPdfRatio: 1,
  warmPageS: 1,
  startRatio: 3,
};

/**
 * @typedef {object} IssueSpec
 * @property {string} key what the table calls it
 * @property {string} sample the sample issue folder
 * @property {number} times 1, or how many times its documents are repeated
 */

/**
 * @typedef {object} Row
 * @property {string} issue
 * @property {string} tool
 * @property {number | null} pages
 * @property {number | null} medianS
 * @property {number | null} minS
 * @property {number | null} cpuS median CPU time of the process tree
 * @property {number | null} otherCores median CPU the rest of the machine used meanwhile, in cores
 * @property {number | null} peakMiB peak of the sum of VmRSS over the tree, the largest over the measured runs
 * @property {number | null} peakAnonMiB the same of RssAnon + RssShmem (without mapped files)
 * @property {string} ratio
 * @property {string} note
 * @property {string | null} error
 * @property {Run[]} runs
 */

/**
 * @typedef {object} Run
 * @property {number} seconds
 * @property {number} cpuSeconds
 * @property {number} otherCores
 * @property {number} peakMiB
 * @property {number} peakAnonMiB
 * @property {number} processes
 * @property {boolean} warmUp
 * @property {string} build the fingerprint of dist/ when the run ended (see distFingerprint)
 */

/**
 * One tool's runs on one issue, made one at a time (the tools of an issue take turns): a warm-up run (unless
 * quick), then the measured runs; after a failure the tool runs no more.
 */
class ToolRuns {
  /**
   * @param {string} issue
   * @param {string} tool
   * @param {{ command: string, args: string[], pdf: string, env?: NodeJS.ProcessEnv, clean?: string[], tmp?: string }} how
   *   `clean`: folders removed before each run; `tmp`: a folder made for each run (its TMPDIR) and removed after
   */
  constructor(issue, tool, how) {
    this.issue = issue;
    this.tool = tool;
    this.how = how;
    /** @type {Row['runs']} */
    this.runs = [];
    /** @type {string | undefined} */
    this.failed = undefined;
  }

  /** Run `index` of `total` (the first a warm-up unless quick). @param {number} index @param {number} total */
  async run(index, total) {
    if (this.failed !== undefined) return;
    const warmUp = options.warmUp && index === 0;
    const what = `${this.issue} ${this.tool} run ${index + 1}/${total}${warmUp ? ' (warm-up)' : ''}`;
    const measured = await this.measureOnce(what);
    if (measured) this.runs.push(runOf(measured, warmUp));
  }

  /**
   * One run more, outside the measured ones (the floor beside the preview's run): its seconds, or null if the
   * tool failed before or fails now.
   *
   * @param {string} why
   * @returns {Promise<number | null>}
   */
  async extra(why) {
    if (this.failed !== undefined) return null;
    return (await this.measureOnce(`${this.issue} ${this.tool} ${why}`))?.seconds ?? null;
  }

  /** @param {string} what @returns {Promise<import('./measure.js').Measured | undefined>} the run, if it succeeded */
  async measureOnce(what) {
    const { how } = this;
    await rm(how.pdf, { force: true });
    for (const dir of how.clean ?? []) await rm(dir, { recursive: true, force: true });
    if (how.tmp) await mkdir(how.tmp, { recursive: true });
    const measured = await measure(how.command, how.args, { env: how.env, timeoutMs: options.timeoutMs });
    if (how.tmp) await rm(how.tmp, { recursive: true, force: true });
    if (measured.ok && !existsSync(how.pdf)) {
      measured.ok = false;
      measured.stderr = `${measured.stderr}\nexited 0 but wrote no PDF at ${how.pdf}`.trim();
    }
    if (!measured.ok) {
      this.failed = failure(measured);
      progress(`${what}: FAILED: ${this.failed}`);
      return undefined;
    }
    progress(`${what}: ${describe(measured)}`);
    return measured;
  }

  /** @returns {Promise<Row>} */
  async row() {
    if (this.failed !== undefined) return { ...failedRow(this.issue, this.tool, this.failed), runs: this.runs };
    const measured = this.runs.filter((run) => !run.warmUp);
    return summarise(this.issue, this.tool, measured, await pageCount(this.how.pdf));
  }
}

const options = readOptions();
const tmp = await mkdtemp(path.join(os.tmpdir(), 'gazette-bench-'));
let interrupted = false;
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    stopAll();
    void rm(tmp, { recursive: true, force: true }).finally(() => process.exit(130));
  });
}

try {
  await main();
} finally {
  await rm(tmp, { recursive: true, force: true });
}

async function main() {
  ensureCompiled();
  const { browserArgs, resolveBrowserExecutable } = await import(
    pathToFileURL(path.join(root, 'dist', 'render', 'browser.js')).href
  );
  const executable = /** @type {string} */ (resolveBrowserExecutable());
  const buildAtStart = distFingerprint();
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? '',
    memoryMiB: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    chromium: versionOf(executable),
    pagedjsCli: existsSync(pagedjsCli) ? packageVersion('pagedjs-cli') : null,
    loadAverageAtStart: os.loadavg().map((load) => Number(load.toFixed(2))),
    build: buildAtStart,
  };
  const settings = {
    quick: options.quick,
    runs: options.runs,
    warmUp: options.warmUp,
    timeoutS: options.timeoutMs / 1000,
    sampleMs: 50,
  };
  progress(
    `${options.runs} measured run(s)${options.warmUp ? ' after a warm-up run' : ''} per tool, issues: ${options.issues.map((issue) => issue.key).join(', ')}`,
  );

  const start = await benchStart();
  /** @type {Row[]} */
  const rows = [];
  /** @type {Map<string, { ours: Row, floor: Row, peer: Row, floorRuns?: ToolRuns }>} */
  const byIssue = new Map();
  for (const spec of options.issues) {
    const result = await benchIssue(spec, { browserArgs, executable });
    rows.push(result.ours, result.floor, result.peer);
    byIssue.set(spec.key, result);
  }
  const rebuilds = [];
  /** @type {Warm[]} */
  const warms = [];
  if (options.rebuild) {
    const samples = options.issues.filter((spec) => spec.times === 1).map((spec) => spec.sample);
    // Quick: the preview of the first sample only.
    const previewed = options.quick ? samples.slice(0, 1) : samples;
    for (const sample of previewed.length > 0 ? previewed : [path.join(root, 'issues', 'baoshan-2024-03')]) {
      warms.push(await benchWarm(sample, byIssue.get(path.basename(sample))?.floorRuns));
      if (!options.quick) rebuilds.push(await benchRebuild(byIssue, sample));
    }
  }
  rows.push(...warms.map((warm) => warm.row), ...rebuilds.map((rebuild) => rebuild.row));

  // Ratios, into the rows' last column.
  for (const [key, { ours, floor, peer }] of byIssue) {
    floor.ratio = ratioText('ours / floor', ours.medianS, floor.medianS);
    peer.ratio = ratioText('ours / pagedjs-cli', ours.medianS, peer.medianS);
    const single = byIssue.get(key.replace(/ ×\d+$/, ''));
    if (single && single.ours !== ours) ours.ratio = ratioText('5× / 1×', ours.medianS, single.ours.medianS);
  }

  // Someone compiling src/ into dist/ during the run makes its rows measure different code: say where.
  // (pagedjs-cli runs none of dist/.)
  const changed = rows.filter(
    (row) => row.tool !== 'pagedjs-cli' && row.runs.some((run) => run.build !== buildAtStart),
  );
  for (const row of changed) {
    row.note = [
      row.note,
      `dist/ changed during these runs (${[...new Set(row.runs.map((run) => run.build))].join(', ')})`,
    ]
      .filter(Boolean)
      .join('; ');
  }
  const targetLines = evaluateTargets(byIssue, warms, start);
  const loadAverageAtEnd = os.loadavg().map((load) => Number(load.toFixed(2)));
  const notes = [
    ...(changed.length > 0
      ? [
          `WARNING: dist/ (the compiled build) changed during the run, from ${buildAtStart} at the start: ${changed.length} row(s) measured other code than the rest, and their ratios compare different builds.`,
        ]
      : []),
    `pagedjs-cli ${machine.pagedjsCli ?? '(not installed)'} runs its own puppeteer (20.x) on Chromium from PUPPETEER_EXECUTABLE_PATH (${executable}), with \`--browserArgs\` set to the build's launch flags but --no-startup-window (its puppeteer waits for that first tab; it runs as root here: Chromium needs --no-sandbox) and without --enable-begin-frame-control (the build's tabs draw no animation frames; paged.js alone lays out a page per frame); it lays out the HTML with paged.js alone, without the build's page handlers.`,
    "The floor is Chromium's own pagination and print (bench/floor.js: the build's browser launch, without animation frames as the build's, then page.pdf) of the simple page: the same text as the HTML our build wrote, every paragraph, heading, list item and table row a plain paragraph in one column on A4, in a system font (bench/simple-page.js). pagedjs-cli lays out and prints that same simple page with the paged.js polyfill. Each issue's ratios divide by its own floor. The three take turns run by run (ours, the floor, pagedjs-cli, ours…), so that each ratio compares runs made side by side.",
    "ours (preview, warm): bench/warm.js runs the preview (dist/preview/server.js) on a copy of the sample; after its first page and PDF, each edit (a paragraph appended to one report) is timed from the save to the preview serving the new page (its HTML, before the viewer's browser lays it out with paged.js) and to it serving the new PDF (asked for when the preview announces the new version, as its page does; the PDF's browser and layout cache kept). Its median s is save → new PDF; its ratio divides by the floor run once just before it and once just after (their mean).",
    `Time: wall time of a cold process, from spawn to exit (median and min over the measured runs). CPU s: user + system time of the whole process tree (median), which grows less than wall time when other work shares the machine. other load: the CPU the rest of the machine used during the run, in cores (median; 0 = an idle machine, ${machine.cpus} = every core busy with other work).`,
    "peak MiB: the largest, over the measured runs, of the sum of VmRSS of the process and all its descendants (the browser included), sampled every 50 ms from /proc; pages shared between processes (the Chromium binary, libraries, fonts) count once per process, so it overstates. peak anon MiB: the same sum of RssAnon + RssShmem, the processes' own memory without mapped files. The memory target is checked on peak MiB.",
  ];
  const markdown = renderMarkdown(machine, settings, rows, targetLines, notes, loadAverageAtEnd);
  process.stdout.write(`${markdown}\n`);

  const outDir = path.join(root, 'output');
  await mkdir(outDir, { recursive: true });
  const jsonPath = path.join(outDir, 'bench.json');
  await writeFile(
    jsonPath,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: { ...machine, loadAverageAtEnd },
        settings,
        rows,
        targets: targetLines,
        notes,
        markdown,
      },
      null,
      2,
    )}\n`,
  );
  progress(`saved ${path.relative(process.cwd(), jsonPath)}`);
  // Targets missed are a finding, not a failure; our own build failing is one (the smoke test in CI).
  if (rows.some((row) => row.tool.startsWith('ours') && row.error)) process.exitCode = 1;
}

/**
 * The build's flags for pagedjs-cli, but the one its puppeteer cannot start with: it waits for the first tab,
 * which `--no-startup-window` leaves out (the build opens its own tabs).
 * @param {readonly string[]} args
 */
function peerArgs(args) {
  return args.filter((arg) => arg !== '--no-startup-window');
}

/**
 * Ours, then the floor and the peer on the HTML ours wrote.
 *
 * @param {IssueSpec} spec
 * @param {{ browserArgs: string[], executable: string }} browser
 */
async function benchIssue(spec, browser) {
  const id = path.basename(spec.sample);
  const work = path.join(tmp, slug(spec.key));
  await mkdir(work, { recursive: true });
  let source = spec.sample;
  if (spec.times > 1) {
    source = path.join(work, 'issue', `${id}-x${spec.times}`);
    const count = await writeRepeatedIssue(spec.sample, source, spec.times);
    progress(`${spec.key}: wrote ${count} documents into ${source}`);
  }
  const issueId = path.basename(source);
  const outDir = path.join(work, 'ours');
  // A full build: the layout cache is emptied before each run (the build still writes it, as a first build does).
  const cacheDir = path.join(work, 'cache');
  const ours = new ToolRuns(spec.key, 'ours', {
    command: process.execPath,
    args: [gazetteBin, 'build', source, '-o', outDir, '-q', '--cache', cacheDir],
    pdf: path.join(outDir, `${issueId}.pdf`),
    clean: [cacheDir],
  });
  // The tools take turns run by run (ours, the floor, the peer, ours…): the machine's speed drifts over minutes,
  // and each ratio compares runs made side by side. The floor and the peer print what our first run wrote.
  const total = options.runs + (options.warmUp ? 1 : 0);
  await ours.run(0, total);
  const { floor, peer, characters } = await printersOf(spec.key, work, path.join(outDir, `${issueId}.html`), browser);
  for (let index = 0; index < total; index++) {
    if (index > 0) await ours.run(index, total);
    for (const printer of [floor, peer]) if (printer instanceof ToolRuns) await printer.run(index, total);
  }
  const rowOf = async (/** @type {ToolRuns | Row} */ tool) => (tool instanceof ToolRuns ? tool.row() : tool);
  const oursRow = await rowOf(ours);
  if (characters !== undefined) {
    oursRow.note = [oursRow.note, `${characters} characters of text`].filter(Boolean).join('; ');
  }
  return {
    ours: oursRow,
    floor: await rowOf(floor),
    peer: await rowOf(peer),
    floorRuns: floor instanceof ToolRuns ? floor : undefined,
  };
}

/**
 * The floor and the peer of an issue, once our first build wrote its HTML: both print the same text as a simple
 * page (see simple-page.js), written from that HTML (kept aside).
 *
 * @param {string} key
 * @param {string} work
 * @param {string} builtHtml
 * @param {{ browserArgs: string[], executable: string }} browser
 * @returns {Promise<{ floor: ToolRuns | Row, peer: ToolRuns | Row, characters?: number }>}
 */
async function printersOf(key, work, builtHtml, browser) {
  const html = path.join(work, 'html', path.basename(builtHtml));
  if (!existsSync(builtHtml)) {
    const noHtml = 'no HTML to print: our build wrote none';
    return { floor: failedRow(key, 'floor (Chromium print)', noHtml), peer: failedRow(key, 'pagedjs-cli', noHtml) };
  }
  await mkdir(path.dirname(html), { recursive: true });
  await copyFile(builtHtml, html);
  const simple = html.replace(/\.html$/, '.simple.html');
  const characters = await writeSimplePage(html, simple);
  const floor = new ToolRuns(key, 'floor (Chromium print)', {
    command: process.execPath,
    args: [floorScript, simple, path.join(work, 'floor.pdf')],
    pdf: path.join(work, 'floor.pdf'),
  });
  const peerPdf = path.join(work, 'pagedjs-cli.pdf');
  // Its Chromium's socket folder (org.chromium.Chromium.*) goes to TMPDIR and stays there after it exits.
  const peerTmp = path.join(work, 'pagedjs-cli-tmp');
  const peer = existsSync(pagedjsCli)
    ? new ToolRuns(key, 'pagedjs-cli', {
        command: process.execPath,
        args: [pagedjsCli, simple, '-o', peerPdf, '--browserArgs', peerArgs(browser.browserArgs).join(',')],
        pdf: peerPdf,
        env: { ...process.env, PUPPETEER_EXECUTABLE_PATH: browser.executable, TMPDIR: peerTmp },
        tmp: peerTmp,
      })
    : failedRow(
        key,
        'pagedjs-cli',
        'pagedjs-cli is not installed (PUPPETEER_SKIP_DOWNLOAD=1 npm install -D pagedjs-cli@0.4.3)',
      );
  return { floor, peer, characters };
}

/**
 * @typedef {object} Warm
 * @property {string} sample the sample's name
 * @property {Row} row the preview's process: its time is the median from a save to the new PDF
 * @property {number | null} pageS median from a save to the preview's new page
 * @property {number | null} floorS the bare print of the sample just before and just after the preview's run
 *   (their mean), which its ratio is taken against
 */

/**
 * The warm rebuild through the preview's code (bench/warm.js, one process): a copy of the sample is previewed,
 * its PDF built once, then each edit is timed from the save to the new page and to the new PDF. The memory is
 * the preview's whole tree (its server and the PDF's browser) over the run. The sample's bare print runs once
 * just before it and once just after, for a ratio of times measured side by side.
 *
 * @param {string} sample
 * @param {ToolRuns} [floor] the sample's bare print
 * @returns {Promise<Warm>}
 */
async function benchWarm(sample, floor) {
  const name = path.basename(sample);
  const tool = 'ours (preview, warm)';
  const source = path.join(tmp, 'warm', name, name);
  await copyIssue(sample, source);
  const edits = Math.max(2, options.runs);
  progress(`${name}: preview, ${edits} edits`);
  const floorBefore = await floor?.extra('just before the preview');
  const measured = await measure(process.execPath, [warmScript, source, String(edits)], {
    timeoutMs: options.timeoutMs,
  });
  const floorAfter = await floor?.extra('just after the preview');
  const beside = [floorBefore, floorAfter].filter((seconds) => typeof seconds === 'number');
  const floorS = median(beside);
  if (!measured.ok) {
    progress(`${name}: preview: FAILED: ${failure(measured)}`);
    return { sample: name, row: failedRow(name, tool, failure(measured)), pageS: null, floorS };
  }
  /** @type {{ firstPageS: number, firstPdfS: number, pageS: number[], pdfS: number[] }} */
  const result = JSON.parse(measured.stdout.trim().split('\n').at(-1) ?? '{}');
  const row = summarise(name, tool, [], null);
  row.medianS = median(result.pdfS);
  row.minS = Math.min(...result.pdfS);
  row.cpuS = measured.cpuSeconds;
  row.otherCores = measured.otherCores;
  row.peakMiB = measured.peakMiB;
  row.peakAnonMiB = measured.peakAnonMiB;
  row.runs = [runOf(measured, false)];
  const pageS = median(result.pageS);
  row.note = `save → new PDF ${result.pdfS.map((s) => s.toFixed(2)).join(', ')} s; save → new page ${result.pageS.map((s) => s.toFixed(2)).join(', ')} s; first page ${result.firstPageS.toFixed(1)} s, first PDF ${result.firstPdfS.toFixed(1)} s (browser start included); ${beside.length > 0 ? `bare print just before and after ${beside.map((seconds) => seconds.toFixed(2)).join(', ')} s` : 'no bare print beside it'}; CPU and memory of the whole preview run`;
  progress(`${name}: preview: ${row.note}`);
  return { sample: name, row, pageS, floorS };
}

/**
 * The rebuild after one edit: a copy of a sample is built once (cold, which fills the layout cache), then, for
 * each run, one paragraph is appended to one of its documents and it is built again (cold process); the time is
 * that second build's. Whatever the build keeps between builds (its layout cache in the output folder) is kept.
 *
 * @param {Map<string, { ours: Row }>} byIssue
 * @param {string} sample the sample issue's folder
 * @returns {Promise<{ row: Row, fullS: number | null }>} the row, and the full build it is compared with (the
 *   sample's median if it was measured, else the first build's time)
 */
async function benchRebuild(byIssue, sample) {
  const label = `${path.basename(sample)}, 1 edit`;
  const tool = 'ours (rebuild)';
  const source = path.join(tmp, 'rebuild', path.basename(sample), 'issue', path.basename(sample));
  const outDir = path.join(tmp, 'rebuild', path.basename(sample), 'out');
  await copyIssue(sample, source);
  const command = process.execPath;
  const args = [gazetteBin, 'build', source, '-o', outDir, '-q', '--json'];
  const pdf = path.join(outDir, `${path.basename(sample)}.pdf`);

  progress(`${label}: first build (cold)`);
  const first = await measure(command, args, { timeoutMs: options.timeoutMs });
  if (!first.ok) return { row: failedRow(label, tool, `first build failed: ${failure(first)}`), fullS: null };
  const fullS = byIssue.get(path.basename(sample))?.ours.medianS ?? first.seconds;
  progress(`${label}: first build ${first.seconds.toFixed(1)} s`);

  /** @type {Row['runs']} */
  const runs = [];
  /** @type {number[]} pages the build took from its layout cache, per run */
  const reused = [];
  for (let run = 1; run <= options.runs; run++) {
    const edited = await appendParagraph(source, run);
    await rm(pdf, { force: true });
    const measured = await measure(command, args, { timeoutMs: options.timeoutMs });
    if (measured.ok && !existsSync(pdf)) {
      measured.ok = false;
      measured.stderr = `${measured.stderr}\nexited 0 but wrote no PDF at ${pdf}`.trim();
    }
    if (!measured.ok) {
      progress(`${label}: edit ${run}: FAILED: ${failure(measured)}`);
      return { row: { ...failedRow(label, tool, failure(measured)), runs }, fullS };
    }
    runs.push(runOf(measured, false));
    reused.push(JSON.parse(measured.stdout.trim().split('\n').at(-1) ?? '{}').reusedPages ?? 0);
    progress(
      `${label}: edit ${run} (${path.basename(edited)}), rebuild ${describe(measured)}, ${reused.at(-1)} pages from the cache`,
    );
  }
  const row = summarise(label, tool, runs, await pageCount(pdf));
  // Compared with the full build's median, and with the first build of the same copy just before (the same
  // conditions, one run).
  row.ratio = `${ratioText('rebuild / full', row.medianS, fullS)} (/ first build = ${row.medianS === null ? '–' : (row.medianS / first.seconds).toFixed(2)})`;
  row.note = `first build of the copy ${first.seconds.toFixed(1)} s; pages from the layout cache: ${reused.join(', ')} of ${row.pages ?? '?'}`;
  return { row, fullS };
}

/** @param {import('./measure.js').Measured} measured @param {boolean} warmUp @returns {Run} */
function runOf(measured, warmUp) {
  return {
    build: distFingerprint(),
    seconds: measured.seconds,
    cpuSeconds: measured.cpuSeconds,
    otherCores: measured.otherCores,
    peakMiB: measured.peakMiB,
    peakAnonMiB: measured.peakAnonMiB,
    processes: measured.peakProcesses,
    warmUp,
  };
}

/**
 * @param {string} issue
 * @param {string} tool
 * @param {Row['runs']} runs the measured runs
 * @param {number | null} pages
 * @returns {Row}
 */
function summarise(issue, tool, runs, pages) {
  const seconds = runs.map((run) => run.seconds);
  return {
    issue,
    tool,
    pages,
    medianS: median(seconds),
    minS: seconds.length > 0 ? Math.min(...seconds) : null,
    cpuS: median(runs.map((run) => run.cpuSeconds)),
    otherCores: median(runs.map((run) => run.otherCores)),
    peakMiB: runs.length > 0 ? Math.max(...runs.map((run) => run.peakMiB)) : null,
    peakAnonMiB: runs.length > 0 ? Math.max(...runs.map((run) => run.peakAnonMiB)) : null,
    ratio: '',
    note: '',
    error: null,
    runs,
  };
}

/** @param {string} issue @param {string} tool @param {string} error @returns {Row} */
function failedRow(issue, tool, error) {
  return {
    issue,
    tool,
    pages: null,
    medianS: null,
    minS: null,
    cpuS: null,
    otherCores: null,
    peakMiB: null,
    peakAnonMiB: null,
    ratio: '',
    note: '',
    error,
    runs: [],
  };
}

/** @param {import('./measure.js').Measured} measured */
function describe(measured) {
  return `${measured.seconds.toFixed(1)} s, CPU ${measured.cpuSeconds.toFixed(1)} s, ${measured.peakMiB.toFixed(0)} MiB (anon ${measured.peakAnonMiB.toFixed(0)} MiB), ${measured.peakProcesses} processes, other load ${measured.otherCores.toFixed(2)} cores`;
}

/** @param {import('./measure.js').Measured} measured */
function failure(measured) {
  const why = measured.timedOut
    ? `timed out after ${Math.round(options.timeoutMs / 1000)} s`
    : measured.signal
      ? `killed by ${measured.signal}`
      : `exit code ${measured.exitCode}`;
  const lines = measured.stderr
    .split(/\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('- '));
  const last = lines.slice(-2).join(' / ');
  return last ? `${why}: ${last.slice(0, 300)}` : why;
}

/**
 * How fast the command starts: `gazette --version` and `--help` against a bare `node -e 0`, interleaved in one
 * run (the machine's speed drifts), the median of seven of each.
 */
async function benchStart() {
  /** @type {Record<'bare' | 'version' | 'help', number[]>} */
  const times = { bare: [], version: [], help: [] };
  /** @type {['bare' | 'version' | 'help', string[]][]} */
  const commands = [
    ['bare', ['-e', '0']],
    ['version', [gazetteBin, '--version']],
    ['help', [gazetteBin, '--help']],
  ];
  for (let run = 0; run < (options.quick ? 3 : 7); run++) {
    for (const [key, args] of commands) {
      const measured = await measure(process.execPath, args, { timeoutMs: 60_000 });
      if (measured.ok) times[key].push(measured.seconds);
    }
  }
  const median = (/** @type {number[]} */ values) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
  const start = { bare: median(times.bare), version: median(times.version), help: median(times.help) };
  progress(
    `start: node -e 0 ${start.bare.toFixed(2)} s, --version ${start.version.toFixed(2)} s, --help ${start.help.toFixed(2)} s`,
  );
  return start;
}

/**
 * @typedef {object} Target
 * @property {string} figure what is measured, on which issue
 * @property {string} value the figure, a ratio of two times (or memories) measured in this run
 * @property {string} target
 * @property {boolean | null} met null: not measured (a run failed)
 */

/**
 * @param {Map<string, { ours: Row, floor: Row, peer: Row }>} byIssue
 * @param {Warm[]} warms
 * @param {{ bare: number, version: number, help: number }} start median seconds of each start
 * @returns {Target[]}
 */
function evaluateTargets(byIssue, warms, start) {
  /** @type {Target[]} */
  const lines = [];
  /**
   * @param {string} figure
   * @param {number | null} value
   * @param {string} target
   * @param {(value: number) => boolean} ok
   * @param {(value: number) => string} show
   */
  const add = (figure, value, target, ok, show) => {
    const known = value !== null && Number.isFinite(value);
    lines.push({ figure, value: known ? show(value) : 'not measured', target, met: known ? ok(value) : null });
  };
  const ratio = (/** @type {number | null | undefined} */ a, /** @type {number | null | undefined} */ b) =>
    a === null || a === undefined || b === null || b === undefined ? null : a / b;
  const times = (/** @type {number} */ value) => `${value.toFixed(2)}×`;
  add(
    `gazette --version / node -e 0 (${start.bare.toFixed(2)} s)`,
    ratio(start.version, start.bare),
    `≤ ${targets.startRatio}×`,
    (value) => value <= targets.startRatio,
    times,
  );
  for (const [key, { ours, floor, peer }] of byIssue) {
    add(
      `${key}: cold build / bare print of the simple page`,
      ratio(ours.medianS, floor.medianS),
      `≤ ${targets.floorRatio}×`,
      (value) => value <= targets.floorRatio,
      times,
    );
    if (!/ ×\d+$/.test(key)) {
      add(
        `${key}: cold build / paged.js polyfill (pagedjs-cli) on the simple page`,
        ratio(ours.medianS, peer.medianS),
        `< ${targets.peerRatio}×`,
        (value) => value < targets.peerRatio,
        times,
      );
    }
    add(
      `${key}: peak memory of the build's tree / the bare print's`,
      ratio(ours.peakMiB, floor.peakMiB),
      `≤ ${targets.memoryRatio}×`,
      (value) => value <= targets.memoryRatio,
      (value) =>
        `${value.toFixed(2)}× (${ours.peakMiB?.toFixed(0)} / ${floor.peakMiB?.toFixed(0)} MiB; anon ${ours.peakAnonMiB?.toFixed(0)} / ${floor.peakAnonMiB?.toFixed(0)} MiB)`,
    );
    const single = byIssue.get(key.replace(/ ×\d+$/, ''));
    if (single && single.ours !== ours) {
      add(
        `${key}: cold build / the 1× build`,
        ratio(ours.medianS, single.ours.medianS),
        `≤ ${targets.scaleRatio}×`,
        (value) => value <= targets.scaleRatio,
        times,
      );
    }
  }
  for (const warm of warms) {
    // The bare print just before and after the preview's run, else the sample's.
    const floorS = warm.floorS ?? byIssue.get(warm.sample)?.floor.medianS ?? null;
    add(
      `${warm.sample}: warm rebuild, save → new PDF / bare print ${warm.floorS === null ? 'of the sample' : 'beside it'}`,
      ratio(warm.row.medianS, floorS),
      `≤ ${targets.warmPdfRatio}×`,
      (value) => value <= targets.warmPdfRatio,
      (value) => `${value.toFixed(2)}× (${warm.row.medianS?.toFixed(2)} s / ${floorS?.toFixed(2)} s)`,
    );
    add(
      `${warm.sample}: warm rebuild, save → the preview's new page`,
      warm.pageS,
      `≤ ${targets.warmPageS} s`,
      (value) => value <= targets.warmPageS,
      (value) => `${value.toFixed(2)} s`,
    );
  }
  return lines;
}

/**
 * @param {object} machine
 * @param {{ runs: number, warmUp: boolean, quick: boolean }} settings
 * @param {Row[]} rows
 * @param {Target[]} targetLines
 * @param {string[]} notes
 * @param {number[]} loadAverageAtEnd
 */
function renderMarkdown(machine, settings, rows, targetLines, notes, loadAverageAtEnd) {
  const m =
    /** @type {{ build: string, cpus: number, chromium: string, node: string, memoryMiB: number, loadAverageAtStart: number[] }} */ (
      machine
    );
  const header = `gazette bench (dist ${m.build}): ${m.cpus} CPUs, ${m.memoryMiB} MiB, Node ${m.node}, ${m.chromium}; ${settings.runs} measured run(s)${settings.warmUp ? ' after 1 warm-up' : ', no warm-up'}${settings.quick ? ' (quick)' : ''}; load average ${m.loadAverageAtStart.join(' ')} at start, ${loadAverageAtEnd.join(' ')} at end`;
  const table = [
    '| issue | tool | pages | median s | min s | CPU s | other load | peak MiB | peak anon MiB | ratio | note |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
    ...rows.map((row) =>
      [
        row.issue,
        row.tool,
        row.pages ?? '–',
        row.medianS?.toFixed(1) ?? '–',
        row.minS?.toFixed(1) ?? '–',
        row.cpuS?.toFixed(1) ?? '–',
        row.otherCores?.toFixed(2) ?? '–',
        row.peakMiB?.toFixed(0) ?? '–',
        row.peakAnonMiB?.toFixed(0) ?? '–',
        row.ratio || '–',
        cell(row.error ? `FAILED: ${row.error}` : row.note),
      ]
        .join(' | ')
        .replace(/^/, '| ')
        .replace(/$/, ' |'),
    ),
  ];
  const targetsText = [
    '| figure | value | target | holds |',
    '| --- | --- | --- | --- |',
    ...targetLines.map(
      (line) =>
        `| ${cell(line.figure)} | ${cell(line.value)} | ${line.target} | ${line.met === true ? 'yes' : line.met === false ? 'NO' : 'not measured'} |`,
    ),
  ];
  return [header, '', ...table, '', 'Targets:', '', ...targetsText, '', ...notes.map((note) => `- ${note}`)].join('\n');
}

/** @param {string} text */
function cell(text) {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');
}

/** @param {string} name @param {number | null} a @param {number | null} b */
function ratioText(name, a, b) {
  return a === null || b === null ? `${name}: –` : `${name} = ${(a / b).toFixed(2)}`;
}

/** @param {number[]} values */
function median(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? upper) + upper) / 2;
}

/** @param {string} file @returns {Promise<number | null>} */
async function pageCount(file) {
  try {
    const pdf = await PDFDocument.load(await readFile(file), { ignoreEncryption: true, updateMetadata: false });
    return pdf.getPageCount();
  } catch {
    return null;
  }
}

function ensureCompiled() {
  if (
    existsSync(path.join(root, 'dist', 'render', 'browser.js')) &&
    existsSync(path.join(root, 'dist', 'cli', 'run.js'))
  )
    return;
  progress('dist/ is missing: npm run compile');
  const result = spawnSync('npm', ['run', 'compile'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) throw new Error('npm run compile failed');
}

/**
 * A short hash of the compiled code (every file under dist/): the build measured. Another engineer compiling
 * src/ while the bench runs changes it.
 */
function distFingerprint() {
  const hash = createHash('sha256');
  const dist = path.join(root, 'dist');
  /** @param {string} dir */
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.js')) {
        hash.update(path.relative(dist, full));
        hash.update(readFileSync(full));
      }
    }
  };
  try {
    walk(dist);
  } catch {
    return 'unreadable';
  }
  return hash.digest('hex').slice(0, 12);
}

/** @param {string} executable */
function versionOf(executable) {
  const result = spawnSync(executable, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return (result.stdout ?? '').trim() || path.basename(executable);
}

/** @param {string} name */
function packageVersion(name) {
  const manifest = JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8'));
  return /** @type {string} */ (manifest.version);
}

/** @param {string} text */
function slug(text) {
  return text.replace(/[^A-Za-z0-9-]+/g, '_');
}

/** @param {string} message */
function progress(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

function readOptions() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      runs: { type: 'string' },
      only: { type: 'string' },
      timeout: { type: 'string', default: '600' },
      'no-rebuild': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      [
        'usage: npm run bench [-- --quick] [--runs N] [--only KEY,KEY] [--timeout SECONDS] [--no-rebuild]',
        '  --quick (or BENCH_QUICK=1)  1 run, no warm-up: both samples and Baoshan ×5, the preview on Baoshan',
        '  --runs N                    measured runs per tool after one warm-up (default 3)',
        '  --only                      issues among baoshan-2024-03, hongkou-2024-03, "baoshan-2024-03 ×5", "hongkou-2024-03 ×5"',
        '  --timeout                   time limit of each measured command (default 600 s)',
        '',
      ].join('\n'),
    );
    process.exit(0);
  }
  const quick = values.quick || ['1', 'true', 'yes'].includes(String(process.env.BENCH_QUICK ?? '').toLowerCase());
  const runs = quick ? 1 : Number(values.runs ?? 3);
  if (!Number.isInteger(runs) || runs < 1) usage(`Unexpected --runs ${values.runs}, expected a whole number ≥ 1`);
  const timeoutMs = Number(values.timeout) * 1000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) usage(`Unexpected --timeout ${values.timeout}, expected seconds`);
  const baoshan = path.join(root, 'issues', 'baoshan-2024-03');
  const hongkou = path.join(root, 'issues', 'hongkou-2024-03');
  /** @type {IssueSpec[]} */
  const all = [
    { key: 'baoshan-2024-03', sample: baoshan, times: 1 },
    { key: 'hongkou-2024-03', sample: hongkou, times: 1 },
    { key: 'baoshan-2024-03 ×5', sample: baoshan, times: 5 },
    { key: 'hongkou-2024-03 ×5', sample: hongkou, times: 5 },
  ];
  let issues = quick ? all.slice(0, 3) : all;
  if (values.only) {
    const wanted = values.only.split(',').map((key) => key.trim().replace(/\s*[x×]\s*5$/, ' ×5'));
    const unknown = wanted.filter((key) => !all.some((issue) => issue.key === key));
    if (unknown.length > 0) usage(`Unexpected issue ${unknown.join(', ')} in --only`);
    issues = all.filter((issue) => wanted.includes(issue.key));
  }
  return {
    quick,
    runs,
    warmUp: !quick,
    timeoutMs,
    issues,
    rebuild: !values['no-rebuild'],
  };
}

/** @param {string} message @returns {never} */
function usage(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}
