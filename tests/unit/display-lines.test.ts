import { toHtml } from 'hast-util-to-html';
import { h } from 'hastscript';
import { describe, expect, test } from 'vitest';
import rehypeDisplayLines, { displayBreaks } from '../../src/markdown/plugins/rehype-display-lines.js';

/** The text with "|" at each break the line may take. */
function marked(text: string): string {
  let out = '';
  let from = 0;
  for (const at of displayBreaks(text)) {
    out += `${text.slice(from, at)}|`;
    from = at;
  }
  return out + text.slice(from);
}

describe('displayBreaks', () => {
  test.each([
    [
      '（2024年5月29日宝山区第九届人民代表大会常务委员会第二十次会议通过）',
      '（2024年5月29日|宝山区|第九届|人民代表大会|常务委员会|第二十次|会议|通过）',
    ],
    [
      '——2024年6月27日在虹口区第十七届人民代表大会常务委员会第二十次会议上',
      '——2024年6月27日|在虹口区|第十七届|人民代表大会|常务委员会|第二十次|会议上',
    ],
    ['关于本区义务教育“双减”工作情况的报告', '关于|本区|义务教育|“双减”|工作|情况的|报告'],
    ['关于推进乡村振兴工作情况的报告', '关于|推进|乡村振兴|工作|情况的|报告'],
    ['（〔九届〕第九号）', '（〔九届〕第九号）'],
  ])('%s', (text, expected) => {
    expect(marked(text)).toBe(expected);
  });

  test('never leaves one character alone on the last line', () => {
    expect(marked('关于批准决算的决议书')).not.toMatch(/\|[^|]$/u);
    expect(displayBreaks('报告')).toEqual([]);
  });
});

describe('rehypeDisplayLines', () => {
  test('marks the display lines and puts <wbr> between their words, not inside a no-break span', () => {
    const tree = h('header', [
      h('p.document-adopted', ['（2024年5月29日宝山区第九届', h('span.nobr', '人民代表大会'), '常务委员会通过）']),
      h('p.other', '人民代表大会常务委员会'),
    ]);
    rehypeDisplayLines({ classes: ['document-adopted'] })(tree);
    expect(toHtml(tree)).toBe(
      '<header><p class="document-adopted display-line">（2024年5月29日<wbr>宝山区<wbr>第九届<wbr>' +
        '<span class="nobr">人民代表大会</span><wbr>常务委员会<wbr>通过）</p><p class="other">人民代表大会常务委员会</p></header>',
    );
  });
});
