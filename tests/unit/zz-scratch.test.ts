import { toHtml } from 'hast-util-to-html';
import { VFile } from 'vfile';
import { test } from 'vitest';
import { bodyToHast } from '../../src/markdown/processor.js';

test('scratch', async () => {
  const c = process.env.CASE as string;
  const file = new VFile({ path: 'x.md', value: c });
  const tree = await bodyToHast(file);
  console.log(toHtml(tree));
});
