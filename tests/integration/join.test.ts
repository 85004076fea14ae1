import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { mergeParts } from '../../src/pdf/merge.js';
import { useBrowserAndTempDir } from '../helpers/browser.js';
import { qpdfObject, qpdfObjects, readPdf, readTags, walk } from '../helpers/pdf.js';

const env = useBrowserAndTempDir('join');

/** A part printed by Chromium (a tagged PDF): one page per entry, each a heading, a paragraph, maybe a table. */
async function printPart(name: string, pages: number, table = false): Promise<Uint8Array> {
  const tab = await env.browser.newPage();
  try {
    const sections = Array.from({ length: pages }, (_, index) => {
      const rows = table
        ? `<table><thead><tr><th>${name}H${index + 1}</th><th>Col</th></tr></thead><tbody><tr><td>${name}D${index + 1}</td><td>1</td></tr></tbody></table>`
        : '';
      return `<section><h1>${name}${index + 1}</h1><p>${name}Text${index + 1}</p>${rows}</section>`;
    });
    await tab.setContent(
      `<!doctype html><html lang="zh-CN"><style>@page { size: A5 } section { break-after: page }</style>${sections.join('')}</html>`,
    );
    return await tab.pdf({ preferCSSPageSize: true, tagged: true });
  } finally {
    await tab.close();
  }
}

/** The pages of a file in order, as qpdf reads its page tree: each page object's key ("12 0 R"). */
function pageKeys(objects: Map<string, Record<string, unknown>>, node: unknown): string[] {
  const dict = qpdfObject(objects, node);
  if (dict['/Type'] !== '/Pages') return [node as string];
  return (dict['/Kids'] as string[]).flatMap((kid) => pageKeys(objects, kid));
}

describe('joining printed parts (mergeParts)', () => {
  // The body (the part with the most pages) is the base; a part before it, a part after.
  const expected = ['Cover1', 'Cover2', 'Cover3', 'Body1', 'Body2', 'Body3', 'Body4', 'Body5', 'Body6', 'Tail1'];
  let file: string;

  beforeAll(async () => {
    const [cover, body, tail] = [
      await printPart('Cover', 3),
      await printPart('Body', 6, true),
      await printPart('Tail', 1),
    ];
    const joined = await mergeParts([cover, body, tail]);
    file = path.join(env.dir, 'joined.pdf');
    await writeFile(file, await joined.save({ useObjectStreams: false }));
  });

  it('puts the pages in the parts order', async () => {
    const pdf = await readPdf(file);
    const firstWords = pdf.pages.map((page) => page.compact.match(/^[A-Za-z]+\d+/)?.[0] ?? '');
    expect(firstWords).toEqual(expected);
    expect(execFileSync('qpdf', ['--check', file], { encoding: 'utf8' })).toMatch(
      /No syntax or stream encoding errors/,
    );
  });

  it("gives each page's structure tree that page's own text (no marked-content key shared between parts)", async () => {
    const pages = await readTags(file);
    const tagged = pages.map((page) => {
      const texts: string[] = [];
      walk(page.tree, (node) => node.type === 'content' && texts.push(page.text.get(node.id ?? '')?.text ?? ''));
      return texts.join('').match(/^[A-Za-z]+\d+/)?.[0] ?? '';
    });
    expect(tagged).toEqual(expected);
    const roles = pages.map((page) => {
      const found: string[] = [];
      walk(page.tree, (node) => node.role && found.push(node.role));
      return found;
    });
    expect(roles[3]).toEqual(expect.arrayContaining(['H1', 'P', 'Table', 'TH', 'TD']));
    expect(roles[0]).toEqual(expect.arrayContaining(['H1', 'P']));
  });

  it('reads the elements in page order under one Document element, with one parent tree of unique keys', () => {
    const objects = qpdfObjects(file);
    const catalog = [...objects.values()].find((object) => object['/Type'] === '/Catalog') ?? {};
    const pages = pageKeys(objects, catalog['/Pages']);
    const root = qpdfObject(objects, catalog['/StructTreeRoot']);
    const document = qpdfObject(objects, root['/K']);
    expect(document['/S']).toBe('/Document');
    // The page of each element that names one, in tree order: the cover's first, the tail's last.
    const order: number[] = [];
    const visit = (key: unknown) => {
      const element = qpdfObject(objects, key);
      if (typeof element['/Pg'] === 'string') order.push(pages.indexOf(element['/Pg']) + 1);
      const kids = element['/K'];
      for (const kid of Array.isArray(kids) ? kids : [kids]) if (typeof kid === 'string') visit(kid);
    };
    visit(root['/K']);
    expect(order.length).toBeGreaterThan(expected.length);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order[0]).toBe(1);
    expect(order.at(-1)).toBe(expected.length);

    const nums = qpdfObject(objects, root['/ParentTree'])['/Nums'] as unknown[];
    const keys = nums.filter((_, index) => index % 2 === 0) as number[];
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual([...keys].sort((a, b) => a - b));
    expect(root['/ParentTreeNextKey']).toBeGreaterThan(Math.max(...keys));
    const structParents = pages
      .map((key) => qpdfObject(objects, key)['/StructParents'])
      .filter((key) => key !== undefined);
    expect(structParents).toHaveLength(expected.length);
    expect(new Set(structParents).size).toBe(structParents.length);
    for (const key of structParents) expect(keys).toContain(key);
  });

  it('renames the header cells in tree order, their references with them, and drops what Chromium dated', () => {
    const objects = qpdfObjects(file);
    const elements = [...objects.values()].filter((object) => object['/Type'] === '/StructElem');
    const ids = elements.map((element) => element['/ID']).filter((id) => id !== undefined);
    expect(ids).toEqual(ids.map((_, index) => `u:id${String(index + 1).padStart(6, '0')}`));
    expect(ids.length).toBeGreaterThanOrEqual(12);
    // A data cell names its header cells in its table attributes (direct dictionaries in /A).
    const headers = elements.flatMap((element) =>
      ((element['/A'] as Record<string, unknown>[] | undefined) ?? []).flatMap(
        (attributes) => (attributes['/Headers'] as string[] | undefined) ?? [],
      ),
    );
    expect(headers.length).toBeGreaterThan(0);
    for (const header of headers) expect(ids).toContain(header);
    expect([...objects.values()].some((object) => '/CreationDate' in object)).toBe(false);
  });
});
