import type { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';
import { type Bilingual, type Locale, reasonIn } from './i18n.js';

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
  placeholder: 'placeholder',
  reviewMark: 'review-mark',
  bodyHeading: 'body-heading',
  issueDate: 'issue-date',
  meetingDate: 'meeting-date',
  documentOrder: 'document-order',
  guessedField: 'guessed-field',
  // `gazette import`
  importChange: 'tracked-change',
  importComment: 'word-comment',
  importContent: 'import-content',
} as const;

/**
 * What a source still lacks (a placeholder, an import's guess to review): `check` reports them as errors, and
 * `build` refuses to print them except as a draft (`--draft`, every page marked 样稿).
 */
export const unfinishedRules: ReadonlySet<RuleId> = new Set([ruleIds.placeholder, ruleIds.reviewMark]);

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

const severities: Record<Locale, Record<'error' | 'warning' | 'info', string>> = {
  en: { error: 'error', warning: 'warning', info: 'info' },
  zh: { error: '错误', warning: '警告', info: '提示' },
};

/**
 * `issues/x/03-report.md:12:5: error front-matter Unexpected …` (`错误 front-matter …` in Chinese): the rule id
 * stays the same in every language, so scripts and searches keep working.
 */
export function formatMessage(message: VFileMessage): string {
  return formatMessageIn(message, 'en');
}

/** formatMessage in `locale`. */
export function formatMessageIn(message: VFileMessage, locale: Locale): string {
  const place = [message.file || '<input>', message.line ?? 1, message.column ?? 1].join(':');
  const severity = severities[locale][message.fatal === true ? 'error' : message.fatal === false ? 'warning' : 'info'];
  const rule = message.ruleId ? ` ${message.ruleId}` : '';
  return `${place}: ${severity}${rule} ${reasonIn(message, locale)}`;
}

/** Sets a message's reason in both languages (`reason` English, `zh` Chinese). */
export function sayIn(message: VFileMessage, text: string | Bilingual): VFileMessage {
  if (typeof text !== 'string') {
    message.reason = text.en;
    message.message = text.en;
    message.zh = text.zh;
  }
  return message;
}

/** Fatal messages of the files, oldest first. */
export function errorsOf(files: VFile[]): VFileMessage[] {
  return files.flatMap((file) => file.messages.filter((message) => message.fatal === true));
}

/** Records a fatal message on the file without throwing (vfile's `fail` throws at the first one). */
export function addError(
  file: VFile,
  reason: string | Bilingual,
  options: { place?: VFileMessage['place']; ruleId: RuleId; cause?: Error },
): VFileMessage {
  const message = file.message(typeof reason === 'string' ? reason : reason.en, { ...options, source: messageSource });
  message.fatal = true;
  return sayIn(message, reason);
}
