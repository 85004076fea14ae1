/**
 * Heading levels of Chinese official documents, told by their numbering marker (GB/T 9704):
 * 第一方面 (0) / 一、 (1) / （一） (2) / 1. (3) / （1） (4).
 */
export type HeadingLevel = 0 | 1 | 2 | 3 | 4;

const markers: [HeadingLevel, RegExp][] = [
  [0, /^第[一二三四五六七八九十百]+(?:方面|部分)/u],
  [1, /^[一二三四五六七八九十百]+、/u],
  [2, /^[（(][一二三四五六七八九十百]+[）)]/u],
  [3, /^\d+[.．、](?!\d)/u],
  [4, /^[（(]\d+[）)]/u],
];

/** The heading level a text's numbering marker says, or undefined when it starts with none. */
export function headingLevelOf(text: string): HeadingLevel | undefined {
  const trimmed = text.trimStart();
  return markers.find(([, pattern]) => pattern.test(trimmed))?.[0];
}

/** The marker itself ("（一）", "3."), for the check command's sequence rules. */
export function numberingMarker(text: string): string | undefined {
  const trimmed = text.trimStart();
  for (const [, pattern] of markers) {
    const match = pattern.exec(trimmed);
    if (match) return match[0];
  }
  return undefined;
}
