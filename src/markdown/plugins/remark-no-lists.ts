import type { Processor } from 'unified';

/**
 * Switches off Markdown lists and indented code. Chinese official documents number their own items
 * ("1. 实体化运作。…", "一、…") and indent nothing: a line starting with `1. ` or `- ` is an ordinary paragraph,
 * never a list that would renumber or re-indent what the office wrote.
 */
export default function remarkNoLists(this: Processor): void {
  const data = this.data();
  if (!data.micromarkExtensions) data.micromarkExtensions = [];
  data.micromarkExtensions.push({ disable: { null: ['list', 'codeIndented'] } });
}
