import { describe, expect, it } from 'vitest';
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
