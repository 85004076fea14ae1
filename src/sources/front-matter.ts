import type { VFile } from 'vfile';
import type { z } from 'zod';
import { addError, type RuleId } from '../model/index.js';
import { parseYaml } from './yaml.js';

const frontMatterPattern = /^---[ \t]*\n([\s\S]*?)\n?^---[ \t]*$/m;

/**
 * Reads the YAML front matter at the top of a Markdown file and validates it. A file without front matter
 * gets one message at 1:1; the body keeps its place in the file (remark-frontmatter skips the block later).
 */
export function readFrontMatter<S extends z.ZodType>(
  file: VFile,
  schema: S,
  ruleId: RuleId,
): { data: z.output<S> | undefined; bodyOffset: number } {
  const text = String(file.value);
  const match = text.startsWith('---') ? frontMatterPattern.exec(text) : null;
  if (match?.index !== 0) {
    addError(file, 'Missing front matter, expected the file to start with a `---` line and YAML fields', {
      ruleId,
      place: { line: 1, column: 1 },
    });
    return { data: undefined, bodyOffset: 0 };
  }
  const yamlText = match[1] ?? '';
  if (yamlText.trim() === '') {
    addError(file, 'Unexpected empty front matter, expected the fields `kind`, `meeting` and `title` at least', {
      ruleId,
      place: { line: 1, column: 1 },
    });
    return { data: undefined, bodyOffset: match[0].length };
  }
  const offset = text.indexOf('\n') + 1;
  const data = parseYaml(file, yamlText, { offset, fallbackOffset: 0 }, schema, ruleId);
  return { data, bodyOffset: match[0].length };
}

/**
 * A document's body: its text after the front matter, trimmed. Two documents with one body are one document
 * twice (the check warns, an import refuses).
 */
export function documentBody(text: string): string {
  const match = text.startsWith('---') ? frontMatterPattern.exec(text) : null;
  return (match?.index === 0 ? text.slice(match[0].length) : text).trim();
}
