import { VFile } from 'vfile';
import { addError, ruleIds } from '../model/index.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a source file's bytes into a VFile: UTF-8, with or without a BOM, LF or CRLF line ends.
 * Anything else is refused with a message (GBK files from Windows offices are the usual case).
 */
export function decodeSource(path: string, bytes: Uint8Array): VFile {
  const file = new VFile({ path });
  if (bytes.includes(0)) {
    addError(file, 'Unexpected binary data (a NUL byte), expected a UTF-8 text file', { ruleId: ruleIds.encoding });
    return file;
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    const { line, column } = firstInvalidByte(bytes);
    addError(
      file,
      'Unexpected bytes that are not UTF-8, expected a UTF-8 text file (a file saved as GBK/GB18030 by Word or Notepad? save it again as UTF-8)',
      { ruleId: ruleIds.encoding, place: { line, column } },
    );
    return file;
  }
  file.value = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  return file;
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
