/**
 * The closed lists the command line offers as choices. Kept apart from the schemas so that `gazette --help`
 * does not load them (and zod).
 */

export const layoutProfiles = ['two-column', 'one-column'] as const;
export const pageSizes = ['A4', '16K'] as const;

/** Encodings a source may be read in: UTF-8, or GB18030 (which GBK and GB2312 files are part of). */
export const sourceEncodings = ['utf-8', 'gb18030'] as const;
export type SourceEncoding = (typeof sourceEncodings)[number];

/** The formats `gazette toc` writes the contents in. */
export const contentsFormats = ['text', 'md', 'json', 'csv', 'html', 'docx'] as const;
export type ContentsFormat = (typeof contentsFormats)[number];
