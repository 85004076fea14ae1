// @ts-check
/**
 * The floor of the benchmark: Chromium's own print of the laid-out HTML, without paged.js. Same browser, same
 * launch flags as the build (src/render/browser.ts, compiled into dist/); the page's fonts are loaded as the
 * build loads them, then the page is printed with the CSS page size. Run as a cold process:
 *
 *   node bench/floor.js <issue.html> <out.pdf>
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const [htmlPath, pdfPath] = process.argv.slice(2);
if (!htmlPath || !pdfPath) {
  process.stderr.write('usage: node bench/floor.js <issue.html> <out.pdf>\n');
  process.exit(2);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const browserModule = pathToFileURL(path.join(root, 'dist', 'render', 'browser.js')).href;
/** @type {{ browserArgs: string[], resolveBrowserExecutable: () => string }} */
const { browserArgs, resolveBrowserExecutable } = await import(browserModule);

const browser = await puppeteer.launch({
  executablePath: resolveBrowserExecutable(),
  headless: true,
  args: browserArgs,
  timeout: 60_000,
  protocolTimeout: 30 * 60_000,
});
try {
  const page = await browser.newPage();
  await page.goto(pathToFileURL(path.resolve(htmlPath)).href, { waitUntil: 'load', timeout: 0 });
  await page.evaluate(async () => {
    await Promise.all([...document.fonts].map((face) => face.load().catch(() => undefined)));
    await document.fonts.ready;
  });
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true, timeout: 0 });
  await writeFile(pdfPath, pdf);
} finally {
  await browser.close();
}
