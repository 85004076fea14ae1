import path from 'node:path';
import { AlignmentType, Document, LeaderType, Packer, Paragraph, TabStopType, TextRun } from 'docx';
import type { PagedContentsEntry } from '../layout/contents.js';
import type { ContentsFormat } from '../model/choices.js';
import { escapeHtml, kindLabels } from '../model/index.js';

export { type ContentsFormat, contentsFormats } from '../model/choices.js';

/** What the contents is exported for: the publication's name and where source paths are made relative to. */
export interface ContentsContext {
  publication: string;
  /** Issue title, "上海市…公报 2024年第3期". */
  title: string;
  /** Source paths in the export are relative to this folder. */
  cwd: string;
  /** The PDF the HTML form links its pages to, relative to the HTML ("baoshan-2024-03.pdf"). */
  pdfHref?: string;
}

/** The contents in one of the formats staff hand on: text and HTML as printed, JSON/CSV for data, DOCX for Word. */
export async function formatContents(
  entries: PagedContentsEntry[],
  format: ContentsFormat,
  context: ContentsContext,
): Promise<string | Uint8Array> {
  switch (format) {
    case 'text':
      return `目　录\n\n${entries.map(textLine).join('\n')}\n`;
    case 'md':
      return markdown(entries, context);
    case 'json':
      return `${JSON.stringify(
        entries.map((entry) => jsonEntry(entry, context)),
        null,
        2,
      )}\n`;
    case 'csv':
      return csv(entries, context);
    case 'html':
      return html(entries, context);
    case 'docx':
      return docx(entries, context);
  }
}

/** Display width in columns: CJK and full-width characters count two. */
function width(text: string): number {
  return [...text].reduce(
    (sum, char) =>
      sum +
      (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u3000-\u303f]/u.test(
        char,
      )
        ? 2
        : 1),
    0,
  );
}

/** "title ······ speaker （12）" padded to 80 columns, as the printed contents reads. */
function textLine(entry: PagedContentsEntry): string {
  const tail = `${entry.speaker ? ` ${entry.speaker}` : ''} （${entry.page}）`;
  const dots = Math.max(2, Math.floor((80 - width(entry.title) - width(tail) - 1) / 2));
  return `${entry.title} ${'·'.repeat(dots * 2)}${tail}`;
}

function jsonEntry(entry: PagedContentsEntry, context: ContentsContext) {
  return {
    title: entry.title,
    speaker: entry.speaker.replace(/\u3000/g, ''),
    kind: entry.kind,
    page: entry.page,
    file: path.relative(context.cwd, entry.file),
  };
}

function markdown(entries: PagedContentsEntry[], context: ContentsContext): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const rows = entries.map((entry) => `| ${cell(entry.title)} | ${cell(entry.speaker)} | ${entry.page} |`);
  return [`# ${context.title} 目录`, '', '| 标题 | 报告人 | 页码 |', '| --- | --- | ---: |', ...rows, ''].join('\n');
}

function csv(entries: PagedContentsEntry[], context: ContentsContext): string {
  const rows = entries.map((entry) => {
    const json = jsonEntry(entry, context);
    return [json.title, json.speaker, kindLabels[entry.kind], json.page, json.file];
  });
  return csvText([['title', 'speaker', 'kind', 'page', 'file'], ...rows]);
}

/**
 * Rows (the header first) as an RFC 4180 CSV file: fields quoted where they need it, CRLF line ends, and a BOM
 * so that Excel opens the UTF-8 file with its Chinese intact.
 */
export function csvText(rows: (string | number)[][]): string {
  const quote = (value: string | number) => {
    const text = String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `\uFEFF${rows.map((row) => row.map(quote).join(',')).join('\r\n')}\r\n`;
}

function html(entries: PagedContentsEntry[], context: ContentsContext): string {
  const items = entries.map((entry) => {
    const title = escapeHtml(entry.title);
    const link = context.pdfHref ? `<a href="${escapeHtml(context.pdfHref)}#page=${entry.page}">${title}</a>` : title;
    const speaker = entry.speaker ? `<span class="speaker">${escapeHtml(entry.speaker)}</span>` : '';
    return `    <li><span class="title">${link}</span>${speaker}<span class="page">（${entry.page}）</span></li>`;
  });
  return `<!doctype html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<title>${escapeHtml(context.title)} 目录</title>
<style>
  .gazette-contents ol { list-style: none; padding: 0; max-width: 48em; }
  .gazette-contents li { display: flex; align-items: baseline; gap: 0.5em; line-height: 1.8; }
  .gazette-contents .title { flex: 0 1 auto; }
  .gazette-contents li::after { content: ""; order: 1; flex: 1 1 2em; border-bottom: 1px dotted #888; }
  .gazette-contents .speaker { order: 2; }
  .gazette-contents .page { order: 3; }
</style>
</head>
<body>
<nav class="gazette-contents" aria-label="目录">
  <h1>${escapeHtml(context.title)} 目录</h1>
  <ol>
${items.join('\n')}
  </ol>
</nav>
</body>
</html>
`;
}

/** A Word document: "目录", then one paragraph per entry with a right tab and a dotted leader to the page. */
async function docx(entries: PagedContentsEntry[], context: ContentsContext): Promise<Uint8Array> {
  const font = { eastAsia: '宋体', ascii: 'Times New Roman', hAnsi: 'Times New Roman' };
  const document = new Document({
    creator: 'gazette',
    title: `${context.title} 目录`,
    styles: { default: { document: { run: { font, size: 21 } } } },
    sections: [
      {
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: 240 },
            children: [new TextRun({ text: '目　录', bold: true, size: 32, font: { ...font, eastAsia: '黑体' } })],
          }),
          ...entries.map(
            (entry) =>
              new Paragraph({
                tabStops: [{ type: TabStopType.RIGHT, position: 9000, leader: LeaderType.DOT }],
                children: [
                  new TextRun(entry.title),
                  new TextRun({ text: `\t${entry.speaker ? `${entry.speaker} ` : ''}（${entry.page}）` }),
                ],
              }),
          ),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}
