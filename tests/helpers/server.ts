import { cp } from 'node:fs/promises';
import path from 'node:path';
import { AlignmentType, Document, Packer, Paragraph, TextRun } from 'docx';
import JSZip from 'jszip';
import { addUser } from '../../src/server/accounts.js';
import { openDatabase } from '../../src/server/db.js';
import { useTempDirs } from './fixtures.js';

export const fixtureIssue = path.resolve('tests/fixtures/issues/mini-2024-01');

export interface ServerFolders {
  root: string;
  issuesDir: string;
  dataDir: string;
  archiveRoot: string;
  /** The fixture issue's folder in `issuesDir`. */
  issue: string;
}

/**
 * Temp folders for a page under test: an issues folder holding a copy of the mini fixture, the data folder
 * with two accounts (editor `zhang`, approver `wang`, password `password-1`), the archive folder. All removed
 * after the file's tests.
 */
export function useServerFolders(prefix: string): () => Promise<ServerFolders> {
  const tempDir = useTempDirs(prefix);
  return async () => {
    const root = await tempDir();
    const issuesDir = path.join(root, 'issues');
    const issue = path.join(issuesDir, 'mini-2024-01');
    await cp(fixtureIssue, issue, { recursive: true });
    const dataDir = path.join(root, 'data');
    const db = openDatabase(dataDir);
    await addUser(db, 'zhang', 'editor', password);
    await addUser(db, 'wang', 'approver', password);
    db.close();
    return { root, issuesDir, dataDir, archiveRoot: path.join(root, 'archive'), issue };
  };
}

export const password = 'password-1';

/** A report as a clerk types it in Word: centred title block, occasion naming the meeting, speaker, body. */
export async function reportDocx(): Promise<Buffer> {
  const centred = (text: string, bold = false) =>
    new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text, bold })] });
  const document = new Document({
    sections: [
      {
        children: [
          centred('关于本区垃圾分类工作情况的报告', true),
          centred('——2024年2月28日在示范区第一届人民代表大会常务委员会第五次会议上'),
          centred('区绿化和市容管理局局长  李明'),
          new Paragraph('主任、各位副主任、各位委员：'),
          new Paragraph('现将本区垃圾分类工作情况报告如下。'),
          new Paragraph('一、基本情况'),
          new Paragraph('全区生活垃圾分类达标率持续保持在95%以上，居民参与度不断提高。'),
          new Paragraph('以上报告，请予审议。'),
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}

/** A zip named .docx whose one entry inflates about a thousand times (20 MiB of zeros). */
export async function zipBomb(): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('[Content_Types].xml', '<Types/>');
  zip.file('word/document.xml', new Uint8Array(20 * 1024 * 1024));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}
