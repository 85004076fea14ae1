import type { VFile } from 'vfile';
import { location } from 'vfile-location';
import { type Document, isMap, isNode, isPair, isScalar, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { addError, type Bilingual, type RuleId, ruleIds, say } from '../model/index.js';

/** Where a YAML text sits inside its file, so messages point at the right line. */
export interface YamlRegion {
  /** Offset of the YAML text's first character in `file.value`. */
  offset: number;
  /** Where to point when a required field is missing (the front matter's opening line, say). */
  fallbackOffset: number;
}

/**
 * Parses YAML found in `file` and validates it with `schema`. Every problem becomes a fatal message on the
 * file at the line of the offending key or value; the result is undefined when there was any. `defaults` are
 * fields taken from elsewhere (a title from its heading), overridden by the YAML.
 */
export function parseYaml<S extends z.ZodType>(
  file: VFile,
  yamlText: string,
  region: YamlRegion,
  schema: S,
  ruleId: RuleId,
  defaults: Record<string, unknown> = {},
): z.output<S> | undefined {
  const place = location(file);
  const at = (offset: number) => place.toPoint(region.offset + offset) ?? place.toPoint(region.fallbackOffset);
  // Typed on a Chinese keyboard, `title：` has a full-width colon: YAML reads no field there (or an error about
  // implicit keys). Said plainly, at the colon, before anything else.
  const fullWidth = [...yamlText.matchAll(/^[ \t]*(?:- )?[A-Za-z][A-Za-z0-9_]*[ \t]*(：)/gmu)];
  for (const match of fullWidth) {
    addError(file, say.yamlFullWidthColon(), {
      ruleId: ruleIds.yaml,
      place: at(match.index + match[0].length - 1),
    });
  }
  if (fullWidth.length > 0) return undefined;
  const lineCounter = new LineCounter();
  const document = parseDocument(yamlText, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    for (const error of document.errors) {
      const detail = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? '';
      addError(file, error.code === 'TAB_AS_INDENT' ? say.yamlTab() : say.yamlOther(detail), {
        ruleId: ruleIds.yaml,
        place: at(error.pos[0]),
      });
    }
    return undefined;
  }
  const value = { ...defaults, ...(document.toJS() ?? {}) };
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  for (const issue of flattenUnions(result.error.issues)) {
    const keyPath = issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key));
    const node = nodeAt(document, keyPath, issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined);
    const point = node?.range ? at(node.range[0]) : place.toPoint(region.fallbackOffset);
    addError(file, describeIssue(issue, keyPath), { ruleId, place: point });
  }
  return undefined;
}

/** The YAML node of a path (or the key node of `unknownKey` under it), else the nearest existing parent. */
function nodeAt(document: Document, path: (string | number)[], unknownKey?: PropertyKey): Node | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const parentPath = path.slice(0, depth);
    const node = depth === 0 ? document.contents : document.getIn(parentPath, true);
    if (!isNode(node)) continue;
    if (depth === path.length && unknownKey !== undefined && isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === unknownKey);
      if (pair && isNode(pair.key)) return pair.key;
    }
    return node;
  }
  return undefined;
}

type Issue = z.core.$ZodIssue;

/**
 * A value of the right shape for one alternative of a union (a `speaker` mapping with a misspelt key) is
 * reported through that alternative's own issues, with their full paths, not as "no alternative matched".
 */
function flattenUnions(issues: readonly Issue[]): Issue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union' || issue.input === undefined) return [issue];
    const matching = issue.errors.find(
      (alternative) => !alternative.some((inner) => inner.code === 'invalid_type' && inner.path.length === 0),
    );
    if (!matching) return [issue];
    return flattenUnions(matching.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] }) as Issue));
  });
}

/** "Unexpected X, expected Y" phrasing for zod's issues, in English and Chinese. */
function describeIssue(issue: Issue, path: (string | number)[]): Bilingual {
  const field = path.length > 0 ? `\`${path.join('.')}\`` : 'front matter';
  const fieldZh = path.length > 0 ? `字段 ${path.join('.')}` : '开头的字段';
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) {
        return { en: `Missing field ${field}, expected ${issue.expected}`, zh: `缺少${fieldZh}：请补上这一项` };
      }
      return {
        en: `Unexpected ${typeName(issue.input)} in ${field}, expected ${issue.expected}`,
        zh: `${fieldZh} 的值写法不对（应为${typeNameZh(issue.expected)}）：请改正`,
      };
    case 'invalid_value': {
      const values = issue.values.map(String).join(', ');
      if (issue.input === undefined) {
        return { en: `Missing field ${field}, expected one of ${values}`, zh: `缺少${fieldZh}：请写上 ${values} 之一` };
      }
      return {
        en: `Unexpected ${field} value ${JSON.stringify(issue.input)}, expected one of ${values}`,
        zh: `${fieldZh} 的值 ${JSON.stringify(issue.input)} 不在可选范围内：请改为 ${values} 之一`,
      };
    }
    case 'unrecognized_keys': {
      const keys = issue.keys.map((key) => `\`${key}\``).join(', ');
      return {
        en: `Unexpected field${issue.keys.length > 1 ? 's' : ''} ${keys} in ${field}`,
        zh: `无法识别的字段 ${issue.keys.join('、')}：请检查拼写（字段名见 docs/source-format.md），或删去`,
      };
    }
    case 'invalid_union':
      if (issue.input === undefined) return { en: `Missing field ${field}`, zh: `缺少${fieldZh}：请补上这一项` };
      return {
        en: `Unexpected ${typeName(issue.input)} in ${field}, expected ${unionExpectation(issue)}`,
        zh: `${fieldZh} 的写法不对：请按 docs/source-format.md 中的格式填写`,
      };
    default:
      return {
        en: `Unexpected value in ${field}: ${issue.message}`,
        zh: `${fieldZh} 的值有误（${issue.message}）：请改正`,
      };
  }
}

function typeNameZh(expected: string): string {
  return { string: '文字', number: '数字', array: '列表', object: '若干子项' }[expected] ?? expected;
}

/** "text or list of text" from the alternatives' own expectations. */
function unionExpectation(issue: Extract<Issue, { code: 'invalid_union' }>): string {
  const expected = issue.errors.flatMap((alternative) =>
    alternative
      .filter((inner) => inner.code === 'invalid_type' && inner.path.length === 0)
      .map((inner) => (inner as { expected: string }).expected),
  );
  return expected.length > 0 ? [...new Set(expected)].join(' or ') : 'another form (see docs/source-format.md)';
}

function typeName(value: unknown): string {
  if (value === null) return 'empty value';
  if (Array.isArray(value)) return 'list';
  if (value instanceof Date) return 'date';
  return typeof value === 'object' ? 'mapping' : `${typeof value} ${JSON.stringify(value)}`;
}
