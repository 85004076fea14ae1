import { execFileSync } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BuildResult, buildIssue } from '../../src/api/build.js';
import { silentLogger } from '../../src/api/logger.js';
import { pressEditionOf } from '../../src/api/press.js';
import { documentTitle } from '../../src/model/index.js';
import { inspectPress, type PressEdition } from '../../src/pdf/press.js';
import { useBrowserAndTempDir } from '../helpers/browser.js';
import { issueYml, makeIssue, reportSource, runCli } from '../helpers/cli.js';
import {
  compact,
  inkCoverage,
  pageBoxes,
  pdffonts,
  qpdfObject,
  qpdfObjects,
  type ReadPdf,
  readPdf,
  readTags,
  type StructNode,
  walk,
} from '../helpers/pdf.js';

/** The web edition (build) and the press edition of each sample, built once. */
const samples = [{ id: 'baoshan-2024-03' }, { id: 'hongkou-2024-03' }];
const env = useBrowserAndTempDir('editions');

describe.each(samples)('the editions of $id', ({ id }) => {
  let built: BuildResult;
  let web: ReadPdf;
  let edition: PressEdition;
  let pressFile: string;

  beforeAll(async () => {
    built = await buildIssue(path.resolve('issues', id), { outDir: env.dir, browser: env.browser });
    web = await readPdf(built.pdfPath);
    const print = new Uint8Array(await readFile(built.pdfPath));
    ({ edition } = await pressEditionOf(built.issue, print, { env: process.env, logger: silentLogger }));
    pressFile = path.join(env.dir, `${id}.press.pdf`);
    await writeFile(pressFile, edition.bytes);
    // A whole sample built and converted: minutes on a busy two-core machine.
  }, 900_000);

  it('web: is tagged on every page with text, headings, paragraphs and tables with header cells', async () => {
    const pages = await readTags(built.pdfPath);
    const roles = new Map<string, number>();
    pages.forEach((page, index) => {
      if ((web.pages[index]?.compact.length ?? 0) > 0) expect(page.tree?.children?.length, `page ${index + 1}`).toBe(1);
      walk(page.tree, (node) => node.role && roles.set(node.role, (roles.get(node.role) ?? 0) + 1));
    });
    expect(roles.get('H1')).toBeGreaterThanOrEqual(built.issue.documents.length);
    expect(roles.get('H2')).toBeGreaterThan(0);
    expect(roles.get('P')).toBeGreaterThan(built.pageCount);
    const tables = built.issue.documents.filter((document) =>
      /^\s*\|[\s:|-]+\|\s*$/m.test(String(document.file.value)),
    );
    if (tables.length > 0) {
      expect(roles.get('Table')).toBeGreaterThanOrEqual(tables.length);
      expect(roles.get('TH')).toBeGreaterThan(0);
    }
    // A table with its caption is a group (Div), not a Figure without alternative text.
    expect(roles.get('Figure') ?? 0).toBe(0);
  });

  it('web: gives the headings in the order of the documents, and a two-column page column by column', async () => {
    const pages = await readTags(built.pdfPath);
    const headings: string[] = [];
    const rowByRow: number[] = [];
    const firstBodyPage = built.contents[0]?.page ?? 3;
    pages.forEach((page, index) => {
      const sides: ('left' | 'right')[] = [];
      // One side a line, taken where the line starts: a centred display line is marked in several pieces
      // (its words kept whole), some of which lie right of the middle without being in the right column.
      let lineY: number | undefined;
      const visit = (node: StructNode, inTable: boolean) => {
        if (node.role === 'H1') {
          const parts: string[] = [];
          walk(node, (child) => child.type === 'content' && parts.push(page.text.get(child.id ?? '')?.text ?? ''));
          headings.push(compact(parts.join('')));
        }
        const content = node.type === 'content' ? page.text.get(node.id ?? '') : undefined;
        if (content && !inTable && (lineY === undefined || Math.abs(content.y - lineY) > 1)) {
          sides.push(content.x > page.width / 2 ? 'right' : 'left');
        }
        if (content && !inTable) lineY = content.y;
        for (const child of node.children ?? []) visit(child, inTable || node.role === 'Table');
      };
      if (page.tree) visit(page.tree, false);
      // Read down the left column, then the right: a side changes only at a block across both columns (a title
      // block, a panel). Read line by line across the columns, it would change on every line.
      const changes = sides.filter((side, at) => at > 0 && side === 'left' && sides[at - 1] === 'right').length;
      if (built.issue.config.profile === 'two-column' && index + 1 >= firstBodyPage && changes > 4) {
        rowByRow.push(index + 1);
      }
    });
    const titles = built.issue.documents.map((document) => compact(documentTitle(document.meta)).slice(0, 8));
    let at = 0;
    for (const title of titles) {
      const found = headings.findIndex((heading, index) => index >= at && heading.includes(title));
      expect(found, title).toBeGreaterThanOrEqual(at);
      at = found + 1;
    }
    expect(rowByRow).toEqual([]);
  });

  it('web: every text on every page is tagged or an artifact; running heads and folios are artifacts', async () => {
    const pdf = await getDocument({ data: new Uint8Array(await readFile(built.pdfPath)), verbosity: 0 }).promise;
    const untagged: string[] = [];
    const artifacts: string[] = [];
    const firstBodyPage = built.contents[0]?.page ?? 3;
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number);
      const open: string[] = [];
      let artifact = '';
      for (const item of (await page.getTextContent({ includeMarkedContent: true })).items) {
        // pdf.js gives the tag of a marked-content sequence beside its declared fields.
        if ('type' in item && item.type.startsWith('beginMarkedContent'))
          open.push((item as { tag?: string }).tag ?? '');
        else if ('type' in item && item.type === 'endMarkedContent') open.pop();
        else if ('str' in item && item.str.trim()) {
          if (open.length === 0) untagged.push(`p.${number}: ${item.str}`);
          else if (open[0] === 'Artifact') artifact += item.str;
        }
      }
      if (number >= firstBodyPage && web.pages[number - 1]?.lines.length) artifacts.push(compact(artifact));
    }
    await pdf.destroy();
    expect(untagged).toEqual([]);
    // A body page's artifacts are its running head and its folio, and nothing of the text but, at most, one
    // character Chromium left out of the structure tree (README, "Known problems": a "5" before a squeezed "、").
    artifacts.forEach((text, index) => {
      const head = text.match(/^(.*公报)?—\d+—|—\d+—(.*公报)?$/)?.[0] ?? '';
      expect(head, `page ${firstBodyPage + index}: ${text}`).toMatch(/—\d+—/);
      expect([...text.replace(head, '')].length, `page ${firstBodyPage + index}: ${text}`).toBeLessThanOrEqual(1);
    });
  });

  it('web: says its language and shows its title in the window (qpdf)', () => {
    const objects = qpdfObjects(built.pdfPath);
    const catalog = [...objects.values()].find((object) => object['/Type'] === '/Catalog') ?? {};
    expect(catalog['/Lang']).toBe('u:zh-CN');
    expect(qpdfObject(objects, catalog['/MarkInfo'])).toMatchObject({ '/Marked': true });
    expect(qpdfObject(objects, catalog['/ViewerPreferences'])).toMatchObject({ '/DisplayDocTitle': true });
    expect(qpdfObject(objects, catalog['/StructTreeRoot'])).toMatchObject({ '/Type': '/StructTreeRoot' });
    expect(web.info.Title).toBe(
      `${built.issue.config.publication} ${built.issue.config.year}年第${built.issue.config.number}期`,
    );
  });

  it('press: passes the preflight, PDF/X-3 with a CMYK output intent, the version in the XMP', () => {
    return inspectPress(edition.bytes).then((problems) => {
      expect(problems).toEqual([]);
      const intent = [...qpdfObjects(pressFile).values()].find((object) => object['/S'] === '/GTS_PDFX');
      expect(intent?.['/DestOutputProfile']).toMatch(/ 0 R$/);
      const meta = execFileSync('pdfinfo', ['-meta', pressFile], { encoding: 'utf8' });
      expect(meta).toContain('<pdfxid:GTS_PDFXVersion>PDF/X-3:2002</pdfxid:GTS_PDFXVersion>');
      expect(execFileSync('pdfinfo', [pressFile], { encoding: 'utf8' })).toMatch(/PDF subtype:\s+PDF\/X-3:2002/);
    });
  });

  it('press: black ink only on the text pages, the red in colour on the cover (Ghostscript inkcov)', () => {
    const ink = inkCoverage(pressFile);
    expect(ink[0]?.m).toBeGreaterThan(0);
    expect(ink[0]?.y).toBeGreaterThan(0);
    const content = ink.slice(1, built.pageCount);
    const blackOnly = content.filter((page) => page.c === 0 && page.m === 0 && page.y === 0 && page.k > 0);
    const empty = content.filter((page) => page.c + page.m + page.y + page.k === 0);
    expect(blackOnly.length + empty.length).toBe(content.length);
    expect(blackOnly.length).toBeGreaterThanOrEqual(Math.ceil(0.95 * (content.length - empty.length)));
  });

  it('press: pages padded to four at the end with the folios and text unchanged, boxes on every page', async () => {
    expect(edition.pageCount % 4).toBe(0);
    expect(edition.pageCount - built.pageCount).toBe(edition.blankPages.length);
    expect(edition.blankPages).toEqual(
      Array.from({ length: edition.pageCount - built.pageCount }, (_, index) => built.pageCount + index + 1),
    );
    const press = await readPdf(pressFile);
    expect(press.pages.slice(0, built.pageCount).map((page) => page.compact)).toEqual(
      web.pages.map((page) => page.compact),
    );
    for (const page of press.pages.slice(built.pageCount)) expect(page.compact).toBe('');
    const boxes = pageBoxes(pressFile);
    expect(boxes).toHaveLength(edition.pageCount);
    for (const box of boxes) {
      expect(box.trim.map((value) => Math.round(value))).toEqual([0, 0, 595, 842]);
      expect(box.bleed).toEqual(box.trim);
    }
  });

  it('press: every font embedded and subset (pdffonts)', () => {
    const rows = execFileSync('pdffonts', [pressFile], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((row) => !/\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$/.test(row))).toEqual([]);
    expect(pdffonts(pressFile).filter((font) => font.type === 'Type 3')).toEqual([]);
  });
});

/** A PNG of `width`×`height` grey pixels. */
function png(width: number, height: number): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8);
  const rows = Buffer.alloc((width + 1) * height, 0x80);
  for (let row = 0; row < height; row++) rows[row * (width + 1)] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('an issue with a figure', () => {
  let source: string;
  beforeAll(async () => {
    source = await makeIssue({
      'issue.yml': issueYml,
      '01-report.md': reportSource('工作情况如下。\n\n![全区养老服务机构分布图](figures/chart.png)\n\n以上报告。'),
      'figures/chart.png': png(400, 200),
    });
  });

  it('web: tags the image as a Figure with the alternative text of the source', async () => {
    const built = await buildIssue(source, { outDir: env.dir, browser: env.browser });
    const figures: StructNode[] = [];
    for (const page of await readTags(built.pdfPath))
      walk(page.tree, (node) => node.role === 'Figure' && figures.push(node));
    expect(figures.map((figure) => figure.alt)).toEqual(['全区养老服务机构分布图']);
  });

  it('press (CLI, --marks): warns about the image under 300 dpi by its file, crop marks outside the bleed', async () => {
    const out = path.join(env.dir, 'press-cli');
    const { code, stdout, stderr } = await runCli(['press', source, '-o', out, '--marks']);
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/figures\/chart\.png is printed at \d+ dpi on page \d+, under the 300 dpi/);
    const file = path.join(out, 'test-2024-01.press.pdf');
    expect((await stat(file)).size).toBeGreaterThan(0);
    expect(Number(/test-2024-01\.press\.pdf: (\d+) pages/.exec(stdout)?.[1]) % 4).toBe(0);
    for (const box of pageBoxes(file)) expect(box.media[0]).toBeLessThan(box.bleed[0] - 20);
    // The marks are black ink only, so the grey image is the only colour… converted to CMYK by the profile.
    const ink = inkCoverage(file);
    expect(ink.slice(1).every((page) => page.k > 0)).toBe(true);
  });
});
