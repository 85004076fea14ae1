import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Root as HastRoot } from 'hast';
import rehypeParse from 'rehype-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { type BlockPosition, type BodyPartSource, frontAnchor, type PartWindow } from '../layout/compose.js';
import { serialiseHtml } from '../layout/serialise.js';
import { type ContentsLinkBox, type PageSnapshot, pagedPolyfill, renderModules } from '../render/render-pdf.js';
import { writeFileAtomic } from '../sources/write-atomic.js';
import { tool } from './version.js';

/**
 * The layout cache: the pages paged.js laid out for each part of an issue, kept between builds. A rebuild after
 * an edit lays out only from the last page that starts before the first changed block (and, where every
 * document starts on a new page, only through the last changed document); the other pages come from the cache.
 *
 * This is exact because a page's layout depends only on what flows from its start: the running head is the
 * same on every page, the folio is a counter, and left and right pages have the same measure. A page that
 * starts inside a paragraph or a table is never a place to resume; a page that starts at a block is.
 */
export interface CachedPart {
  format: typeof cacheFormat;
  /** Everything but the documents that the pages depend on (see `layoutKey`). */
  key: string;
  anchors: string[];
  /** Document anchor → hashes of its title block and body blocks (BodyPartSource.blocks). */
  blocks: Record<string, string[]>;
  /** The page around the pages, with paged.js's styles (LayoutSnapshot.frame). */
  frame: string;
  pages: PageSnapshot[];
  /** Where the contents lines sit on their pages, as read from these pages (none but in the first part). */
  links: ContentsLinkBox[];
}

/** 2: the first part holds the cover and contents (`frontAnchor`); 3: with the contents lines' boxes. */
const cacheFormat = 3;

/**
 * The cached contents lines' boxes when the plan keeps every page they are on where it was, the same page at the
 * same number: the pages need not be laid out on screen to read them again.
 */
export function keptLinks(cached: CachedPart | undefined, plan: LayoutPlan): ContentsLinkBox[] | undefined {
  if (!cached || plan.kind === 'fresh') return undefined;
  const pages = plan.kind === 'reuse' ? plan.pages : plan.before;
  let kept = 0;
  while (kept < pages.length && pages[kept] === cached.pages[kept]?.html) kept++;
  return cached.links.every((link) => link.page <= kept) ? cached.links : undefined;
}

/** What to lay out for a part, given what the cache holds. */
export type LayoutPlan =
  | { kind: 'fresh'; why: string }
  /** Nothing to lay out: these cached pages, in order, are the part. */
  | { kind: 'reuse'; pages: string[] }
  /** Lay out `window`; the cached pages `before` and `after` go around its pages. */
  | { kind: 'resume'; window: PartWindow; before: string[]; after: string[] };

/**
 * Compares a part with its cached layout. `independentDocuments`: every document starts on a new page with
 * nothing carried over (the two-column profile), so documents after the changed ones keep their pages too.
 */
export function planLayout(
  cached: CachedPart | undefined,
  part: Pick<BodyPartSource, 'anchors' | 'blocks'>,
  key: string,
  independentDocuments: boolean,
): LayoutPlan {
  if (!cached) return { kind: 'fresh', why: 'nothing cached' };
  if (cached.format !== cacheFormat || cached.key !== key) {
    return { kind: 'fresh', why: 'styles, fonts, scripts or browser changed' };
  }
  const same = (anchor: string | undefined, other: string | undefined) =>
    anchor !== undefined && anchor === other && sameBlocks(part.blocks[anchor], cached.blocks[anchor]);
  let prefix = 0;
  while (prefix < part.anchors.length && same(part.anchors[prefix], cached.anchors[prefix])) prefix++;
  if (prefix === part.anchors.length && prefix === cached.anchors.length) {
    return { kind: 'reuse', pages: cached.pages.map((page) => page.html) };
  }

  if (independentDocuments) {
    const groups = pagesByDocument(cached.pages);
    if (!groups) return { kind: 'fresh', why: 'a cached document does not start a page' };
    let suffix = 0;
    const room = Math.min(part.anchors.length, cached.anchors.length) - prefix;
    while (suffix < room && same(part.anchors.at(-1 - suffix), cached.anchors.at(-1 - suffix))) suffix++;
    // The cover and contents are laid out with the first document: the blank page that puts it on a right-hand
    // page (kept with the contents' pages) comes only from a layout that has both.
    if (part.anchors[prefix] === frontAnchor && part.anchors.length - suffix === prefix + 1) {
      suffix = Math.max(0, suffix - 1);
    }
    const kept = [...part.anchors.slice(0, prefix), ...part.anchors.slice(part.anchors.length - suffix)];
    if (kept.some((anchor) => !groups.has(anchor))) return { kind: 'fresh', why: 'a cached document has no pages' };
    const pagesOf = (anchors: string[]) => anchors.flatMap((anchor) => groups.get(anchor) ?? []);
    const before = pagesOf(part.anchors.slice(0, prefix));
    const after = pagesOf(part.anchors.slice(part.anchors.length - suffix));
    const changed = part.anchors.slice(prefix, part.anchors.length - suffix);
    if (changed.length === 0) return { kind: 'reuse', pages: [...before, ...after] };
    return {
      kind: 'resume',
      window: { from: { anchor: changed[0] as string, block: 0 }, through: changed.at(-1) },
      before,
      after,
    };
  }

  // Documents run on: resume at the last page that starts at a block before the first change, lay out the rest.
  // The pages to resume at start in the unchanged documents, or in the first changed one at or before its
  // first changed block (when it is the same document, edited).
  const edited = part.anchors[prefix] === cached.anchors[prefix] ? part.anchors[prefix] : undefined;
  const changedBlock = edited ? firstDifference(part.blocks[edited] ?? [], cached.blocks[edited] ?? []) : 0;
  const unchanged = new Set(part.anchors.slice(0, prefix));
  const resumable = (start: BlockPosition | null): start is BlockPosition =>
    start !== null && (unchanged.has(start.anchor) || (start.anchor === edited && start.block <= changedBlock));
  let resumeAt = -1;
  cached.pages.forEach((page, index) => {
    if (resumable(page.start)) resumeAt = index;
  });
  const from = cached.pages[resumeAt]?.start;
  if (resumeAt <= 0 || !from) return { kind: 'fresh', why: 'the change is on the first page' };
  return {
    kind: 'resume',
    window: { from },
    before: cached.pages.slice(0, resumeAt).map((page) => page.html),
    after: [],
  };
}

function sameBlocks(a: string[] | undefined, b: string[] | undefined): boolean {
  return a !== undefined && b !== undefined && a.length === b.length && a.every((hash, index) => hash === b[index]);
}

function firstDifference(a: string[], b: string[]): number {
  let index = 0;
  while (index < a.length && index < b.length && a[index] === b[index]) index++;
  return index;
}

/**
 * Pages by the document they belong to, each document's first page starting at its title block; undefined if
 * a page starts in another document than the one before it (the documents do not each start a page).
 */
function pagesByDocument(pages: PageSnapshot[]): Map<string, string[]> | undefined {
  const groups = new Map<string, string[]>();
  let current: { anchor: string; pages: string[] } | undefined;
  for (const page of pages) {
    if (page.start?.block === 0) {
      current = { anchor: page.start.anchor, pages: [] };
      groups.set(current.anchor, current.pages);
    } else if (!current || (page.start && page.start.anchor !== current.anchor)) {
      return undefined;
    }
    current.pages.push(page.html);
  }
  return groups;
}

/**
 * The cache key of a part: its frame (head, page rules, and the fonts by what their subsets are cut from) and
 * everything outside the HTML that shapes the pages: this tool's version, the browser's, paged.js, the render
 * module, the page scripts and stylesheets and the images they load (by content: a file's time changes whenever
 * a build reuses it). The font subsets are not read: they hold the characters of the part's text, so an edit
 * that brings in a character makes new ones, but a character's glyph and metrics are those of the font it was cut
 * from in every subset (fonts.ts, `fontIdentity`), and the frame names that font.
 */
export async function layoutKey(
  part: Pick<BodyPartSource, 'frame' | 'assets' | 'fonts'>,
  scripts: readonly string[],
  browserVersion: string,
): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify([cacheFormat, tool.version, browserVersion, part.frame]));
  const code = [pagedPolyfill, ...renderModules, ...scripts];
  const fonts = new Set(part.fonts);
  for (const file of [...code, ...part.assets.filter((asset) => !fonts.has(asset))]) {
    hash.update(file).update(await readFile(file).catch(() => new Uint8Array()));
  }
  return hash.digest('hex');
}

/**
 * Where the key that signs cache entries is kept: in the user's data folder, not beside the cache, so that whoever
 * can write into a shared output folder cannot forge an entry.
 */
export const defaultCacheKeyFile = path.join(os.homedir(), '.local', 'share', 'gazette', 'cache-key');

/**
 * A folder of cached layouts, one file per issue part. An entry is signed (HMAC-SHA256 with a key of this user
 * on this machine) and holds no script: what is read back is what this tool wrote, or it is not used.
 */
export class LayoutCache {
  private key: Promise<Buffer> | undefined;

  constructor(
    readonly dir: string,
    private readonly keyFile = defaultCacheKeyFile,
  ) {}

  private file(issueId: string, part: number): string {
    return path.join(this.dir, issueId, `part-${part}.json`);
  }

  /** The cached part, or undefined (none, unreadable, of another format, or not signed by this user's key). */
  async read(issueId: string, part: number): Promise<CachedPart | undefined> {
    const cached = (await this.readSigned(issueId, part)) as CachedPart | undefined;
    return cached?.format === cacheFormat && Array.isArray(cached.pages) && Array.isArray(cached.links)
      ? cached
      : undefined;
  }

  private async readSigned(issueId: string, part: number): Promise<unknown> {
    try {
      const text = await readFile(this.file(issueId, part), 'utf8');
      const newline = text.indexOf('\n');
      const mac = Buffer.from(text.slice(0, newline), 'hex');
      const body = text.slice(newline + 1);
      const expected = await this.sign(issueId, part, body);
      if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) return undefined;
      return JSON.parse(body);
    } catch {
      return undefined;
    }
  }

  async write(issueId: string, part: number, cached: Omit<CachedPart, 'format'>): Promise<void> {
    const clean = {
      ...cached,
      frame: withoutScripts(cached.frame, false),
      pages: cached.pages.map((page) => ({ ...page, html: withoutScripts(page.html, true) })),
    };
    await this.writeSigned(issueId, part, JSON.stringify({ format: cacheFormat, ...clean }));
  }

  private async writeSigned(issueId: string, part: number, body: string): Promise<void> {
    const mac = await this.sign(issueId, part, body);
    await writeFileAtomic(this.file(issueId, part), `${mac.toString('hex')}\n${body}`);
  }

  private async sign(issueId: string, part: number, body: string): Promise<Buffer> {
    this.key ??= machineKey(this.keyFile);
    return createHmac('sha256', await this.key)
      .update(`${issueId}\0${part}\0`)
      .update(body)
      .digest();
  }
}

/** The key in `file`, made (32 random bytes, readable by this user only) if there is none yet. */
async function machineKey(file: string): Promise<Buffer> {
  const existing = await readFile(file).catch(() => undefined);
  if (existing && existing.length >= 32) return existing;
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  // 'wx': two builds starting together keep the key the first one wrote.
  const written = await writeFile(file, key, { flag: 'wx', mode: 0o600 }).then(
    () => true,
    () => false,
  );
  return written ? key : readFile(file);
}

/**
 * What parsing must look at: a script element starts `<script`; an attribute's name follows a space, a slash or a
 * value's closing quote; a javascript: URL without a character reference (`&`) spells "javascript". Pages as
 * Chromium writes them have none of these and are kept without being parsed.
 */
const mayHoldScripts = /<script|[\s"'/]on|javascript|&/i;

/** The HTML without <script> elements, event-handler attributes or javascript: URLs (the pages need none). */
function withoutScripts(html: string, fragment: boolean): string {
  if (!mayHoldScripts.test(html)) return html;
  const tree = unified().use(rehypeParse, { fragment }).parse(html) as HastRoot;
  let changed = false;
  visit(tree, 'element', (node, index, parent) => {
    if (node.tagName === 'script' && parent && index !== undefined) {
      parent.children.splice(index, 1);
      changed = true;
      return index;
    }
    for (const name of Object.keys(node.properties)) {
      const value = String(node.properties[name]);
      if (/^on/i.test(name) || /^\s*javascript:/i.test(value)) {
        delete node.properties[name];
        changed = true;
      }
    }
    return undefined;
  });
  // Pages with nothing to strip stay exactly as the browser wrote them.
  if (!changed) return html;
  return fragment ? serialiseHtml(tree) : `<!doctype html>\n${serialiseHtml(tree)}`;
}
