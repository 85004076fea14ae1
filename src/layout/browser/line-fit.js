// Line fitting of justified body text (plain browser JavaScript, loaded after paged.js like gazette-handlers.js).
/* global Paged */

/**
 * Chromium breaks lines first-fit and justifies by widening only: when the next unbreakable piece (a number
 * such as "11.09%。", a word and the mark that may not start a line) does not fit, the line is letter-spaced,
 * badly so in a column of 18 characters. A Chinese typesetter first squeezes (挤进, clreq "adjustment of line
 * length"): the full-width marks of the line give up their blank half, and a closing mark at the line's end is
 * set flush. `text-spacing-trim` only trims line starts and adjacent pairs (no `trim-end`/`allow-end` in
 * Chromium), so this is done here, before paged.js paginates: each justified body paragraph is laid out at its
 * column's width, a line letter-spaced by more than `loose` em a character gets its marks set half width
 * (`.squeezed`, OpenType `halt`), together with those of the piece that would join it and, if that is not
 * enough, of up to four lines before it (in columns only: a full measure of 37 characters absorbs what
 * does not fit, and paged.js once lost a break in a one-column issue with squeezed marks, restarting a
 * document); a trial is kept only if the paragraph has no more lines and fewer
 * badly or slightly loose lines, or none looser. Line breaks depend on the width only, so the pages break the lines as measured here.
 */
class LineFit extends Paged.Handler {
  beforeParsed(content) {
    const host = document.createElement('div');
    host.className = 'line-fit-measure';
    host.style.cssText = 'position:absolute;left:0;top:0;visibility:hidden;width:var(--page-measure)';
    document.body.append(host);
    host.append(content);
    const bodies = asOneColumn(host.querySelectorAll('.document-body'));
    const justified = bodies.flatMap(([body]) =>
      [...body.querySelectorAll('p')].filter((paragraph) => getComputedStyle(paragraph).textAlign === 'justify'),
    );
    // Measured flush left, set so once for all: a style changed per measure laid the body out again each time.
    const styles = justified.map((paragraph) => [paragraph, paragraph.getAttribute('style')]);
    for (const paragraph of justified) {
      paragraph.style.textAlign = 'left';
      paragraph.style.textAlignLast = 'left';
    }
    for (const paragraph of justified) fitParagraph(paragraph);
    for (const [element, style] of [...styles, ...bodies]) {
      if (style === null) element.removeAttribute('style');
      else element.setAttribute('style', style);
    }
    content.append(...host.childNodes);
    host.remove();
  }
}

/**
 * Sets each multi-column body as one column of its columns' width, for the measure, and returns them with the
 * style to restore. Line breaks depend on the width only, and a change inside a multi-column box lays out (and
 * balances) the whole body again: in one column, measuring a paragraph after a trial costs a tenth as much. A
 * paragraph split between two columns also reads as one box of a column's width, not the width of both.
 */
function asOneColumn(bodies) {
  const columned = [];
  for (const body of bodies) {
    const style = getComputedStyle(body);
    const count = Number.parseInt(style.columnCount, 10) || 1;
    if (count < 2) continue;
    const gap = style.columnGap === 'normal' ? '1em' : style.columnGap;
    columned.push([body, body.getAttribute('style'), `calc((100% - ${count - 1} * ${gap}) / ${count})`]);
  }
  // A share of the body's width, not a width read: reading a box would lay out every body in columns first.
  for (const [body, , width] of columned) {
    body.style.columns = 'auto';
    body.style.width = width;
  }
  return columned.map(([body, style]) => [body, style]);
}

/**
 * The one range every measure reads through. A range is live: each text split and node move of the squeezing
 * updates every range not yet collected, so one made per text node measured made the squeezing itself slow.
 */
const range = document.createRange();

/** How much wider than set solid a line may be, in em a character gap, before it is squeezed. */
const loose = 0.1;

/** Full-width marks with a blank half that `halt` removes (clreq 3.1.6, GB/T 15834 punctuation). */
const squeezable = new Set('，、。；：？！“”‘’（）《》〈〉〔〕【】「」『』［］｛｝');

function fitParagraph(paragraph) {
  if (!mayBeLoose(paragraph)) {
    paragraph.normalize();
    return;
  }
  let lines = measure(paragraph);
  for (let index = 0; index < lines.length - 1; index++) {
    if (lines[index].stretch <= loose) continue;
    const before = score(lines);
    for (const reach of [0, 1, 2, 3, 4]) {
      if (index - reach < 0) break;
      const marks = [];
      for (let line = index - reach; line <= index; line++) marks.push(...lines[line].marks);
      // the marks of the piece that would come up from the next line (its first few characters)
      marks.push(...lines[index + 1].marks.filter((mark) => mark.position < lines[index + 1].start + 8));
      const spans = marks
        .filter((mark) => !mark.squeezed)
        .sort((a, b) => b.position - a.position)
        .map((mark) => squeeze(paragraph, mark));
      if (spans.length === 0) continue;
      const after = measureFrom(paragraph, lines, index - reach);
      if (better(score(after), before)) {
        lines = unsqueezeUnused(paragraph, spans, after, index);
        break;
      }
      // The paragraph is laid out as before the trial (its text nodes split at the marks, which moves nothing):
      // its lines stand, their marks found by position when squeezed.
      for (const span of spans) unsqueeze(span);
    }
  }
  // no empty or split text nodes left behind: paged.js takes a break token at an empty node at a body's end
  // for text still to come (the document's last page was then not balanced)
  paragraph.normalize();
}

/**
 * Marks squeezed for nothing (they stayed on a later line, mid-line) are set full width again, unless the
 * paragraph then fits worse.
 */
function unsqueezeUnused(paragraph, spans, lines, index) {
  const kept = score(lines);
  const end = lines[index].end;
  const unused = spans.filter((span) => span.isConnected && positionOf(paragraph, span) >= end);
  if (unused.length === 0) return lines;
  const restored = unused.map(unsqueeze);
  const after = measure(paragraph);
  if (!better(kept, score(after))) return after;
  for (const [text, span] of restored) {
    text.replaceWith(span);
    span.append(text);
  }
  return measure(paragraph);
}

/**
 * Whether a line of the paragraph (not its last) may be spread by more than `loose`, from its text's line boxes
 * read at once (a few rects a text node, where `measure` reads characters): a line holds at least as many
 * characters as its width in em, none being wider than 1 em, so its spread is at most its white at the end over
 * that many gaps. Most paragraphs end their lines within a character of the column and are measured no further.
 * A fifth of `loose` is kept in hand for the space Chromium puts between Chinese and Latin letters, and text
 * with spaces or letter-spacing, whose width is not all characters, is always measured.
 */
function mayBeLoose(paragraph) {
  const style = getComputedStyle(paragraph);
  if (style.letterSpacing !== 'normal' || /\s/.test(paragraph.textContent.trim())) return true;
  const fontSize = Number.parseFloat(style.fontSize);
  const right = fullLineEnd(paragraph);
  const lines = [];
  const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) {
      if (rect.width === 0 || rect.height === 0) continue;
      const middle = (rect.top + rect.bottom) / 2;
      const line = lines.find((line) => middle > line.top && middle < line.bottom);
      if (!line) lines.push({ top: rect.top, bottom: rect.bottom, left: rect.left, right: rect.right });
      else {
        line.left = Math.min(line.left, rect.left);
        line.right = Math.max(line.right, rect.right);
      }
    }
  }
  lines.sort((a, b) => a.top - b.top);
  return lines.slice(0, -1).some((line) => {
    const chars = Math.floor((line.right - line.left) / fontSize);
    return (right - line.right) / Math.max(1, chars - 1) / fontSize > loose * 0.8;
  });
}

/** How spread a line may be before it is badly so (clearly letter-spaced to the eye). */
const bad = 0.2;

/**
 * [lines, badly spread lines, lines spread beyond `loose`, their summed excess], compared in that order: a
 * paragraph never gets longer, a badly spread line goes first, even if two slightly loose ones take its place.
 */
function score(lines) {
  const loosened = lines.slice(0, -1).filter((line) => line.stretch > loose);
  return [
    lines.length,
    loosened.filter((line) => line.stretch > bad).length,
    loosened.length,
    loosened.reduce((sum, line) => sum + line.stretch - loose, 0),
  ];
}

function better(a, b) {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return a[3] < b[3] - 0.01;
}

function squeeze(paragraph, mark) {
  const { node, offset } = textAt(paragraph, mark.position);
  const rest = node.splitText(offset);
  rest.splitText(1);
  const span = document.createElement('span');
  span.className = 'squeezed';
  rest.replaceWith(span);
  span.append(rest);
  return span;
}

/** The text node and offset of the paragraph's character at `position` (counted as `measure` counts). */
function textAt(paragraph, position) {
  const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
  let start = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (position < start + node.data.length) return { node, offset: position - start };
    start += node.data.length;
  }
  throw new Error(`line fitting: no character ${position} in the paragraph`);
}

/** Sets a squeezed mark full width again; returns [its text node, the span] so it can be squeezed back. */
function unsqueeze(span) {
  const text = span.firstChild;
  span.replaceWith(text);
  return [text, span];
}

function positionOf(paragraph, element) {
  range.setStart(paragraph, 0);
  range.setEndBefore(element);
  return range.toString().length;
}

/** Where a full line of the paragraph ends: the right edge of its content box. */
function fullLineEnd(paragraph) {
  return paragraph.getBoundingClientRect().right - Number.parseFloat(getComputedStyle(paragraph).paddingRight || '0');
}

/**
 * The paragraph's lines as laid out (set flush left for the measure): each line's first character position,
 * end, how far its characters would be spread to fill the column (em a gap) and its squeezable marks.
 */
function measure(paragraph, from = 0, guess = 16) {
  const fontSize = Number.parseFloat(getComputedStyle(paragraph).fontSize);
  const lines = [];
  const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
  let position = 0;
  for (let node = walker.nextNode(); node; position += node.data.length, node = walker.nextNode()) {
    if (position + node.data.length <= from) continue;
    const squeezed = node.parentElement?.classList.contains('squeezed') ?? false;
    const text = new VisibleText(node, from - position);
    for (let first = 0; first < text.size; ) {
      let line = lines.at(-1);
      const head = text.rect(first);
      if (!line || head.top > line.bottom - 1) {
        line = { start: position + text.offset(first), bottom: head.bottom, right: 0, chars: 0 };
        line.marks = [];
        lines.push(line);
      }
      const last = text.lastOnLine(first, line.bottom - 1, lines.at(-2)?.chars ?? guess);
      line.right = Math.max(line.right, text.rect(last).right);
      line.chars += last - first + 1;
      line.end = position + text.offset(last) + 1;
      for (let index = first; index <= last; index++) {
        const offset = text.offset(index);
        if (squeezable.has(node.data[offset])) line.marks.push({ position: position + offset, squeezed });
      }
      first = last + 1;
    }
  }
  const right = fullLineEnd(paragraph);
  for (const line of lines) line.stretch = (right - line.right) / Math.max(1, line.chars - 1) / fontSize;
  return lines;
}

/**
 * The paragraph's lines after marks from its line `changed` on were squeezed or set full width again: the lines
 * before the one above it are as they were (each ends where the next piece did not fit, and nothing before
 * that line's first piece changed), and it and those after it are measured again. The line above `changed` may
 * take up a piece its marks made narrower.
 */
function measureFrom(paragraph, lines, changed) {
  const kept = lines.slice(0, Math.max(0, changed - 1));
  return [...kept, ...measure(paragraph, lines[kept.length].start, kept.at(-1)?.chars)];
}

/**
 * A text node's characters other than white space, with their boxes read on demand. A line's end is found by
 * a search around the previous line's length, not by reading every character's box: that read was most of the
 * measure's time.
 */
class VisibleText {
  constructor(node, from = 0) {
    this.node = node;
    this.offsets = [];
    for (let offset = Math.max(0, from); offset < node.data.length; offset++)
      if (!/\s/.test(node.data[offset])) this.offsets.push(offset);
    this.size = this.offsets.length;
    this.rects = new Map();
  }

  offset(index) {
    return this.offsets[index];
  }

  rect(index) {
    let rect = this.rects.get(index);
    if (!rect) {
      range.setStart(this.node, this.offsets[index]);
      range.setEnd(this.node, this.offsets[index] + 1);
      rect = range.getBoundingClientRect();
      this.rects.set(index, rect);
    }
    return rect;
  }

  /** The last character from `first` on that is on the line whose characters start above `below`. */
  lastOnLine(first, below, guess) {
    const on = (index) => this.rect(index).top <= below;
    let low = first;
    let high = this.size - 1;
    const probe = Math.min(high, first + Math.max(1, guess) - 1);
    if (!on(probe)) high = probe - 1;
    else {
      low = probe;
      if (probe < high && !on(probe + 1)) high = probe;
    }
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (on(middle)) low = middle;
      else high = middle - 1;
    }
    return low;
  }
}

Paged.registerHandlers(LineFit);
