import type { Element, Root as HastRoot } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { toString as hastToString } from 'hast-util-to-string';
import type { Root as MdastRoot } from 'mdast';
import remarkDirective from 'remark-directive';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { VFile } from 'vfile';
import { describe, expect, test } from 'vitest';
import remarkBlocks from '../../src/markdown/plugins/remark-blocks.js';
import remarkNoLists from '../../src/markdown/plugins/remark-no-lists.js';
import { bodyToHast, createBodyProcessor, createBodyToHtmlTree } from '../../src/markdown/processor.js';

/** Runs a body through the whole processor; the file keeps the messages. */
async function body(markdown: string): Promise<{ tree: HastRoot; file: VFile; html: string }> {
  const file = new VFile({ path: 'body.md', value: markdown });
  const tree = await bodyToHast(file);
  return { tree, file, html: toHtml(tree) };
}

function classesOf(node: Element): string[] {
  const value = node.properties.className;
  return Array.isArray(value) ? value.map(String) : [];
}

/** Elements of the tree with the tag name (and class, when given), in document order. */
function select(tree: HastRoot | Element, tagName: string, className?: string): Element[] {
  const found: Element[] = [];
  visit(tree, 'element', (node) => {
    if (node.tagName === tagName && (className === undefined || classesOf(node).includes(className))) {
      found.push(node);
    }
  });
  return found;
}

function only(tree: HastRoot | Element, tagName: string, className?: string): Element {
  const found = select(tree, tagName, className);
  expect(found, `one <${tagName}${className ? `.${className}` : ''}>`).toHaveLength(1);
  return found[0] as Element;
}

/** Top-level elements of a tree, skipping the newlines between them. */
function topElements(tree: HastRoot): Element[] {
  return tree.children.filter((child): child is Element => child.type === 'element');
}

function textOf(node: Element | HastRoot): string {
  return hastToString(node);
}

describe('remark-no-lists', () => {
  const parse = (markdown: string) => unified().use(remarkParse).use(remarkNoLists).parse(markdown) as MdastRoot;

  test('a numbered line stays a paragraph', () => {
    const tree = parse('1. 实体化运作。');
    expect(tree.children.map((node) => node.type)).toEqual(['paragraph']);
  });

  test('a dash line stays a paragraph', () => {
    const tree = parse('- 任命');
    expect(tree.children.map((node) => node.type)).toEqual(['paragraph']);
  });

  test('without the plugin the same lines are lists (the plugin does something)', () => {
    const tree = unified().use(remarkParse).parse('1. 实体化运作。\n\n- 任命') as MdastRoot;
    expect(tree.children.map((node) => node.type)).toEqual(['list', 'list']);
  });

  test('an indented line is not code', () => {
    const tree = parse('段落一。\n\n    缩进的一行。');
    expect(tree.children.map((node) => node.type)).toEqual(['paragraph', 'paragraph']);
  });

  test('through the body processor: no <ol>, <ul>, <li>, <pre> or <code>', async () => {
    const { tree, html } = await body('1. 实体化运作。\n\n- 任命\n\n    缩进的一行。\n\n2) 第二项。');
    for (const tag of ['ol', 'ul', 'li', 'pre', 'code']) expect(select(tree, tag)).toEqual([]);
    const paragraphs = topElements(tree);
    expect(paragraphs.map((node) => node.tagName)).toEqual(['p', 'p', 'p', 'p']);
    expect(paragraphs.map(textOf)).toEqual(['1. 实体化运作。', '- 任命', '缩进的一行。', '2) 第二项。']);
    expect(html).not.toContain('<li>');
  });
});

describe('remark-cjk-friendly', () => {
  const source = '**1. 实体化运作。**今年，街道深化改革。';

  test('plain CommonMark does not close the emphasis after "。" followed by a Han character', async () => {
    const plain = unified().use(remarkParse).use(remarkRehype);
    const tree = (await plain.run(plain.parse(source))) as HastRoot;
    expect(select(tree, 'strong')).toEqual([]);
  });

  test('the body processor gives a <strong>', async () => {
    const { tree } = await body(source);
    const strong = only(tree, 'strong');
    expect(textOf(strong)).toBe('1.实体化运作。');
  });

  test('createBodyProcessor builds the same', async () => {
    const processor = createBodyProcessor();
    const file = new VFile({ value: source });
    const tree = (await processor.run(processor.parse(file), file)) as HastRoot;
    expect(textOf(only(tree, 'strong'))).toBe('1.实体化运作。');
  });
});

describe('rehype-headings', () => {
  test('headings take their class from the numbering marker', async () => {
    const { tree } = await body(
      [
        '## 一、总体情况',
        '### （一）基本做法',
        '#### 1. 实体化运作',
        '##### （1）建立机制',
        '## 第一方面：经济发展',
        '### 一、产业',
      ].join('\n\n'),
    );
    const headings = topElements(tree);
    expect(headings.map((node) => [node.tagName, classesOf(node)])).toEqual([
      ['h2', ['heading-l1']],
      ['h3', ['heading-l2']],
      ['h4', ['heading-l3']],
      ['h5', ['heading-l4']],
      ['h2', ['heading-l0', 'display-line']],
      ['h3', ['heading-l1']],
    ]);
  });

  test('the marker wins over the Markdown depth', async () => {
    const { tree } = await body('#### （二）深化改革');
    expect(classesOf(only(tree, 'h4'))).toEqual(['heading-l2']);
  });

  test('a heading with no marker falls back to its depth', async () => {
    const { tree } = await body('## 总体情况\n\n### 基本做法\n\n###### 深层');
    expect(topElements(tree).map((node) => classesOf(node))).toEqual([['heading-l1'], ['heading-l2'], ['heading-l4']]);
  });

  test('a paragraph opening with a bold numbered sentence is a run-in heading', async () => {
    const { tree } = await body('**（二）持续提升工作质效。**区公安分局坚持问题导向。');
    const paragraph = only(tree, 'p');
    expect(classesOf(paragraph)).toEqual(['run-in']);
    const strong = only(paragraph, 'strong');
    expect(classesOf(strong)).toEqual(['run-in-l2']);
    expect(textOf(strong)).toBe('（二）持续提升工作质效。');
  });

  test('run-in levels follow the marker', async () => {
    const { tree } = await body('**1. 实体化运作。**今年，街道深化改革。\n\n**（1）建立机制。**建立联席会议。');
    expect(select(tree, 'strong').map(classesOf)).toEqual([['run-in-l3'], ['run-in-l4']]);
    expect(select(tree, 'p', 'run-in')).toHaveLength(2);
  });

  test('a bold lead-in "一是" is not a run-in heading', async () => {
    const { tree } = await body('**一是**突出重点，聚焦矛盾纠纷。');
    const paragraph = only(tree, 'p');
    expect(classesOf(paragraph)).toEqual([]);
    expect(classesOf(only(paragraph, 'strong'))).toEqual([]);
  });

  test('bold text later in a paragraph is not a run-in heading', async () => {
    const { tree } = await body('今年，**（一）这一项**已经完成。');
    expect(classesOf(only(tree, 'p'))).toEqual([]);
  });
});

describe('rehype-tables', () => {
  const table = '| 类别 | 数量 |\n| --- | --- |\n| 调解 | 120 |\n|  | 35 |';

  test('caption above and note below are gathered into figure.table-figure', async () => {
    const { tree } = await body(
      `表一：2024年上半年矛盾纠纷化解情况\n\n${table}\n\n注：数据来源于区司法局。\n\n其后的段落。`,
    );
    const [figure, after] = topElements(tree);
    expect(figure?.tagName).toBe('figure');
    expect(classesOf(figure as Element)).toEqual(['table-figure']);
    const parts = (figure as Element).children.filter((child): child is Element => child.type === 'element');
    expect(parts.map((node) => [node.tagName, classesOf(node)])).toEqual([
      ['p', ['table-caption', 'display-line']],
      ['table', []],
      ['p', ['table-note']],
    ]);
    expect(textOf(parts[0] as Element)).toBe('表一：2024年上半年矛盾纠纷化解情况');
    expect(textOf(parts[2] as Element)).toBe('注：数据来源于区司法局。');
    expect((parts[1] as Element).properties.dataCaption).toBe('表一：2024年上半年矛盾纠纷化解情况');
    expect(after?.tagName).toBe('p');
    expect(textOf(after as Element)).toBe('其后的段落。');
    expect(topElements(tree)).toHaveLength(2);
  });

  test('the caption rides on the table as data-caption in the HTML', async () => {
    const { html } = await body(`表2：收支情况\n\n${table}`);
    expect(html).toContain('<table data-caption="表2：收支情况">');
  });

  test('a table without caption gets a figure but no caption', async () => {
    const { tree } = await body(`前面的段落。\n\n${table}`);
    const figure = only(tree, 'figure', 'table-figure');
    expect(select(figure, 'p')).toEqual([]);
    const tableNode = only(figure, 'table');
    expect(tableNode.properties.dataCaption).toBeUndefined();
    expect(textOf(topElements(tree)[0] as Element)).toBe('前面的段落。');
    expect(select(tree, 'p', 'table-caption')).toEqual([]);
  });

  test('a note without a caption is still gathered', async () => {
    const { tree } = await body(`${table}\n\n注：单位为件。`);
    const figure = only(tree, 'figure', 'table-figure');
    expect(textOf(only(figure, 'p', 'table-note'))).toBe('注：单位为件。');
  });

  test('a row whose first cell is empty continues the group above', async () => {
    const { tree } = await body(table);
    const rows = select(tree, 'tr');
    expect(rows.map(classesOf)).toEqual([[], [], ['group-continued']]);
  });
});

describe('remark-blocks and rehype-blocks', () => {
  test(':::panel becomes section.panel with its title', async () => {
    const { tree, file } = await body(
      ':::panel{title="专栏一：现代化产业体系发展推进情况"}\n| 目标分类 | 完成情况 |\n| --- | --- |\n| 支柱产业 | 金融方面 |\n|  | 航运方面 |\n:::',
    );
    expect(file.messages).toEqual([]);
    const panel = only(tree, 'section', 'panel');
    const first = panel.children[0] as Element;
    expect(first.tagName).toBe('p');
    expect(classesOf(first)).toEqual(['panel-title', 'display-line']);
    expect(textOf(first)).toBe('专栏一：现代化产业体系发展推进情况');
    const figure = only(panel, 'figure', 'table-figure');
    expect(select(figure, 'tr').map(classesOf)).toEqual([[], [], ['group-continued']]);
    expect(select(tree, 'div')).toEqual([]);
  });

  test(':::glossary gets the default title "名词解释："', async () => {
    const { tree, file } = await body(
      ':::glossary\n1. 枫桥经验：依靠群众就地化解矛盾。\n\n2. 三所联动：派出所、司法所、律所。\n:::',
    );
    expect(file.messages).toEqual([]);
    const glossary = only(tree, 'section', 'glossary');
    expect(textOf(only(glossary, 'p', 'glossary-title'))).toBe('名词解释：');
    expect(select(glossary, 'p')).toHaveLength(3);
    expect(select(glossary, 'ol')).toEqual([]);
  });

  test(':::glossary{title} uses its own title', async () => {
    const { tree } = await body(':::glossary{title="注释"}\n一段解释。\n:::');
    expect(textOf(only(tree, 'p', 'glossary-title'))).toBe('注释：');
  });

  test('::::attachment prints its label and title above its body', async () => {
    const { tree, file } = await body(
      '::::attachment{label="附件：相关辞职请求" title="辞职报告"}\n区人大常委会：\n\n本人因工作需要，申请辞去职务。\n\n:::signature\n申请人：孙晋\n\n2024年5月16日\n:::\n::::',
    );
    expect(file.messages).toEqual([]);
    const attachment = only(tree, 'section', 'attachment');
    const parts = attachment.children.filter((child): child is Element => child.type === 'element');
    expect(parts.slice(0, 4).map((node) => [node.tagName, classesOf(node), textOf(node)])).toEqual([
      ['p', ['attachment-label'], '附件：相关辞职请求'],
      ['h2', ['attachment-title', 'display-line'], '辞职报告'],
      ['p', ['salutation'], '区人大常委会：'],
      ['p', [], '本人因工作需要，申请辞去职务。'],
    ]);
    // The attachment title is not a numbered heading of the document.
    expect(classesOf(parts[1] as Element).some((name) => name.startsWith('heading-'))).toBe(false);
    // The nested block's lines are kept, inside the attachment.
    expect(textOf(attachment)).toContain('申请人：孙晋');
    expect(textOf(attachment)).toContain('2024年5月16日');
  });

  test(':::signature on its own becomes div.signature', async () => {
    const { tree } = await body(':::signature\n宝山区人民代表大会常务委员会\n\n2024年5月29日\n:::');
    const signature = only(tree, 'div', 'signature');
    expect(select(signature, 'p').map(textOf)).toEqual(['宝山区人民代表大会常务委员会', '2024年5月29日']);
    expect(signature.properties.dataBlock).toBeUndefined();
  });

  test('a :::signature nested in ::::attachment becomes div.signature', async () => {
    const { tree } = await body(
      '::::attachment{label="附件" title="辞职报告"}\n本人申请辞职。\n\n:::signature\n申请人：孙晋\n\n2024年5月16日\n:::\n::::',
    );
    const attachment = only(tree, 'section', 'attachment');
    const signature = only(attachment, 'div', 'signature');
    expect(select(signature, 'p').map(textOf)).toEqual(['申请人：孙晋', '2024年5月16日']);
  });

  test(':::names{columns=3} builds a name grid, rows of 3, two-character names padded', async () => {
    const { tree, file } = await body(':::names{columns=3}\n李萍 吴志宏 王甯 须华威\n顾瑾 陆军 王忠明\n:::');
    expect(file.messages).toEqual([]);
    const grid = only(tree, 'table', 'name-grid');
    const rows = select(grid, 'tr').map((row) => select(row, 'td').map(textOf));
    expect(rows).toEqual([['李\u3000萍', '吴志宏', '王\u3000甯'], ['须华威', '顾\u3000瑾', '陆\u3000军'], ['王忠明']]);
    // The name grid is not a data table.
    expect(select(tree, 'figure')).toEqual([]);
  });

  test(':::names defaults to 6 columns and accepts "、" between names', async () => {
    const { tree } = await body(':::names\n李萍、吴志宏、王丽燕、须华威、顾瑾、陆军、王忠明\n:::');
    const rows = select(only(tree, 'table', 'name-grid'), 'tr');
    expect(rows.map((row) => select(row, 'td').length)).toEqual([6, 1]);
  });

  test(':::attendees gives one p.attendee-group per body', async () => {
    const { tree, file } = await body(
      ':::attendees\n区人民政府：副区长朱众伟\n\n区政府部门：区政府办二级调研员郭有浩、区发展改革委主任高虹军\n:::',
    );
    expect(file.messages).toEqual([]);
    const groups = select(only(tree, 'div', 'attendees'), 'p', 'attendee-group');
    expect(groups).toHaveLength(2);
    const [first, second] = groups as [Element, Element];
    expect(textOf(only(first, 'span', 'attendee-body'))).toBe('区人民政府：');
    expect(textOf(only(first, 'span', 'attendee-names'))).toBe('副区长朱众伟');
    expect(textOf(only(second, 'span', 'attendee-body'))).toBe('区政府部门：');
    expect(textOf(only(second, 'span', 'attendee-names'))).toBe('区政府办二级调研员郭有浩、区发展改革委主任高虹军');
  });

  test('an unknown block is a fatal message at its line and column', async () => {
    const { file } = await body('前面的段落。\n\n:::foo\n内容\n:::');
    expect(file.messages).toHaveLength(1);
    const [message] = file.messages;
    expect(message?.fatal).toBe(true);
    expect(message?.ruleId).toBe('unknown-block');
    expect(message?.line).toBe(3);
    expect(message?.column).toBe(1);
    expect(message?.reason).toContain(':::foo');
    expect(message?.reason).toContain('panel');
  });

  test('remark-blocks alone reports the unknown block too', () => {
    const processor = unified().use(remarkParse).use(remarkDirective).use(remarkBlocks);
    const file = new VFile({ value: '段落。\n\n  :::bar\n  内容\n  :::' });
    processor.runSync(processor.parse(file), file);
    const [message] = file.messages;
    expect(message?.ruleId).toBe('unknown-block');
    expect([message?.line, message?.column]).toEqual([3, 3]);
  });

  test('a panel without title is refused with block-attribute', async () => {
    const { file } = await body(':::panel\n内容\n:::');
    expect(file.messages.map((message) => [message.ruleId, message.fatal, message.line])).toEqual([
      ['block-attribute', true, 1],
    ]);
    expect(file.messages[0]?.reason).toContain('title');
  });

  test('an attribute a block does not take is refused', async () => {
    const { file } = await body(':::signature{align=left}\n甲\n:::');
    expect(file.messages.map((message) => message.ruleId)).toEqual(['block-attribute']);
    expect(file.messages[0]?.reason).toContain('align');
  });

  test.each(['99', '13', '2.5', 'abc'])(':::names{columns=%s} is refused', async (columns) => {
    const { file } = await body(`:::names{columns=${columns}}\n李萍 王甯\n:::`);
    expect(file.messages).toHaveLength(1);
    expect(file.messages[0]?.ruleId).toBe('block-attribute');
    expect(file.messages[0]?.fatal).toBe(true);
    expect(file.messages[0]?.reason).toContain(`columns=${columns}`);
  });

  test.each(['0', '-1'])('remark-blocks refuses :::names{columns=%s}', (columns) => {
    const processor = unified().use(remarkParse).use(remarkDirective).use(remarkBlocks);
    const file = new VFile({ value: `:::names{columns=${columns}}\n李萍 王甯\n:::` });
    processor.runSync(processor.parse(file), file);
    expect(file.messages.map((message) => [message.ruleId, message.fatal])).toEqual([['block-attribute', true]]);
  });

  test(':::names{columns=0} through the whole processor reports the error and ends', async () => {
    const { file } = await body(':::names{columns=0}\n李萍 王甯\n:::');
    expect(file.messages.map((message) => message.ruleId)).toEqual(['block-attribute']);
  });

  test(':::names{columns=12} is accepted', async () => {
    const { file } = await body(':::names{columns=12}\n李萍 王甯\n:::');
    expect(file.messages).toEqual([]);
  });

  test('a stray text directive keeps the text it was written as', async () => {
    const { tree, file } = await body('按比例1:1绘制，时间10:30:00开始。');
    expect(file.messages).toEqual([]);
    expect(textOf(only(tree, 'p'))).toBe('按比例1:1绘制，时间10:30:00开始。');
  });

  test('a stray text directive with attributes keeps its text as well', async () => {
    const { tree } = await body('见附件:abc{x=1}的说明。');
    expect(textOf(only(tree, 'p'))).toBe('见附件:abc{x=1}的说明。');
  });

  test('a stray leaf directive keeps its text', async () => {
    const { tree, file } = await body('::提示\n\n正文。');
    expect(file.messages).toEqual([]);
    expect(textOf(tree)).toContain('::提示');
  });

  test('a stray leaf directive becomes a paragraph', async () => {
    const { tree } = await body('::提示\n\n正文。');
    expect(select(tree, 'p').map(textOf)).toEqual(['::提示', '正文。']);
  });
});

describe('rehype-clreq', () => {
  const nobrTexts = (tree: HastRoot) => select(tree, 'span', 'nobr').map(textOf);

  test('"——" goes with the character before it', async () => {
    const { tree } = await body('财政收支——平稳运行，总体良好。');
    expect(nobrTexts(tree)).toContain('支——');
  });

  test('a "·" in a name is glued to its neighbours', async () => {
    const { tree } = await body('代表凯撒尔·买买提发言，大家赞同。');
    expect(nobrTexts(tree)).toContain('尔·买');
  });

  test('"人/亿元" is glued', async () => {
    const { tree } = await body('单位：人/亿元（下同）。');
    expect(nobrTexts(tree).some((text) => text.includes('人/亿'))).toBe(true);
  });

  test("every paragraph's last two letters are in a span.nobr", async () => {
    const { tree } = await body('第一段的正文。\n\n第二段是2024年5月16日\n\n**一是**突出重点，好！');
    const paragraphs = select(tree, 'p');
    expect(paragraphs).toHaveLength(3);
    for (const paragraph of paragraphs) {
      const last = paragraph.children.at(-1) as Element;
      expect(last.type).toBe('element');
      expect(last.tagName).toBe('span');
      expect(classesOf(last)).toEqual(['nobr']);
    }
    expect(paragraphs.map((paragraph) => textOf(paragraph.children.at(-1) as Element))).toEqual([
      '正文。',
      '6日',
      '点，好！',
    ]);
  });

  test('the last two letters of a heading are glued too (a wrapped heading leaves none alone)', async () => {
    const { tree } = await body('## 一、总体情况');
    expect(select(tree, 'span', 'nobr').map(textOf)).toEqual(['情况']);
  });

  test('text inside nobr spans is not wrapped again', async () => {
    const { tree } = await body('好——');
    const spans = select(tree, 'span', 'nobr');
    expect(spans.map(textOf)).toEqual(['好——']);
    expect(select(spans[0] as Element, 'span')).toHaveLength(1);
  });

  test('the text is unchanged and holds no U+2060 word joiner', async () => {
    const source = '经济——平稳运行……凯撒尔·买买提同志，人/亿元，好。';
    const { tree, html } = await body(source);
    expect(textOf(tree)).toBe(source);
    expect(html).not.toContain('\u2060');
    expect(html).not.toContain('&#x2060;');
  });
});

describe('sanitize', () => {
  test('scripts, iframes and event handlers are removed', async () => {
    const { html, tree } = await body(
      '<script>alert(1)</script>\n\n<iframe src="https://example.com"></iframe>\n\n<p onclick="steal()">点击这里</p>\n\n正文<img src="x" onerror="steal()">结束。',
    );
    expect(html).not.toMatch(/<script|<iframe|onclick|onerror|alert\(1\)|steal/);
    expect(select(tree, 'script')).toEqual([]);
    expect(select(tree, 'iframe')).toEqual([]);
    expect(textOf(tree)).toContain('点击这里');
  });

  test('<sub> and <sup> stay', async () => {
    const { tree, html } = await body('PM<sub>2.5</sub>浓度下降，面积100m<sup>2</sup>以上。');
    expect(textOf(only(tree, 'sub'))).toBe('2.5');
    expect(textOf(only(tree, 'sup'))).toBe('2');
    expect(html).toContain('PM<sub>2.5</sub>');
  });

  test('<br> in a table cell stays', async () => {
    const { tree } = await body('| 甲 | 乙 |\n| --- | --- |\n| 第一行<br>第二行 | 丙 |');
    expect(select(only(tree, 'table'), 'br')).toHaveLength(1);
  });

  test('a style attribute is dropped', async () => {
    const { html } = await body('<p style="color:red">红色</p>');
    expect(html).not.toContain('style');
    expect(html).toContain('红色');
  });
});

describe('tables: alignment and lone characters', () => {
  test("a GFM column's alignment becomes a class the stylesheet honours", async () => {
    const { tree } = await body('| 项目 | 金额 | 备注 |\n|---|---:|:---:|\n| 上半年完成数 | 12,345.6 | 无 |\n');
    const cells = select(tree, 'td');
    expect(cells.map(classesOf)).toEqual([[], ['align-right'], ['align-center']]);
  });

  test("a cell's last two characters stay together, so no line of it holds one alone", async () => {
    const { tree } = await body('| 项目 | 面积 |\n|---|---|\n| 上半年完成数 | 万平方米 |\n');
    expect(select(tree, 'td').map((cell) => textOf(only(cell, 'span', 'nobr')))).toEqual(['成数', '方米']);
  });
});

describe('run-in headings: hierarchy', () => {
  test('"1. " loses the space after its point; "（1）" is a level of its own', async () => {
    const { tree } = await body('**1. 完善机制。**今年以来。\n\n**（1）建立机制。**具体做法。\n');
    const strong = select(tree, 'strong');
    expect(strong.map(classesOf)).toEqual([['run-in-l3'], ['run-in-l4']]);
    expect(textOf(strong[0] as Element)).toBe('1.完善机制。');
  });
});

describe('rehype-raw-where-needed', () => {
  /** The tree remark-rehype makes of every sample document, before raw HTML is parsed. */
  async function sampleTrees(): Promise<{ path: string; tree: HastRoot }[]> {
    const { readIssue } = await import('../../src/sources/read-issue.js');
    const processor = createBodyToHtmlTree();
    const trees: { path: string; tree: HastRoot }[] = [];
    for (const sample of ['issues/baoshan-2024-03', 'issues/hongkou-2024-03']) {
      for (const document of (await readIssue(sample)).documents) {
        const file = new VFile({ path: document.file.path, value: String(document.file.value) });
        trees.push({ path: file.path, tree: (await processor.run(processor.parse(file), file)) as HastRoot });
      }
    }
    return trees;
  }

  test('a body without raw HTML comes out of parse5 as it went in, so skipping the trip changes nothing', async () => {
    const { raw } = await import('hast-util-raw');
    const holdsRaw = (tree: HastRoot) => toHtml(tree, { allowDangerousHtml: true }) !== toHtml(tree);
    const trees = await sampleTrees();
    const plain = trees.filter(({ tree }) => !holdsRaw(tree));
    // Most documents hold no raw HTML; a few do (PM<sub>2.5</sub>), and go through parse5 as before.
    expect(plain.length).toBeGreaterThan(50);
    expect(trees.length - plain.length).toBeGreaterThan(0);
    for (const { path, tree } of plain) {
      const html = toHtml(tree);
      expect(toHtml(raw(structuredClone(tree)) as HastRoot), path).toBe(html);
    }
  });

  test('raw HTML is still parsed into elements (and what is unsafe removed)', async () => {
    const { html } = await body('上标<sup>2</sup>与<script>alert(1)</script>正文');
    expect(html).toContain('<sup>2</sup>');
    expect(html).not.toContain('script');
  });
});
