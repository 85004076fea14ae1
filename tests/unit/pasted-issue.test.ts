import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { checkIssue } from '../../src/check/index.js';
import { formatMessage, type Issue, speakersOf } from '../../src/model/index.js';
import { readIssue } from '../../src/sources/read-issue.js';
import { useTempDirs } from '../helpers/fixtures.js';

const tempDir = useTempDirs('pasted');

/**
 * An issue as staff paste it into one file: the issue's fields, then per document its `#` title and the lines
 * the printed page shows under it (adoption note, session, occasion, speaker, salutation), its body and its
 * signature, and no ```yaml block at all.
 */
function pastedIssue(issue: Issue): string {
  const { documents: _listed, ...config } = issue.config;
  const parts = ['---', stringify(config).trim(), '---', ''];
  for (const document of issue.documents) {
    const meta = document.meta;
    parts.push(`# ${[meta.title].flat().join('')}`, '');
    if (meta.adopted) parts.push(`（${meta.adopted}）`, '');
    if (meta.session) parts.push(`（${meta.session}）`, '');
    if (meta.occasion) parts.push(`——${meta.occasion}`, '');
    for (const speaker of speakersOf(meta)) parts.push(`${[speaker.post].flat().join('')}　${speaker.name}`, '');
    if (meta.salutation) parts.push(meta.salutation, '');
    parts.push(
      String(document.file.value)
        .replace(/^---\n[\s\S]*?\n---\n/, '')
        .trim(),
      '',
    );
    for (const line of meta.signature ?? []) parts.push(line, '');
  }
  return parts.join('\n');
}

const stated = ['kind', 'meeting', 'adopted', 'session', 'occasion', 'speaker', 'salutation', 'signature'] as const;

describe('a whole issue pasted into one Markdown file, without ```yaml blocks', () => {
  for (const name of ['baoshan-2024-03', 'hongkou-2024-03']) {
    test(`${name}: the fields the text states are read as the folder states them`, async () => {
      const folder = await readIssue(path.resolve('issues', name));
      const file = path.join(await tempDir(), `${name}.md`);
      await writeFile(file, pastedIssue(folder));
      const pasted = await readIssue(file);
      expect(pasted.documents.map((document) => document.meta.title)).toEqual(
        folder.documents.map((document) => [document.meta.title].flat().join('')),
      );
      const differences = folder.documents.flatMap((document, index) => {
        const read = pasted.documents[index]?.meta as Record<string, unknown>;
        return stated
          .filter((field) => JSON.stringify(read[field]) !== JSON.stringify(document.meta[field]))
          .map((field) => `${document.id} ${field}: ${JSON.stringify(read[field])}`);
      });
      // What the text cannot tell: a written report titled "…的报告", two posts pasted as one line.
      expect(differences).toEqual(
        {
          'baoshan-2024-03': [
            '29-research-report-natural-resources speaker: {"post":"区人大财政经济委员会副主任委员区人大常委会预算工作委员会主任","name":"黄雁芳"}',
            '30-written-report-state-assets kind: "report"',
          ],
          'hongkou-2024-03': ['20-written-report-state-assets-overview kind: "report"'],
        }[name],
      );
    });
  }

  test('only real guesses are marked, as warnings at the title; the issue checks without errors', async () => {
    const folder = await readIssue(path.resolve('issues', 'baoshan-2024-03'));
    const file = path.join(await tempDir(), 'baoshan.md');
    const text = pastedIssue(folder);
    await writeFile(file, text);
    const { findings } = await checkIssue(file);
    expect(findings.filter((message) => message.fatal)).toEqual([]);
    const guesses = findings.filter((message) => message.ruleId === 'guessed-field');
    // The duty reports, written reports and announcement name no meeting: each is taken from the one before.
    const lines = text.split('\n');
    const guessedTitles = guesses.map((message) => lines[(message.line ?? 0) - 1]);
    expect(guessedTitles).toContain('# 履职情况报告');
    for (const title of guessedTitles) {
      const documents = folder.documents.filter((candidate) => `# ${[candidate.meta.title].flat().join('')}` === title);
      expect(documents.length, title).toBeGreaterThan(0);
      for (const document of documents) {
        expect(document.meta.occasion, title).toBeUndefined();
        expect(document.meta.adopted ?? '', title).not.toMatch(/第.+次会议/);
      }
    }
    expect(guesses.map(formatMessage)[0]).toMatch(/taken as meeting 20, as the document before it/);
    // Every document whose text names its meeting is read without a warning.
    expect(guesses.length).toBeLessThan(folder.documents.length / 3);
  });
});
