import { z } from 'zod';
import { layoutProfiles, pageSizes } from './choices.js';
import { documentKinds } from './kinds.js';

export { layoutProfiles, pageSizes };

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Expected a date written as YYYY-MM-DD')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, 'Expected a calendar date that exists');

const text = z.string().trim().min(1, 'Expected text, not an empty value');

/** Where the press edition puts the blank pages that make its count a multiple of four: at the end, or before the
 * last page (a back cover). */
export const blankPagePlaces = ['end', 'before-last'] as const;

export const meetingSchema = z.strictObject({
  number: z.number().int().positive(),
  name: text,
  date: isoDate,
});

/** `issue.yml`, or the front matter of a whole issue written as one Markdown file. */
export const issueConfigSchema = z.strictObject({
  publication: text,
  issuer: text,
  year: z.number().int().min(1949).max(2200),
  number: z.number().int().positive(),
  date: isoDate,
  profile: z.enum(layoutProfiles),
  pageSize: z.enum(pageSizes).default('A4'),
  runningHead: text.optional(),
  pressBlankPages: z.enum(blankPagePlaces).optional(),
  meetings: z.array(meetingSchema).min(1),
  documents: z.array(text).min(1).optional(),
});

const speakerSchema = z.strictObject({
  post: z.union([z.string(), z.array(text).min(1)]).default(''),
  name: text,
});

/** The front matter of one document. */
export const documentMetaSchema = z.strictObject({
  kind: z.enum(documentKinds),
  meeting: z.number().int().positive(),
  title: z.union([text, z.array(text).min(1)]),
  issuer: text.optional(),
  contents: text.optional(),
  adopted: text.optional(),
  number: text.optional(),
  docNumber: text.optional(),
  occasion: text.optional(),
  speaker: z.union([speakerSchema, z.array(speakerSchema).min(1)]).optional(),
  author: text.optional(),
  session: text.optional(),
  salutation: text.optional(),
  signature: z.array(text).min(1).optional(),
});

export type IssueConfig = z.output<typeof issueConfigSchema>;
export type Meeting = z.output<typeof meetingSchema>;
export type DocumentMeta = z.output<typeof documentMetaSchema>;
export type Speaker = z.output<typeof speakerSchema>;
export type LayoutProfile = (typeof layoutProfiles)[number];
export type PageSize = (typeof pageSizes)[number];
export type BlankPagePlace = (typeof blankPagePlaces)[number];
