import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeScratchDir, removeScratchDir } from '../render/scratch.js';

const run = promisify(execFile);

const missing = (what: string) =>
  new Error(`Missing Ghostscript (for ${what}): install it with \`apt-get install ghostscript\``);

/** An ICC profile Ghostscript ships (Debian package libgs-common, installed with ghostscript). */
export function ghostscriptProfile(name: string, what: string): string {
  const root = '/usr/share/ghostscript';
  const versions = existsSync(root) ? readdirSync(root) : [];
  for (const version of versions.sort().reverse()) {
    const file = path.join(root, version, 'iccprofiles', name);
    if (existsSync(file)) return file;
  }
  throw missing(what);
}

/** A PostScript string literal. */
export function psString(text: string): string {
  return `(${text.replace(/[()\\]/g, (char) => `\\${char}`)})`;
}

/**
 * The pdfmark program that gives the written PDF an output intent with `profile` embedded (Ghostscript's
 * PDFA_def.ps and PDFX_def.ps, with our values).
 */
export function outputIntentDefinition(intent: {
  profile: string;
  channels: number;
  subtype: 'GTS_PDFA1' | 'GTS_PDFX';
  condition: string;
  info: string;
  registry?: string;
}): string {
  const registry = intent.registry ? ` /RegistryName ${psString(intent.registry)}` : '';
  return `%!
[/_objdef {icc_intent} /type /stream /OBJ pdfmark
[{icc_intent} << /N ${intent.channels} >> /PUT pdfmark
[{icc_intent} ${psString(intent.profile)} (r) file /PUT pdfmark
[/_objdef {output_intent} /type /dict /OBJ pdfmark
[{output_intent} << /Type /OutputIntent /S /${intent.subtype} /DestOutputProfile {icc_intent} /OutputConditionIdentifier ${psString(intent.condition)}${registry} /Info ${psString(intent.info)} >> /PUT pdfmark
[{Catalog} << /OutputIntents [ {output_intent} ] >> /PUT pdfmark
`;
}

/**
 * Runs Ghostscript's pdfwrite on `input` with `args` and a pdfmark `definition` read before it, in a scratch
 * folder removed afterwards; `readable` are the files it may open (ICC profiles). The clock it writes is the
 * document's date (SOURCE_DATE_EPOCH).
 */
export async function ghostscriptPdfWrite(
  input: Uint8Array,
  options: { args: string[]; definition: string; readable: string[]; date: Date; what: string },
): Promise<Uint8Array> {
  const scratch = await makeScratchDir('gs');
  try {
    const inputPath = path.join(scratch, 'in.pdf');
    const output = path.join(scratch, 'out.pdf');
    const definition = path.join(scratch, 'def.ps');
    await writeFile(inputPath, input);
    await writeFile(definition, options.definition);
    await run(
      'gs',
      [
        '-q',
        '-dBATCH',
        '-dNOPAUSE',
        '-dNOOUTERSAVE',
        '-sDEVICE=pdfwrite',
        // Ghostscript 10.0's new PDF interpreter mixes up the ToUnicode maps of Chromium's tagged PDF (its many
        // subsets of one face): the text copied or searched in the file came out wrong. The PostScript one keeps them.
        '-dNEWPDF=false',
        ...options.args,
        ...options.readable.map((file) => `--permit-file-read=${file}`),
        `-sOutputFile=${output}`,
        definition,
        inputPath,
      ],
      {
        env: { ...process.env, SOURCE_DATE_EPOCH: String(Math.floor(options.date.getTime() / 1000)) },
        maxBuffer: 64 * 1024 * 1024,
      },
    ).catch((error: NodeJS.ErrnoException & { stderr?: string }) => {
      if (error.code === 'ENOENT') throw missing(options.what);
      throw new Error(`Ghostscript could not make ${options.what}: ${error.stderr || error.message}`);
    });
    return new Uint8Array(await readFile(output));
  } finally {
    await removeScratchDir(scratch);
  }
}

/** Runs Ghostscript on a PDF for what it prints (the bbox and inkcov devices), in a scratch folder. */
export async function ghostscriptRead(input: Uint8Array, args: string[], what: string): Promise<string> {
  const scratch = await makeScratchDir('gs');
  try {
    const inputPath = path.join(scratch, 'in.pdf');
    await writeFile(inputPath, input);
    const { stdout, stderr } = await run('gs', ['-q', '-dBATCH', '-dNOPAUSE', ...args, inputPath], {
      maxBuffer: 64 * 1024 * 1024,
    }).catch((error: NodeJS.ErrnoException & { stderr?: string }) => {
      if (error.code === 'ENOENT') throw missing(what);
      throw new Error(`Ghostscript could not read the PDF for ${what}: ${error.stderr || error.message}`);
    });
    return `${stdout}${stderr}`;
  } finally {
    await removeScratchDir(scratch);
  }
}
