/** Reading WordprocessingML (`word/document.xml` and friends) with xmldom: its namespaces and small helpers. */

export const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const MC = 'http://schemas.openxmlformats.org/markup-compatibility/2006';

export function elements(root: Document | Element, name: string): Element[] {
  return Array.from(root.getElementsByTagNameNS(W, name));
}

export function children(element: Element, name: string): Element[] {
  return Array.from(element.childNodes).filter(
    (node): node is Element =>
      node.nodeType === 1 && (node as Element).namespaceURI === W && (node as Element).localName === name,
  );
}

export function child(element: Element, name: string): Element | undefined {
  return children(element, name)[0];
}

export function attribute(element: Element, name: string): string | undefined {
  return element.hasAttributeNS(W, name) ? (element.getAttributeNS(W, name) ?? undefined) : undefined;
}

export function valAttribute(element: Element | undefined): string | undefined {
  return element ? attribute(element, 'val') : undefined;
}

/** Text boxes come twice, as `mc:Choice` and `mc:Fallback`; mammoth reads the fallback. */
export function insideChoice(element: Element): boolean {
  for (let node = element.parentNode; node; node = node.parentNode) {
    const element = node as Element;
    if (node.nodeType === 1 && element.namespaceURI === MC && element.localName === 'Choice') return true;
  }
  return false;
}
