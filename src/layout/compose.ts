import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Element, ElementContent, Root as HastRoot } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { toString as hastToString } from 'hast-util-to-string';
import { h } from 'hastscript';
import {
  chineseDate,
  chineseNumber,
  documentAnchor,
  documentTitle,
  type GazetteDocument,
  type Issue,
  type IssueConfig,
  meetingOf,
} from '../model/index.js';
import { type ContentsEntry, contentsEntry, contentsSection } from './contents.js';
import { type FontFaces, fontFacesFor } from './fonts.js';
import { pageStyles } from './page-styles.js';
import { documentFooter, documentHeader, salutation } from './title-block.js';

/** Where the package keeps its templates and styles (next to `src/` or `dist/`). */
export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const templatePath = path.join(packageRoot, 'templates', 'issue.html');
const stylesDir = path.join(packageRoot, 'styles');

/** The issue laid out as one HTML document, ready for paged.js, and what the later stages need to know. */
export interface LaidOutIssue {
  html: string;
  /** Contents entries in document order; their ids are the documents' anchors. */
  contents: ContentsEntry[];
  /** Every local file the page loads: stylesheets and fonts. */
  assets: string[];
  /** Characters the main face lacks, printed in a fallback face. */
  fallbackCharacters: string[];
  /** Document anchor → its text's length without white space, to check that layout placed all of it. */
  textLength: Record<string, number>;
}

/** Composes cover, contents and documents (bodies already turned into HTML) into the issue's HTML. */
export function composeIssue(issue: Issue, bodies: ReadonlyMap<string, HastRoot>): LaidOutIssue {
  const { config } = issue;
  const contents = issue.documents.map(contentsEntry);
  const articles = issue.documents.map((document, index) =>
    documentArticle(issue, document, bodies.get(document.id), index === 0),
  );
  const body = h(null, [coverSection(config), contentsSection(contents), ...articles]);
  const { html, stylesheets, fonts } = pageHtml({
    title: issueTitle(config),
    profile: config.profile,
    body,
    text: `${config.publication}目录—0123456789（）`,
    stylesheets: ['gazette.css', `profile-${config.profile}.css`],
    css: pageStyles(config),
  });
  const textLength = Object.fromEntries(
    articles.map((article) => [
      String(article.properties.dataDocument),
      hastToString(article).replace(/\s/g, '').length,
    ]),
  );
  const images = issue.documents.flatMap((document) => document.file.data.images ?? []);
  return {
    html,
    contents,
    assets: [...stylesheets, ...fonts.files, ...images],
    fallbackCharacters: fonts.uncovered,
    textLength,
  };
}

/** One part of an issue laid out on its own (the issue is paginated in parts, in parallel). */
export interface LaidOutPart {
  html: string;
  /** Local files the part's page loads. */
  assets: string[];
  /** Anchors of the documents in the part, in order. */
  anchors: string[];
}

/**
 * A part of the body: some documents, with nothing before them. Its pages are numbered from 1 by paged.js;
 * the render stage renumbers them when it knows where the part starts.
 */
export function composeBodyPart(
  issue: Issue,
  bodies: ReadonlyMap<string, HastRoot>,
  documents: GazetteDocument[],
): LaidOutPart {
  const { config } = issue;
  const articles = documents.map((document) =>
    documentArticle(issue, document, bodies.get(document.id), document === issue.documents[0]),
  );
  return partHtml(
    issue,
    h(null, articles),
    documents.flatMap((document) => document.file.data.images ?? []),
    documents.map(documentAnchor),
    `${config.publication}0123456789`,
  );
}

/** Cover and contents, the page numbers left blank for the render stage to fill in (`fillContentsPages`). */
export function composeFrontMatter(issue: Issue, entries: ContentsEntry[]): LaidOutPart {
  const { config } = issue;
  return partHtml(
    issue,
    h(null, [coverSection(config), contentsSection(entries, { numbers: 'later' })]),
    [],
    [],
    '目录—0123456789（）',
  );
}

function partHtml(
  issue: Issue,
  body: Element | HastRoot,
  images: string[],
  anchors: string[],
  text: string,
): LaidOutPart {
  const { config } = issue;
  const { html, stylesheets, fonts } = pageHtml({
    title: issueTitle(config),
    profile: config.profile,
    body,
    text,
    stylesheets: ['gazette.css', `profile-${config.profile}.css`],
    css: pageStyles(config),
  });
  return { html, assets: [...stylesheets, ...fonts.files, ...images], anchors };
}

/** "上海市虹口区人民代表大会常务委员会公报 2024年第3期": the PDF's title. */
export function issueTitle(config: IssueConfig): string {
  return `${config.publication} ${config.year}年第${config.number}期`;
}

/** The publication's name on the cover, broken after "人民代表大会" as printed mastheads are. */
export function coverTitleLines(publication: string): string[] {
  const at = publication.indexOf('人民代表大会');
  if (at < 0 || at + 6 >= publication.length) return [publication];
  return [publication.slice(0, at + 6), publication.slice(at + 6)];
}

function coverSection(config: IssueConfig): Element {
  return h('section.cover', [
    h(
      'p.cover-publication',
      coverTitleLines(config.publication).map((line) => h('span.cover-publication-line', line)),
    ),
    h('p.cover-issue', [
      h('span.cover-year', `${config.year}年`),
      h('span.cover-number', `第${chineseNumber(config.number)}期`),
    ]),
    h(
      'div.cover-meetings',
      config.meetings.map((meeting) => h('p.cover-meeting', meeting.name)),
    ),
    h('p.cover-issuer', config.issuer),
    h('p.cover-date', chineseDate(config.date)),
  ]);
}

function documentArticle(issue: Issue, document: GazetteDocument, body: HastRoot | undefined, first: boolean): Element {
  const { meta } = document;
  const meeting = meetingOf(issue.config, document);
  return h(
    `article.gazette-document.kind-${meta.kind}${first ? '.first-document' : ''}`,
    {
      dataDocument: documentAnchor(document),
      dataMeeting: String(meta.meeting),
      dataMeetingName: meeting?.name ?? '',
      dataTitle: documentTitle(meta),
    },
    [
      documentHeader(meta, documentAnchor(document)),
      h('div.document-body', [
        ...salutation(meta),
        ...((body?.children ?? []) as ElementContent[]),
        ...documentFooter(meta),
      ]),
    ],
  );
}

/** What a page for paged.js is made of besides the template. */
export interface PageParts {
  /** The HTML `<title>`. */
  title: string;
  /** The body's class is `profile-<profile>`. */
  profile: string;
  body: HastRoot | Element;
  /** Text printed outside the body (running heads, generated content), for the font slices. */
  text: string;
  /** File names in styles/, in order. */
  stylesheets: string[];
  /** The page's own rules (page size, running head), after the stylesheets. */
  css: string;
}

/**
 * The HTML page paged.js lays out: templates/issue.html filled with the `@font-face` rules the text needs, the
 * stylesheets and the page's own rules. The issue and the annual index are both made with it.
 */
export function pageHtml(parts: PageParts): { html: string; stylesheets: string[]; fonts: FontFaces } {
  const fonts = fontFacesFor(`${hastToString(parts.body)}${parts.text}`);
  const stylesheets = parts.stylesheets.map((name) => path.join(stylesDir, name));
  const head = [
    `<style data-gazette="fonts">\n${fonts.css}\n</style>`,
    ...stylesheets.map((file) => `<link rel="stylesheet" href="${pathToFileURL(file).href}">`),
    `<style data-gazette="issue">${parts.css}</style>`,
  ].join('\n');
  const html = fillTemplate(readFileSync(templatePath, 'utf8'), {
    title: escapeHtml(parts.title),
    head,
    profile: parts.profile,
    body: toHtml(parts.body),
  });
  return { html, stylesheets, fonts };
}

function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/{{(\w+)}}/g, (whole, key: string) => values[key] ?? whole);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);
}
