import type { Element, ElementContent } from 'hast';
import { h } from 'hastscript';
import rehypeDisplayLines from '../markdown/plugins/rehype-display-lines.js';
import { type DocumentMeta, gluedText, padName, type Speaker, speakersOf, titleLines } from '../model/index.js';

/** The header's lines that are set centred as display lines, broken by sense. */
const breakDisplayLines = rehypeDisplayLines({
  classes: [
    'document-issuer',
    'title-line',
    'document-number',
    'document-adopted',
    'document-session',
    'document-occasion',
    'speaker-post',
    'document-author',
  ],
});

/**
 * The block above a document's body, in the order the printed gazette sets it: issuer line, title, number,
 * adoption note or session, occasion, speaker, author, document number; then the salutation. Every field is
 * optional except the title, so one function serves every kind; the kind's class lets the styles differ.
 * `anchor` is the id the contents and bookmarks point at.
 */
export function documentHeader(meta: DocumentMeta, anchor: string): Element {
  // The anchor sits on the title block, not the article: an article can begin at the foot of a page while its
  // title block (never split, never parted from the text) moves to the next, where the reader finds it.
  const header = h('header.document-header', { id: anchor }, [
    meta.issuer ? h('p.document-issuer', meta.issuer) : undefined,
    h(
      'h1.document-title',
      titleLines(meta).map((line) => h('span.title-line', gluedText(line))),
    ),
    meta.number ? h('p.document-number', `（${meta.number}）`) : undefined,
    meta.adopted ? h('p.document-adopted', `（${meta.adopted}）`) : undefined,
    meta.session ? h('p.document-session', `（${meta.session}）`) : undefined,
    meta.occasion ? h('p.document-occasion', gluedText(`——${meta.occasion}`)) : undefined,
    ...speakersOf(meta).map(speakerLine),
    meta.author ? h('p.document-author', meta.author) : undefined,
    meta.docNumber ? h('p.document-doc-number', meta.docNumber) : undefined,
  ]);
  breakDisplayLines(header);
  return header;
}

/** "副区长、公安分局局长　黄恩伟": the post (one line per post when there are two), then the padded name. */
function speakerLine(speaker: Speaker): Element {
  const posts = Array.isArray(speaker.post) ? speaker.post : [speaker.post].filter(Boolean);
  const lastPost = posts.at(-1);
  return h('div.document-speaker', [
    ...posts.slice(0, -1).map((post) => h('p.speaker-post', post)),
    h('p.speaker-line', [
      lastPost ? h('span.speaker-post', lastPost) : undefined,
      h('span.speaker-name', padName(speaker.name)),
    ]),
  ]);
}

/** What follows the body: the signature block, issuer and date set at the right. */
export function documentFooter(meta: DocumentMeta): ElementContent[] {
  if (!meta.signature) return [];
  return [
    h(
      'div.signature',
      meta.signature.map((line) => h('p', line)),
    ),
  ];
}

export function salutation(meta: DocumentMeta): ElementContent[] {
  return meta.salutation ? [h('p.salutation', meta.salutation)] : [];
}
