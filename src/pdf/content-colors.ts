/**
 * Colour operators in PDF content streams, read with a tokenizer that steps over strings, hex strings,
 * dictionaries and inline image data (a regular expression over the bytes would match inside them).
 */

/** A colour-setting operator with its operands, where it sits in the stream. */
export interface ColourOperator {
  operator: string;
  operands: number[];
  /** Byte offsets of the first operand and just after the operator. */
  start: number;
  end: number;
}

const colourOperators = new Set(['g', 'G', 'rg', 'RG', 'k', 'K', 'sc', 'SC', 'scn', 'SCN']);
const whitespace = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const delimiters = new Set([...'()<>[]{}/%'].map((char) => char.charCodeAt(0)));

/** Every colour operator of `content`, in order. */
export function findColourOperators(content: Uint8Array): ColourOperator[] {
  const found: ColourOperator[] = [];
  let numbers: { value: number; start: number }[] = [];
  let index = 0;
  const length = content.length;
  const isRegular = (byte: number) => !whitespace.has(byte) && !delimiters.has(byte);
  while (index < length) {
    const byte = content[index] as number;
    if (whitespace.has(byte)) {
      index++;
      continue;
    }
    if (byte === 0x25 /* % */) {
      while (index < length && content[index] !== 0x0a && content[index] !== 0x0d) index++;
      continue;
    }
    if (byte === 0x28 /* ( */) {
      index = skipString(content, index);
      numbers = [];
      continue;
    }
    if (byte === 0x3c /* < */) {
      if (content[index + 1] === 0x3c) index += 2;
      else while (index < length && content[index] !== 0x3e) index++;
      index++;
      numbers = [];
      continue;
    }
    if (delimiters.has(byte)) {
      // A name (/F1), an array bracket or a dictionary end: not a number, not an operator.
      index++;
      while (byte === 0x2f && index < length && isRegular(content[index] as number)) index++;
      numbers = [];
      continue;
    }
    const start = index;
    while (index < length && isRegular(content[index] as number)) index++;
    const token = String.fromCharCode(...content.subarray(start, index));
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(token)) {
      numbers.push({ value: Number(token), start });
      continue;
    }
    if (colourOperators.has(token)) {
      found.push({
        operator: token,
        operands: numbers.map((number) => number.value),
        start: numbers[0]?.start ?? start,
        end: index,
      });
    } else if (token === 'ID') {
      index = skipInlineImage(content, index);
    }
    numbers = [];
  }
  return found;
}

function skipString(content: Uint8Array, from: number): number {
  let depth = 0;
  let index = from;
  while (index < content.length) {
    const byte = content[index];
    if (byte === 0x5c /* \ */) index += 2;
    else {
      if (byte === 0x28) depth++;
      else if (byte === 0x29 && --depth === 0) return index + 1;
      index++;
    }
  }
  return index;
}

/** Inline image data runs from after "ID " to "EI" between white space. */
function skipInlineImage(content: Uint8Array, from: number): number {
  for (let index = from + 1; index + 2 < content.length; index++) {
    if (
      whitespace.has(content[index] as number) &&
      content[index + 1] === 0x45 &&
      content[index + 2] === 0x49 &&
      (index + 3 >= content.length || whitespace.has(content[index + 3] as number))
    ) {
      return index + 3;
    }
  }
  return content.length;
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
