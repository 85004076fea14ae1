import type { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';

/** Rule ids of every diagnostic the tool reports, in one place. */
export const ruleIds = {
  encoding: 'source-encoding',
  yaml: 'yaml-syntax',
  schema: 'front-matter',
  issueConfig: 'issue-config',
  noDocuments: 'no-documents',
  duplicateDocument: 'duplicate-document',
  unknownMeeting: 'unknown-meeting',
  missingDocument: 'missing-document',
  unknownBlock: 'unknown-block',
  blockAttribute: 'block-attribute',
  rawHtml: 'raw-html',
  remoteImage: 'remote-image',
  imageOutsideIssue: 'image-outside-issue',
  // `gazette check`
  duplicateTitle: 'duplicate-title',
  headingLevelJump: 'heading-level-jump',
  numberingSequence: 'numbering-sequence',
  emptyDocument: 'empty-document',
  halfWidthPunctuation: 'half-width-punctuation',
  unbalancedPair: 'unbalanced-pair',
  spaceInChinese: 'space-in-chinese',
  invalidDate: 'invalid-date',
  meetingNumber: 'meeting-number',
  missingFile: 'missing-file',
  // Untrusted sources (see src/sources/confine.ts and limits.ts)
  sourceFile: 'source-file',
  sourceLimit: 'source-limit',
  suspectCharacter: 'suspect-character',
} as const;

export type RuleId = (typeof ruleIds)[keyof typeof ruleIds];

export const messageSource = 'gazette';

/** Input the tool cannot build from: carries every fatal message, each naming file, line and column. */
export class GazetteInputError extends Error {
  readonly messages: VFileMessage[];
  constructor(messages: VFileMessage[]) {
    super(messages.map(formatMessage).join('\n'));
    this.name = 'GazetteInputError';
    this.messages = messages;
  }
}

/** `issues/x/03-report.md:12:5: error front-matter Unexpected …` */
export function formatMessage(message: VFileMessage): string {
  const place = [message.file || '<input>', message.line ?? 1, message.column ?? 1].join(':');
  const severity = message.fatal === true ? 'error' : message.fatal === false ? 'warning' : 'info';
  const rule = message.ruleId ? ` ${message.ruleId}` : '';
  return `${place}: ${severity}${rule} ${message.reason}`;
}

/** Fatal messages of the files, oldest first. */
export function errorsOf(files: VFile[]): VFileMessage[] {
  return files.flatMap((file) => file.messages.filter((message) => message.fatal === true));
}

/** Records a fatal message on the file without throwing (vfile's `fail` throws at the first one). */
export function addError(
  file: VFile,
  reason: string,
  options: { place?: VFileMessage['place']; ruleId: RuleId; cause?: Error },
): VFileMessage {
  const message = file.message(reason, { ...options, source: messageSource });
  message.fatal = true;
  return message;
}
