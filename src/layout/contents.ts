import type { Element, ElementContent } from 'hast';
import { h } from 'hastscript';
import { markDisplayLine } from '../markdown/plugins/rehype-display-lines.js';
import {
  type DocumentKind,
  documentAnchor,
  documentTitle,
  type GazetteDocument,
  gluedText,
  glueSpans,
  mergeSpans,
  padName,
  speakersOf,
  widowSpan,
} from '../model/index.js';

/** One line of the contents (目录): what the printed contents shows of a document. */
/** A contents entry with the page its title is printed on. */
export type PagedContentsEntry = ContentsEntry & { page: number };

export interface ContentsEntry {
  /** The document's id (file name without `.md`). */
  id: string;
  /** Its HTML anchor, which the contents links to. */
  anchor: string;
  /** Title without the issuer line, or the `contents` override. */
  title: string;
  /** Speaker names, padded as printed ("汤　钧"); empty when the document has none. */
  speaker: string;
  kind: DocumentKind;
  meeting: number;
  /** The source file. */
  file: string;
}

export function contentsEntry(document: GazetteDocument): ContentsEntry {
  return {
    id: document.id,
    anchor: documentAnchor(document),
    title: document.meta.contents ?? documentTitle(document.meta),
    speaker: speakersOf(document.meta)
      .map((speaker) => padName(speaker.name))
      .join('　'),
    kind: document.meta.kind,
    meeting: document.meta.meeting,
    file: document.file.path,
  };
}

/**
 * The contents pages: "目　录", then per document its title, speaker, a dotted leader and "（page）". The number
 * is either CSS `target-counter()`, resolved by paged.js from where the title lands (the one HTML of the whole
 * issue, for browsers), or left for the render stage to fill in once the parts are laid out
 * (`numbers: 'later'`: a box of fixed width, so the numbers change no line; the PDF gets the links).
 */
export function contentsSection(
  entries: ContentsEntry[],
  options: { numbers?: 'target-counter' | 'later' } = {},
): Element {
  return h('section.contents', [
    h('h1.contents-heading', '目　录'),
    h(
      'div.contents-entries',
      entries.map((entry) => {
        const parts = entryParts(entry);
        return h('p.contents-entry', { dataAnchor: entry.anchor }, [
          options.numbers === 'later'
            ? h('span.contents-link', [...parts, h('span.contents-page', '（）')])
            : h('a.contents-link', { href: `#${entry.anchor}` }, parts),
        ]);
      }),
    ),
  ]);
}

/**
 * An entry's title (broken between words, its last two characters kept together, so no line holds one alone)
 * and dot leader in a box
 * that keeps clear of the speaker's width and the number's, then the speaker.
 */
export function entryParts(entry: { title: string; speaker: string }): ElementContent[] {
  const tail = widowSpan(entry.title);
  const spans = mergeSpans([...glueSpans(entry.title), ...(tail ? [tail] : [])]);
  // Speaker names are CJK, one em a character, plus the gaps on either side.
  const speakerWidth = entry.speaker ? [...entry.speaker].length + 0.8 : 0;
  // A wrapped title breaks by sense, as the title lines do.
  const title = h('span.contents-title', gluedText(entry.title, spans));
  markDisplayLine(title);
  return [
    h('span.contents-text', { style: `--speaker-width: ${speakerWidth}em` }, [
      title,
      h('span.contents-leader', { ariaHidden: 'true' }),
    ]),
    ...(entry.speaker ? [h('span.contents-speaker', entry.speaker)] : []),
  ];
}
