import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PDFDocument, rgb } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { neutralRgbToGray } from '../../src/pdf/content-colors.js';
import { bleed, inspectPress, makePressEdition, type PressEdition } from '../../src/pdf/press.js';
import { useTempDirs } from '../helpers/fixtures.js';
import { inkCoverage, pageBoxes } from '../helpers/pdf.js';

const tempDir = useTempDirs('press-unit');
const metadata = {
  title: '测试公报 2024年第1期',
  author: '测试区人民代表大会常务委员会',
  subject: '测试',
  keywords: ['公报'],
  language: 'zh-CN',
  date: new Date('2024-03-15T00:00:00Z'),
  creator: 'gazette test',
};

/**
 * Five A4 pages as Chromium draws them, in DeviceRGB: a red rule on the cover, black and grey rules and table
 * lines on the others, page 3 with a band that runs off the page, page 5 (a back cover) with a black block.
 */
async function printPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  for (let number = 1; number <= 5; number++) {
    const page = pdf.addPage([595.28, 841.89]);
    if (number === 1) page.drawRectangle({ x: 100, y: 600, width: 395, height: 4, color: rgb(0.6902, 0, 0) });
    page.drawRectangle({ x: 80, y: 400, width: 300, height: 40, color: rgb(0, 0, 0) });
    page.drawLine({ start: { x: 80, y: 300 }, end: { x: 500, y: 300 }, thickness: 1, color: rgb(0, 0, 0) });
    page.drawRectangle({ x: 80, y: 200, width: 200, height: 20, color: rgb(0.5, 0.5, 0.5) });
    if (number === 3) page.drawRectangle({ x: 0, y: 700, width: 595.28, height: 30, color: rgb(0.2, 0.2, 0.2) });
    if (number === 5) page.drawRectangle({ x: 200, y: 500, width: 100, height: 100, color: rgb(0, 0, 0) });
  }
  return pdf.save();
}

describe('the press edition of a print PDF', () => {
  let print: Uint8Array;
  let edition: PressEdition;
  let file: string;

  beforeAll(async () => {
    print = await printPdf();
    edition = await makePressEdition(print, { metadata, blankPages: 'before-last', marks: true });
    file = path.join(await tempDir(), 'press.pdf');
    await writeFile(file, edition.bytes);
  }, 120_000);

  it('passes its own preflight, which refuses the print PDF it was made from', async () => {
    expect(await inspectPress(edition.bytes)).toEqual([]);
    const problems = await inspectPress(print);
    expect(problems).toEqual(
      expect.arrayContaining([
        'no GTS_PDFX output intent with an ICC profile',
        '5 pages, not a multiple of 4',
        'RGB colour in the page content',
      ]),
    );
  });

  it('pads to a multiple of four with blank pages before the last page (the back cover)', () => {
    expect(edition.pageCount).toBe(8);
    expect(edition.blankPages).toEqual([5, 6, 7]);
    const ink = inkCoverage(file);
    expect(ink).toHaveLength(8);
    // The blank pages carry only the crop marks (black ink), the back cover its black block.
    for (const page of [5, 6, 7]) expect(ink[page - 1]).toMatchObject({ c: 0, m: 0, y: 0 });
    expect(ink[7]?.k).toBeGreaterThan((ink[4]?.k ?? 0) + 0.01);
  });

  it('prints greys and black in black ink only and keeps the red in colour (Ghostscript inkcov)', () => {
    const ink = inkCoverage(file);
    expect(ink[0]?.m).toBeGreaterThan(0);
    expect(ink[0]?.y).toBeGreaterThan(0);
    for (const page of ink.slice(1)) expect(page).toMatchObject({ c: 0, m: 0, y: 0 });
    for (const page of [2, 3, 4, 8]) expect(ink[page - 1]?.k).toBeGreaterThan(0.02);
  });

  it('has a TrimBox on every page, a 3 mm bleed only where something runs off the page, and crop marks room', () => {
    expect(edition.bleedingPages).toEqual([3]);
    const boxes = pageBoxes(file);
    expect(boxes).toHaveLength(8);
    boxes.forEach((box, index) => {
      expect(box.trim.map((value) => Math.round(value))).toEqual([0, 0, 595, 842]);
      const out = index === 2 ? bleed : 0;
      expect(box.bleed[0]).toBeCloseTo(-out, 1);
      expect(box.bleed[2]).toBeCloseTo(595.28 + out, 1);
      expect(box.media[0]).toBeLessThan(-bleed - 5);
    });
  });

  it('says PDF/X-3 in the XMP metadata and the document information, with a CMYK output intent (qpdf)', () => {
    const meta = execFileSync('pdfinfo', ['-meta', file], { encoding: 'utf8' });
    expect(meta).toContain('<pdfxid:GTS_PDFXVersion>PDF/X-3:2002</pdfxid:GTS_PDFXVersion>');
    expect(meta).toContain('测试公报 2024年第1期');
    const json = JSON.parse(execFileSync('qpdf', ['--json', '--json-key=qpdf', file], { encoding: 'utf8' }));
    const objects = Object.values(json.qpdf[1] as Record<string, { value?: Record<string, unknown> }>);
    const intent = objects.find((object) => object.value?.['/S'] === '/GTS_PDFX')?.value;
    expect(intent?.['/OutputConditionIdentifier']).toBe('u:CGATS TR 001');
    expect(intent?.['/DestOutputProfile']).toMatch(/^\d+ 0 R$/);
  });
});

describe('greys to DeviceGray in a content stream', () => {
  const encode = (text: string) => new TextEncoder().encode(text);
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

  it('rewrites neutral rg/RG and leaves colours, strings and inline images alone', () => {
    const content = [
      '0 0 0 rg .2 .2 .2 RG',
      '.6902 0 0 rg',
      'BT (0 0 0 rg) Tj <30> Tj ET',
      'BI /W 1 /H 1 /CS /RGB /BPC 8 ID 0 0 0 rg EI',
      '1 1 1 rg',
    ].join('\n');
    expect(decode(neutralRgbToGray(encode(content)))).toBe(
      [
        '0 g 0.2 G',
        '.6902 0 0 rg',
        'BT (0 0 0 rg) Tj <30> Tj ET',
        'BI /W 1 /H 1 /CS /RGB /BPC 8 ID 0 0 0 rg EI',
        '1 g',
      ].join('\n'),
    );
  });
});
