import { createHash } from 'node:crypto';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, test } from 'vitest';
import { finishPdf } from '../../src/pdf/finish.js';
import { Rebuilder } from '../../src/preview/rebuilder.js';

describe('finishPdf writes the file once', () => {
  test('its bytes are what pdf-lib writes with the ID set: the MD5 of the file without it, in the trailer', async () => {
    const make = async () => {
      const pdf = await PDFDocument.create({ updateMetadata: false });
      const font = await pdf.embedFont(StandardFonts.Helvetica);
      pdf.addPage([200, 200]).drawText('gazette', { x: 20, y: 100, size: 12, font });
      pdf.addPage([200, 200]);
      return pdf;
    };
    const metadata = {
      title: 'T',
      author: 'A',
      subject: 'S',
      keywords: ['k'],
      language: 'zh-CN',
      date: new Date('2024-03-01T00:00:00+08:00'),
      creator: 'gazette test',
    };
    const pdf = await make();
    const finished = await finishPdf(pdf, metadata, [{ title: 'x', page: 2 }]);

    // pdf-lib's own save of the finished document (the ID set on it), and of it without the ID.
    const saved = await pdf.save({ useObjectStreams: false });
    pdf.context.trailerInfo.ID = undefined;
    const id = createHash('md5')
      .update(await pdf.save({ useObjectStreams: false }))
      .digest('hex');

    expect(Buffer.from(finished.bytes).equals(Buffer.from(saved))).toBe(true);
    expect(Buffer.from(finished.bytes).toString('latin1')).toContain(`/ID [ <${id}> <${id}> ]\n>>\n\nstartxref`);
  });
});

describe('Rebuilder.settled', () => {
  test('false from a change until the build of it starts, true once it has', async () => {
    const built: string[] = [];
    const rebuilder = new Rebuilder(
      async (version) => {
        built.push(version);
        return version;
      },
      { boot: 'b', debounceMs: 20 },
    );
    await rebuilder.current();
    expect(rebuilder.settled).toBe(true);
    rebuilder.changed();
    expect(rebuilder.settled).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(rebuilder.settled).toBe(true);
    expect(await rebuilder.current()).toBe('b.2');
    expect(built).toEqual(['b.1', 'b.2']);
    await rebuilder.close();
    expect(rebuilder.settled).toBe(false);
  });
});
