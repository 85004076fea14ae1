import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { issueYml, makeIssue, runCli } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/fixtures.js';

/** Word files from other departments are unpacked only within bounds: a zip bomb is refused before it unpacks. */
const tempDir = useTempDirs('security-word');

/** A .docx (zip) of these parts, deflated by zlib; `declare` overrides the uncompressed size a part claims. */
function zip(parts: { name: string; data: Buffer; declare?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name);
    const packed = deflateRawSync(part.data);
    const fields = (header: Buffer, at: number) => {
      header.writeUInt16LE(20, at); // version needed
      header.writeUInt16LE(0, at + 2); // flags
      header.writeUInt16LE(8, at + 4); // deflate
      header.writeUInt32LE(0, at + 6); // time and date
      header.writeUInt32LE(crc32(part.data) >>> 0, at + 10);
      header.writeUInt32LE(packed.length, at + 14);
      header.writeUInt32LE(part.declare ?? part.data.length, at + 18);
      header.writeUInt16LE(name.length, at + 22);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    fields(local, 4);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    fields(central, 6);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const contentTypes = Buffer.from(
  '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
);
const rels = Buffer.from(
  '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
);
const documentXml = (text: string) =>
  Buffer.from(
    `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:body></w:document>`,
  );

async function importInto(docx: Buffer): Promise<{ code: number; stderr: string; written: string[] }> {
  const issue = await makeIssue({ 'issue.yml': issueYml });
  const file = path.join(await tempDir(), '报告.docx');
  await writeFile(file, docx);
  const result = await runCli(['import', file, '--into', issue]);
  return { ...result, written: (await readdir(issue)).filter((name) => name.endsWith('.md')) };
}

describe('point 8: a zip bomb is refused before it unpacks', () => {
  it('a Word file declaring 300 MB unpacked (from a few hundred KB) is refused with a message, nothing written', async () => {
    const bomb = zip([
      { name: '[Content_Types].xml', data: contentTypes },
      { name: '_rels/.rels', data: rels },
      { name: 'word/document.xml', data: documentXml('正文') },
      { name: 'word/padding.xml', data: Buffer.alloc(300 * 2 ** 20, 0x20) },
    ]);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const result = await importInto(bomb);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/报告\.docx:1:1: error \S+ Unexpected file: the Word file would unpack to 300 MB/);
    expect(result.written).toEqual([]);
  });

  it('a part that unpacks to more than its directory entry declares is refused', async () => {
    const liar = zip([
      { name: '[Content_Types].xml', data: contentTypes },
      { name: '_rels/.rels', data: rels },
      { name: 'word/document.xml', data: documentXml('正文'.repeat(100_000)), declare: 1000 },
    ]);
    const result = await importInto(liar);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/word\/document\.xml unpacks to more than it declares/);
  });
});
