import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { fontFacesFor } from '../../src/layout/fonts.js';

const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'gazette-font-subset-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

/** The font read back by fontTools (Debian's python3-fonttools), not by harfbuzz that wrote it. */
function describeFont(file: string): { name: string; glyf: boolean; features: string[]; cmap: number[] } {
  const script = `
import json, sys
from fontTools.ttLib import TTFont
f = TTFont(sys.argv[1])
gpos = f['GPOS'].table.FeatureList.FeatureRecord if 'GPOS' in f else []
print(json.dumps({'name': f['name'].getDebugName(6), 'glyf': 'glyf' in f,
  'features': sorted({r.FeatureTag for r in gpos}), 'cmap': sorted(f.getBestCmap())}))`;
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, file], { encoding: 'utf8' }));
}

describe('fontFacesFor', () => {
  const text = '关于吴淞创新城建设推进情况的报告”、“（〔Ⅲ﹤';
  const faces = fontFacesFor(text, { cacheDir });

  test('one @font-face per face and weight, none sliced by unicode-range', () => {
    expect(faces.css.match(/@font-face/g)).toHaveLength(7);
    expect(faces.css).not.toContain('unicode-range');
    expect(faces.files).toHaveLength(7);
  });

  test('each file is a TrueType-outline subset named after its face, with the East Asian spacing features', () => {
    const song = describeFont(faces.files[0] as string);
    expect(song.name).toBe('NotoSerifSC-Regular');
    expect(song.glyf).toBe(true);
    expect(song.features).toEqual(expect.arrayContaining(['halt', 'chws', 'kern']));
    for (const char of text) expect(song.cmap, char).toContain(char.codePointAt(0));
    // GB 2312 is always in (国); a rarer character only when the text has it (喆, GBK only).
    expect(song.cmap).toContain('国'.codePointAt(0));
    expect(song.cmap).not.toContain('喆'.codePointAt(0));
    expect(statSync(faces.files[0] as string).size).toBeLessThan(5_000_000);
    expect(faces.files.map((file) => describeFont(file).name)).toEqual([
      'NotoSerifSC-Regular',
      'NotoSerifSC-Bold',
      'NotoSerifSC-Black',
      'NotoSansSC-Regular',
      'NotoSansSC-Bold',
      'LXGWWenKai-Regular',
      'LXGWWenKai-Bold',
    ]);
  });

  test('Ⅲ and ﹤ come from the Song face: nothing is left to a fallback face', () => {
    expect(faces.uncovered).toEqual([]);
    expect(fontFacesFor('𠀀', { cacheDir }).uncovered).toEqual(['𠀀']);
  });

  test('a second build with the same characters, or others of GB 2312, reuses the cached files; a rarer one makes new ones', () => {
    const before = readdirSync(cacheDir).length;
    expect(fontFacesFor(text, { cacheDir }).files).toEqual(faces.files);
    expect(readdirSync(cacheDir)).toHaveLength(before);
    expect(fontFacesFor(`${text}国`, { cacheDir }).files[0]).toBe(faces.files[0]);
    expect(fontFacesFor(`${text}喆`, { cacheDir }).files[0]).not.toBe(faces.files[0]);
  });

  test('a subset removed from the cache folder since the last lookup is made again', () => {
    const again = 'gazette 字体子集';
    const first = fontFacesFor(again, { repertoire: 'text', cacheDir });
    for (const file of first.files) rmSync(file);
    const second = fontFacesFor(again, { repertoire: 'text', cacheDir });
    expect(second.files).toEqual(first.files);
    for (const file of second.files) expect(describeFont(file).cmap).toContain('字'.codePointAt(0));
  });

  test('the same characters in another order: the same files, the fallback characters in the text’s order', () => {
    const forward = fontFacesFor('𠀀字𠀁', { repertoire: 'text', cacheDir });
    const backward = fontFacesFor('𠀁字𠀀', { repertoire: 'text', cacheDir });
    expect(backward.files).toEqual(forward.files);
    expect(forward.uncovered).toEqual(['𠀀', '𠀁']);
    expect(backward.uncovered).toEqual(['𠀁', '𠀀']);
  });
});

describe('fontFacesFor with the text repertoires', () => {
  const text = '宝山区人民代表大会常务委员会公报（续表）— 12 —';

  test('`text` holds the text’s characters and no others; `printed` adds ASCII and punctuation, not GB 2312', () => {
    const own = fontFacesFor(text, { repertoire: 'text', cacheDir });
    const expected = [...new Set([...text].map((char) => char.codePointAt(0) as number))].sort((a, b) => a - b);
    for (const file of own.files.slice(0, 5)) expect(describeFont(file).cmap).toEqual(expected);
    const printed = describeFont(fontFacesFor(text, { repertoire: 'printed', cacheDir }).files[0] as string).cmap;
    expect(printed).toEqual(expect.arrayContaining([...expected, 'A'.codePointAt(0), '·'.codePointAt(0)]));
    expect(printed).not.toContain('国'.codePointAt(0));
    expect(statSync(own.files[0] as string).size).toBeLessThan(100_000);
  });

  test('the identity a layout is keyed by names the source fonts, the same whatever the characters', () => {
    const one = fontFacesFor(text, { repertoire: 'text', cacheDir });
    const other = fontFacesFor(`${text}喆`, { repertoire: 'text', cacheDir });
    expect(other.files[0]).not.toBe(one.files[0]);
    expect(other.identity).toBe(one.identity);
    expect(one.identity).toContain('NotoSerifSC_400Regular.ttf');
    expect(one.identity).toContain('LXGWWenKai-Regular.ttf');
  });
});
