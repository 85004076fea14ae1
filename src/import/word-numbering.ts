import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import JSZip from 'jszip';
import { chineseNumber } from '../model/index.js';
import { attribute, child, children, elements, insideChoice, valAttribute, W } from './word-xml.js';

interface Level {
  format: string;
  text: string;
  start: number;
  legal: boolean;
  style?: string;
}

interface AbstractNum {
  levels: Map<number, Level>;
  /** A list defined by a numbering style (`w:numStyleLink`): its levels live in that style's list. */
  styleLink?: string;
}

interface Num {
  abstractId: string;
  startOverrides: Map<number, number>;
}

interface ParagraphStyle {
  basedOn?: string;
  numId?: string;
  ilvl?: number;
}

interface Definitions {
  abstracts: Map<string, AbstractNum>;
  nums: Map<string, Num>;
  styles: Map<string, ParagraphStyle>;
}

/**
 * Writes Word's automatic list numbering into the text: each numbered paragraph of `word/document.xml` gets
 * its number as printed ("一、", "（1）", "3. ") as a first run, formatted like the paragraph's first run, and
 * loses its list properties; bulleted paragraphs lose their bullet. mammoth reads lists as `<ol>`/`<ul>` and
 * drops the numbers, while the gazette's sources have no lists and keep every number as text. Returns the docx
 * unchanged when nothing is numbered.
 */
export async function materialiseNumbering(docx: Uint8Array): Promise<{ docx: Uint8Array; paragraphs: number }> {
  const zip = await JSZip.loadAsync(docx);
  const documentXml = await zip.file('word/document.xml')?.async('string');
  if (documentXml === undefined) return { docx, paragraphs: 0 };
  const definitions = readDefinitions(
    await zip.file('word/numbering.xml')?.async('string'),
    await zip.file('word/styles.xml')?.async('string'),
  );
  const document = new DOMParser().parseFromString(documentXml, 'text/xml');
  const counters = new Map<string, (number | undefined)[]>();
  let changed = 0;
  for (const paragraph of elements(document, 'p')) {
    if (insideChoice(paragraph) || isDeleted(paragraph)) continue;
    const numbered = numberingOf(paragraph, definitions);
    if (!numbered) continue;
    const { level, levels, key, startOverrides } = numbered;
    const definition = levels.get(level);
    if (!definition) continue;
    let label = '';
    if (definition.format !== 'bullet') {
      const counts = counters.get(key) ?? [];
      counters.set(key, counts);
      const startOf = (at: number) => startOverrides.get(at) ?? levels.get(at)?.start ?? 1;
      counts[level] = counts[level] === undefined ? startOf(level) : (counts[level] as number) + 1;
      counts.fill(undefined, level + 1);
      label = definition.text.replace(/%([1-9])/g, (_, digit: string) => {
        const at = Number(digit) - 1;
        const format = definition.legal ? 'decimal' : (levels.get(at)?.format ?? 'decimal');
        return formatNumber(counts[at] ?? startOf(at), format);
      });
      if (label.endsWith('.')) label += ' ';
    }
    writeLabel(document, paragraph, label);
    changed++;
  }
  if (changed === 0) return { docx, paragraphs: 0 };
  zip.file('word/document.xml', new XMLSerializer().serializeToString(document));
  return { docx: await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }), paragraphs: changed };
}

/** A number in one of Word's number formats (`w:numFmt`); formats not listed here are written in digits. */
export function formatNumber(n: number, format: string): string {
  switch (format) {
    case 'chineseCounting':
    case 'chineseCountingThousand':
    case 'ideographDigital':
    case 'taiwaneseCounting':
    case 'taiwaneseCountingThousand':
      return chineseNumber(n);
    case 'chineseLegalSimplified':
      return chineseNumber(n).replace(
        /[一二三四五六七八九十〇]/g,
        (c) => '壹贰叁肆伍陆柒捌玖拾零'['一二三四五六七八九十〇'.indexOf(c)] ?? c,
      );
    case 'ideographTraditional':
      return '甲乙丙丁戊己庚辛壬癸'[n - 1] ?? String(n);
    case 'decimalFullWidth':
    case 'decimalFullWidth2':
      return String(n).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    case 'decimalEnclosedCircle':
    case 'decimalEnclosedCircleChinese':
      return n >= 1 && n <= 20 ? String.fromCharCode(0x2460 + n - 1) : String(n);
    case 'decimalEnclosedParen':
      return `（${n}）`;
    case 'decimalZero':
      return String(n).padStart(2, '0');
    case 'lowerLetter':
      return letters(n).toLowerCase();
    case 'upperLetter':
      return letters(n);
    case 'lowerRoman':
      return roman(n).toLowerCase();
    case 'upperRoman':
      return roman(n);
    case 'none':
      return '';
    default:
      return String(n);
  }
}

function letters(n: number): string {
  if (n < 1) return String(n);
  const letter = String.fromCharCode(65 + ((n - 1) % 26));
  return letter.repeat(Math.floor((n - 1) / 26) + 1);
}

function roman(n: number): string {
  if (n < 1 || n >= 4000) return String(n);
  const numerals: [number, string][] = [
    [1000, 'M'],
    [900, 'CM'],
    [500, 'D'],
    [400, 'CD'],
    [100, 'C'],
    [90, 'XC'],
    [50, 'L'],
    [40, 'XL'],
    [10, 'X'],
    [9, 'IX'],
    [5, 'V'],
    [4, 'IV'],
    [1, 'I'],
  ];
  let rest = n;
  let out = '';
  for (const [value, numeral] of numerals) {
    while (rest >= value) {
      out += numeral;
      rest -= value;
    }
  }
  return out;
}

function readDefinitions(numberingXml: string | undefined, stylesXml: string | undefined): Definitions {
  const abstracts = new Map<string, AbstractNum>();
  const nums = new Map<string, Num>();
  const styles = new Map<string, ParagraphStyle>();
  if (stylesXml) {
    for (const style of elements(new DOMParser().parseFromString(stylesXml, 'text/xml'), 'style')) {
      const id = attribute(style, 'styleId');
      if (!id) continue;
      const pPr = child(style, 'pPr');
      const numPr = pPr && child(pPr, 'numPr');
      const ilvl = numPr && valAttribute(child(numPr, 'ilvl'));
      styles.set(id, {
        basedOn: valAttribute(child(style, 'basedOn')),
        numId: numPr && valAttribute(child(numPr, 'numId')),
        ilvl: ilvl === undefined ? undefined : Number(ilvl),
      });
    }
  }
  if (numberingXml) {
    const numbering = new DOMParser().parseFromString(numberingXml, 'text/xml');
    for (const abstract of elements(numbering, 'abstractNum')) {
      const id = attribute(abstract, 'abstractNumId');
      if (id === undefined) continue;
      const levels = new Map<number, Level>();
      for (const level of children(abstract, 'lvl')) {
        levels.set(Number(attribute(level, 'ilvl') ?? 0), {
          format: valAttribute(child(level, 'numFmt')) ?? 'decimal',
          text: valAttribute(child(level, 'lvlText')) ?? '',
          start: Number(valAttribute(child(level, 'start')) ?? 1),
          legal: child(level, 'isLgl') !== undefined,
          style: valAttribute(child(level, 'pStyle')),
        });
      }
      abstracts.set(id, { levels, styleLink: valAttribute(child(abstract, 'numStyleLink')) });
    }
    for (const num of elements(numbering, 'num')) {
      const id = attribute(num, 'numId');
      const abstractId = valAttribute(child(num, 'abstractNumId'));
      if (id === undefined || abstractId === undefined) continue;
      const startOverrides = new Map<number, number>();
      for (const override of children(num, 'lvlOverride')) {
        const start = valAttribute(child(override, 'startOverride'));
        if (start !== undefined) startOverrides.set(Number(attribute(override, 'ilvl') ?? 0), Number(start));
      }
      nums.set(id, { abstractId, startOverrides });
    }
  }
  return { abstracts, nums, styles };
}

/** The list level a paragraph is numbered at (its own `w:numPr`, else its style's), or undefined. */
function numberingOf(
  paragraph: Element,
  definitions: Definitions,
): { level: number; levels: Map<number, Level>; key: string; startOverrides: Map<number, number> } | undefined {
  const pPr = child(paragraph, 'pPr');
  const numPr = pPr && child(pPr, 'numPr');
  const styleId = pPr && valAttribute(child(pPr, 'pStyle'));
  let numId = numPr && valAttribute(child(numPr, 'numId'));
  const ownLevel = numPr && valAttribute(child(numPr, 'ilvl'));
  let level = ownLevel === undefined ? undefined : Number(ownLevel);
  const seen = new Set<string>();
  for (let id = styleId; id && !seen.has(id); id = definitions.styles.get(id)?.basedOn) {
    seen.add(id);
    const style = definitions.styles.get(id);
    if (numId === undefined && style?.numId !== undefined) numId = style.numId;
    if (level === undefined && style?.ilvl !== undefined) level = style.ilvl;
  }
  if (numId === undefined || numId === '0') return undefined;
  const num = definitions.nums.get(numId);
  const abstract = num && resolveAbstract(num.abstractId, definitions);
  if (!num || !abstract) return undefined;
  if (level === undefined) {
    level = [...abstract.levels].find(([, definition]) => styleId && definition.style === styleId)?.[0] ?? 0;
  }
  // Lists without their own start values continue across the list instances of one definition, as in Word.
  const key = num.startOverrides.size > 0 ? `num:${numId}` : `abstract:${num.abstractId}`;
  return { level, levels: abstract.levels, key, startOverrides: num.startOverrides };
}

function resolveAbstract(abstractId: string, definitions: Definitions): AbstractNum | undefined {
  let abstract = definitions.abstracts.get(abstractId);
  const seen = new Set<string>();
  while (abstract?.styleLink && !seen.has(abstract.styleLink)) {
    seen.add(abstract.styleLink);
    const numId = definitions.styles.get(abstract.styleLink)?.numId;
    const num = numId === undefined ? undefined : definitions.nums.get(numId);
    abstract = num && definitions.abstracts.get(num.abstractId);
  }
  return abstract;
}

/** Puts the label in a first run (formatted as the paragraph's first run) and switches the list off. */
function writeLabel(document: Document, paragraph: Element, label: string): void {
  let pPr = child(paragraph, 'pPr');
  if (!pPr) {
    pPr = document.createElementNS(W, 'w:pPr');
    paragraph.insertBefore(pPr, paragraph.firstChild);
  }
  const numPr = child(pPr, 'numPr') ?? pPr.appendChild(document.createElementNS(W, 'w:numPr'));
  while (numPr.firstChild) numPr.removeChild(numPr.firstChild);
  for (const name of ['ilvl', 'numId']) {
    const element = document.createElementNS(W, `w:${name}`);
    element.setAttributeNS(W, 'w:val', '0');
    numPr.appendChild(element);
  }
  if (!label) return;
  const firstRun = elements(paragraph, 'r')[0];
  const run = document.createElementNS(W, 'w:r');
  const runProperties = firstRun && child(firstRun, 'rPr');
  if (runProperties) run.appendChild(runProperties.cloneNode(true));
  const text = document.createElementNS(W, 'w:t');
  text.setAttribute('xml:space', 'preserve');
  text.appendChild(document.createTextNode(label));
  run.appendChild(text);
  paragraph.insertBefore(run, pPr.nextSibling);
}

/** A paragraph whose mark is a tracked deletion: its text joins the next paragraph. */
function isDeleted(paragraph: Element): boolean {
  const pPr = child(paragraph, 'pPr');
  const rPr = pPr && child(pPr, 'rPr');
  return rPr !== undefined && child(rPr, 'del') !== undefined;
}
