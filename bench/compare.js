// @ts-check
/**
 * Before and after, in one run: a cold `gazette build` (empty layout cache) and the warm preview (bench/warm.js)
 * of this checkout and of another (say a worktree of the commit before a change, compiled, its node_modules
 * linked), interleaved run by run so both see the same machine load. Prints the medians and the ratio.
 *
 *   node bench/compare.js <other checkout> [--runs N] [--issue issues/baoshan-2024-03] [--no-warm]
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measure } from './measure.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '3' },
    issue: { type: 'string', default: 'issues/baoshan-2024-03' },
    'no-warm': { type: 'boolean', default: false },
  },
});
const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const other = positionals[0] ? path.resolve(positionals[0]) : undefined;
if (!other) {
  process.stderr.write('usage: node bench/compare.js <other checkout> [--runs N] [--issue DIR] [--no-warm]\n');
  process.exit(2);
}
const runs = Number(values.runs);
const issue = path.resolve(here, values.issue);
const tmp = await mkdtemp(path.join(os.tmpdir(), 'gazette-compare-'));
const checkouts = [
  { name: 'other', root: other },
  { name: 'this', root: here },
];
/** @type {Record<string, { cold: number[], coldMiB: number[], pdf: number[], page: number[] }>} */
const times = Object.fromEntries(checkouts.map(({ name }) => [name, { cold: [], coldMiB: [], pdf: [], page: [] }]));
try {
  for (let run = 1; run <= runs; run++) {
    for (const { name, root } of run % 2 === 1 ? checkouts : [...checkouts].reverse()) {
      const out = path.join(tmp, name, 'out');
      await rm(out, { recursive: true, force: true });
      const cold = await measure(process.execPath, [
        path.join(root, 'bin', 'gazette.js'),
        'build',
        issue,
        '-o',
        out,
        '-q',
        '--no-cache',
      ]);
      if (!cold.ok) throw new Error(`${name}: build failed: ${cold.stderr.slice(-500)}`);
      times[name]?.cold.push(cold.seconds);
      times[name]?.coldMiB.push(cold.peakMiB);
      let line = `run ${run} ${name}: cold ${cold.seconds.toFixed(2)} s ${cold.peakMiB.toFixed(0)} MiB`;
      if (!values['no-warm']) {
        const copy = path.join(tmp, name, `warm-${run}`, path.basename(issue));
        await cp(issue, copy, { recursive: true });
        const warm = await measure(process.execPath, [path.join(root, 'bench', 'warm.js'), copy, '2']);
        if (!warm.ok) throw new Error(`${name}: preview failed: ${warm.stderr.slice(-500)}`);
        const result = JSON.parse(warm.stdout.trim().split('\n').at(-1) ?? '{}');
        times[name]?.pdf.push(...result.pdfS);
        times[name]?.page.push(...result.pageS);
        line += `, save → PDF ${result.pdfS.map((/** @type {number} */ s) => s.toFixed(2)).join(' ')} s, save → page ${result.pageS.map((/** @type {number} */ s) => s.toFixed(2)).join(' ')} s`;
      }
      process.stderr.write(`${line}\n`);
    }
  }
} finally {
  await rm(tmp, { recursive: true, force: true });
}

/** @param {number[]} list */
const median = (list) => {
  const sorted = [...list].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
process.stdout.write(
  `${path.basename(issue)}, ${runs} interleaved runs, load average ${os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(' ')}\n\n| figure | other | this | this / other |\n| --- | ---: | ---: | ---: |\n`,
);
for (const [figure, key] of /** @type {const} */ ([
  ['cold build s', 'cold'],
  ['cold build peak MiB', 'coldMiB'],
  ['warm: save → new PDF s', 'pdf'],
  ['warm: save → new page s', 'page'],
])) {
  const a = median(times.other?.[key] ?? []);
  const b = median(times.this?.[key] ?? []);
  if (Number.isNaN(a) || Number.isNaN(b)) continue;
  process.stdout.write(`| ${figure} | ${a.toFixed(2)} | ${b.toFixed(2)} | ${(b / a).toFixed(2)} |\n`);
}
