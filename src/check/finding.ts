import type { Point, Position } from 'unist';
import { VFileMessage } from 'vfile-message';
import { type Bilingual, messageSource, type RuleId, sayIn } from '../model/index.js';

export interface FindingOptions {
  place?: Point | Position;
  ruleId: RuleId;
  /** `true`: an error (the build stops on it); `false`: a warning. */
  fatal: boolean;
  /** The source text at `place` that a fix replaces… */
  actual?: string;
  /** …and what it becomes: a finding with both is fixable by `gazette check --fix`. */
  expected?: string;
  cause?: Error;
}

/** One finding of `gazette check`, as a vfile message naming `file`. */
export function finding(file: string, reason: string | Bilingual, options: FindingOptions): VFileMessage {
  const message = new VFileMessage(typeof reason === 'string' ? reason : reason.en, {
    place: options.place,
    ruleId: options.ruleId,
    source: messageSource,
    cause: options.cause,
  });
  message.file = file;
  message.fatal = options.fatal;
  if (options.actual !== undefined && options.expected !== undefined) {
    message.actual = options.actual;
    message.expected = [options.expected];
  }
  return sayIn(message, reason);
}

/** Findings by file, then line, then column (stable for ties). */
export function sortFindings(findings: VFileMessage[]): VFileMessage[] {
  return [...findings].sort(
    (a, b) => compare(a.file ?? '', b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `true` when the finding carries a fix (`place` as a range, `actual` → `expected`). */
export function isFixable(message: VFileMessage): boolean {
  return message.actual !== undefined && message.expected?.length === 1 && message.place !== undefined;
}
