// @ts-check
/**
 * Bundles the compiled CLI (dist/cli/run.js) and the packages it imports into dist/bundle/: one file for what
 * every command loads and one chunk per command's own modules, so that Node reads a handful of files at start
 * rather than some 700 modules of unified, puppeteer and zod one by one (bench/README.md has the figures).
 * `npm run compile` runs it after tsc; bin/gazette.js runs the bundle.
 *
 * Every module keeps its own `import.meta.url` (the file tsc compiled it to, or its package's file): the paths
 * it finds templates, styles, page scripts, fonts and WebAssembly by, and the files the layout cache's key
 * hashes, stay what they are unbundled.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'dist', 'bundle');

/** @type {import('rolldown').Plugin} */
const ownImportMetaUrl = {
  name: 'own-import-meta-url',
  transform(code, id) {
    if (!code.includes('import.meta.url')) return null;
    // The chunks are written flat into outDir: the module's file, relative to the chunk it lands in.
    const file = path.relative(outDir, id).split(path.sep).join('/');
    return code.replace(/\bimport\.meta\.url\b/g, `new URL(${JSON.stringify(file)}, import.meta.url).href`);
  },
};

/**
 * puppeteer's browser downloader (@puppeteer/browsers' install) reaches the network through `proxy-agent`, which
 * brings every proxy protocol with it (PAC scripts run in a QuickJS engine, FTP, SOCKS): some 1 MB of code that
 * every command compiled at its start. gazette never downloads a browser (it runs the system's Chromium), so the
 * bundle has a stand-in that says so if it is ever used.
 */
/** @type {import('rolldown').Plugin} */
const noBrowserDownloads = {
  name: 'no-browser-downloads',
  resolveId(source) {
    return source === 'proxy-agent' ? '\0no-proxy-agent' : null;
  },
  load(id) {
    if (id !== '\0no-proxy-agent') return null;
    return `export class ProxyAgent {
  constructor() {
    throw new Error('gazette does not download browsers: install Debian\\'s chromium-headless-shell (scripts/setup.sh)');
  }
}`;
  },
};

await rm(outDir, { recursive: true, force: true });
const bundle = await rolldown({
  input: { gazette: path.join(root, 'dist', 'cli', 'run.js') },
  platform: 'node',
  // A native addon: found through its package's folder at run time.
  external: ['better-sqlite3'],
  plugins: [ownImportMetaUrl, noBrowserDownloads],
  logLevel: 'warn',
});
await bundle.write({ dir: outDir, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' });
await bundle.close();
