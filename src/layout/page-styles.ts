import type { IssueConfig, PageSize } from '../model/index.js';

/** The mark on every page of a draft. */
export const draftMark = '样稿';

/** Paper, margins and body size of each page size: 39 lines of 37 characters on A4, as the printed issues. */
const pageMetrics: Record<PageSize, { size: string; margin: string; fontSize: string }> = {
  A4: { size: '210mm 297mm', margin: '31mm 36mm 33mm 36mm', fontSize: '10.5pt' },
  '16K': { size: '185mm 260mm', margin: '24mm 25mm 26mm 25mm', fontSize: '9.75pt' },
};

/**
 * The issue's own print rules: paper size and margins, the running head with the publication's name and the
 * page number "— 12 —" at the outer corner; none on the cover. Static rules live in styles/.
 */
export function pageStyles(config: IssueConfig, options: { draft?: boolean } = {}): string {
  const metrics = pageMetrics[config.pageSize];
  const [width] = metrics.size.split(' ');
  const margins = metrics.margin.split(' ');
  const head = cssString(config.runningHead ?? config.publication);
  // "— 12 —" with em dashes (GB/T 9704's 一字线); the checks read a dash around a lone number as a folio, not
  // as a split "——".
  const folio = '"— " counter(page) " —"';
  return `
:root {
  --body-size: ${metrics.fontSize};
  --page-measure: calc(${width} - ${margins[3]} - ${margins[1]});
}
@page {
  size: ${metrics.size};
  margin: ${metrics.margin};
}
@page :left {
  @top-left { content: ${head}; }
  @bottom-left { content: ${folio}; }
}
@page :right {
  @top-right { content: ${head}; }
  @bottom-right { content: ${folio}; }
}
@page cover {
  @top-left { content: none; }
  @top-right { content: none; }
  @bottom-left { content: none; }
  @bottom-right { content: none; }
}
@page :blank {
  @top-left { content: none; }
  @top-right { content: none; }
  @bottom-left { content: none; }
  @bottom-right { content: none; }
}
@page front {
  @top-left { content: none; }
  @top-right { content: none; }
}
${options.draft ? draftStamp : ''}`;
}

/**
 * A draft for proofreading (`build --draft`): 样稿 in the outer margin of every page, cover and blank pages
 * included, so no one mistakes it for the print PDF.
 */
const draftStamp = `
@page {
  @left-middle { content: "${draftMark}"; color: #c00000; font-size: 20pt; font-weight: bold; }
}
`;

/**
 * A CSS string literal of any text: every character that could end the string, the rule or the <style> element
 * (quotes, backslash, line ends, `<`, `>`, `&`, braces, other ASCII punctuation and controls) is written as a
 * CSS escape, so a running head from issue.yml stays text whatever it holds.
 */
export function cssString(text: string): string {
  const escaped = [...text]
    .map((char) => (/^[\p{L}\p{N} ]$/u.test(char) && char !== '\u00a0' ? char : cssEscape(char)))
    .join('');
  return `"${escaped}"`;
}

function cssEscape(char: string): string {
  return `\\${(char.codePointAt(0) as number).toString(16)} `;
}
