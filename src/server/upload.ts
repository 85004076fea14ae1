/** What a Word upload must be before anything of it is read or written. */
export class UploadRefusedError extends Error {
  override name = 'UploadRefusedError';
}

/** Limits of an uploaded .docx: the file itself, and what its zip says it unpacks to. */
export const uploadLimits = {
  fileBytes: 20 * 1024 * 1024,
  unpackedBytes: 200 * 1024 * 1024,
  /** A Word file's XML packs about 5–20 to 1; a bomb packs thousands to 1. */
  ratio: 200,
  entries: 5000,
};

/**
 * Checks an uploaded file is a .docx that is safe to unpack, from its name and its zip's central directory
 * alone (nothing is inflated): a zip, with `word/document.xml`, no more entries or unpacked bytes than a
 * Word file has, and no entry packed like a zip bomb. Throws UploadRefusedError with what to do.
 */
export function checkDocxUpload(name: string, bytes: Uint8Array): void {
  if (/\.doc$/i.test(name)) {
    throw new UploadRefusedError(`${name} 是旧的 Word 97-2003 .doc 文件：请在 Word 或 WPS 中“另存为”.docx 后再上传`);
  }
  if (!/\.docx$/i.test(name)) throw new UploadRefusedError(`${name} 不是 Word 文件：只能上传 .docx 文件`);
  if (bytes.byteLength > uploadLimits.fileBytes) {
    throw new UploadRefusedError(`${name} 太大（超过 20 MB）：请去掉图片后再上传`);
  }
  const entries = centralDirectory(bytes, name);
  if (entries.length > uploadLimits.entries)
    throw new UploadRefusedError(`${name} 含有的文件过多，不是正常的 Word 文件`);
  if (!entries.some((entry) => entry.name === 'word/document.xml')) {
    throw new UploadRefusedError(`${name} 不是 Word 文档（缺少 word/document.xml）：请用 Word 或 WPS 另存为 .docx`);
  }
  let unpacked = 0;
  for (const entry of entries) {
    unpacked += entry.size;
    const ratio = entry.size / Math.max(entry.packed, 1);
    if (unpacked > uploadLimits.unpackedBytes || (entry.size > 1024 * 1024 && ratio > uploadLimits.ratio)) {
      throw new UploadRefusedError(`${name} 解压后过大（疑似“压缩炸弹”），已拒绝，未写入任何文件`);
    }
  }
}

interface ZipEntry {
  name: string;
  size: number;
  packed: number;
}

/** The zip's central directory (APPNOTE 4.3.12, 4.3.16): each entry's name and sizes. */
function centralDirectory(bytes: Uint8Array, name: string): ZipEntry[] {
  const notZip = () =>
    new UploadRefusedError(`${name} 不是有效的 .docx 文件（不是 zip 格式）：请用 Word 或 WPS 另存为 .docx`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 22 || view.getUint32(0, true) !== 0x04034b50) throw notZip();
  // The end-of-central-directory record sits within the last 22 + 65535 bytes (its comment is at most 64 KiB).
  let end = -1;
  for (let at = bytes.byteLength - 22; at >= Math.max(0, bytes.byteLength - 22 - 65_535); at--) {
    if (view.getUint32(at, true) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) throw notZip();
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  if (count === 0xffff || at === 0xffffffff) {
    throw new UploadRefusedError(`${name} 是 zip64 格式，不是 Word 保存的 .docx：请用 Word 或 WPS 另存为 .docx`);
  }
  const entries: ZipEntry[] = [];
  const decoder = new TextDecoder();
  for (let index = 0; index < count; index++) {
    if (at + 46 > bytes.byteLength || view.getUint32(at, true) !== 0x02014b50) throw notZip();
    const packed = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    if (packed === 0xffffffff || size === 0xffffffff) {
      throw new UploadRefusedError(`${name} 是 zip64 格式，不是 Word 保存的 .docx：请用 Word 或 WPS 另存为 .docx`);
    }
    entries.push({ name: decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)), size, packed });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
