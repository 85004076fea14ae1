import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type CachedPart,
  keptLinks,
  LayoutCache,
  type LayoutPlan,
  layoutKey,
  planLayout,
} from '../../src/api/layout-cache.js';
import { pageScripts } from '../../src/layout/browser/index.js';
import { frontAnchor } from '../../src/layout/compose.js';
import type { PageSnapshot } from '../../src/render/render-pdf.js';
import { useTempDirs } from '../helpers/fixtures.js';

/** Pages named by their content, each starting where `start` says (null: inside a block). */
function pages(...starts: (string | null)[]): PageSnapshot[] {
  return starts.map((start, index) => {
    if (start === null) return { html: `p${index + 1}`, start: null };
    const [anchor = '', block = '0'] = start.split(':');
    return { html: `p${index + 1}`, start: { anchor, block: Number(block) } };
  });
}

const blocks = { a: ['a0', 'a1', 'a2'], b: ['b0', 'b1', 'b2', 'b3', 'b4'], c: ['c0', 'c1'] };

function cached(starts: (string | null)[], overrides: Partial<CachedPart> = {}): CachedPart {
  const part = { key: 'k', anchors: ['a', 'b', 'c'], blocks, frame: '', pages: pages(...starts), links: [] };
  return { format: 3, ...part, ...overrides };
}

const runOn = ['a:0', null, 'b:2', 'b:4', null, 'c:1'];
const newPages = ['a:0', 'a:2', 'b:0', null, 'c:0'];

describe('planLayout, documents running on', () => {
  it('lays out everything when nothing is cached, or the styles, fonts or browser changed', () => {
    const part = { anchors: ['a', 'b', 'c'], blocks };
    expect(planLayout(undefined, part, 'k', false).kind).toBe('fresh');
    expect(planLayout(cached(runOn), part, 'other', false).kind).toBe('fresh');
  });

  it('reuses every page when no block changed', () => {
    expect(planLayout(cached(runOn), { anchors: ['a', 'b', 'c'], blocks }, 'k', false)).toEqual({
      kind: 'reuse',
      pages: ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'],
    });
  });

  it('resumes at the last page that starts at a block before the first changed block', () => {
    const edited = { ...blocks, b: ['b0', 'b1', 'b2', 'b3', 'B4', 'b5'] };
    expect(planLayout(cached(runOn), { anchors: ['a', 'b', 'c'], blocks: edited }, 'k', false)).toEqual({
      kind: 'resume',
      window: { from: { anchor: 'b', block: 4 } },
      before: ['p1', 'p2', 'p3'],
      after: [],
    });
    const earlier = { ...blocks, b: ['b0', 'b1', 'b2', 'B3', 'b4'] };
    expect(planLayout(cached(runOn), { anchors: ['a', 'b', 'c'], blocks: earlier }, 'k', false)).toMatchObject({
      window: { from: { anchor: 'b', block: 2 } },
      before: ['p1', 'p2'],
    });
  });

  it('never resumes in a document that was inserted or moved, only in the unchanged ones before it', () => {
    const part = { anchors: ['a', 'b', 'x', 'c'], blocks: { ...blocks, x: ['x0'] } };
    const moved = cached(['a:0', 'b:1', 'x:0', 'c:0'], {
      anchors: ['a', 'x', 'b', 'c'],
      blocks: { ...blocks, x: ['x0'] },
    });
    expect(planLayout(cached(runOn), part, 'k', false)).toMatchObject({
      window: { from: { anchor: 'b', block: 4 } },
      before: ['p1', 'p2', 'p3'],
    });
    expect(planLayout(moved, part, 'k', false).kind).toBe('fresh');
  });

  it('lays out from the start when the change is on the first page', () => {
    const edited = { ...blocks, a: ['a0', 'A1', 'a2'] };
    expect(planLayout(cached(runOn), { anchors: ['a', 'b', 'c'], blocks: edited }, 'k', false).kind).toBe('fresh');
  });

  it('resumes before the end when the last document was removed', () => {
    const part = { anchors: ['a', 'b'], blocks };
    expect(planLayout(cached(runOn), part, 'k', false)).toMatchObject({
      window: { from: { anchor: 'b', block: 4 } },
      before: ['p1', 'p2', 'p3'],
    });
  });
});

describe('planLayout, each document on a new page', () => {
  it('lays out only the changed documents, the others keep their pages', () => {
    const edited = { ...blocks, b: ['b0', 'B1', 'b2', 'b3', 'b4'] };
    expect(planLayout(cached(newPages), { anchors: ['a', 'b', 'c'], blocks: edited }, 'k', true)).toEqual({
      kind: 'resume',
      window: { from: { anchor: 'b', block: 0 }, through: 'b' },
      before: ['p1', 'p2'],
      after: ['p5'],
    });
  });

  it('lays out an inserted document alone, and drops a removed one', () => {
    const inserted = { anchors: ['a', 'x', 'b', 'c'], blocks: { ...blocks, x: ['x0'] } };
    expect(planLayout(cached(newPages), inserted, 'k', true)).toMatchObject({
      window: { from: { anchor: 'x', block: 0 }, through: 'x' },
      before: ['p1', 'p2'],
      after: ['p3', 'p4', 'p5'],
    });
    expect(planLayout(cached(newPages), { anchors: ['a', 'c'], blocks }, 'k', true)).toEqual({
      kind: 'reuse',
      pages: ['p1', 'p2', 'p5'],
    });
  });

  it('lays out everything when a cached document does not start a page', () => {
    const edited = { ...blocks, c: ['c0', 'C1'] };
    expect(planLayout(cached(runOn), { anchors: ['a', 'b', 'c'], blocks: edited }, 'k', true).kind).toBe('fresh');
  });
});

describe('planLayout, the first part with the cover and contents', () => {
  // The cover, the contents on two pages and a blank page before the first document's right-hand page.
  const withFront = (starts: (string | null)[], front = 'f0') =>
    cached([`${frontAnchor}:0`, null, null, ...starts], {
      anchors: [frontAnchor, 'a', 'b', 'c'],
      blocks: { ...blocks, [frontAnchor]: [front] },
    });
  const anchors = [frontAnchor, 'a', 'b', 'c'];

  it('keeps the cover and contents pages before a change in the documents', () => {
    const edited = { ...blocks, [frontAnchor]: ['f0'], b: ['b0', 'B1', 'b2', 'b3', 'b4'] };
    expect(planLayout(withFront(newPages), { anchors, blocks: edited }, 'k', true)).toEqual({
      kind: 'resume',
      window: { from: { anchor: 'b', block: 0 }, through: 'b' },
      before: ['p1', 'p2', 'p3', 'p4', 'p5'],
      after: ['p8'],
    });
    // Run on: from the last page starting before b's block 1, the first document's first page.
    expect(planLayout(withFront(runOn), { anchors, blocks: edited }, 'k', false)).toEqual({
      kind: 'resume',
      window: { from: { anchor: 'a', block: 0 } },
      before: ['p1', 'p2', 'p3'],
      after: [],
    });
  });

  it('lays the changed cover and contents out with the first document, or everything where documents run on', () => {
    const edited = { ...blocks, [frontAnchor]: ['F0'] };
    expect(planLayout(withFront(newPages), { anchors, blocks: edited }, 'k', true)).toEqual({
      kind: 'resume',
      window: { from: { anchor: frontAnchor, block: 0 }, through: 'a' },
      before: [],
      after: ['p6', 'p7', 'p8'],
    });
    expect(planLayout(withFront(runOn), { anchors, blocks: edited }, 'k', false).kind).toBe('fresh');
  });

  it("keeps the contents lines' boxes while their pages stay where they were, and only then", () => {
    const box = { anchor: 'a', x: 1, y: 2, width: 3, height: 4, pageWidth: 5, pageHeight: 6 };
    const links = [2, 3].map((page) => ({ ...box, page }));
    const part = withFront(newPages, 'f0');
    part.links = links;
    const body = { ...blocks, [frontAnchor]: ['f0'], b: ['b0', 'B1', 'b2', 'b3', 'b4'] };
    expect(keptLinks(part, planLayout(part, { anchors, blocks: body }, 'k', true))).toBe(links);
    expect(
      keptLinks(part, planLayout(part, { anchors, blocks: { ...blocks, [frontAnchor]: ['f0'] } }, 'k', true)),
    ).toBe(links);
    // The contents changed (laid out again), or the change is on the contents' second page.
    const front = { ...blocks, [frontAnchor]: ['F0'] };
    expect(keptLinks(part, planLayout(part, { anchors, blocks: front }, 'k', true))).toBeUndefined();
    const onSecondPage: LayoutPlan = {
      kind: 'resume',
      window: { from: { anchor: frontAnchor, block: 0 } },
      before: ['p1', 'p2'],
      after: [],
    };
    expect(keptLinks(part, onSecondPage)).toBeUndefined();
    expect(keptLinks(undefined, { kind: 'fresh', why: 'nothing cached' })).toBeUndefined();
  });
});

describe('layoutKey: a stylesheet changed on disk lays out anew', () => {
  const tempDir = useTempDirs('layout-key');

  it('changes with a stylesheet’s content (not its time), with a font file’s size, and not otherwise', async () => {
    const dir = await tempDir();
    const css = path.join(dir, 'gazette.css');
    const font = path.join(dir, 'face.woff2');
    await writeFile(css, 'p { text-indent: 2em; }\n');
    await writeFile(font, 'font');
    const part = { frame: 'frame', assets: [css, font], fonts: [] };
    const key = await layoutKey(part, pageScripts, 'Chrome/1');
    expect(await layoutKey(part, pageScripts, 'Chrome/1')).toBe(key);
    await writeFile(css, 'p { text-indent: 2em; }\n');
    expect(await layoutKey(part, pageScripts, 'Chrome/1')).toBe(key);

    await writeFile(css, 'p { text-indent: 2em; letter-spacing: 0.01em; }\n');
    const restyled = await layoutKey(part, pageScripts, 'Chrome/1');
    expect(restyled).not.toBe(key);
    // The part cached under the old key is laid out anew.
    const part3 = { anchors: ['a', 'b', 'c'], blocks };
    expect(planLayout(cached(runOn, { key }), part3, restyled, false)).toEqual({
      kind: 'fresh',
      why: 'styles, fonts, scripts or browser changed',
    });

    await writeFile(font, 'another font');
    expect(await layoutKey(part, pageScripts, 'Chrome/1')).not.toBe(restyled);
    expect(await layoutKey(part, pageScripts, 'Chrome/2')).not.toBe(await layoutKey(part, pageScripts, 'Chrome/1'));
  });
});

describe('layoutKey: font subsets', () => {
  const tempDir = useTempDirs('layout-key-fonts');

  it('is not changed by a subset listed in `fonts` (it is keyed in the frame by the font it is cut from)', async () => {
    const dir = await tempDir();
    const css = path.join(dir, 'gazette.css');
    const subset = path.join(dir, 'NotoSerifSC-Regular-0123.ttf');
    await writeFile(css, 'p { text-indent: 2em; }\n');
    await writeFile(subset, 'glyphs of the text');
    const part = { frame: 'frame', assets: [css, subset], fonts: [subset] };
    const key = await layoutKey(part, pageScripts, 'Chrome/1');
    await writeFile(subset, 'glyphs of the text and one more character');
    expect(await layoutKey(part, pageScripts, 'Chrome/1')).toBe(key);
    expect(await layoutKey({ ...part, fonts: [] }, pageScripts, 'Chrome/1')).not.toBe(key);
    expect(await layoutKey({ ...part, frame: 'another font' }, pageScripts, 'Chrome/1')).not.toBe(key);
  });
});

describe('LayoutCache.write: an entry holds no script', () => {
  const tempDir = useTempDirs('layout-cache-scripts');

  it('strips scripts, handlers and javascript: URLs however they are spelt, and keeps clean pages byte for byte', async () => {
    const dir = await tempDir();
    const cache = new LayoutCache(path.join(dir, 'cache'), path.join(dir, 'key'));
    const clean = '<div class="pagedjs_page" data-page-number="1"><p>第一条　为了规范……，制定本办法。</p></div>';
    const hostile = [
      '<p>a<script>alert(1)</script></p>',
      '<p>b<SCRIPT src="x.js"></SCRIPT></p>',
      '<img src=x onerror=alert(1)>',
      '<img/onerror=alert(1) src=x>',
      '<a href="x"onclick="alert(1)">c</a>',
      '<a href="java&#115;cript:alert(1)">d</a>',
      '<a href="javascript&colon;alert(1)">e</a>',
      '<a href=" JavaScript:alert(1)">f</a>',
    ];
    await cache.write('issue', 0, {
      key: 'k',
      anchors: [],
      blocks: {},
      links: [],
      frame: '<!doctype html><html><head><script src="paged.js"></script></head><body></body></html>',
      pages: [clean, ...hostile].map((html) => ({ html, start: null })),
    });
    const entry = await cache.read('issue', 0);
    const [kept, ...stripped] = entry?.pages.map((page) => page.html) ?? [];
    expect(kept).toBe(clean);
    expect(stripped).toHaveLength(hostile.length);
    for (const html of stripped) {
      expect(html).not.toMatch(/<script|\son\w+=|javascript/i);
    }
    expect(entry?.frame).not.toMatch(/<script/i);
  });
});
