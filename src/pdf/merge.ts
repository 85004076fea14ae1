import {
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

/** A blank page (left empty so the next part starts on a right-hand page). */
export const blankPage = 'blank' as const;

/**
 * Joins the separately printed parts of an issue, in order, into one document; a `blank` entry adds an empty
 * page of the previous page's size. Chromium's structure tree (its tagged PDF) is kept: each part's elements go
 * under one Document element, in order, with the marked-content numbers of its pages renumbered after the
 * parts before it (pdf-lib's copyPages drops the tree).
 */
export async function mergeParts(parts: (Uint8Array | typeof blankPage)[]): Promise<PDFDocument> {
  const merged = await PDFDocument.create({ updateMetadata: false });
  const tree = new StructureTree(merged);
  for (const part of parts) {
    if (part === blankPage) {
      const last = merged.getPages().at(-1);
      merged.addPage(last ? [last.getWidth(), last.getHeight()] : undefined);
      continue;
    }
    const source = await PDFDocument.load(part, { updateMetadata: false });
    // One copier for the pages and the tree: the elements' /Pg point at the pages copied here, not at new copies.
    const copier = PDFObjectCopier.for(source.context, merged.context);
    const offset = tree.nextKey;
    for (const page of source.getPages()) {
      const ref = copier.copy(page.ref) as PDFRef;
      const node = merged.context.lookup(ref) as PDFPageLeaf;
      shiftStructParents(node, offset, merged);
      merged.addPage(PDFPage.of(node, ref, merged));
    }
    tree.append(source, copier, offset);
  }
  tree.finish();
  return merged;
}

function shiftStructParents(page: PDFPageLeaf, offset: number, pdf: PDFDocument): void {
  const key = page.lookupMaybe(PDFName.of('StructParents'), PDFNumber);
  if (key) page.set(PDFName.of('StructParents'), PDFNumber.of(key.asNumber() + offset));
  for (const annotation of page.lookupMaybe(PDFName.of('Annots'), PDFArray)?.asArray() ?? []) {
    const dict = pdf.context.lookupMaybe(annotation, PDFDict);
    const parent = dict?.lookupMaybe(PDFName.of('StructParent'), PDFNumber);
    if (dict && parent) dict.set(PDFName.of('StructParent'), PDFNumber.of(parent.asNumber() + offset));
  }
}

/** The joined document's structure tree, built part by part. */
class StructureTree {
  private readonly document: PDFDict;
  private readonly documentRef: PDFRef;
  private readonly kids: PDFRef[] = [];
  private readonly parentTree: [number, PDFRef | PDFArray | PDFDict][] = [];
  nextKey = 0;

  constructor(private readonly pdf: PDFDocument) {
    this.document = pdf.context.obj({ Type: 'StructElem', S: 'Document' });
    this.documentRef = pdf.context.register(this.document);
  }

  /** The part's Document element's children (copied), and its parent tree with keys after those before. */
  append(source: PDFDocument, copier: PDFObjectCopier, offset: number): void {
    const root = source.catalog.lookupMaybe(PDFName.of('StructTreeRoot'), PDFDict);
    if (!root) return;
    const lang = source.catalog.lookupMaybe(PDFName.of('Lang'), PDFString, PDFHexString);
    if (lang && !this.document.has(PDFName.of('Lang'))) this.document.set(PDFName.of('Lang'), lang);
    // Chromium's root holds one Document element; take what is under it (or under the root itself).
    let top = kidsOf(root, source);
    const only = top.length === 1 ? source.context.lookupMaybe(top[0], PDFDict) : undefined;
    if (only?.get(PDFName.of('S')) === PDFName.of('Document')) top = kidsOf(only, source);
    for (const kid of top) {
      const element = source.context.lookupMaybe(kid, PDFDict);
      if (!(kid instanceof PDFRef) || !element) continue;
      // Cut the element from its parent before copying, or the copier brings the part's whole tree along.
      element.delete(PDFName.of('P'));
      const copied = copier.copy(kid) as PDFRef;
      this.pdf.context.lookup(copied, PDFDict).set(PDFName.of('P'), this.documentRef);
      this.kids.push(copied);
    }
    const parents = root.lookupMaybe(PDFName.of('ParentTree'), PDFDict);
    let next = offset;
    for (const [key, value] of numberTreeEntries(parents, source)) {
      this.parentTree.push([key + offset, copier.copy(value) as PDFRef | PDFArray | PDFDict]);
      next = Math.max(next, key + offset + 1);
    }
    const declared = root.lookupMaybe(PDFName.of('ParentTreeNextKey'), PDFNumber)?.asNumber() ?? 0;
    this.nextKey = Math.max(next, offset + declared);
  }

  /**
   * Writes the root into the catalog. Chromium names table header cells by DOM node ("node00000016"), which
   * differs between a layout and the same pages from the layout cache: they are renamed in tree order.
   */
  finish(): void {
    if (this.kids.length === 0) return;
    const { context } = this.pdf;
    this.document.set(PDFName.of('K'), context.obj(this.kids));
    const ids = renameIds(this.documentRef, this.pdf);
    const root = context.obj({
      Type: 'StructTreeRoot',
      K: this.documentRef,
      ParentTree: context.obj({ Nums: this.parentTree.flatMap(([key, value]) => [PDFNumber.of(key), value]) }),
      ParentTreeNextKey: this.nextKey,
    });
    if (ids.length > 0) root.set(PDFName.of('IDTree'), context.obj({ Names: ids.flat() }));
    this.document.set(PDFName.of('P'), context.register(root));
    this.pdf.catalog.set(PDFName.of('StructTreeRoot'), this.document.get(PDFName.of('P')) as PDFRef);
    this.pdf.catalog.set(PDFName.of('MarkInfo'), context.obj({ Marked: true }));
  }
}

function kidsOf(element: PDFDict, pdf: PDFDocument): (PDFRef | PDFNumber | PDFDict)[] {
  const kids = element.get(PDFName.of('K'));
  const resolved = kids instanceof PDFRef ? pdf.context.lookup(kids) : kids;
  if (resolved instanceof PDFArray) return resolved.asArray() as (PDFRef | PDFNumber | PDFDict)[];
  return kids ? [kids as PDFRef | PDFNumber | PDFDict] : [];
}

function numberTreeEntries(node: PDFDict | undefined, pdf: PDFDocument): [number, PDFRef | PDFArray | PDFDict][] {
  if (!node) return [];
  const entries: [number, PDFRef | PDFArray | PDFDict][] = [];
  const nums = node.lookupMaybe(PDFName.of('Nums'), PDFArray);
  for (let index = 0; nums && index + 1 < nums.size(); index += 2) {
    const key = nums.lookup(index, PDFNumber).asNumber();
    entries.push([key, nums.get(index + 1) as PDFRef | PDFArray | PDFDict]);
  }
  for (const kid of node.lookupMaybe(PDFName.of('Kids'), PDFArray)?.asArray() ?? []) {
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
    if (element?.get(PDFName.of('Type')) !== PDFName.of('StructElem') && !element?.has(PDFName.of('S'))) return;
    const id = element.lookupMaybe(PDFName.of('ID'), PDFString, PDFHexString);
    if (id) {
      const name = `id${String(renamed.size + 1).padStart(6, '0')}`;
      renamed.set(id.decodeText(), name);
      element.set(PDFName.of('ID'), PDFString.of(name));
      named.push([PDFString.of(name), ref]);
    }
    const attributes = element.get(PDFName.of('A'));
    const list = attributes instanceof PDFArray ? attributes.asArray() : attributes ? [attributes] : [];
    for (const attribute of list) {
      const headers = pdf.context.lookupMaybe(attribute, PDFDict)?.lookupMaybe(PDFName.of('Headers'), PDFArray);
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
