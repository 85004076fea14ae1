import { describe, expect, test } from 'vitest';
import { gluedText, glueSpans, mergeSpans, widowSpan } from '../../src/model/clreq.js';
import { headingLevelOf, numberingMarker } from '../../src/model/numbering.js';
import { chineseDate, chineseNumber, ideographicSpace, padName, unpadName } from '../../src/model/text.js';

describe('padName', () => {
  test('pads a two-character Han name with U+3000', () => {
    expect(padName('王甯')).toBe('王\u3000甯');
    expect(padName('汤钧')).toBe(`汤${ideographicSpace}钧`);
  });

  test('trims before padding', () => {
    expect(padName(' 陆军 ')).toBe('陆\u3000军');
  });

  test('leaves other names unchanged (trimmed)', () => {
    expect(padName('吴志宏')).toBe('吴志宏');
    expect(padName('欧阳志宏')).toBe('欧阳志宏');
    expect(padName('凯撒尔·买买提')).toBe('凯撒尔·买买提');
    expect(padName('王')).toBe('王');
    expect(padName(' 吴志宏\n')).toBe('吴志宏');
  });

  test('pads only Han characters', () => {
    expect(padName('Li')).toBe('Li');
    expect(padName('王A')).toBe('王A');
    expect(padName('王１')).toBe('王１');
  });

  test('counts characters outside the BMP as one', () => {
    // U+20BB7 𠮷 is one Han character written with two UTF-16 units.
    expect(padName('吉𠮷')).toBe('吉\u3000𠮷');
  });

  test('an already padded name is not padded again', () => {
    expect(padName('王\u3000甯')).toBe('王\u3000甯');
  });
});

describe('unpadName', () => {
  test('removes ideographic and ASCII spaces', () => {
    expect(unpadName('王\u3000甯')).toBe('王甯');
    expect(unpadName('王 甯')).toBe('王甯');
    expect(unpadName(' 王  \u3000甯 ')).toBe('王甯');
  });

  test('undoes padName', () => {
    for (const name of ['王甯', '吴志宏', '陆军']) expect(unpadName(padName(name))).toBe(name);
  });

  test('leaves an unpadded name alone', () => {
    expect(unpadName('吴志宏')).toBe('吴志宏');
  });
});

describe('chineseNumber', () => {
  test.each([
    [0, '〇'],
    [1, '一'],
    [9, '九'],
    [10, '十'],
    [12, '十二'],
    [20, '二十'],
    [21, '二十一'],
    [22, '二十二'],
    [99, '九十九'],
  ])('%i → %s', (n, expected) => {
    expect(chineseNumber(n)).toBe(expected);
  });

  test('numbers out of range or not whole stay in digits', () => {
    expect(chineseNumber(100)).toBe('100');
    expect(chineseNumber(-1)).toBe('-1');
    expect(chineseNumber(2.5)).toBe('2.5');
  });
});

describe('chineseDate', () => {
  test('writes an ISO date without leading zeros', () => {
    expect(chineseDate('2024-05-21')).toBe('2024年5月21日');
    expect(chineseDate('2024-12-01')).toBe('2024年12月1日');
    expect(chineseDate('2024-08-30')).toBe('2024年8月30日');
  });
});

describe('headingLevelOf', () => {
  test.each([
    ['第一方面：经济发展', 0],
    ['第十二部分 附则', 0],
    ['一、总体情况', 1],
    ['十一、其他', 1],
    ['（一）基本做法', 2],
    ['(二)基本做法', 2],
    ['（十二）其他', 2],
    ['1. 实体化运作', 3],
    ['12．持续推进', 3],
    ['3、加强监督', 3],
    ['（1）建立机制', 4],
    ['(10)建立机制', 4],
    ['  一、前面有空格', 1],
  ] as const)('%s → %i', (text, level) => {
    expect(headingLevelOf(text)).toBe(level);
  });

  test.each(['一是突出重点', '总体情况', '第一次会议', '2024年5月21日', '——财政收支平稳运行', '（一', ''])(
    '%s has no marker',
    (text) => {
      expect(headingLevelOf(text)).toBeUndefined();
    },
  );

  test('a decimal number is not a "1." marker', () => {
    expect(headingLevelOf('2.5亿元')).toBeUndefined();
  });
});

describe('numberingMarker', () => {
  test.each([
    ['第一方面：经济发展', '第一方面'],
    ['一、总体情况', '一、'],
    ['（一）基本做法', '（一）'],
    ['(二)基本做法', '(二)'],
    ['3. 加强监督', '3.'],
    ['12．持续推进', '12．'],
    ['（1）建立机制', '（1）'],
    [' （10）前面有空格', '（10）'],
  ])('%s → %s', (text, marker) => {
    expect(numberingMarker(text)).toBe(marker);
  });

  test('no marker gives undefined', () => {
    expect(numberingMarker('一是突出重点')).toBeUndefined();
    expect(numberingMarker('总体情况')).toBeUndefined();
  });

  test('agrees with headingLevelOf about having a marker', () => {
    for (const text of ['一、甲', '（一）乙', '1. 丙', '（1）丁', '第一部分', '无标号']) {
      expect(numberingMarker(text) === undefined).toBe(headingLevelOf(text) === undefined);
    }
  });
});

describe('glueSpans', () => {
  test('"——" with the character before it', () => {
    expect(glueSpans('经济——平稳运行')).toEqual([[1, 4]]);
  });

  test('"——" at the start of a text is glued alone', () => {
    expect(glueSpans('——财政收支平稳运行')).toEqual([[0, 2]]);
  });

  test('"……" with the character before it', () => {
    expect(glueSpans('等等……')).toEqual([[1, 4]]);
  });

  test('"·" with its neighbours in a name', () => {
    const text = '凯撒尔·买买提';
    expect(glueSpans(text)).toEqual([[2, 5]]);
    const [span] = glueSpans(text);
    expect(text.slice(...(span as [number, number]))).toBe('尔·买');
  });

  test('"/" with its neighbours', () => {
    expect(glueSpans('人/亿元')).toEqual([[0, 3]]);
    expect(glueSpans('单位：人/亿元')).toEqual([[3, 6]]);
  });

  test('nothing is glued across spaces', () => {
    expect(glueSpans('a / b')).toEqual([]);
    expect(glueSpans('甲 ·乙')).toEqual([]);
  });

  test('overlapping and touching stretches are merged', () => {
    // "好——" [0,3] and "——……" ([1,3] for the dash, [2,5] for the ellipsis with the dash's second half).
    expect(glueSpans('好——……')).toEqual([[0, 5]]);
    expect(glueSpans('甲/乙，丙/丁')).toEqual([
      [0, 3],
      [4, 7],
    ]);
  });

  test('a run of slashes with one-character parts is glued whole', () => {
    expect(glueSpans('万元/人/年')).toEqual([[1, 6]]);
  });

  test('plain text has none', () => {
    expect(glueSpans('现将有关情况报告如下。')).toEqual([]);
    expect(glueSpans('')).toEqual([]);
  });

  test('several stretches in order', () => {
    expect(glueSpans('甲——乙，丙·丁')).toEqual([
      [0, 3],
      [5, 8],
    ]);
  });
});

describe('widowSpan', () => {
  test('from the second-last letter to the end', () => {
    expect(widowSpan('现将有关情况报告如下。')).toEqual([8, 11]);
    expect(widowSpan('突出重点，好！')).toEqual([3, 7]);
  });

  test('digits count as letters', () => {
    const text = '2024年5月16日';
    const span = widowSpan(text) as [number, number];
    expect(text.slice(...span)).toBe('6日');
  });

  test('undefined with fewer than two letters', () => {
    expect(widowSpan('好')).toBeUndefined();
    expect(widowSpan('。')).toBeUndefined();
    expect(widowSpan('好。）')).toBeUndefined();
    expect(widowSpan('')).toBeUndefined();
  });

  test('exactly two letters take the whole text', () => {
    expect(widowSpan('任命')).toEqual([0, 2]);
  });
});

describe('mergeSpans', () => {
  test('sorts, merges overlapping and touching spans', () => {
    expect(
      mergeSpans([
        [5, 7],
        [0, 2],
        [1, 3],
        [3, 4],
      ]),
    ).toEqual([
      [0, 4],
      [5, 7],
    ]);
  });

  test('keeps a span inside another', () => {
    expect(
      mergeSpans([
        [0, 10],
        [2, 3],
      ]),
    ).toEqual([[0, 10]]);
  });

  test('keeps separate spans apart', () => {
    expect(
      mergeSpans([
        [4, 5],
        [0, 2],
      ]),
    ).toEqual([
      [0, 2],
      [4, 5],
    ]);
  });

  test('does not change its input', () => {
    const input: [number, number][] = [
      [3, 6],
      [0, 4],
    ];
    mergeSpans(input);
    expect(input).toEqual([
      [3, 6],
      [0, 4],
    ]);
  });

  test('empty in, empty out', () => {
    expect(mergeSpans([])).toEqual([]);
  });
});

describe('gluedText', () => {
  test('splits text into plain runs and nobr spans', () => {
    expect(gluedText('经济——平稳')).toEqual([
      { type: 'text', value: '经' },
      {
        type: 'element',
        tagName: 'span',
        properties: { className: ['nobr'] },
        children: [{ type: 'text', value: '济——' }],
      },
      { type: 'text', value: '平稳' },
    ]);
  });

  test('text without stretches stays one run', () => {
    expect(gluedText('平稳运行')).toEqual([{ type: 'text', value: '平稳运行' }]);
  });
});
