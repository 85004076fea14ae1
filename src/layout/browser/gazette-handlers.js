// paged.js handlers of the gazette, loaded into the page after paged.polyfill.js (plain browser JavaScript:
// it runs in Chromium, not in Node). Registered before the preview starts.
/* global Paged */

/**
 * The range the handlers read boxes and text through. A range is live until it is collected: Chromium updates
 * every live range on each node removed from the document, and the range made per block measured (some two
 * thousand in a 96-page issue) made each later removal on the pages slower until the next full collection.
 */
const measuring = document.createRange();

/**
 * A table (or 专栏 panel) that continues on a new page gets its header row again and the label "（续表）".
 * paged.js 0.4 repeats no table header (pagedjs/pagedjs#36, #139). Adding the header after the page is laid
 * out pushes rows past the foot (pagedjs/pagedjs#160), so it goes in at `renderNode`, as the first row of the
 * continued table is placed, and the layout measures it. A name grid is a list set in a grid, not a table: it
 * gets neither. A row that continues a row group (its first cell left empty, the group printed as one merged
 * cell) repeats the group's label when it heads the continued table, as a printed table does.
 */
class TableContinuation extends Paged.Handler {
  renderNode(clone, node) {
    if (clone instanceof HTMLTableCellElement) repeatGroupLabel(clone, node);
    if (!(clone instanceof HTMLElement) || clone.tagName !== 'TR') return;
    const table = clone.closest('table[data-split-from]');
    if (!table || table.dataset.gazetteContinued || table.classList.contains('name-grid')) return;
    table.dataset.gazetteContinued = 'true';
    const source = node.closest('table');
    const label = document.createElement('caption');
    label.className = 'table-continued-label';
    label.textContent = '（续表）';
    const head = source?.querySelector(':scope > thead');
    const repeated = head ? head.cloneNode(true) : null;
    if (repeated) {
      for (const element of [repeated, ...repeated.querySelectorAll('[data-ref]')]) {
        element.removeAttribute('data-ref');
      }
      repeated.dataset.gazetteRepeated = 'true';
    }
    table.prepend(...[label, repeated].filter(Boolean));
  }
}

/** The first cell of a continued table's first row, inside a row group, gets the group's label. */
function repeatGroupLabel(cell, source) {
  const row = cell.parentElement;
  const table = row?.closest('table[data-split-from]');
  if (source.cellIndex !== 0 || !row?.classList.contains('group-continued') || !table) return;
  if (table.querySelector(':scope > tbody > tr') !== row) return;
  let start = source.parentElement.previousElementSibling;
  while (start?.classList.contains('group-continued')) start = start.previousElementSibling;
  const label = start?.cells[0];
  if (!label) return;
  cell.replaceChildren(...[...label.childNodes].map((child) => child.cloneNode(true)));
  row.classList.remove('group-continued');
}

/**
 * paged.js looks for a page break word by word, words being split at spaces, and loses text it cannot place
 * ("Unable to layout item", pagedjs/pagedjs#104, #45: long runs beyond its `maxChars`): Chinese has no spaces,
 * so a long paragraph is one "word" and its tail vanished from the PDF. Long text nodes are cut into spans of
 * at most 200 characters before layout; spans do not change line breaking.
 */
class LongTextRuns extends Paged.Handler {
  beforeParsed(content) {
    const limit = 200;
    const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
    const long = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.data.length > limit && node.parentElement?.closest('p, li, td, th, h1, h2, h3, h4, h5, h6'))
        long.push(node);
    }
    for (const node of long) {
      const chars = Array.from(node.data);
      const spans = [];
      for (let i = 0; i < chars.length; i += limit) {
        const span = document.createElement('span');
        span.className = 'text-run';
        span.textContent = chars.slice(i, i + limit).join('');
        spans.push(span);
      }
      node.replaceWith(...spans);
    }
  }
}

/**
 * paged.js takes every break-before/break-after declaration out of the stylesheets to force page breaks itself
 * (pagedjs src/modules/paged-media/breaks.js, onDeclaration) and acts on forced values only, so
 * `break-after: avoid` never reached Chromium and headings fell to the foot of a column or page (背题). The
 * value it keeps in data-break-after / data-break-before goes back on the laid-out element as an inline style:
 * Chromium's fragmentation of the body's columns, and of paged.js's page area (itself a column box whose
 * overflow column is the next page), then keeps a heading with the two first lines of its text (orphans: 2).
 */
class BreakAvoid extends Paged.Handler {
  renderNode(clone) {
    if (!(clone instanceof HTMLElement)) return;
    if (clone.dataset.breakAfter === 'avoid') clone.style.breakAfter = 'avoid';
    if (clone.dataset.breakBefore === 'avoid') clone.style.breakBefore = 'avoid';
  }
}

/** The page a document continues on starts with a forced break (each document on a new page), or none follows. */
function endsPage(sourceArticle) {
  const next = sourceArticle?.nextElementSibling;
  return !next || ['page', 'right', 'left', 'recto', 'verso'].includes(next.dataset.breakBefore ?? '');
}

/** How many columns a body is set in. */
function columnsOf(body) {
  return Number.parseInt(getComputedStyle(body).columnCount, 10) || 1;
}

/** Body lines of a column: the width of a column in characters, the height of a line. */
function columnMetrics(body) {
  const style = getComputedStyle(body);
  const fontSize = Number.parseFloat(style.fontSize);
  const columns = columnsOf(body);
  const gap = columns > 1 ? Number.parseFloat(style.columnGap) || 0 : 0;
  // The used width, not the bounding box: a body that overflows the page area has fragments in paged.js's
  // overflow column beside the page, and its box spans both.
  const width = ((Number.parseFloat(style.width) || body.clientWidth) - gap * (columns - 1)) / columns;
  const sample = body.querySelector(':scope > p') ?? body;
  const lineHeight = Number.parseFloat(getComputedStyle(sample).lineHeight) || fontSize * 1.62;
  return { columns, charsPerLine: Math.max(1, Math.floor(width / fontSize)), lineHeight, fontSize };
}

/** Lines a run of text takes in a column, counting a paragraph's 2em indent where the run starts it. */
function linesOf(text, charsPerLine, indent = 2) {
  const length = Array.from(text.replace(/\s+/g, '')).length;
  return length ? Math.ceil((length + indent) / charsPerLine) : 0;
}

// A list item holds its text itself in a tight list, in paragraphs in a loose one.
const lineBlocks = 'p, h1, h2, h3, h4, h5, h6, li:not(:has(p))';
const fixedBlocks = 'table, img, figure, .panel';

/**
 * How many lines of a document's body are left past the overflow: the text after the break in the paragraphs
 * laid out so far plus the source paragraphs not yet laid out. Undefined when a table, panel or figure is left
 * (they cannot be pulled back by tightening the leading).
 */
function linesLeft(overflow, body, sourceBody, charsPerLine) {
  let lines = 0;
  let last;
  for (const element of body.querySelectorAll('[data-ref]')) last = element;
  for (const block of body.querySelectorAll(lineBlocks)) {
    if (overflow.comparePoint(block, block.childNodes.length) < 0) continue;
    measuring.selectNodeContents(block);
    // A paragraph broken at the overflow goes on without its indent.
    const broken = measuring.comparePoint(overflow.startContainer, overflow.startOffset) === 0;
    if (broken) measuring.setStart(overflow.startContainer, overflow.startOffset);
    lines += linesOf(measuring.toString(), charsPerLine, broken ? 0 : 2);
  }
  for (const element of body.querySelectorAll(fixedBlocks)) {
    if (overflow.comparePoint(element, 0) >= 0) return undefined;
  }
  const from = last && sourceBody.querySelector(`[data-ref="${last.dataset.ref}"]`);
  if (!from) return lines;
  const following = (element) =>
    from.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING && !from.contains(element);
  if ([...sourceBody.querySelectorAll(fixedBlocks)].some(following)) return undefined;
  for (const block of sourceBody.querySelectorAll(lineBlocks)) {
    if (following(block)) lines += linesOf(block.textContent, charsPerLine);
  }
  return lines;
}

/** A block's lines, in order: its text boxes grouped by line (boxes of two faces on a line differ in top). */
function linesOfBlock(block, range) {
  const lines = [];
  for (const rect of lineRects(block, range)) {
    const line = lines.at(-1);
    const centre = (rect.top + rect.bottom) / 2;
    if (line && centre > line.top && centre < line.bottom && rect.left >= line.left - 1) {
      line.rects.push(rect);
      line.bottom = Math.max(line.bottom, rect.bottom);
    } else lines.push({ top: rect.top, bottom: rect.bottom, left: rect.left, rects: [rect] });
  }
  return lines;
}

/** The text position where a line starts: its first character whose box sits on that line and column. */
function lineStart(block, line) {
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let offset = 0; offset < node.data.length; offset++) {
      measuring.setStart(node, offset);
      measuring.setEnd(node, offset + 1);
      const rect = measuring.getBoundingClientRect();
      if (rect.height > 0 && Math.abs(rect.top - line.top) <= 2 && Math.abs(rect.left - line.left) <= 2)
        return { node, offset };
    }
  }
  return undefined;
}

/** Whether anything with text is laid out on the page before an element. */
function textBefore(rendered, element) {
  measuring.setStart(rendered, 0);
  measuring.setEndBefore(element);
  return measuring.toString().trim().length > 0;
}

/**
 * Widows and orphans at a page's foot. Chromium keeps two lines together inside a column (orphans, widows:
 * 2), but at the page's foot paged.js cuts a paragraph where its text crosses the page area, and a paragraph's
 * last line was left alone at the head of the next page (pagedjs/pagedjs#45-like splits of text runs). A
 * paragraph that would leave one line behind or carry one line over moves a line, or moves whole with the
 * heading before it (a heading travels with two lines of its text).
 */
const keepLines = {
  adjust(overflow, rendered, bounds) {
    if (!overflow || overflow.startContainer.nodeType !== Node.TEXT_NODE) return undefined;
    const block = overflow.startContainer.parentElement?.closest('p');
    if (!block || block.closest('table, .panel')) return undefined;
    const lines = linesOfBlock(block);
    const onPage = lines.filter((line) => line.left < bounds.right && line.top < bounds.bottom);
    const over = lines.length - onPage.length;
    if (!onPage.length || !over || (onPage.length >= 2 && over >= 2)) return undefined;
    const range = document.createRange();
    if (over === 1 && onPage.length >= 3) {
      const start = lineStart(block, onPage.at(-1));
      if (!start) return undefined;
      range.setStart(start.node, start.offset);
    } else {
      let first = block;
      while (first.previousElementSibling?.dataset.breakAfter === 'avoid') first = first.previousElementSibling;
      if (!textBefore(rendered, first)) return undefined;
      range.setStartBefore(first);
    }
    range.setEnd(overflow.endContainer, overflow.endOffset);
    return range;
  },
};

/**
 * Runt pages: a document whose last lines (up to three a column) would sit alone on a page (the next document
 * starts on a new page) has them pulled back onto the page before by tightening that page's leading, as a
 * typesetter does, and only as far as makes them fit in every column and by at most 7 per cent. If the
 * tightened page still overflows once the rest is laid out, it goes back to the normal leading and the break
 * paged.js found.
 */
const runtPages = {
  adjust(overflow, rendered, bounds, layout, source) {
    if (!overflow) return undefined;
    const start =
      overflow.startContainer.nodeType === Node.ELEMENT_NODE
        ? overflow.startContainer
        : overflow.startContainer.parentElement;
    const body = start?.closest('.document-body');
    if (!body || start.closest(fixedBlocks)) return undefined;
    if (body.dataset.gazetteTightened) {
      delete body.dataset.gazetteTightened;
      body.style.removeProperty('--line');
      body.style.removeProperty('line-height');
      return layout.findOverflow(rendered, bounds) ?? null;
    }
    const sourceBody = source.querySelector(`[data-ref="${body.dataset.ref}"]`);
    if (!sourceBody || !endsPage(sourceBody.closest('article'))) return undefined;
    const { columns, charsPerLine, lineHeight, fontSize } = columnMetrics(body);
    // After a column break (columnKeeps) only the last column takes more lines.
    const open = [...body.querySelectorAll(lineBlocks)].some((block) => block.style.breakBefore === 'column')
      ? 1
      : columns;
    // At most three lines a column: what the leading can take decides below.
    const left = linesLeft(overflow, body, sourceBody, charsPerLine);
    if (left === undefined || left === 0 || left > 3 * open) return undefined;
    const top = body.getBoundingClientRect().top;
    const linesPerColumn = Math.floor((bounds.bottom - Math.max(top, bounds.top)) / lineHeight);
    const extra = Math.ceil(left / open);
    const tight = (lineHeight * linesPerColumn) / (linesPerColumn + extra + 0.25);
    if (linesPerColumn < 6 || tight < lineHeight * 0.93) return undefined;
    body.dataset.gazetteTightened = 'true';
    body.style.setProperty('--line', String(tight / fontSize));
    body.style.setProperty('line-height', 'var(--line)');
    return layout.findOverflow(rendered, bounds) ?? null;
  },
};

/**
 * A table wider than the page area, whatever it spans (a long number or address in a cell, which the table
 * does not break: overflow-wrap: normal), made paged.js give up ("Unable to layout item: HTMLTableCellElement":
 * its cells lie right of the page, where it looks for the next page). It is set smaller, down to 70 per cent,
 * and if that is not enough its cells may break anywhere. The source table gets the same style, so that its
 * continuation on the next pages matches.
 */
const wideTables = {
  adjust(overflow, rendered, bounds, layout, source) {
    const start =
      overflow.startContainer.nodeType === Node.ELEMENT_NODE
        ? overflow.startContainer
        : overflow.startContainer.parentElement;
    const table = start?.closest('table') ?? start?.querySelector?.('table');
    // A table broken over the page area's columns has one box a column: the widest is its width.
    const tooWide = () =>
      Math.max(0, ...[...(table?.getClientRects() ?? [])].map((rect) => rect.width)) > bounds.width + 1;
    if (!table || !tooWide()) return undefined;
    const tables = [table, source.querySelector(`[data-ref="${table.dataset.ref}"]`)].filter(Boolean);
    const size = Number.parseFloat(getComputedStyle(table).fontSize);
    for (let scale = 0.9; scale >= 0.7 && tooWide(); scale -= 0.1) {
      for (const element of tables) element.style.setProperty('font-size', `${size * scale}px`);
    }
    if (tooWide()) {
      for (const element of tables) {
        for (const cell of element.querySelectorAll('td, th')) cell.style.setProperty('overflow-wrap', 'anywhere');
      }
    }
    return layout.findOverflow(rendered, bounds) ?? null;
  },
};

/**
 * A heading at the foot of a column, or a heading followed by one line of its text there: Chromium gives up
 * `break-after: avoid` and `orphans` inside a column box nested in paged.js's page area when the previous
 * valid break is far back (seen with a centred heading followed by a second-level heading). The heading and
 * what it keeps with are sent to the next column with `break-before: column`.
 */
const columnKeeps = {
  adjust(_overflow, rendered, bounds, layout) {
    let moved = false;
    for (const body of rendered.querySelectorAll('.document-body')) {
      if (columnsOf(body) < 2) continue;
      const box = body.getClientRects()[0];
      if (!box) continue;
      const middle = box.left + box.width / 2;
      let foot;
      let footBottom = Number.NEGATIVE_INFINITY;
      for (const block of body.querySelectorAll(lineBlocks)) {
        for (const rect of lineRects(block)) {
          if (rect.left < middle && rect.left >= box.left - 1 && rect.bottom > footBottom) {
            foot = block;
            footBottom = rect.bottom;
          }
        }
      }
      if (!foot || foot.closest(`${spanning}, table`)) continue;
      // A run-in heading (p.run-in, its lead in strong.run-in-lN) counts as a heading: two lines of text after it.
      const text = document.createRange();
      text.selectNodeContents(foot);
      const lead = foot.classList.contains('run-in') && foot.querySelector('[class*="run-in-l"]');
      if (lead) text.setStartAfter(lead);
      const lines = linesOfBlock(foot, text);
      const inFirst = lines.filter((line) => line.left < middle).length;
      const heading = foot.dataset.breakAfter === 'avoid';
      if (!heading && !(inFirst < 2 && lines.length > inFirst)) continue;
      let first = foot;
      while (first.previousElementSibling?.dataset.breakAfter === 'avoid') first = first.previousElementSibling;
      const above = first.previousElementSibling;
      if (!above || lineRects(above).every((rect) => rect.left >= middle)) continue;
      first.style.breakBefore = 'column';
      moved = true;
    }
    return moved ? (layout.findOverflow(rendered, bounds) ?? null) : undefined;
  },
};

/**
 * paged.js starts the overflow before the block that precedes an overflowing block marked
 * data-previous-break-after="avoid" (findOverflow), even when that block fits and declares no keep itself.
 * Headings carry that mark wrongly: paged.js skips the paragraphs it marked data-undisplayed when it looks for
 * the element after a heading's `break-after: avoid`, and marks the next heading. In a column a ten-line
 * paragraph went on with the heading, leaving the column a third empty: the overflow then starts after that
 * block, at the heading. One-column pages keep paged.js's break (this start gave them a blank page).
 */
const fittingBlocks = {
  adjust(overflow, _rendered, bounds) {
    const block = overflow.startContainer.childNodes?.[overflow.startOffset];
    const next = block?.nextElementSibling;
    if (!(block instanceof HTMLElement) || !next || block.dataset.breakAfter === 'avoid') return undefined;
    if (next.dataset.breakBefore === 'avoid' || !block.matches(lineBlocks)) return undefined;
    const body = block.parentElement?.closest('.document-body');
    if (!body || columnsOf(body) < 2) return undefined;
    const inside = [...block.getClientRects()].every(
      (rect) => rect.right <= bounds.right + 1 && rect.bottom <= bounds.bottom + 1,
    );
    if (!inside || block.getClientRects().length === 0) return undefined;
    const range = document.createRange();
    range.setStartBefore(next);
    range.setEnd(overflow.endContainer, overflow.endOffset);
    return range;
  },
};

/**
 * paged.js runs every onOverflow hook on the overflow it found and keeps the last answer, so two handlers
 * cannot each adjust it: the rules above are applied here one after the other, each to what the one before
 * left (null: everything fits after all). Runt pages come before the keeps, which then see the tightened page.
 */
class OverflowRules extends Paged.Handler {
  onOverflow(overflow, rendered, bounds, layout) {
    let current = overflow;
    for (const rule of [fittingBlocks, wideTables, runtPages, columnKeeps, keepLines]) {
      if (!current) break;
      const next = rule.adjust(current, rendered, bounds, layout, this.chunker.source);
      if (next !== undefined) current = next;
    }
    return current === overflow ? undefined : current;
  }
}

/**
 * A document's last page: its columns are balanced (column-fill: balance) so that both end together instead
 * of the left column running to the foot. Decided after the page is laid out, from the break token: the body
 * does not continue on the next page. Balancing only shortens columns, so what fitted still fits.
 */
class ColumnBalance extends Paged.Handler {
  afterPageLayout(pageElement, _page, breakToken) {
    const next = breakToken?.node;
    const nextElement = next && (next.nodeType === Node.ELEMENT_NODE ? next : next.parentElement);
    const continuing = nextElement?.closest('.document-body')?.dataset.ref;
    for (const body of pageElement.querySelectorAll('.document-body')) {
      if (body.dataset.ref === continuing) continue;
      if (columnsOf(body) < 2) continue;
      body.classList.add('balanced');
    }
  }
}

/** The boxes of a block's lines (a block's own boxes span the columns it is broken across), or of `range`. */
function lineRects(block, range) {
  const lines = range && !range.collapsed ? range : measuring;
  if (lines === measuring) measuring.selectNodeContents(block);
  return [...lines.getClientRects()].filter((rect) => rect.height > 0 && rect.width > 0);
}

const spanning = '.panel, .table-figure, .wide-block';

/** Where the columns of a body end below its last spanning block, and the blocks that start in the last one. */
function columnFeet(body) {
  const box = body.getBoundingClientRect();
  const spanners = [...body.querySelectorAll(`:scope > :is(${spanning})`)];
  const floor = Math.max(box.top, ...spanners.map((element) => element.getBoundingClientRect().bottom));
  const middle = box.left + box.width / 2;
  const ends = [floor, floor];
  const tops = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  const starts = [];
  for (const block of body.querySelectorAll(lineBlocks)) {
    if (block.closest(`${spanning}, table`)) continue;
    const rects = lineRects(block).filter((rect) => rect.top >= floor - 1);
    for (const rect of rects) {
      const column = rect.left >= middle ? 1 : 0;
      ends[column] = Math.max(ends[column], rect.bottom);
      tops[column] = Math.min(tops[column], rect.top);
    }
    if (rects[0]) starts.push({ block, top: rects[0].top, column: rects[0].left >= middle ? 1 : 0 });
  }
  return { box, floor, ends, tops, starts, spanners };
}

/**
 * Mid-document and last pages alike, the two columns end on the same line. When a keep (a heading kept with
 * its lines, widows and orphans, a signature kept whole) sends lines on, the right column ends short (or the
 * left one, ended by a column break): the white is shared out above the headings that start in that column,
 * or failing headings between its paragraphs (vertical justification, as a typesetter feathers a column), never more than two lines a gap.
 * A balanced last page has its height fixed first, so that the balancer does not take the space back.
 */
class ColumnFeet extends Paged.Handler {
  afterPageLayout(pageElement) {
    for (const body of pageElement.querySelectorAll('.document-body')) {
      if (columnsOf(body) < 2) continue;
      alignFeet(body);
    }
  }
}

function alignFeet(body) {
  const { box, floor, ends, tops, starts, spanners } = columnFeet(body);
  const { lineHeight } = columnMetrics(body);
  // The right column, or the left one where a keep (a heading sent on with its lines: Chromium's own or
  // columnKeeps' column break) ends it early.
  const short = ends[1] < ends[0] ? 1 : 0;
  const gap = Math.abs(ends[0] - ends[1]);
  if (gap < lineHeight * 0.5 || ends[1] <= floor) return;
  // A block at the head of the column takes no space above it.
  const inner = starts.filter((start) => start.column === short && start.top > tops[short] + 1);
  const headings = inner.filter(({ block }) => /^H\d$/.test(block.tagName) || /heading|run-in/.test(block.className));
  const targets = headings.length ? headings : inner;
  if (!targets.length || gap / targets.length > lineHeight * 2) return;
  const balanced = body.classList.contains('balanced');
  const foot = Math.max(...ends);
  if (balanced) {
    if (spanners.length) return;
    body.classList.remove('balanced');
    // Text boxes end above their line boxes: half a line more keeps the last line in, and no other.
    body.style.height = `${foot - box.top + lineHeight / 2}px`;
  }
  const share = gap / targets.length;
  for (const { block } of targets) {
    const margin = Number.parseFloat(getComputedStyle(block).marginTop) || 0;
    block.style.marginTop = `${margin + share}px`;
  }
  const after = columnFeet(body);
  const spilled = [...body.querySelectorAll(lineBlocks)].some((block) =>
    lineRects(block).some((rect) => rect.left >= box.right),
  );
  if (spilled || Math.max(...after.ends) > foot + 1 || Math.abs(after.ends[1 - short] - ends[1 - short]) > 1) {
    for (const { block } of targets) block.style.removeProperty('margin-top');
    body.style.removeProperty('height');
    if (balanced) body.classList.add('balanced');
  }
}

/**
 * paged.js lays out one page per animation frame: its chunker's queue ticks on requestAnimationFrame. A tab that
 * is not in front gets no frames at all, so its layout stops at the first page until it is shown
 * (pagedjs/pagedjs#287): a preview in a background tab, a second layout in the same browser. The queue ticks on
 * a message instead: the next page is laid out as soon as the last one is done, still one task each, so the
 * page's other tasks (and its frames, when it is shown) run in between. In a browser that draws no frames (the
 * build's, LaunchOptions.animationFrames) paged.js's second look at a page that grows after its layout (a
 * ResizeObserver whose callback waits for a frame) never comes: a page is measured once, as it is laid out.
 */
class PageQueue extends Paged.Handler {
  constructor(chunker, polisher, caller) {
    super(chunker, polisher, caller);
    const channel = new MessageChannel();
    const ticks = [];
    channel.port1.onmessage = () => ticks.shift()?.();
    chunker.q.tick = (task) => {
      ticks.push(task);
      channel.port2.postMessage(undefined);
    };
  }
}

/**
 * paged.js gives every page some seventy elements of furniture, and most print nothing: the bleed strips with
 * their crop and cross marks (shown only under `@page { marks }`), and the margin rows and corners whose boxes
 * no `@page` rule fills on that page (it hides them). Each costs style and layout on every page, and again in
 * each of the print's restyles of the whole document. The strips leave the page's template when no marks are
 * set (paged.js's code never reads them); an empty row or corner is set `display: none` on each page once
 * paged.js has marked the boxes with content (its own finalizePage reads every row), and nothing in it is
 * styled or laid out again. It stays in the document: a node removed updates every live range, and paged.js
 * leaves thousands of them (one per letter it measures) until they are collected.
 */
class PageFurniture extends Paged.Handler {
  afterParsed(_parsed, chunker) {
    const root = getComputedStyle(document.documentElement);
    const marked = ['crop', 'cross'].some(
      (mark) => root.getPropertyValue(`--pagedjs-mark-${mark}-display`).trim() !== 'none',
    );
    if (!marked) for (const bleed of chunker.pageTemplate.content.querySelectorAll('.pagedjs_bleed')) bleed.remove();
  }

  finalizePage(pageElement) {
    for (const area of pageElement.querySelectorAll('.pagedjs_pagebox > [class^="pagedjs_margin-"]')) {
      if (!area.querySelector('.hasContent')) area.style.display = 'none';
    }
  }
}

/**
 * Chromium brings CSS counters up to date by walking the whole document whenever an element that steps or shows
 * one comes in, and paged.js brings two with every page: the page, which steps `page`, and its folio, which shows
 * `counter(page)`. Each new page cost a walk of all the pages before it, so a layout's style work grew with the
 * square of its pages. While paged.js lays out, the pages step no counter and a margin box shows its page's
 * number from an attribute instead; the rules are as written again once the last page is laid out, before the
 * pages are printed or kept, and the print counts the pages once. The counter stays where the stand-in would
 * differ from it: a folio in another counter style (paged.js sizes a row's boxes by their text), or an element of
 * the flow that shows the page counter or `target-counter()` (paged.js finds the page a target lands on by
 * adding up the pages' `counter-increment`); a rule no element matches, as gazette.css's contents links in a
 * part whose numbers are filled in later, does not count.
 */
class PageCounterAfterLayout extends Paged.Handler {
  afterParsed(parsed) {
    const rules = [...styleRules(document.styleSheets)];
    const folios = rules.filter(
      (rule) => rule.selectorText.includes('.pagedjs_margin') && /\bcounters?\(\s*page\b/.test(contentOf(rule)),
    );
    if (folios.some((rule) => contentOf(rule).replace(pageCounter, '').includes('counter'))) return;
    const counted = rules.filter(
      (rule) => !folios.includes(rule) && /\bcounters?\(\s*(?:page\b|target-counter-)/.test(contentOf(rule)),
    );
    if (counted.some((rule) => matchesIn(parsed, rule))) return;
    const standIn = document.createElement('style');
    standIn.textContent = '.pagedjs_page { counter-increment: none !important; }';
    document.head.append(standIn);
    this.undo = [() => standIn.remove()];
    for (const rule of folios) {
      const content = contentOf(rule);
      const priority = rule.style.getPropertyPriority('content');
      rule.style.setProperty('content', content.replace(pageCounter, 'attr(data-gazette-page)'), priority);
      this.undo.push(() => rule.style.setProperty('content', content, priority));
    }
  }

  beforePageLayout(page) {
    if (!this.undo) return;
    for (const box of page.element.querySelectorAll('.pagedjs_margin-content')) {
      box.dataset.gazettePage = String(page.position + 1);
    }
  }

  afterRendered(pages) {
    if (!this.undo) return;
    for (const undo of this.undo) undo();
    this.undo = undefined;
    for (const page of pages) {
      for (const box of page.element.querySelectorAll('.pagedjs_margin-content')) delete box.dataset.gazettePage;
    }
  }
}

/** `counter(page)` in decimal, the only form the stand-in shows as it prints. */
const pageCounter = /\bcounter\(\s*page\s*\)/g;

function contentOf(rule) {
  return rule.style.getPropertyValue('content');
}

/** Whether the rule's selector, its pseudo-elements taken off, matches an element of `content`. */
function matchesIn(content, rule) {
  const element = rule.selectorText.replace(/::?(?:before|after|marker|first-letter|first-line)\b/g, '');
  try {
    return content.querySelector(element) !== null;
  } catch {
    return true;
  }
}

/** Every style rule of `sheets`, those inside @media and @supports included. */
function* styleRules(sheets) {
  for (const sheet of sheets) yield* rulesIn(sheet.cssRules);
}

function* rulesIn(rules) {
  for (const rule of rules) {
    if (rule instanceof CSSStyleRule) yield rule;
    else if (rule instanceof CSSGroupingRule) yield* rulesIn(rule.cssRules);
  }
}

/** Tells the Node side how many pages are laid out, for progress on stderr. */
class LayoutProgress extends Paged.Handler {
  afterPageLayout(_pageElement, page) {
    if (typeof window.gazetteProgress === 'function') window.gazetteProgress(page.position + 1);
  }
}

Paged.registerHandlers(
  PageQueue,
  LongTextRuns,
  BreakAvoid,
  TableContinuation,
  OverflowRules,
  ColumnBalance,
  ColumnFeet,
  PageFurniture,
  PageCounterAfterLayout,
  LayoutProgress,
);
