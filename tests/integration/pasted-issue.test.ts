import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildIssue } from '../../src/api/build.js';
import { useBrowserAndTempDir } from '../helpers/browser.js';
import { compact, readPdf } from '../helpers/pdf.js';

const env = useBrowserAndTempDir('pasted');

const pasted = `---
publication: 上海市宝山区人民代表大会常务委员会公报
issuer: 上海市宝山区人民代表大会常务委员会
year: 2024
number: 3
date: 2024-07-15
profile: one-column
meetings:
  - number: 20
    name: 宝山区九届人大常委会第二十次会议
    date: 2024-05-29
  - number: 21
    name: 宝山区九届人大常委会第二十一次会议
    date: 2024-06-26
---

# 关于吴淞创新城建设推进情况的报告

——2024年5月29日在宝山区第九届人民代表大会常务委员会第二十次会议上

宝山区副区长　朱众伟

主任、各位副主任、各位委员：

根据安排，我向区人大常委会报告吴淞创新城建设推进情况。

## 一、基本情况

吴淞创新城规划总用地面积25.3平方公里。

# 关于接受孙晋等同志辞去区人大代表职务请求的决议

（2024年6月26日上海市宝山区第九届人民代表大会常务委员会第二十一次会议通过）

上海市宝山区第九届人民代表大会常务委员会第二十一次会议决定：接受孙晋同志辞去代表职务的请求。

上海市宝山区人民代表大会常务委员会

2024年6月26日
`;

describe('a whole issue pasted into one file with no ```yaml blocks builds', () => {
  it('prints each document with the fields its text states, grouped under the meeting it names', async () => {
    const file = path.join(env.dir, 'pasted-2024-03.md');
    await writeFile(file, pasted);
    const result = await buildIssue(file, { outDir: path.join(env.dir, 'out'), browser: env.browser });
    expect(result.issue.documents.map((document) => [document.meta.kind, document.meta.meeting])).toEqual([
      ['report', 20],
      ['resolution', 21],
    ]);
    const pdf = await readPdf(result.pdfPath);
    expect(pdf.outline.slice(1).map((meeting) => [meeting.title, meeting.children.length])).toEqual([
      ['宝山区九届人大常委会第二十次会议', 1],
      ['宝山区九届人大常委会第二十一次会议', 1],
    ]);
    const text = pdf.pages
      .slice(2)
      .map((page) => page.compact)
      .join('');
    // The title block as the fields print it; the lines are not repeated in the body.
    expect(text).toContain(compact('2024年5月29日在宝山区第九届人民代表大会常务委员会第二十次会议上'));
    expect(text).toContain('朱众伟');
    expect(text.split('朱众伟').length - 1).toBe(1);
    expect(text).toContain(compact('（2024年6月26日上海市宝山区第九届人民代表大会常务委员会第二十一次会议通过）'));
    expect(text.split(compact('上海市宝山区人民代表大会常务委员会2024年6月26日')).length - 1).toBe(1);
  });
});
