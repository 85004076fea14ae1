import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeScratchDir, removeScratchDir } from '../render/scratch.js';

const run = promisify(execFile);

/** An image as a PDF prints it: its pixels and its resolution at the size it is printed. */
export interface PrintedImage {
  page: number;
  width: number;
  height: number;
  /** The lower of the horizontal and vertical resolution, pixels per inch. */
  ppi: number;
}

/** Every image drawn in the PDF, read back with poppler's `pdfimages -list` (soft masks left out). */
export async function printedImages(pdf: Uint8Array): Promise<PrintedImage[]> {
  const scratch = await makeScratchDir('images');
  try {
    const file = path.join(scratch, 'print.pdf');
    await writeFile(file, pdf);
    const { stdout } = await run('pdfimages', ['-list', file], { maxBuffer: 16 * 1024 * 1024 }).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') {
          throw new Error(
            'Missing pdfimages (to check image resolution): install it with `apt-get install poppler-utils`',
          );
        }
        throw error;
      },
    );
    // page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
    return stdout
      .split('\n')
      .slice(2)
      .map((line) => line.trim().split(/\s+/))
      .filter((columns) => columns.length >= 14 && columns[2] === 'image')
      .map((columns) => ({
        page: Number(columns[0]),
        width: Number(columns[3]),
        height: Number(columns[4]),
        ppi: Math.min(Number(columns[12]), Number(columns[13])),
      }));
  } finally {
    await removeScratchDir(scratch);
  }
}
