import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Root as HastRoot } from 'hast';
import type { VFileMessage } from 'vfile-message';
import type { DocumentChecks, DocumentChecksMemo } from '../check/index.js';
import type { GazetteDocument, Issue } from '../model/index.js';

/** What one document's check and Markdown → HTML gave, for one state of everything they read. */
interface Entry {
  key: string;
  checks?: DocumentChecks;
  /** Its HTML tree as made (handed out as copies: later stages may change theirs). */
  hast?: HastRoot;
  /** What reading its Markdown and making its HTML reported on its file. */
  messages?: VFileMessage[];
  images?: string[];
}

/**
 * A document's check findings and HTML tree kept between builds of one issue (the preview's and the office
 * page's rebuilds), so a save checks and converts only what changed. An entry is used only while its key is
 * unchanged: the document's file name and text, its id and fields, the issue's folder and settings (issue.yml,
 * the meetings its fields are checked against) and every other file in the issue folder (images it shows or
 * refers to; a file's size and time). Rules across documents (duplicate titles, meeting order) and the
 * composition of the issue (contents, numbering, first document) are not cached: they run on every build.
 */
export class DocumentCache {
  private readonly entries = new Map<string, Entry>();

  /** One build's view: keys computed once for the sources as read. */
  async forIssue(issue: Issue): Promise<IssueDocuments> {
    const documents = new Set(issue.documents.map((document) => path.resolve(document.file.path)));
    const files = await folderStamp(issue.baseDir, documents);
    const settings = JSON.stringify([issue.source, issue.baseDir, issue.config, files]);
    const keys = new Map<GazetteDocument, string>();
    for (const document of issue.documents) {
      keys.set(
        document,
        createHash('sha256')
          .update(
            JSON.stringify([settings, document.file.path, document.id, document.meta, String(document.file.value)]),
          )
          .digest('hex'),
      );
    }
    const entryOf = (document: GazetteDocument): Entry => {
      const key = keys.get(document);
      if (key === undefined) throw new Error(`${document.id} is not a document of ${issue.id}`);
      let entry = this.entries.get(entryName(document));
      if (entry?.key !== key) {
        entry = { key };
        this.entries.set(entryName(document), entry);
      }
      return entry;
    };
    // Documents no longer in the issue are dropped.
    const names = new Set(issue.documents.map(entryName));
    for (const name of this.entries.keys()) if (!names.has(name)) this.entries.delete(name);
    return new IssueDocuments(entryOf);
  }
}

/** The cache for one build of an issue: its check memo and its HTML trees. */
export class IssueDocuments {
  constructor(private readonly entryOf: (document: GazetteDocument) => Entry) {}

  readonly checks: DocumentChecksMemo = {
    get: (document) => this.entryOf(document).checks,
    set: (document, checks) => {
      this.entryOf(document).checks = checks;
    },
  };

  /**
   * The document's HTML tree from an earlier build, its messages and images put back on its file; undefined
   * when it must be made anew.
   */
  hast(document: GazetteDocument): HastRoot | undefined {
    const entry = this.entryOf(document);
    if (!entry.hast || !entry.messages) return undefined;
    document.file.messages.push(...entry.messages);
    if (entry.images) document.file.data.images = [...entry.images];
    return structuredClone(entry.hast);
  }

  /** Keeps the tree just made, with what the file gained since `messagesBefore` (its count of messages then). */
  keep(document: GazetteDocument, hast: HastRoot, messagesBefore: number): void {
    const entry = this.entryOf(document);
    entry.hast = structuredClone(hast);
    entry.messages = document.file.messages.slice(messagesBefore);
    entry.images = document.file.data.images ? [...document.file.data.images] : undefined;
  }
}

/** A document's entry: by file and id (the documents of a single-file issue share their file). */
function entryName(document: GazetteDocument): string {
  return `${document.file.path}\u0000${document.id}`;
}

/**
 * Hidden files and editors' swap and backup files (`.x.swp`, `x~`): never an image of the issue, and an editor
 * rewrites them as one types, so they must not count as a change.
 */
export function isEditorFile(name: string): boolean {
  return /^\.|~$|\.sw[a-p]$/.test(name);
}

/**
 * Every file of the issue folder but its documents (and hidden and editors' files), with size and modification
 * time, in a stable order.
 */
async function folderStamp(dir: string, documents: ReadonlySet<string>): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const stamps = await Promise.all(
    entries
      .filter((entry) => !entry.isDirectory())
      .map(async (entry) => {
        const file = path.join(entry.parentPath ?? entry.path, entry.name);
        const inside = path.relative(dir, file);
        if (documents.has(path.resolve(file)) || inside.split(path.sep).some(isEditorFile)) return undefined;
        // stat follows a link: a linked image's change counts as well.
        const info = await stat(file).catch(() => undefined);
        return `${inside}\u0000${info ? `${info.size}:${info.mtimeMs}` : 'missing'}`;
      }),
  );
  return stamps.filter((stamp): stamp is string => stamp !== undefined).sort();
}
