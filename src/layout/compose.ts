import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Element, ElementContent, Root as HastRoot } from 'hast';
import { toString as hastToString } from 'hast-util-to-string';
import { h } from 'hastscript';
import {
  chineseDate,
  chineseNumber,
  type DocumentKind,
  documentAnchor,
  documentTitle,
  escapeHtml,
  type GazetteDocument,
  type Issue,
  type IssueConfig,
  meetingOf,
} from '../model/index.js';
import { type ContentsEntry, contentsEntry, contentsSection } from './contents.js';
import { type FontFaces, type FontRepertoire, fontFacesFor } from './fonts.js';
import { draftMark, pageStyles } from './page-styles.js';
import { serialiseHtml } from './serialise.js';
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
    documentArticle(issue, document, bodies.get(document.id), { first: index === 0, follows: index > 0 }),
  );
  const body = h(null, [coverSection(config), contentsSection(contents), ...articles]);
  const page = pageHtml({
    title: issueTitle(config),
    profile: config.profile,
    body,
    text: `${printedText(issue)}${contentsNumberText}${continuedTableLabel}`,
    stylesheets: ['gazette.css', `profile-${config.profile}.css`],
    css: pageStyles(config, { draft: issue.draft }),
    repertoire: bodyRepertoire,
  });
  const textLength = Object.fromEntries(
    articles.map((article) => [
      String(article.properties.dataDocument),
      hastToString(article).replace(/\s/g, '').length,
    ]),
  );
  const images = issue.documents.flatMap((document) => document.file.data.images ?? []);
  return {
    // Made when first read: a build writes it once the PDF is made, and makes it while the pages print.
    get html() {
      return page.html;
    },
    contents,
    assets: [...page.stylesheets, ...page.fonts.files, ...images],
    fallbackCharacters: page.fonts.uncovered,
    textLength,
  };
}

/** One part of an issue laid out on its own (the issue is paginated in parts, in parallel). */
export interface LaidOutPart {
  html: string;
  /** Local files the part's page loads. */
  assets: string[];
}

/**
 * Where a page can start in a part's flow: at a document's title block (`block` 0) or at the `block`-th block
 * of its body (1-based, as `data-block` numbers them). The layout cache resumes paged.js at such a position.
 */
export interface BlockPosition {
  anchor: string;
  block: number;
}

/** A part of the body: its page, and its documents as the layout cache compares them. */
export interface BodyPartSource {
  /** The page with all the part's documents, or only those in `window` (the layout cache holds the rest). */
  html(window?: PartWindow): string;
  /** Local files the part's page loads. */
  assets: string[];
  /** Anchors of the documents in the part, in order, after `frontAnchor` if it starts with the cover and contents. */
  anchors: string[];
  /**
   * Hash of everything in the page but the documents: head, styles, page rules, and the fonts by what they are
   * cut from (`FontFaces.identity`), not by the characters their subsets hold.
   */
  frame: string;
  /** The font subsets the page loads (among `assets`): the layout depends on them through `frame` only. */
  fonts: string[];
  /** Document anchor → a hash of its title block (index 0) and of each block of its body (1…). */
  blocks: Record<string, string[]>;
}

/** Which documents of a part go into the page: from a block position, through a document (inclusive). */
export interface PartWindow {
  from: BlockPosition;
  through?: string;
}

/**
 * The layout cache's name for the cover and contents at the start of the first part: they change together
 * (the contents list the titles) and are laid out again together, from the first page.
 */
export const frontAnchor = 'front';

/**
 * A part of an issue: some documents, and before them, in the first part, the cover and the contents
 * (`contents`), their page numbers left blank for the render stage to fill in (`fillContentsPages`): the numbers
 * sit in a box of fixed width, so filling them in moves nothing. One flow, so the cover and contents cost no page
 * load, fonts or print of their own, and the PDF holds one subset per face. Its pages are numbered from 1 by
 * paged.js; the render stage renumbers them when it knows where the part starts. A page of only a window of the
 * documents keeps the frame (fonts included) of the whole part, so pages laid out separately share one set of
 * styles.
 */
export function composeBodyPart(
  issue: Issue,
  bodies: ReadonlyMap<string, HastRoot>,
  documents: GazetteDocument[],
  options: { contents?: ContentsEntry[] } = {},
): BodyPartSource {
  const articles = documents.map((document, index) =>
    documentArticle(issue, document, bodies.get(document.id), {
      first: document === issue.documents[0],
      follows: index > 0,
    }),
  );
  const front = options.contents ? frontSections(issue, options.contents) : [];
  // The part's own text: a part whose blocks are all as cached then has the subsets its cached frame names, so
  // the layout cache can print its cached pages in that frame as they are (an edit elsewhere makes no new
  // subsets for it). The contents' numbers are filled in after layout: their digits are in `printedText`.
  const fontText = [
    printedText(issue),
    continuedTableLabel,
    ...(front.length > 0 ? [contentsNumberText] : []),
    ...[...front, ...articles].map((element) => hastToString(element)),
  ].join('');
  const images = documents.flatMap((document) => document.file.data.images ?? []);
  const page = (body: Element | HastRoot, fonts?: FontFaces) =>
    partHtml(issue, body, images, fontText, bodyRepertoire, fonts);
  const frame = page(h(null, []));
  const flow = (window?: PartWindow): Element[] => {
    if (!window) return [...front, ...articles];
    if (window.from.anchor !== frontAnchor) return windowArticles(articles, window);
    const first = { anchor: articleAnchor(articles[0] as Element), block: 0 };
    return [...front, ...windowArticles(articles, { from: first, through: window.through })];
  };
  let blocks: Record<string, string[]> | undefined;
  return {
    // The frame's faces: they hold the part's whole text, the window's too.
    html: (window) => page(h(null, flow(window)), frame.fonts).html,
    assets: frame.assets,
    anchors: [...(front.length > 0 ? [frontAnchor] : []), ...documents.map(documentAnchor)],
    frame: createHash('sha256')
      .update(frame.html.replace(frame.fonts.css, () => frame.fonts.identity))
      .digest('hex'),
    fonts: frame.fonts.files,
    // Only the layout cache reads them (hashing every block is a cost the preview's page need not pay).
    get blocks() {
      if (!blocks) {
        blocks = Object.fromEntries(articles.map((article) => [articleAnchor(article), blockHashes(article)]));
        if (front.length > 0) blocks[frontAnchor] = [hashOf(h(null, front))];
      }
      return blocks;
    },
  };
}

/** The cover (where the first part's flow starts: `frontAnchor`) and the contents, their numbers left blank. */
function frontSections(issue: Issue, entries: ContentsEntry[]): Element[] {
  const cover = coverSection(issue.config);
  return [
    { ...cover, properties: { ...cover.properties, dataFlowStart: frontAnchor } },
    contentsSection(entries, { numbers: 'later' }),
  ];
}

function articleAnchor(article: Element): string {
  return String(article.properties.dataDocument);
}

function documentBody(article: Element): Element | undefined {
  return article.children.find(
    (child): child is Element =>
      child.type === 'element' &&
      ((child.properties.className as string[] | undefined) ?? []).includes('document-body'),
  );
}

/** The blocks of an article's body: the element children of its `.document-body`. */
function bodyBlocks(article: Element): Element[] {
  return (documentBody(article)?.children ?? []).filter((child): child is Element => child.type === 'element');
}

/** A hash of the article without its body (its attributes and title block), then one of each body block. */
function blockHashes(article: Element): string[] {
  const body = documentBody(article);
  const titleBlock = { ...article, children: article.children.filter((child) => child !== body) };
  return [hashOf(titleBlock), ...bodyBlocks(article).map(hashOf)];
}

function hashOf(node: Element | HastRoot): string {
  return createHash('sha256').update(serialiseHtml(node)).digest('hex').slice(0, 32);
}

/**
 * The articles a window shows: from its document, through `through`. Past block 0 the first article keeps only
 * its body's blocks from that one on, as the continuation of a document on a new page looks.
 */
function windowArticles(articles: Element[], window: PartWindow): Element[] {
  const first = articles.findIndex((article) => articleAnchor(article) === window.from.anchor);
  const last = window.through
    ? articles.findIndex((article) => articleAnchor(article) === window.through)
    : articles.length - 1;
  if (first < 0 || last < first) throw new Error(`no documents from ${window.from.anchor} to ${window.through}`);
  const shown = articles.slice(first, last + 1);
  const start = shown[0] as Element;
  const body = documentBody(start);
  if (window.from.block > 0 && body) {
    const kept = new Set(bodyBlocks(start).slice(window.from.block - 1));
    const continued = 'layout-cache';
    // Marked as paged.js marks a continuation (data-split-from): its rules for continued boxes then apply as in a
    // full layout. Without the mark the page differed: paged.js's `[data-split-from] > *::first-letter` reset
    // gives a continued body a first-letter box (the first letter and its punctuation, "三、"), which Chromium
    // prints as a text run of its own, and the cached build's PDF differed from a full layout's.
    shown[0] = {
      ...start,
      properties: {
        ...start.properties,
        className: (start.properties.className as string[]).filter((name) => name !== 'first-document'),
        dataSplitFrom: continued,
      },
      children: [
        {
          ...body,
          properties: { ...body.properties, dataSplitFrom: continued },
          children: body.children.filter((child) => child.type !== 'element' || kept.has(child)),
        },
      ],
    };
  }
  return shown;
}

/**
 * Cover and contents alone, for the preview's page of them (the PDF has them at the start of the first part's
 * flow: `composeBodyPart`), the page numbers left blank. Its fonts hold only the characters it shows (a few
 * hundred): its text, the numbers and the leaders.
 */
export function composeFrontMatter(issue: Issue, entries: ContentsEntry[]): LaidOutPart {
  const { html, assets } = partHtml(
    issue,
    h(null, frontSections(issue, entries)),
    [],
    `${printedText(issue)}${contentsNumberText}`,
    'text',
  );
  return { html, assets };
}

/**
 * The body's subsets: the text's characters and the ranges styles may print (`printed`), not GB 2312. The layout
 * cache keys them by what they are cut from (`FontFaces.identity`), so an edit bringing in a character makes new
 * subsets but keeps the cached pages.
 */
const bodyRepertoire: FontRepertoire = 'printed';

/** The label gazette-handlers.js prints above a table continued on a new page. */
const continuedTableLabel = '（续表）';
/** What styles/gazette.css prints before a contents line's number (`.contents-leader::before`). */
const contentsLeader = '\u2002·';
/** What a contents line prints around its page number, which is filled in after layout: the leader, （N）. */
const contentsNumberText = `（）${contentsLeader}`;

/** Text printed on an issue's pages besides its HTML: the running head, the folio "— 12 —", the draft mark. */
function printedText(issue: Issue): string {
  const { config } = issue;
  return `${config.runningHead ?? config.publication}— 0123456789${issue.draft ? draftMark : ''}`;
}

function partHtml(
  issue: Issue,
  body: Element | HastRoot,
  images: string[],
  text: string,
  repertoire: FontRepertoire,
  knownFonts?: FontFaces,
): LaidOutPart & { fonts: FontFaces } {
  const { config } = issue;
  const { html, stylesheets, fonts } = pageHtml({
    title: issueTitle(config),
    profile: config.profile,
    body,
    text,
    stylesheets: ['gazette.css', `profile-${config.profile}.css`],
    css: pageStyles(config, { draft: issue.draft }),
    pagedOnly: true,
    repertoire,
    fonts: knownFonts,
  });
  return { html, assets: [...stylesheets, ...fonts.files, ...images], fonts };
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

/**
 * Kinds set at full measure in the two-column profile, as the printed issues set them: lists and short formal
 * texts (an agenda's items, 任免名单 lines such as "任命王潇同志为虹口区人民法院审判监督庭副庭长；", a 决议 or
 * 决定, a 公告, attendance lists) read line by line and would be broken every 18 characters in a column.
 */
export const fullMeasureKinds: ReadonlySet<DocumentKind> = new Set<DocumentKind>([
  'agenda',
  'appointments',
  'resolution',
  'decision',
  'announcement',
  'attendance',
  'attendees',
]);

/**
 * A document as an article. `first`: the issue's first document; `follows`: another document comes before it in
 * the page, a class rather than a "+" rule, which paged.js would turn into attributes named anew by each layout
 * (and a document resumed on a new page by the layout cache has none before it).
 */
function documentArticle(
  issue: Issue,
  document: GazetteDocument,
  body: HastRoot | undefined,
  { first, follows }: { first: boolean; follows: boolean },
): Element {
  const { meta } = document;
  const meeting = meetingOf(issue.config, document);
  return h(
    `article.gazette-document.kind-${meta.kind}${fullMeasureKinds.has(meta.kind) ? '.full-measure' : ''}${first ? '.first-document' : ''}${follows ? '.follows-document' : ''}`,
    {
      dataDocument: documentAnchor(document),
      dataMeeting: String(meta.meeting),
      dataMeetingName: meeting?.name ?? '',
      dataTitle: documentTitle(meta),
    },
    [
      documentHeader(meta, documentAnchor(document)),
      h(
        'div.document-body',
        numberBlocks([...salutation(meta), ...((body?.children ?? []) as ElementContent[]), ...documentFooter(meta)]),
      ),
    ],
  );
}

/** `data-block="n"` on each block of a body (copies: the bodies are shared), where a page may start. */
function numberBlocks(blocks: ElementContent[]): ElementContent[] {
  let number = 0;
  return blocks.map((block) =>
    block.type === 'element' ? { ...block, properties: { ...block.properties, dataBlock: String(++number) } } : block,
  );
}

/** What a page for paged.js is made of besides the template. */
export interface PageParts {
  /** The HTML `<title>`. */
  title: string;
  /** The body's class is `profile-<profile>`. */
  profile: string;
  body: HastRoot | Element;
  /** Text printed outside the body (running heads, generated content), for the font subsets. */
  text: string;
  /** What the font subsets hold besides the characters of the body and `text` (default `gb2312`). */
  repertoire?: FontRepertoire;
  /** The faces, when the caller has them for a text holding every character of the body and `text`. */
  fonts?: FontFaces;
  /** File names in styles/, in order. */
  stylesheets: string[];
  /** The page's own rules (page size, running head), after the stylesheets. */
  css: string;
  /**
   * Only for paged.js (a part of an issue, never shown as it is): the body goes into the template paged.js
   * takes its content from, so the browser does not first lay out and paint the whole flow as one long page
   * (0.6 s of a 70-page issue, 2.4 s of 350 pages, measured). The render stage loads the fonts itself.
   */
  pagedOnly?: boolean;
}

/**
 * The HTML page paged.js lays out: templates/issue.html filled with the `@font-face` rules the text needs, the
 * stylesheets and the page's own rules. The issue and the annual index are both made with it.
 */
export function pageHtml(parts: PageParts): { readonly html: string; stylesheets: string[]; fonts: FontFaces } {
  const fonts =
    parts.fonts ?? fontFacesFor(`${hastToString(parts.body)}${parts.text}`, { repertoire: parts.repertoire });
  const stylesheets = parts.stylesheets.map((name) => path.join(stylesDir, name));
  const head = [
    // data-pagedjs-ignore: paged.js parses every stylesheet it finds with csstree and rewrites it, for nothing
    // it needs to change in @font-face rules (when they were hundreds of unicode-range slices, 1.5–2.4 s per
    // page). Left alone, they apply as they are.
    `<style data-gazette="fonts" data-pagedjs-ignore>\n${fonts.css}\n</style>`,
    ...stylesheets.map((file) => `<link rel="stylesheet" href="${pathToFileURL(file).href}">`),
    `<style data-gazette="issue">${parts.css}</style>`,
  ].join('\n');
  let html: string | undefined;
  return {
    // Serialised when first read (composeIssue's page is written at the end of a build).
    get html() {
      html ??= fillTemplate(readFileSync(templatePath, 'utf8'), {
        title: escapeHtml(parts.title),
        head,
        profile: parts.profile,
        body: parts.pagedOnly
          ? `<template data-ref="pagedjs-content">${serialiseHtml(parts.body)}</template>`
          : serialiseHtml(parts.body),
      });
      return html;
    },
    stylesheets,
    fonts,
  };
}

function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/{{(\w+)}}/g, (whole, key: string) => values[key] ?? whole);
}
