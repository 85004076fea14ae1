import type { VFileMessage } from 'vfile-message';

/** The languages of messages and help: Chinese for the office staff, English otherwise. */
export type Locale = 'en' | 'zh';

/**
 * The locale of messages from the environment, by POSIX precedence (LC_ALL, then LC_MESSAGES, then LANG):
 * `zh_CN.UTF-8`, `zh_TW`, `zh` → Chinese. The edge (src/cli/run.ts) reads the environment and passes this down.
 */
export function localeFrom(env: Readonly<Record<string, string | undefined>>): Locale {
  const value = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^zh(?:[_.@-]|$)/i.test(value) ? 'zh' : 'en';
}

/** A text in both languages; `en` is the message's `reason`, the one logs and tests outside a locale see. */
export interface Bilingual {
  en: string;
  zh: string;
}

declare module 'vfile-message' {
  interface VFileMessage {
    /** The reason in Chinese, shown instead of `reason` when the locale is Chinese. */
    zh?: string;
  }
}

/** The reason of a message in `locale` (English where no translation was given). */
export function reasonIn(message: VFileMessage, locale: Locale): string {
  return locale === 'zh' && message.zh ? message.zh : message.reason;
}

/** The text of a bilingual string (or a plain one) in `locale`. */
export function textIn(text: string | Bilingual, locale: Locale): string {
  return typeof text === 'string' ? text : text[locale];
}
