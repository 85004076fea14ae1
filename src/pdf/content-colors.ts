/** Colour operators in PDF content streams: the greys Chromium writes in RGB, rewritten in DeviceGray. */
import { type ContentOperator, contentOperators } from './content-stream.js';

const colourOperators = new Set(['g', 'G', 'rg', 'RG', 'k', 'K', 'sc', 'SC', 'scn', 'SCN']);

/** Every colour operator of `content`, in order. */
export function findColourOperators(content: Uint8Array): ContentOperator[] {
  return contentOperators(content).filter((found) => colourOperators.has(found.operator));
}

/** Whether an RGB colour is a grey (its three components equal, to the precision Chromium writes). */
export function isNeutral(operands: readonly number[]): boolean {
  const [r = 0, g = 0, b = 0] = operands;
  return Math.abs(r - g) < 0.002 && Math.abs(g - b) < 0.002;
}

/**
 * Writes every grey given in DeviceRGB (`r r r rg`, Chromium's black text, rules and table lines) as the same
 * grey in DeviceGray (`r g`): converted to CMYK through a profile an RGB black becomes four inks, a DeviceGray
 * one stays black ink only. Other colours are left for the colour conversion.
 */
export function neutralRgbToGray(content: Uint8Array): Uint8Array {
  const edits = findColourOperators(content).filter(
    (found) => (found.operator === 'rg' || found.operator === 'RG') && found.operands.length === 3,
  );
  const neutral = edits.filter((found) => isNeutral(found.operands));
  if (neutral.length === 0) return content;
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const found of neutral) {
    parts.push(content.subarray(at, found.start));
    const level = Number((found.operands[0] ?? 0).toFixed(4));
    parts.push(new TextEncoder().encode(`${level} ${found.operator === 'rg' ? 'g' : 'G'}`));
    at = found.end;
  }
  parts.push(content.subarray(at));
  return Buffer.concat(parts);
}
