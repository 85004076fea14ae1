import { VFile } from 'vfile';
import type { SourceEncoding } from '../model/choices.js';
import { addError, ruleIds } from '../model/index.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export { type SourceEncoding, sourceEncodings } from '../model/choices.js';

/**
 * Reads a source file's bytes into a VFile: UTF-8 (else the encoding asked for), with or without a BOM, LF or
 * CRLF line ends. Anything else is refused with a message; a GBK/GB18030 file, common from Windows offices,
 * is recognised and the message says how to read it.
 */
export function decodeSource(path: string, bytes: Uint8Array, encoding: SourceEncoding = 'utf-8'): VFile {
  const file = new VFile({ path });
  if (bytes.includes(0)) {
    addError(file, 'Unexpected binary data (a NUL byte), expected a UTF-8 text file', { ruleId: ruleIds.encoding });
    return file;
  }
  let text: string;
  try {
    text = decodeFirst(bytes, encoding === 'utf-8' ? [utf8] : [utf8, new TextDecoder(encoding, { fatal: true })]);
  } catch {
    const { line, column } = firstInvalidByte(bytes);
    const reason = looksLikeGb18030(bytes)
      ? 'Unexpected GBK/GB18030 text, expected UTF-8: save the file again as UTF-8, or give the command `--encoding gb18030`'
      : `Unexpected bytes that are not ${encoding === 'utf-8' ? 'UTF-8' : encoding}, expected a text file in that encoding`;
    addError(file, reason, { ruleId: ruleIds.encoding, place: { line, column } });
    return file;
  }
  file.value = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  return file;
}

/** The text of the first decoder that reads the bytes without error (UTF-8 files stay UTF-8 in any case). */
function decodeFirst(bytes: Uint8Array, decoders: TextDecoder[]): string {
  for (const decoder of decoders.slice(0, -1)) {
    try {
      return decoder.decode(bytes);
    } catch {
      // try the next one
    }
  }
  return (decoders.at(-1) as TextDecoder).decode(bytes);
}

/** Whether the bytes read as GB18030 text with Chinese in it (and so are probably a GBK file). */
function looksLikeGb18030(bytes: Uint8Array): boolean {
  try {
    return /\p{Script=Han}/u.test(new TextDecoder('gb18030', { fatal: true }).decode(bytes));
  } catch {
    return false;
  }
}

/** Line and column (in characters) of the first byte sequence that is not valid UTF-8. */
function firstInvalidByte(bytes: Uint8Array): { line: number; column: number } {
  let low = 0;
  let high = bytes.length;
  // The longest prefix that decodes, found by bisection.
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (decodes(bytes.subarray(0, mid))) low = mid;
    else high = mid - 1;
  }
  // stream: an incomplete sequence at the end of the prefix is where the damage starts, not a character.
  const before = new TextDecoder('utf-8').decode(bytes.subarray(0, low), { stream: true });
  const lines = before.split('\n');
  return { line: lines.length, column: [...(lines.at(-1) ?? '')].length + 1 };
}

function decodes(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}
