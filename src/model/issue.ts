import type { VFile } from 'vfile';
import type { DocumentMeta, IssueConfig, Meeting, Speaker } from './schema.js';

/** One document of an issue: a report, a resolution, an appointment list… */
export interface GazetteDocument {
  /** Stable id: the file name without `.md`, or the document's number (`01`) in a single-file issue. */
  id: string;
  meta: DocumentMeta;
  /** The Markdown body. Its value keeps the source file's line numbers, so messages point into that file. */
  file: VFile;
}

/** An issue (期) of the gazette, read and validated. */
export interface Issue {
  id: string;
  /** The issue folder, or the single Markdown file, it was read from. */
  source: string;
  /** The folder that relative references resolve against. */
  baseDir: string;
  config: IssueConfig;
  documents: GazetteDocument[];
  /** A draft for proofreading: may hold what is unfinished, and every page is marked 样稿. */
  draft?: boolean;
}

/** The HTML anchor of a document: ids may start with a digit ("01-agenda"), CSS selectors may not. */
export function documentAnchor(document: GazetteDocument): string {
  return `doc-${document.id}`;
}

/** The title as one string (explicit title lines joined). */
export function documentTitle(meta: DocumentMeta): string {
  return Array.isArray(meta.title) ? meta.title.join('') : meta.title;
}

/** The title as printed on its lines: explicit lines, or one line that the layout breaks. */
export function titleLines(meta: DocumentMeta): string[] {
  return Array.isArray(meta.title) ? meta.title : [meta.title];
}

/** The speakers of a report, in order (none for most other kinds). */
export function speakersOf(meta: DocumentMeta): Speaker[] {
  if (!meta.speaker) return [];
  return Array.isArray(meta.speaker) ? meta.speaker : [meta.speaker];
}

export function meetingOf(config: IssueConfig, document: GazetteDocument): Meeting | undefined {
  return config.meetings.find((meeting) => meeting.number === document.meta.meeting);
}

/**
 * A document's file name in an issue that names its files by meeting: `22-01-agenda.md`, `22-90-attendance.md`.
 * File names order the documents, and the meeting first keeps each meeting's documents together.
 */
export function meetingFileName(meeting: number, position: number, kind: string): string {
  return `${String(meeting).padStart(2, '0')}-${String(position).padStart(2, '0')}-${kind}.md`;
}
