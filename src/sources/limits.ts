import type { Root as MdastRoot } from 'mdast';
import type { VFile } from 'vfile';
import { addError, ruleIds } from '../model/index.js';
import { suspectCharacter } from './characters.js';

/**
 * Bounds on a source, far above any real gazette document and far below what makes the parsers recurse past
 * the stack or the check run for minutes: a document's size, how deep quotes, lists, emphasis and HTML
 * elements nest, and a table's rows.
 */
export const sourceLimits = { characters: 4_000_000, nesting: 64, tableRows: 3000, delimiterRun: 256 };

const voidElements = new Set(
  'area base br col embed hr img input link meta source track wbr'.split(' ').map((name) => name.toLowerCase()),
);

/**
 * Checks a source's text against `sourceLimits` before it is parsed; each excess is an error on the file at
 * the line where it is. Returns whether the file is within bounds (parse it only then).
 */
export function checkSourceLimits(file: VFile): boolean {
  const text = String(file.value);
  const before = file.messages.filter((message) => message.fatal).length;
  const fail = (reason: string, line: number, column = 1) =>
    addError(file, reason, { ruleId: ruleIds.sourceLimit, place: { line, column } });
  if (text.length > sourceLimits.characters) {
    fail(
      `Unexpected document of ${text.length} characters, expected at most ${sourceLimits.characters}: split it into several documents`,
      1,
    );
    return false;
  }
  const lines = text.split('\n');
  let tableStart = -1;
  let tableRows = 0;
  let htmlDepth = 0;
  let htmlReported = false;
  const tag = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^<>]*?(\/?)>/g;
  for (const [index, line] of lines.entries()) {
    const prefix = /^(?:[ \t]*(?:>[ \t]?|(?:[*+-]|\d{1,9}[.)])[ \t]+))+/.exec(line)?.[0] ?? '';
    const depth = (prefix.match(/>|[*+-]|\d{1,9}[.)]/g) ?? []).length;
    if (depth > sourceLimits.nesting) {
      fail(
        `Unexpected quotes or lists nested ${depth} deep, expected at most ${sourceLimits.nesting}: remove the extra \`>\` or list markers`,
        index + 1,
      );
    }
    const run =
      line.length > sourceLimits.delimiterRun
        ? [...line.matchAll(/([*_~])\1*/g)].find((match) => match[0].length > sourceLimits.delimiterRun)
        : undefined;
    if (run) {
      fail(
        `Unexpected run of ${run[0].length} \`${run[1]}\`, expected at most ${sourceLimits.delimiterRun} (emphasis markers nest one inside the other): shorten it`,
        index + 1,
        (run.index ?? 0) + 1,
      );
    }
    for (const match of line.matchAll(tag)) {
      const name = (match[2] as string).toLowerCase();
      if (voidElements.has(name) || match[3]) continue;
      htmlDepth = match[1] ? Math.max(0, htmlDepth - 1) : htmlDepth + 1;
      if (htmlDepth > sourceLimits.nesting && !htmlReported) {
        htmlReported = true;
        fail(
          `Unexpected HTML elements nested more than ${sourceLimits.nesting} deep, expected at most ${sourceLimits.nesting}: close the open <${name}> elements`,
          index + 1,
          (match.index ?? 0) + 1,
        );
      }
    }
    if (/^[ \t]*\|/.test(line) || /<tr[\s>]/i.test(line)) {
      if (tableStart < 0) tableStart = index;
      tableRows += (line.match(/<tr[\s>]/gi) ?? [line]).length;
      if (tableRows === sourceLimits.tableRows + 1) {
        fail(
          `Unexpected table of more than ${sourceLimits.tableRows} rows, expected at most ${sourceLimits.tableRows}: split it, or publish it as an attachment`,
          tableStart + 1,
        );
      }
    } else if (line.trim() === '' && !/<table/i.test(line)) {
      tableStart = -1;
      tableRows = 0;
    }
  }
  checkCharacters(file);
  return file.messages.filter((message) => message.fatal).length === before;
}

/**
 * Suspect characters in a source's Markdown text (see characters.ts); YAML fields are checked by parseYaml. A
 * lone surrogate or a direction control is an error, an invisible character a warning, each at its place.
 */
export function checkCharacters(file: VFile): void {
  let yaml = false;
  for (const [index, line] of String(file.value).split('\n').entries()) {
    if ((index === 0 && line === '---') || /^```ya?ml\s*$/.test(line)) yaml = true;
    else if (yaml && (line === '---' || line === '```')) yaml = false;
    const found = yaml ? undefined : suspectCharacter(line);
    if (!found) continue;
    const reason = `Unexpected ${found.name} (U+${found.code}): delete it and type the text again`;
    const place = { line: index + 1, column: found.index + 1 };
    if (found.name === 'invisible character')
      file.message(reason, { ruleId: ruleIds.suspectCharacter, place, source: 'gazette' }).fatal = false;
    else addError(file, reason, { ruleId: ruleIds.suspectCharacter, place });
  }
}

/** How deep a Markdown tree nests (counted without recursion, so any depth can be measured). */
export function treeDepth(tree: MdastRoot): number {
  let deepest = 0;
  const stack: [{ children?: unknown[] }, number][] = [[tree, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [{ children?: unknown[] }, number];
    deepest = Math.max(deepest, depth);
    for (const child of node.children ?? []) stack.push([child as { children?: unknown[] }, depth + 1]);
  }
  return deepest;
}
