import type { VFileMessage } from 'vfile-message';
import { ruleIds, say } from '../model/index.js';
import { finding } from './finding.js';

/**
 * What stands for text still to be written: the scaffold's 待填写, 待补充, TODO notes, and ××× / XXX where a
 * name or number goes. None of them is ever printed in a gazette.
 */
const placeholderPattern = /待填写|待补充|待定稿|TODO|×{2,}|X{3,}|○{3,}/gu;

/** An import's guess: `# REVIEW` or `# REVIEW: why` after a field. */
const reviewPattern = /#[ \t]*REVIEW\b(?::[ \t]*(.*))?/u;

/**
 * `placeholder` and `review-mark` over the raw text of a source file (front matter, comments and body alike):
 * one error per place, at its line and column. These are what `build` refuses unless `--draft`.
 */
export function checkUnfinished(text: string, file: string): VFileMessage[] {
  const findings: VFileMessage[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    const review = reviewPattern.exec(line);
    if (review) {
      findings.push(
        finding(file, say.reviewMark((review[1] ?? '').trim()), {
          place: { line: index + 1, column: review.index + 1 },
          ruleId: ruleIds.reviewMark,
          fatal: true,
        }),
      );
    }
    const comment = line.search(/(?:^|[ \t])#/u);
    for (const match of line.matchAll(placeholderPattern)) {
      if (review && match.index >= review.index) continue;
      const inComment = comment >= 0 && match.index > comment;
      findings.push(
        finding(file, inComment ? say.todoComment(match[0]) : say.placeholder(match[0]), {
          place: { line: index + 1, column: match.index + 1 },
          ruleId: ruleIds.placeholder,
          fatal: true,
        }),
      );
    }
  }
  return findings;
}
