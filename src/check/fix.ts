import { Buffer, isUtf8 } from 'node:buffer';
import { readFile } from 'node:fs/promises';
import iconv from 'iconv-lite';
import { location } from 'vfile-location';
import type { VFileMessage } from 'vfile-message';
import { decodeSource, type SourceEncoding } from '../sources/decode.js';
import { writeFileAtomic } from '../sources/write-atomic.js';
import { isFixable } from './finding.js';

/** What `--fix` changed on one line for one rule: `issues/x/02.md:14: fixed 2 half-width-punctuation (…)`. */
export interface FixRecord {
  file: string;
  line: number;
  ruleId: string;
  count: number;
  /** The distinct changes, as `` `,` → `，` `` or `` removed ` ` ``. */
  changes: string[];
}

/**
 * Applies the fixes of `findings` to `text` (pure): each fixable finding's range, if it still holds what the
 * finding saw, becomes the expected text. Of two overlapping fixes the first wins. Returns the findings applied.
 */
export function fixText(text: string, findings: VFileMessage[]): { text: string; applied: VFileMessage[] } {
  const place = location(text);
  const edits = findings
    .filter(isFixable)
    .flatMap((message) => {
      const range = message.place && 'start' in message.place ? message.place : undefined;
      const start = range ? place.toOffset(range.start) : undefined;
      const end = range ? place.toOffset(range.end) : undefined;
      if (start === undefined || end === undefined || text.slice(start, end) !== message.actual) return [];
      return [{ start, end, message }];
    })
    .sort((a, b) => a.start - b.start);
  const kept: typeof edits = [];
  for (const edit of edits) {
    const previous = kept.at(-1);
    if (!previous || edit.start >= previous.end) kept.push(edit);
  }
  let result = text;
  for (const edit of [...kept].reverse()) {
    result = result.slice(0, edit.start) + (edit.message.expected?.[0] ?? '') + result.slice(edit.end);
  }
  return { text: result, applied: kept.map((edit) => edit.message) };
}

/**
 * Applies the fixable findings to their files, each written atomically in the encoding it was read in (UTF-8,
 * or GB18030 when the file is not UTF-8 and `encoding` says so); line ends (LF or CRLF) and a BOM are kept as
 * they were. Returns what changed, by file, line and rule.
 */
export async function applyFixes(findings: VFileMessage[], encoding: SourceEncoding = 'utf-8'): Promise<FixRecord[]> {
  const byFile = new Map<string, VFileMessage[]>();
  for (const message of findings.filter(isFixable)) {
    const file = message.file ?? '';
    byFile.set(file, [...(byFile.get(file) ?? []), message]);
  }
  const records: FixRecord[] = [];
  for (const [file, messages] of byFile) {
    if (file === '') continue;
    const bytes = await readFile(file);
    const decoded = decodeSource(file, bytes, encoding);
    // The file was read for the findings: it decodes, unless it changed since.
    if (decoded.messages.length > 0) continue;
    const { text, applied } = fixText(String(decoded.value), messages);
    if (applied.length === 0) continue;
    const utf8 = isUtf8(bytes);
    const raw = utf8
      ? new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
      : iconv.decode(Buffer.from(bytes), 'gb18030');
    const bom = utf8 && raw.startsWith('\uFEFF') ? '\uFEFF' : '';
    const fixed = bom + (raw.includes('\r\n') ? text.replace(/\n/g, '\r\n') : text);
    await writeFileAtomic(file, utf8 ? fixed : iconv.encode(fixed, 'gb18030'));
    records.push(...recordsOf(file, applied));
  }
  return records;
}

function recordsOf(file: string, applied: VFileMessage[]): FixRecord[] {
  const records = new Map<string, FixRecord>();
  for (const message of applied) {
    const line = message.line ?? 1;
    const ruleId = message.ruleId ?? 'fix';
    const key = `${line}\u0000${ruleId}`;
    const record = records.get(key) ?? { file, line, ruleId, count: 0, changes: [] };
    record.count++;
    const expected = message.expected?.[0] ?? '';
    const change = expected === '' ? `removed \`${message.actual}\`` : `\`${message.actual}\` → \`${expected}\``;
    if (!record.changes.includes(change)) record.changes.push(change);
    records.set(key, record);
  }
  return [...records.values()].sort((a, b) => a.line - b.line || (a.ruleId < b.ruleId ? -1 : 1));
}
