/** U+3000 IDEOGRAPHIC SPACE: pads a two-character name to three characters' width. */
export const ideographicSpace = '\u3000';

const han = /^\p{Script=Han}$/u;

/**
 * Pads a two-character Chinese name to three characters' width, as the printed gazette does in speaker lines,
 * the contents and name grids ("王甯" → "王　甯"). Other names are returned unchanged.
 */
export function padName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 2 && chars.every((c) => han.test(c))) return chars.join(ideographicSpace);
  return name.trim();
}

/** Removes padding spaces from a name ("王 甯", "王　甯" → "王甯"). */
export function unpadName(name: string): string {
  return name.replace(/[\s\u3000]+/g, '');
}

/** 1 → 一, 12 → 十二, 21 → 二十一 (numbers below 100, as issue and meeting numbers are written). */
export function chineseNumber(n: number): string {
  const digits = '〇一二三四五六七八九';
  if (!Number.isInteger(n) || n < 0 || n >= 100) return String(n);
  if (n < 10) return digits[n] as string;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : digits[tens]}十${ones === 0 ? '' : digits[ones]}`;
}

const numeralValues = new Map<string, number>();

/**
 * A number written in Chinese numerals, as meetings, issues and headings are numbered: "二十一" → 21,
 * "两" → 2, "一百零五" → 105, "21" → 21 (0 to 999); an unusual form ("廿", "二二") is undefined.
 */
export function parseChineseNumber(text: string): number | undefined {
  if (/^[0-9]+$/.test(text)) return Number(text);
  if (numeralValues.size === 0) {
    for (let n = 0; n < 1000; n++) numeralValues.set(hundreds(n), n);
    numeralValues.set('零', 0);
  }
  return numeralValues.get(text.replace(/两/g, '二'));
}

/** 105 → 一百零五, 110 → 一百一十, 21 → 二十一. */
function hundreds(n: number): string {
  if (n < 100) return chineseNumber(n);
  const rest = n % 100;
  const head = `${chineseNumber(Math.floor(n / 100))}百`;
  if (rest === 0) return head;
  if (rest < 10) return `${head}零${chineseNumber(rest)}`;
  return `${head}${rest < 20 ? '一' : ''}${chineseNumber(rest)}`;
}

/** Text for HTML (text or a quoted attribute value): `&`, `<`, `>` and quotes as character references. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** "2024-05-21" → "2024年5月21日". */
export function chineseDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}
