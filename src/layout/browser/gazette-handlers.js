// paged.js handlers of the gazette, loaded into the page after paged.polyfill.js (plain browser JavaScript:
// it runs in Chromium, not in Node). Registered before the preview starts.
/* global Paged */

/**
 * A table (or 专栏 panel) that continues on a new page gets its header row again and the label "（续表）".
 * paged.js 0.4 repeats no table header (pagedjs/pagedjs#36, #139). Adding the header after the page is laid
 * out pushes rows past the foot (pagedjs/pagedjs#160), so it goes in at `renderNode`, as the first row of the
 * continued table is placed, and the layout measures it.
 */
class TableContinuation extends Paged.Handler {
  renderNode(clone, node) {
    if (!(clone instanceof HTMLElement) || clone.tagName !== 'TR') return;
    const table = clone.closest('table[data-split-from]');
    if (!table || table.dataset.gazetteContinued) return;
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

/** Tells the Node side how many pages are laid out, for progress on stderr. */
class LayoutProgress extends Paged.Handler {
  afterPageLayout(_pageElement, page) {
    if (typeof window.gazetteProgress === 'function') window.gazetteProgress(page.position + 1);
  }
}

Paged.registerHandlers(LongTextRuns, TableContinuation, LayoutProgress);
