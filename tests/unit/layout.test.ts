import path from 'node:path';
import { toHtml } from 'hast-util-to-html';
import { describe, expect, test } from 'vitest';
import { placeParts, planParts } from '../../src/api/parts.js';
import { coverTitleLines } from '../../src/layout/compose.js';
import { contentsEntry, contentsSection } from '../../src/layout/contents.js';
import { documentAnchor } from '../../src/model/index.js';
import { readIssue } from '../../src/sources/read-issue.js';

const hongkou = path.resolve('issues/hongkou-2024-03');
const baoshan = path.resolve('issues/baoshan-2024-03');

describe('planParts', () => {
  test('cuts a two-column issue into parts of whole documents, in order', async () => {
    const issue = await readIssue(hongkou);
    const lengths = Object.fromEntries(issue.documents.map((document) => [documentAnchor(document), 40_000]));
    const parts = planParts(issue, lengths);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.flat()).toEqual(issue.documents);
    for (const part of parts) expect(part.length * 40_000).toBeLessThanOrEqual(150_000);
    // The part size is an option: smaller parts, more of them.
    const small = planParts(issue, lengths, 40_000);
    expect(small).toEqual(issue.documents.map((document) => [document]));
  });

  test('keeps a run-on issue in one part', async () => {
    const issue = await readIssue(baoshan);
    const lengths = Object.fromEntries(issue.documents.map((document) => [documentAnchor(document), 10_000]));
    expect(planParts(issue, lengths)).toEqual([issue.documents]);
  });

  test('keeps every document, in order, when one is larger than a part', async () => {
    const issue = await readIssue(hongkou);
    const lengths = Object.fromEntries(
      issue.documents.map((document, index) => [documentAnchor(document), index === 3 ? 90_000 : 100]),
    );
    const parts = planParts(issue, lengths);
    expect(parts.flat()).toEqual(issue.documents);
    expect(parts.some((part) => part.includes(issue.documents[3] as never))).toBe(true);
  });
});

describe('placeParts', () => {
  const part = (pageCount: number, anchors: string[], pages: number[]) => ({
    pageCount,
    anchors,
    documentPages: Object.fromEntries(anchors.map((anchor, index) => [anchor, pages[index] as number])),
  });

  test('the first part (with the cover and contents) from page 1, each other part where the last ended', () => {
    expect(placeParts([part(7, ['a', 'b'], [3, 6]), part(3, ['c'], [1]), part(2, ['d'], [2])])).toEqual({
      starts: [1, 8, 11],
      pageCount: 12,
      documentPages: { a: 3, b: 6, c: 8, d: 12 },
    });
  });
});

describe('contents', () => {
  test('links to the anchors when the pages are not known yet (target-counter)', async () => {
    const issue = await readIssue(baoshan);
    const html = toHtml(contentsSection(issue.documents.slice(0, 2).map(contentsEntry)));
    expect(html).toContain(`<a class="contents-link" href="#${documentAnchor(issue.documents[1] as never)}">`);
    expect(html).not.toContain('contents-page');
  });

  test('leaves a box for the number when it is filled in after layout', async () => {
    const issue = await readIssue(baoshan);
    const html = toHtml(contentsSection(issue.documents.slice(0, 2).map(contentsEntry), { numbers: 'later' }));
    expect(html).toContain('<span class="contents-speaker">朱众伟</span><span class="contents-page">（）</span>');
    expect(html).not.toContain('<a ');
  });
});

describe('coverTitleLines', () => {
  test('breaks the masthead after 人民代表大会', () => {
    expect(coverTitleLines('上海市虹口区人民代表大会常务委员会公报')).toEqual([
      '上海市虹口区人民代表大会',
      '常务委员会公报',
    ]);
    expect(coverTitleLines('某某公报')).toEqual(['某某公报']);
  });
});
