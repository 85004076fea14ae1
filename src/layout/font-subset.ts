import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Blob, Face } from 'harfbuzzjs';

/**
 * One font file per face and weight for the characters an issue uses, made with harfbuzz's hb-subset
 * (harfbuzzjs's wasm build). The composing stage is synchronous, and subset-font (the usual wrapper) is
 * asynchronous only; the subsetter's wasm needs no imports, so it is instantiated synchronously here and driven
 * through hb-subset's C API as subset-font drives it.
 */

/** Layout features the subset keeps: shaping, kerning, and the East Asian spacing `text-spacing-trim` uses. */
export const keptFeatures = [
  'ccmp',
  'locl',
  'liga',
  'clig',
  'calt',
  'kern',
  'mark',
  'mkmk',
  'palt',
  'halt',
  'chws',
  'vert',
  'vrt2',
  'vpal',
  'vhal',
  'vchw',
  'vkrn',
  'fwid',
  'hwid',
  'pwid',
] as const;

/** Bump when the way subsets are made changes, so cached files are made again. */
const subsetFormat = 1;
/** Cached subsets kept; the oldest beyond this are removed. */
const keptSubsets = 96;

const HB_MEMORY_MODE_WRITABLE = 2;
const HB_SUBSET_SETS_LAYOUT_FEATURE_TAG = 6;
const HB_SUBSET_FLAGS_NO_HINTING = 0x1;

interface SubsetWasm {
  memory: WebAssembly.Memory;
  _initialize(): void;
  malloc(size: number): number;
  free(pointer: number): void;
  hb_blob_create(data: number, length: number, mode: number, userData: number, destroy: number): number;
  hb_blob_destroy(blob: number): void;
  hb_blob_get_data(blob: number, length: number): number;
  hb_blob_get_length(blob: number): number;
  hb_face_create(blob: number, index: number): number;
  hb_face_destroy(face: number): void;
  hb_face_reference_blob(face: number): number;
  hb_set_add(set: number, value: number): void;
  hb_set_clear(set: number): void;
  hb_subset_input_create_or_fail(): number;
  hb_subset_input_destroy(input: number): void;
  hb_subset_input_unicode_set(input: number): number;
  hb_subset_input_set(input: number, which: number): number;
  hb_subset_input_get_flags(input: number): number;
  hb_subset_input_set_flags(input: number, flags: number): void;
  hb_subset_or_fail(face: number, input: number): number;
}

const require = createRequire(import.meta.url);
let wasm: SubsetWasm | undefined;

function subsetter(): SubsetWasm {
  if (!wasm) {
    const module = new WebAssembly.Module(readFileSync(require.resolve('harfbuzzjs/dist/harfbuzz-subset.wasm')));
    wasm = new WebAssembly.Instance(module).exports as unknown as SubsetWasm;
    wasm._initialize();
  }
  return wasm;
}

function tag(name: string): number {
  return [...name].reduce((value, char) => value * 256 + (char.codePointAt(0) as number), 0);
}

/** The font `source` cut down to the code points `codePoints` (and what its kept features reach from them). */
export function subsetFont(source: Uint8Array, codePoints: Iterable<number>): Uint8Array {
  const hb = subsetter();
  const input = hb.hb_subset_input_create_or_fail();
  if (input === 0) throw new Error('hb-subset could not start');
  const data = hb.malloc(source.byteLength);
  new Uint8Array(hb.memory.buffer).set(source, data);
  const blob = hb.hb_blob_create(data, source.byteLength, HB_MEMORY_MODE_WRITABLE, 0, 0);
  const face = hb.hb_face_create(blob, 0);
  hb.hb_blob_destroy(blob);
  try {
    const features = hb.hb_subset_input_set(input, HB_SUBSET_SETS_LAYOUT_FEATURE_TAG);
    hb.hb_set_clear(features);
    for (const feature of keptFeatures) hb.hb_set_add(features, tag(feature));
    // Hinting is for screens at small sizes; print is rasterised at the press's resolution.
    hb.hb_subset_input_set_flags(input, hb.hb_subset_input_get_flags(input) | HB_SUBSET_FLAGS_NO_HINTING);
    const unicodes = hb.hb_subset_input_unicode_set(input);
    for (const codePoint of codePoints) hb.hb_set_add(unicodes, codePoint);
    const subset = hb.hb_subset_or_fail(face, input);
    if (subset === 0) throw new Error('hb-subset failed: is the font file damaged?');
    const result = hb.hb_face_reference_blob(subset);
    const at = hb.hb_blob_get_data(result, 0);
    const bytes = new Uint8Array(hb.memory.buffer).slice(at, at + hb.hb_blob_get_length(result));
    hb.hb_blob_destroy(result);
    hb.hb_face_destroy(subset);
    return bytes;
  } finally {
    hb.hb_subset_input_destroy(input);
    hb.hb_face_destroy(face);
    hb.free(data);
  }
}

const codePointsOf = new Map<string, Set<number>>();

/** The code points a font file maps (its cmap), read once per process (subset files never change). */
export function fontCodePoints(file: string): Set<number> {
  let codePoints = codePointsOf.get(file);
  if (!codePoints) {
    codePoints = new Set(new Face(new Blob(readFileSync(file))).collectUnicodes());
    codePointsOf.set(file, codePoints);
  }
  return codePoints;
}

/**
 * What a subset of `source` is cut from and how, whatever the characters: the font file (path, size, time) and
 * the subsetter's settings. Every subset with the same identity gives a character the same glyph and metrics
 * (see `fontIdentity` in fonts.ts), so a layout depends on this, not on the subset's bytes.
 */
export function subsetIdentity(source: string): string {
  const info = statSync(source);
  return JSON.stringify([
    subsetFormat,
    keptFeatures,
    HB_SUBSET_FLAGS_NO_HINTING,
    path.resolve(source),
    info.size,
    info.mtimeMs,
  ]);
}

/** Where subsets are kept between builds. */
export const defaultSubsetCache = path.join(os.homedir(), '.cache', 'gazette', 'fonts');

/**
 * The subset of `source` for `codePoints`, from the cache folder when a build has made it before (the file name
 * is a hash of the source font, the code points and the subset format), made and kept there otherwise.
 */
export function cachedSubset(source: string, codePoints: readonly number[], cacheDir = defaultSubsetCache): string {
  const sorted = [...new Set(codePoints)].sort((a, b) => a - b);
  const key = createHash('sha256')
    .update(JSON.stringify([subsetIdentity(source), sorted]))
    .digest('hex')
    .slice(0, 24);
  const file = path.join(cacheDir, `${path.basename(source, path.extname(source))}-${key}.ttf`);
  if (touchSubset(file)) return file;
  mkdirSync(cacheDir, { recursive: true });
  const temporary = `${file}.${randomUUID()}.tmp`;
  writeFileSync(temporary, subsetFont(readFileSync(source), sorted));
  renameSync(temporary, file);
  pruneCache(cacheDir);
  return file;
}

/**
 * Marks a cached subset as used now; false when it is not there. The cache keeps the most recently used, and one
 * a build is loading must not be pruned by another build meanwhile (the page would measure its lines in a
 * fallback face).
 */
export function touchSubset(file: string): boolean {
  try {
    const now = new Date();
    utimesSync(file, now, now);
    return true;
  } catch {
    return false;
  }
}

function pruneCache(cacheDir: string): void {
  const usedAt = (file: string) => {
    try {
      return statSync(file).mtimeMs;
    } catch {
      return Number.POSITIVE_INFINITY; // removed by another build meanwhile
    }
  };
  const files = readdirSync(cacheDir)
    .filter((name) => name.endsWith('.ttf'))
    .map((name) => ({ file: path.join(cacheDir, name), used: usedAt(path.join(cacheDir, name)) }))
    .sort((a, b) => b.used - a.used);
  // Beyond the count, only subsets no build has used for an hour: a running build may still be loading the others.
  const stale = Date.now() - 3_600_000;
  for (const { file, used } of files.slice(keptSubsets)) if (used < stale) rmSync(file, { force: true });
}
