import { inflateSync } from 'node:zlib';
import { PDFDocument, type PDFRawStream } from 'pdf-lib';
import { describe, expect, it, vi } from 'vitest';
import { artifactsMarked } from '../../src/pdf/artifacts.js';
import { contentOperators } from '../../src/pdf/content-stream.js';

const marked = (content: string) => new TextDecoder().decode(artifactsMarked(new TextEncoder().encode(content)));

describe('marks drawn outside the structure tree become artifacts', () => {
  it('wraps an untagged text object, a painted path and an image; leaves tagged content and clips alone', () => {
    const content = [
      'q 0 0 595 842 re W* n',
      'BT /F4 14 Tf 1 0 0 -1 391 2310 Tm (\\(BT\\) ET) Tj ET',
      '/P <</MCID 0 >>BDC BT /F4 14 Tf <0011> Tj ET EMC',
      '0 0 0 RG 10 10 m 100 10 l S',
      'BT /P <</MCID 1 >>BDC <0012> Tj EMC ET',
      '/Im1 Do Q',
    ].join('\n');
    expect(marked(content)).toBe(
      [
        'q 0 0 595 842 re W* n',
        '/Artifact BMC\nBT /F4 14 Tf 1 0 0 -1 391 2310 Tm (\\(BT\\) ET) Tj ET\nEMC',
        '/P <</MCID 0 >>BDC BT /F4 14 Tf <0011> Tj ET EMC',
        '0 0 0 RG /Artifact BMC\n10 10 m 100 10 l S\nEMC',
        'BT /P <</MCID 1 >>BDC <0012> Tj EMC ET',
        '/Artifact BMC\n/Im1 Do\nEMC Q',
      ].join('\n'),
    );
  });

  it('leaves a stream with nothing outside marked content byte for byte', () => {
    const content = '/Span <</MCID 3 >>BDC BT <0001> Tj ET 0 0 m 5 5 l S EMC';
    expect(marked(content)).toBe(content);
  });
});

describe('content stream operators', () => {
  it('reads the numbers before each operator as Number() reads their text, and skips names, strings and arrays', () => {
    const numbers = ['0.1', '-.5', '+3.', '12345678901234567', '0.30000000000000004', '-0', '7'];
    const content = `${numbers.slice(0, 3).join(' ')} rg /F1 ${numbers[3]} Tf ${numbers.slice(4).join(' ')} Td [(a) 12 <00ff>] TJ 1.2.3 x`;
    const found = contentOperators(new TextEncoder().encode(content));
    expect(found.map((operator) => operator.operator)).toEqual(['rg', 'Tf', 'Td', 'TJ', '1.2.3', 'x']);
    expect(found[0]?.operands).toEqual(numbers.slice(0, 3).map(Number));
    expect(found[1]?.operands).toEqual([Number(numbers[3])]);
    expect(found[2]?.operands).toEqual(numbers.slice(4).map(Number));
    expect(Object.is(found[2]?.operands[1], -0)).toBe(true);
    expect(found[3]?.operands).toEqual([]);
  });
});

describe('page streams marked before in the same process', () => {
  /** A PDF of one page per content, each stream compressed as pdf-lib compresses. */
  async function printed(contents: string[]): Promise<Uint8Array> {
    const pdf = await PDFDocument.create({ updateMetadata: false });
    for (const content of contents) {
      const page = pdf.addPage([200, 200]);
      page.node.set(pdf.context.obj('Contents'), pdf.context.register(pdf.context.flateStream(content)));
    }
    return pdf.save({ useObjectStreams: false });
  }

  /** The PDF with its artifacts marked by a fresh copy of the module (nothing marked before) or by `mark`. */
  async function marked(bytes: Uint8Array, mark?: (pdf: PDFDocument) => void): Promise<Uint8Array> {
    const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
    if (mark) mark(pdf);
    else {
      vi.resetModules();
      (await import('../../src/pdf/artifacts.js')).markArtifacts(pdf);
    }
    return pdf.save({ useObjectStreams: false });
  }

  it('a stream printed again as before gets the same marks and bytes as when it is marked anew', async () => {
    const running = 'BT /F1 9 Tf (running head) Tj ET';
    const tagged = '/P <</MCID 0 >>BDC BT /F1 9 Tf <0011> Tj ET EMC';
    const first = await printed([running, tagged]);
    // The rebuild: the first page as printed before, a second page changed, a third page new.
    const again = await printed([running, `${tagged}\n0 0 m 10 10 l S`, 'BT (folio) Tj ET']);
    vi.resetModules();
    const { markArtifacts } = await import('../../src/pdf/artifacts.js');
    await marked(first, markArtifacts);
    const rebuilt = await marked(again, markArtifacts);
    expect(Buffer.from(rebuilt).equals(Buffer.from(await marked(again)))).toBe(true);
    const pdf = await PDFDocument.load(rebuilt);
    const contents = pdf.getPages().map((page) => {
      const stream = page.node.Contents() as PDFRawStream;
      return inflateSync(stream.getContents()).toString('latin1');
    });
    expect(contents).toEqual([
      `/Artifact BMC\n${running}\nEMC`,
      `${tagged}\n/Artifact BMC\n0 0 m 10 10 l S\nEMC`,
      '/Artifact BMC\nBT (folio) Tj ET\nEMC',
    ]);
  });
});
