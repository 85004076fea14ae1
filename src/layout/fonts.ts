import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The gazette's typefaces, all with TrueType outlines so Chromium embeds them as CID TrueType, never Type 3
 * (which print shops reject): 宋 and 小标宋 from Noto Serif SC, 黑体 from Noto Sans SC (fontsource's woff2
 * slices, npm), 楷体 from LXGW WenKai (Debian's fonts-lxgw-wenkai).
 */
export const fontFamilies = {
  song: 'Gazette Song',
  hei: 'Gazette Hei',
  kai: 'Gazette Kai',
} as const;

const fontsourceFaces = [
  { family: fontFamilies.song, css: '@fontsource/noto-serif-sc', weights: [400, 700, 900] },
  { family: fontFamilies.hei, css: '@fontsource/noto-sans-sc', weights: [400, 700] },
];

const kaiFiles = [
  { weight: 400, names: ['LXGWWenKai-Regular.ttf'] },
  { weight: 700, names: ['LXGWWenKai-Bold.ttf', 'LXGWWenKai-Regular.ttf'] },
];
const kaiDirectories = ['/usr/share/fonts/truetype/lxgw-wenkai', '/usr/local/share/fonts/lxgw-wenkai'];

export interface FontFaces {
  /** `@font-face` rules with absolute file URLs, only for the slices the text needs. */
  css: string;
  /** Font files the page will load (for the renderer's allow-list). */
  files: string[];
  /** Characters of the text no slice of the Song face covers: they fall back to 楷体 or DejaVu. */
  uncovered: string[];
}

const require = createRequire(import.meta.url);

/** The `@font-face` rules a text needs. Throws with an install hint when a font package is missing. */
export function fontFacesFor(text: string): FontFaces {
  const used = new Set([...text].map((char) => char.codePointAt(0) as number));
  const rules: string[] = [];
  const files: string[] = [];
  const songCovered = new Set<number>();
  for (const face of fontsourceFaces) {
    for (const weight of face.weights) {
      const cssPath = resolveFontsource(`${face.css}/${weight}.css`);
      for (const block of parsedBlocks(cssPath)) {
        const { ranges } = block;
        const needed = [...used].filter((cp) => ranges.some(([from, to]) => cp >= from && cp <= to));
        if (needed.length === 0) continue;
        if (face.family === fontFamilies.song) for (const cp of needed) songCovered.add(cp);
        const file = path.resolve(path.dirname(cssPath), block.woff2);
        files.push(file);
        rules.push(fontFaceRule(face.family, weight, file, block.unicodeRange));
      }
    }
  }
  for (const kai of kaiFiles) {
    const file = findKaiFile(kai.names);
    files.push(file);
    rules.push(fontFaceRule(fontFamilies.kai, kai.weight, file));
  }
  const uncovered = [...used]
    .filter((cp) => !songCovered.has(cp) && cp > 0x20 && !isInvisible(cp))
    .map((cp) => String.fromCodePoint(cp));
  return { css: rules.join('\n'), files: [...new Set(files)], uncovered };
}

function fontFaceRule(family: string, weight: number, file: string, unicodeRange?: string): string {
  const format = file.endsWith('.ttf') ? 'truetype' : 'woff2';
  return [
    '@font-face {',
    `  font-family: '${family}';`,
    `  font-weight: ${weight};`,
    '  font-style: normal;',
    '  font-display: block;',
    `  src: url('${pathToFileURL(file).href}') format('${format}');`,
    unicodeRange ? `  unicode-range: ${unicodeRange};` : '',
    '}',
  ]
    .filter(Boolean)
    .join('\n');
}

const parsedStylesheets = new Map<string, { woff2: string; unicodeRange: string; ranges: [number, number][] }[]>();

/** A fontsource stylesheet's blocks with their ranges parsed, read once per process (an issue is composed in parts). */
function parsedBlocks(cssPath: string) {
  let blocks = parsedStylesheets.get(cssPath);
  if (!blocks) {
    blocks = fontFaceBlocks(readFileSync(cssPath, 'utf8')).map((block) => ({
      ...block,
      ranges: parseUnicodeRange(block.unicodeRange),
    }));
    parsedStylesheets.set(cssPath, blocks);
  }
  return blocks;
}

/** The `@font-face` blocks of a fontsource stylesheet: woff2 file and unicode-range each. */
export function fontFaceBlocks(css: string): { woff2: string; unicodeRange: string }[] {
  return [...css.matchAll(/@font-face\s*{([^}]*)}/g)].flatMap((match) => {
    const body = match[1] ?? '';
    const woff2 = /url\((['"]?)([^)'"]+\.woff2)\1\)/.exec(body)?.[2];
    const unicodeRange = /unicode-range:\s*([^;]+);/.exec(body)?.[1]?.trim();
    return woff2 && unicodeRange ? [{ woff2, unicodeRange }] : [];
  });
}

/** "U+4e00-4e0f,U+3002" → [[0x4e00, 0x4e0f], [0x3002, 0x3002]]. */
export function parseUnicodeRange(value: string): [number, number][] {
  return value.split(',').map((part) => {
    const [from = '0', to] = part.trim().replace(/^U\+/i, '').split('-');
    return [Number.parseInt(from, 16), Number.parseInt(to ?? from, 16)];
  });
}

function isInvisible(cp: number): boolean {
  return cp === 0x2060 || cp === 0x200b || cp === 0xfeff || cp === 0xa0 || (cp >= 0x2000 && cp <= 0x200f);
}

function resolveFontsource(specifier: string): string {
  try {
    return require.resolve(specifier);
  } catch {
    throw new Error(`Missing font package ${specifier.split('/').slice(0, 2).join('/')}: run \`npm ci\``);
  }
}

function findKaiFile(names: string[]): string {
  for (const dir of kaiDirectories) {
    for (const name of names) {
      const file = path.join(dir, name);
      if (existsSync(file)) return file;
    }
  }
  throw new Error('Missing the 楷体 font LXGW WenKai: install it with `apt-get install fonts-lxgw-wenkai`');
}
