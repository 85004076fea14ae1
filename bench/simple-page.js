// @ts-check
/**
 * The simple page of the benchmark's floor and peer: the same text as the issue's HTML (what the build wrote),
 * every paragraph, heading, list item and table row as one plain paragraph, in one column on A4 in a system
 * font, with no web fonts, no scripts and no print rules but the page's size and margins.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { toString as textOf } from 'hast-util-to-string';
import rehypeParse from 'rehype-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';

const blocks = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'tr', 'dt', 'dd', 'blockquote']);

/**
 * @param {string} issueHtml the HTML our build wrote
 * @param {string} target where the simple page goes
 * @returns {Promise<number>} the characters of text it holds (white space aside)
 */
export async function writeSimplePage(issueHtml, target) {
  const tree = unified()
    .use(rehypeParse)
    .parse(await readFile(issueHtml, 'utf8'));
  /** @type {string[]} */
  const paragraphs = [];
  visit(tree, 'element', (node) => {
    if (node.tagName === 'style' || node.tagName === 'script' || node.tagName === 'head') return 'skip';
    if (!blocks.has(node.tagName)) return;
    const text = textOf(node).replace(/\s+/g, ' ').trim();
    if (text) paragraphs.push(text);
    return 'skip';
  });
  const escapeHtml = (/** @type {string} */ text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const html = [
    '<!doctype html>',
    '<html lang="zh-CN"><head><meta charset="utf-8"><title>simple page</title><style>',
    '@page { size: A4; margin: 25mm 22mm; }',
    'body { font-family: "LXGW WenKai", "Noto Serif CJK SC", serif; font-size: 16px; line-height: 1.75; margin: 0; }',
    'p { margin: 0; text-indent: 2em; text-align: justify; }',
    '</style></head><body>',
    ...paragraphs.map((text) => `<p>${escapeHtml(text)}</p>`),
    '</body></html>',
    '',
  ].join('\n');
  await writeFile(target, html);
  return paragraphs.join('').replace(/\s/g, '').length;
}
