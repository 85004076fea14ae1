import {
  ParseSpeeds,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFObjectCopier,
  PDFPage,
  type PDFPageLeaf,
  PDFRef,
  PDFString,
} from 'pdf-lib';

/** The names this file reads and writes, made once (PDFName.of encodes and looks its text up on every call). */
const names = {
  A: PDFName.of('A'),
  Annots: PDFName.of('Annots'),
  Document: PDFName.of('Document'),
  Headers: PDFName.of('Headers'),
  ID: PDFName.of('ID'),
  IDTree: PDFName.of('IDTree'),
  K: PDFName.of('K'),
  Kids: PDFName.of('Kids'),
  Lang: PDFName.of('Lang'),
  MarkInfo: PDFName.of('MarkInfo'),
  Nums: PDFName.of('Nums'),
  P: PDFName.of('P'),
  ParentTree: PDFName.of('ParentTree'),
  ParentTreeNextKey: PDFName.of('ParentTreeNextKey'),
  S: PDFName.of('S'),
  StructElem: PDFName.of('StructElem'),
  StructParent: PDFName.of('StructParent'),
  StructParents: PDFName.of('StructParents'),
  StructTreeRoot: PDFName.of('StructTreeRoot'),
  Type: PDFName.of('Type'),
};

/**
 * Joins the separately printed parts of an issue (as printed, or parsed by `loadPrintedPart`), in order, into
 * one document. The part with the most pages is the base: the other parts' pages are copied into it at their
 * place, and its own pages stay where they are (copying every page into a new document cost about as much as
 * the body's print). Chromium's structure tree (its tagged PDF) is kept: every part's elements go under the
 * base's Document element in the parts' order, and the marked-content numbers of the copied parts' pages follow
 * the base's (pdf-lib's copyPages drops the tree). One part is taken as it is, its tree's IDs renamed as below.
 */
export async function mergeParts(parts: readonly (PDFDocument | Uint8Array)[]): Promise<PDFDocument> {
  const loaded: PDFDocument[] = [];
  for (const part of parts) loaded.push(part instanceof Uint8Array ? await loadPrintedPart(part) : part);
  const base = loaded.reduce<PDFDocument | undefined>(
    (most, part) => (part.getPageCount() > (most?.getPageCount() ?? -1) ? part : most),
    undefined,
  );
  const merged = base ?? (await PDFDocument.create({ updateMetadata: false }));
  dropInfo(merged);
  const tree = new StructureTree(merged);
  const basePages = merged.getPageCount();
  let at = 0;
  let beforeBase = true;
  for (const part of loaded) {
    if (part === merged) {
      at += basePages;
      beforeBase = false;
    } else {
      // One copier for the pages and the tree: the elements' /Pg point at the pages copied here, not at new copies.
      const copier = PDFObjectCopier.for(part.context, merged.context);
      const offset = tree.nextKey;
      for (const page of part.getPages()) {
        const ref = copier.copy(page.ref) as PDFRef;
        const node = merged.context.lookup(ref) as PDFPageLeaf;
        shiftStructParents(node, offset, merged);
        merged.insertPage(at++, PDFPage.of(node, ref, merged));
      }
      tree.append(part, copier, offset, beforeBase ? 'before' : 'after');
    }
  }
  tree.finish();
  return merged;
}

/**
 * A printed part, parsed (mergeParts takes it so, to parse a part while another still prints). pdf-lib yields
 * to the event loop every 100 objects unless told (a timer each, 40 for a 70-page body); every 1,500 still
 * lets a server answer between them.
 */
export function loadPrintedPart(bytes: Uint8Array): Promise<PDFDocument> {
  return PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: ParseSpeeds.Fast });
}

/** Chromium's document information holds the clock (and the browser's name): the finished PDF writes its own. */
function dropInfo(pdf: PDFDocument): void {
  const info = pdf.context.trailerInfo.Info;
  if (info instanceof PDFRef) pdf.context.delete(info);
  pdf.context.trailerInfo.Info = undefined;
}

function shiftStructParents(page: PDFPageLeaf, offset: number, pdf: PDFDocument): void {
  const key = page.lookupMaybe(names.StructParents, PDFNumber);
  if (key) page.set(names.StructParents, PDFNumber.of(key.asNumber() + offset));
  for (const annotation of page.lookupMaybe(names.Annots, PDFArray)?.asArray() ?? []) {
    const dict = pdf.context.lookupMaybe(annotation, PDFDict);
    const parent = dict?.lookupMaybe(names.StructParent, PDFNumber);
    if (dict && parent) dict.set(names.StructParent, PDFNumber.of(parent.asNumber() + offset));
  }
}

type StructKid = PDFRef | PDFNumber | PDFDict;
type ParentTreeValue = PDFRef | PDFArray | PDFDict;

/**
 * The joined document's structure tree: the base's, with the other parts' elements before or after its own
 * under one Document element, and their parent tree entries after the base's keys.
 */
class StructureTree {
  private readonly root: PDFDict;
  private readonly rootRef: PDFRef;
  private readonly document: PDFDict;
  private readonly documentRef: PDFRef;
  private readonly kids: Record<'before' | 'own' | 'after', StructKid[]> = { before: [], own: [], after: [] };
  private readonly parentTree: [number, ParentTreeValue][];
  nextKey: number;

  constructor(private readonly pdf: PDFDocument) {
    const { context, catalog } = pdf;
    const existing = catalog.get(names.StructTreeRoot);
    const root = existing ? context.lookupMaybe(existing, PDFDict) : undefined;
    this.root = root ?? context.obj({ Type: 'StructTreeRoot' });
    this.rootRef = existing instanceof PDFRef && root ? existing : context.register(this.root);
    // Chromium's root holds one Document element: the parts' elements join it; otherwise one is made.
    const top = root ? kidsOf(root, pdf) : [];
    const only = top.length === 1 && top[0] instanceof PDFRef ? context.lookupMaybe(top[0], PDFDict) : undefined;
    if (only?.get(names.S) === names.Document) {
      this.document = only;
      this.documentRef = top[0] as PDFRef;
      this.kids.own = kidsOf(only, pdf);
    } else {
      this.document = context.obj({ Type: 'StructElem', S: 'Document' });
      this.documentRef = context.register(this.document);
      this.kids.own = top;
      for (const kid of top) context.lookupMaybe(kid, PDFDict)?.set(names.P, this.documentRef);
    }
    const lang = catalog.lookupMaybe(names.Lang, PDFString, PDFHexString);
    if (lang && !this.document.has(names.Lang)) this.document.set(names.Lang, lang);
    // The parent tree and the ID tree are written anew (flat) in finish(): their old nodes go.
    const parents = this.root.lookupMaybe(names.ParentTree, PDFDict);
    this.parentTree = numberTreeEntries(parents, pdf);
    deleteTree(this.root.get(names.ParentTree), pdf);
    deleteTree(this.root.get(names.IDTree), pdf);
    const declared = this.root.lookupMaybe(names.ParentTreeNextKey, PDFNumber)?.asNumber() ?? 0;
    this.nextKey = Math.max(declared, ...this.parentTree.map(([key]) => key + 1));
  }

  /** The part's Document element's children (copied), and its parent tree with keys after those before. */
  append(source: PDFDocument, copier: PDFObjectCopier, offset: number, where: 'before' | 'after'): void {
    const root = source.catalog.lookupMaybe(names.StructTreeRoot, PDFDict);
    if (!root) return;
    const lang = source.catalog.lookupMaybe(names.Lang, PDFString, PDFHexString);
    if (lang && !this.document.has(names.Lang)) this.document.set(names.Lang, lang);
    let top = kidsOf(root, source);
    const only = top.length === 1 ? source.context.lookupMaybe(top[0], PDFDict) : undefined;
    if (only?.get(names.S) === names.Document) top = kidsOf(only, source);
    for (const kid of top) {
      const element = source.context.lookupMaybe(kid, PDFDict);
      if (!(kid instanceof PDFRef) || !element) continue;
      // Cut the element from its parent before copying, or the copier brings the part's whole tree along.
      element.delete(names.P);
      const copied = copier.copy(kid) as PDFRef;
      this.pdf.context.lookup(copied, PDFDict).set(names.P, this.documentRef);
      this.kids[where].push(copied);
    }
    const parents = root.lookupMaybe(names.ParentTree, PDFDict);
    let next = offset;
    for (const [key, value] of numberTreeEntries(parents, source)) {
      this.parentTree.push([key + offset, copier.copy(value) as ParentTreeValue]);
      next = Math.max(next, key + offset + 1);
    }
    const declared = root.lookupMaybe(names.ParentTreeNextKey, PDFNumber)?.asNumber() ?? 0;
    this.nextKey = Math.max(next, offset + declared);
  }

  /**
   * Writes the root into the catalog. Chromium names table header cells by DOM node ("node00000016"), which
   * differs between a layout and the same pages from the layout cache: they are renamed in tree order.
   */
  finish(): void {
    const kids = [...this.kids.before, ...this.kids.own, ...this.kids.after];
    if (kids.length === 0) {
      if (!this.pdf.catalog.has(names.StructTreeRoot)) this.pdf.context.delete(this.rootRef);
      return;
    }
    const { context } = this.pdf;
    this.document.set(names.K, context.obj(kids));
    this.document.set(names.P, this.rootRef);
    const ids = renameIds(this.documentRef, this.pdf);
    const parentTree = [...this.parentTree].sort(([a], [b]) => a - b);
    this.root.set(names.Type, names.StructTreeRoot);
    this.root.set(names.K, this.documentRef);
    this.root.set(
      names.ParentTree,
      context.register(context.obj({ Nums: parentTree.flatMap(([key, value]) => [PDFNumber.of(key), value]) })),
    );
    this.root.set(names.ParentTreeNextKey, PDFNumber.of(this.nextKey));
    if (ids.length > 0) this.root.set(names.IDTree, context.register(context.obj({ Names: ids.flat() })));
    else this.root.delete(names.IDTree);
    this.pdf.catalog.set(names.StructTreeRoot, this.rootRef);
    this.pdf.catalog.set(names.MarkInfo, context.obj({ Marked: true }));
  }
}

/** Deletes the indirect nodes of a number or name tree (its values stay). */
function deleteTree(node: unknown, pdf: PDFDocument): void {
  const dict = node instanceof PDFRef ? pdf.context.lookupMaybe(node, PDFDict) : node;
  if (!(dict instanceof PDFDict)) return;
  for (const kid of dict.lookupMaybe(names.Kids, PDFArray)?.asArray() ?? []) deleteTree(kid, pdf);
  if (node instanceof PDFRef) pdf.context.delete(node);
}

function kidsOf(element: PDFDict, pdf: PDFDocument): StructKid[] {
  const kids = element.get(names.K);
  const resolved = kids instanceof PDFRef ? pdf.context.lookup(kids) : kids;
  if (resolved instanceof PDFArray) return resolved.asArray() as StructKid[];
  return kids ? [kids as StructKid] : [];
}

function numberTreeEntries(node: PDFDict | undefined, pdf: PDFDocument): [number, ParentTreeValue][] {
  if (!node) return [];
  const entries: [number, ParentTreeValue][] = [];
  const nums = node.lookupMaybe(names.Nums, PDFArray);
  for (let index = 0; nums && index + 1 < nums.size(); index += 2) {
    const key = nums.lookup(index, PDFNumber).asNumber();
    entries.push([key, nums.get(index + 1) as ParentTreeValue]);
  }
  for (const kid of node.lookupMaybe(names.Kids, PDFArray)?.asArray() ?? []) {
    entries.push(...numberTreeEntries(pdf.context.lookupMaybe(kid, PDFDict), pdf));
  }
  return entries;
}

/** Gives every element with an /ID a new one in tree order ("id1"…), mends /Headers, returns the ID tree. */
function renameIds(start: PDFRef, pdf: PDFDocument): [PDFString, PDFRef][] {
  const renamed = new Map<string, string>();
  const named: [PDFString, PDFRef][] = [];
  const headerLists: PDFArray[] = [];
  const visit = (ref: PDFRef) => {
    const element = pdf.context.lookupMaybe(ref, PDFDict);
    if (element?.get(names.Type) !== names.StructElem && !element?.has(names.S)) return;
    const id = element.lookupMaybe(names.ID, PDFString, PDFHexString);
    if (id) {
      const name = `id${String(renamed.size + 1).padStart(6, '0')}`;
      renamed.set(id.decodeText(), name);
      element.set(names.ID, PDFString.of(name));
      named.push([PDFString.of(name), ref]);
    }
    const attributes = element.get(names.A);
    const list = attributes instanceof PDFArray ? attributes.asArray() : attributes ? [attributes] : [];
    for (const attribute of list) {
      const headers = pdf.context.lookupMaybe(attribute, PDFDict)?.lookupMaybe(names.Headers, PDFArray);
      if (headers) headerLists.push(headers);
    }
    for (const kid of kidsOf(element, pdf)) if (kid instanceof PDFRef) visit(kid);
  };
  visit(start);
  for (const headers of headerLists) {
    headers.asArray().forEach((value, index) => {
      const text = value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : undefined;
      const name = text === undefined ? undefined : renamed.get(text);
      if (name) headers.set(index, PDFString.of(name));
    });
  }
  return named;
}
