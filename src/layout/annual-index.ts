import type { Element } from 'hast';
import { h } from 'hastscript';
import { chineseDate, type DocumentKind, documentKinds, type IssueConfig, kindLabels } from '../model/index.js';
import { pageHtml } from './compose.js';
import { type ContentsEntry, entryParts } from './contents.js';
import { pageStyles } from './page-styles.js';

/** A line of the annual index: a document's contents entry, with its issue and the page it is printed on. */
export interface AnnualIndexEntry extends ContentsEntry {
  /** The issue's number (期). */
  issue: number;
  /** The page of that issue on which the title is printed. */
  page: number;
}

export interface AnnualIndexIssue {
  number: number;
  /** Date of issue, YYYY-MM-DD. */
  date: string;
  /** In document order. */
  entries: AnnualIndexEntry[];
}

export interface AnnualIndexInput {
  /** The fields of the year's latest issue: publication, page size. */
  config: IssueConfig;
  year: number;
  /** In number order. */
  issues: AnnualIndexIssue[];
}

export interface LaidOutAnnualIndex {
  html: string;
  /** The running head, "<publication>　<year>年总目录". */
  runningHead: string;
  /** The kinds that have entries, in the order of their groups. */
  kinds: DocumentKind[];
  /** Stylesheets and fonts the page loads. */
  assets: string[];
  fallbackCharacters: string[];
}

/** Anchors of the groups' headings: the renderer reports the page each lands on, for the bookmarks. */
export const issueGroupAnchor = (number: number): string => `index-issue-${number}`;
export const kindGroupAnchor = (kind: DocumentKind): string => `index-kind-${kind}`;

/** "2024年总目录". */
export function annualIndexName(year: number): string {
  return `${year}年总目录`;
}

/**
 * The annual index (总目录) as one HTML page for paged.js, in the issues' print style: the title
 * "<publication> / <year>年总目录", then part one, the documents by issue in document order, each with its
 * page; part two, the same documents by kind, each with its issue and page ("第3期 第12页"). Every page carries
 * the running head "<publication>　<year>年总目录" (but the first, under the title) and the folio "— N —".
 */
export function composeAnnualIndex(input: AnnualIndexInput): LaidOutAnnualIndex {
  const { config, year } = input;
  const runningHead = `${config.publication}　${annualIndexName(year)}`;
  const all = input.issues.flatMap((issue) => issue.entries);
  const kinds = documentKinds.filter((kind) => all.some((entry) => entry.kind === kind));
  const body = h('section.annual-index', [
    h('h1.annual-index-title', [
      h('span.title-line', config.publication),
      h('span.title-line.annual-index-year', annualIndexName(year)),
    ]),
    h('section.index-part', [
      h('h2.index-part-heading', '一、分期目录'),
      ...input.issues.map((issue) =>
        group(
          issueGroupAnchor(issue.number),
          [`第${issue.number}期`, h('span.index-group-note', `（${chineseDate(issue.date)}）`)],
          issue.entries.map((entry) => entryLine(entry, `第${entry.page}页`)),
        ),
      ),
    ]),
    h('section.index-part', [
      h('h2.index-part-heading', '二、分类目录'),
      ...kinds.map((kind) =>
        group(
          kindGroupAnchor(kind),
          [kindLabels[kind]],
          all
            .filter((entry) => entry.kind === kind)
            .map((entry) => entryLine(entry, `第${entry.issue}期　第${entry.page}页`)),
        ),
      ),
    ]),
  ]);
  const { html, stylesheets, fonts } = pageHtml({
    title: `${config.publication} ${annualIndexName(year)}`,
    profile: 'annual-index',
    body,
    text: `${runningHead}—0123456789·`,
    stylesheets: ['gazette.css'],
    css: `${pageStyles({ ...config, runningHead })}${indexCss}`,
  });
  return {
    html,
    runningHead,
    kinds,
    assets: [...stylesheets, ...fonts.files],
    fallbackCharacters: fonts.uncovered,
  };
}

/**
 * A group: its heading, then its entries. The heading is a `.document-header` with an id, because the renderer
 * reports the page of every such header (renderPdf's `documentPages`): the group's bookmark points there.
 */
function group(anchor: string, heading: (string | Element)[], entries: Element[]): Element {
  return h('div.index-group', [
    h('div.document-header.index-group-header', { id: anchor }, [h('h3.index-group-heading', heading)]),
    ...entries,
  ]);
}

/** "title ······ speaker 第12页": the issue contents' classes, with a printed page instead of a link. */
function entryLine(entry: AnnualIndexEntry, where: string): Element {
  return h('p.contents-entry.index-entry', [...entryParts(entry), h('span.index-page', where)]);
}

/** The index's own rules, after styles/gazette.css and the page rules. */
const indexCss = `
@page :first {
  @top-left { content: none; }
  @top-right { content: none; }
}
.annual-index-title {
  font-family: var(--song);
  font-weight: 900;
  font-size: 20pt;
  line-height: 1.45;
  text-align: center;
  margin: 4mm 0 9mm;
}
.annual-index-title .title-line { display: block; }
.annual-index-year {
  font-family: var(--hei);
  font-weight: 400;
  font-size: 16pt;
  margin-top: 0.3em;
}
.index-part + .index-part { break-before: page; }
.index-part-heading {
  font-family: var(--hei);
  font-weight: 400;
  font-size: 14pt;
  text-align: center;
  margin-bottom: 0.4em;
}
.index-group-header.document-header {
  text-align: left;
  margin: 0.9em 0 0.25em;
}
.index-group-heading {
  font-family: var(--hei);
  font-weight: 400;
  font-size: 1.05em;
  line-height: 1.5;
  border-bottom: 0.5pt solid #000;
}
.index-group-note {
  font-family: var(--kai);
  font-size: 0.9em;
  margin-left: 0.5em;
}
.index-entry {
  --page-width: 8em;
}
`;
