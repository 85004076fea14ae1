import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LRUCache } from 'lru-cache';
import { cachedSubset, fontCodePoints, subsetIdentity, touchSubset } from './font-subset.js';

/**
 * The gazette's typefaces, all with TrueType outlines so Chromium embeds them as CID TrueType, never Type 3
 * (which print shops reject): 宋 and 小标宋 from Noto Serif SC, 黑体 from Noto Sans SC (the static TrueType
 * fonts of @expo-google-fonts, npm), 楷体 from LXGW WenKai (Debian's fonts-lxgw-wenkai). Each face and weight
 * is loaded as one subset of the characters the page uses: one font per face in the PDF, named after it, and
 * one font across the punctuation, as `text-spacing-trim` needs (its `halt`/`chws` pairs act within a font).
 */
export const fontFamilies = {
  song: 'Gazette Song',
  hei: 'Gazette Hei',
  kai: 'Gazette Kai',
} as const;

interface FontSource {
  family: string;
  weight: number;
  /** npm package files (resolved) or Debian file names (searched), the first found is used. */
  package?: string;
  files?: string[];
}

const weightNames: Record<number, string> = { 400: '400Regular', 700: '700Bold', 900: '900Black' };
const expo = (name: string, file: string, weight: number) =>
  `@expo-google-fonts/${name}/${weightNames[weight]}/${file}_${weightNames[weight]}.ttf`;

const fontSources: FontSource[] = [
  ...[400, 700, 900].map((weight) => ({
    family: fontFamilies.song,
    weight,
    package: expo('noto-serif-sc', 'NotoSerifSC', weight),
  })),
  ...[400, 700].map((weight) => ({
    family: fontFamilies.hei,
    weight,
    package: expo('noto-sans-sc', 'NotoSansSC', weight),
  })),
  { family: fontFamilies.kai, weight: 400, files: ['LXGWWenKai-Regular.ttf'] },
  { family: fontFamilies.kai, weight: 700, files: ['LXGWWenKai-Bold.ttf', 'LXGWWenKai-Regular.ttf'] },
];
const kaiDirectories = ['/usr/share/fonts/truetype/lxgw-wenkai', '/usr/local/share/fonts/lxgw-wenkai'];

export interface FontFaces {
  /** `@font-face` rules with absolute file URLs, one per face and weight. */
  css: string;
  /** Font files the page will load (for the renderer's allow-list). */
  files: string[];
  /** Characters of the text the Song face lacks: they fall back to 楷体 or DejaVu. */
  uncovered: string[];
  /**
   * What the faces are cut from and how (`fontIdentity`), the same for every text: what a layout depends on of
   * the fonts, where `css` and `files` change with the text's characters.
   */
  identity: string;
}

/**
 * Which characters each subset holds besides the text's own:
 * - `gb2312`: the GB 2312 repertoire and the `printed` ranges, so an edit bringing in a character seldom makes
 *   new files (a viewer's browser caches them by name);
 * - `printed`: the ranges stylesheets and page scripts may print besides the text (folios, leaders, labels);
 * - `text`: none: the text given must hold every character the page shows.
 */
export type FontRepertoire = 'gb2312' | 'printed' | 'text';

const require = createRequire(import.meta.url);

/**
 * ASCII and Latin-1, general punctuation, number forms, enclosed numbers, CJK punctuation and the full-width
 * forms: what stylesheets (folios, leaders, counters) and page scripts may print besides the text.
 */
const printedRanges = ranges([
  [0x20, 0x7e],
  [0xa0, 0xff],
  [0x2000, 0x206f],
  [0x2150, 0x218f],
  [0x2460, 0x24ff],
  [0x3000, 0x303f],
  [0xff01, 0xff5e],
]);

const kept: Record<FontRepertoire, () => number[]> = {
  gb2312: () => [...gb2312(), ...printedRanges],
  printed: () => printedRanges,
  text: () => [],
};

function ranges(list: [number, number][]): number[] {
  return list.flatMap(([from, to]) => Array.from({ length: to - from + 1 }, (_, i) => from + i));
}

/** Every character GB 2312 encodes: rows 0xA1–0xF7, cells 0xA1–0xFE, decoded. */
function gb2312(): number[] {
  const decoder = new TextDecoder('gb18030');
  const codePoints: number[] = [];
  for (let row = 0xa1; row <= 0xf7; row++) {
    for (let cell = 0xa1; cell <= 0xfe; cell++) {
      const char = decoder.decode(new Uint8Array([row, cell]));
      const codePoint = char.codePointAt(0) as number;
      // Unassigned cells decode to private-use characters (GB 18030 maps them there) or U+FFFD.
      if (char.length === 1 && codePoint !== 0xfffd && !(codePoint >= 0xe000 && codePoint <= 0xf8ff)) {
        codePoints.push(codePoint);
      }
    }
  }
  return codePoints;
}

/**
 * The `@font-face` rules a text needs: each face cut down to the text's characters and the repertoire's
 * (cached between builds). Throws with an install hint when a font package is missing.
 */
export function fontFacesFor(
  text: string,
  options: { repertoire?: FontRepertoire; cacheDir?: string } = {},
): FontFaces {
  const used = codePointsOf(text);
  const identity = fontIdentity();
  const sorted = used.toSorted((a, b) => a - b);
  const key = JSON.stringify([identity, options.repertoire, options.cacheDir, sorted.join(',')]);
  let subsets = recentSubsets.get(key);
  // A build composes the issue and then its parts from the same characters: the subsets are looked up once. A
  // file removed meanwhile (another process pruned the cache) is looked up, and made, again.
  if (!subsets?.every((face) => touchSubset(face.file))) {
    const wanted = [...sorted, ...kept[options.repertoire ?? 'gb2312']()];
    subsets = fontSources.map((source) => ({
      source,
      file: cachedSubset(sourceFile(source), wanted, options.cacheDir),
    }));
    recentSubsets.set(key, subsets);
  }
  const songFile = subsets.find((face) => face.source.family === fontFamilies.song)?.file as string;
  const covered = fontCodePoints(songFile);
  return {
    css: subsets.map((face) => fontFaceRule(face.source.family, face.source.weight, face.file)).join('\n'),
    files: subsets.map((face) => face.file),
    uncovered: used
      .filter((cp) => !covered.has(cp) && cp > 0x20 && !isInvisible(cp))
      .map((cp) => String.fromCodePoint(cp)),
    identity,
  };
}

/** The subsets of the last few sets of characters (the least recently used dropped first). */
const recentSubsets = new LRUCache<string, { source: FontSource; file: string }[]>({ max: 8 });

/** The text's code points, each once, in the order they first occur. */
function codePointsOf(text: string): number[] {
  const seen = new Set<number>();
  for (let index = 0; index < text.length; index++) {
    const codePoint = text.codePointAt(index) as number;
    if (codePoint > 0xffff) index++;
    seen.add(codePoint);
  }
  return [...seen];
}

/**
 * The fonts as a layout depends on them: each face's family, weight and `subsetIdentity`, not the characters
 * its subset holds. A character's glyph lays out the same in every subset that holds it:
 * - hb-subset copies each kept glyph's outline and its advance (hmtx, vmtx) as they are, and the font-wide
 *   metrics that size the line box (head's unitsPerEm and bounding box, hhea's and OS/2's ascender, descender and
 *   line gap) are copied, not recomputed from the kept glyphs (fontTools reads them back the same);
 * - shaping (GSUB, GPOS: kerning, `palt`/`halt`/`chws` spacing, ligatures, vertical forms) acts on runs of the
 *   text's own characters, and every character of the text is in every subset made for it, so every rule that
 *   can match the text is kept; a rule the subset drops names a character the text does not hold.
 * What does change with the characters (glyph ids, table lengths and checksums) reaches only the PDF's bytes, and a
 * page is always printed with the subset of its current text, whether its layout came from the cache or not.
 */
export function fontIdentity(): string {
  return JSON.stringify(
    fontSources.map((source) => [source.family, source.weight, subsetIdentity(sourceFile(source))]),
  );
}

function fontFaceRule(family: string, weight: number, file: string): string {
  return [
    '@font-face {',
    `  font-family: '${family}';`,
    `  font-weight: ${weight};`,
    '  font-style: normal;',
    '  font-display: block;',
    `  src: url('${pathToFileURL(file).href}') format('truetype');`,
    '}',
  ].join('\n');
}

function isInvisible(cp: number): boolean {
  return cp === 0x2060 || cp === 0x200b || cp === 0xfeff || cp === 0xa0 || (cp >= 0x2000 && cp <= 0x200f);
}

function sourceFile(source: FontSource): string {
  if (source.package) {
    try {
      return require.resolve(source.package);
    } catch {
      throw new Error(`Missing font package ${source.package.split('/').slice(0, 2).join('/')}: run \`npm ci\``);
    }
  }
  for (const dir of kaiDirectories) {
    for (const name of source.files ?? []) {
      const file = path.join(dir, name);
      if (existsSync(file)) return file;
    }
  }
  throw new Error('Missing the 楷体 font LXGW WenKai: install it with `apt-get install fonts-lxgw-wenkai`');
}
