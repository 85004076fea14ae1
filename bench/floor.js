// @ts-check
/**
 * The floor of the benchmark: Chromium's own print of the laid-out HTML, without paged.js. The build's own
 * browser launch (without animation frames, as the build's) and font loading (dist/render/browser.js,
 * dist/render/in-page.js), then the page is printed with the CSS page size. Run as a cold process:
 *
 *   node bench/floor.js <issue.html> <out.pdf>
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [htmlPath, pdfPath] = process.argv.slice(2);
if (!htmlPath || !pdfPath) {
  process.stderr.write('usage: node bench/floor.js <issue.html> <out.pdf>\n');
  process.exit(2);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** @param {string} file */
const dist = (file) => pathToFileURL(path.join(root, 'dist', 'render', file)).href;
/** @type {{ launchBrowser: (options?: { animationFrames?: boolean }) => Promise<import('puppeteer-core').Browser>, openTab: (browser: import('puppeteer-core').Browser) => Promise<import('puppeteer-core').Page>, stopBrowser: (browser: import('puppeteer-core').Browser) => Promise<void> }} */
const { launchBrowser, openTab, stopBrowser } = await import(dist('browser.js'));
/** @type {{ loadFonts: () => Promise<void> }} */
const { loadFonts } = await import(dist('in-page.js'));

const browser = await launchBrowser({ animationFrames: false });
try {
  const page = await openTab(browser);
  await page.goto(pathToFileURL(path.resolve(htmlPath)).href, { waitUntil: 'load', timeout: 0 });
  await page.evaluate(loadFonts);
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true, timeout: 0 });
  await writeFile(pdfPath, pdf);
} finally {
  await stopBrowser(browser);
}
