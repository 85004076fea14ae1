import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import chokidar from 'chokidar';
import type { Browser } from 'puppeteer-core';
import { buildIssue } from '../api/build.js';
import { type Logger, silentLogger } from '../api/logger.js';
import { layOutSource } from '../api/pipeline.js';
import { pageScripts } from '../layout/browser/index.js';
import { packageRoot } from '../layout/compose.js';
import { formatMessage, GazetteInputError } from '../model/index.js';
import { launchBrowser, stopBrowser } from '../render/browser.js';
import { pagedPolyfill } from '../render/render-pdf.js';
import { makeScratchDir, removeScratchDir } from '../render/scratch.js';
import {
  encodeSegment,
  errorPage,
  issuePage,
  type PreviewPage,
  type PreviewView,
  pagedConfigScript,
  scriptRoutes,
} from './page.js';

const clientScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'client.js');

export interface PreviewOptions {
  /** The port; 0 takes any free one. Default 4173. */
  port?: number;
  /** The address to listen on. Default 127.0.0.1: the preview is for this machine only. */
  host?: string;
  logger?: Logger;
  /** Quiet time after the last change before rebuilding, ms. Default 150. */
  debounceMs?: number;
  /** Watch the package's styles/ and templates/ too, not only the issue. Default true. */
  watchStyles?: boolean;
}

export interface PreviewServer {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  /** Stops watching, closes the server and its connections and the browser /pdf started. */
  close(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.webp': 'image/webp',
};

/** The issue page may load only what this server serves; paged.js inserts <style> elements, hence 'unsafe-inline'. */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves an issue (folder or single-file issue) paginated by paged.js in the browser, on 127.0.0.1: GET / is the
 * issue's HTML (or the page listing its errors), /assets/<n>/<basename> exactly the files the layout lists,
 * /events the live reload (Server-Sent Events), /pdf the PDF built on demand. The issue, styles/ and templates/
 * are watched; a change rebuilds the HTML (debounced) and every open page reloads.
 */
export async function startPreview(source: string, options: PreviewOptions = {}): Promise<PreviewServer> {
  const logger = options.logger ?? silentLogger;
  const host = options.host ?? '127.0.0.1';
  const debounceMs = options.debounceMs ?? 150;
  const boot = randomBytes(4).toString('hex');
  const listeners = new Set<http.ServerResponse>();
  let closed = false;

  // The page: the latest build started and its version. GET / waits for that build, so open pages are told to
  // reload as soon as it starts (the browser keeps showing the old page until the new one arrives).
  let generation = 0;
  let version = '';
  let debounce: NodeJS.Timeout | undefined;
  let queued = false;
  let view = startBuild();
  // A second, silent layout right after the first warms the pipeline's code up (V8 compiles it optimised only
  // after a run or two), so that the first save reloads as quickly as the later ones.
  let building: Promise<void> | undefined = settle(
    view.then(() => (closed ? undefined : layOutSource(source, silentLogger).catch(() => undefined))),
  );

  // The PDF: built once per state of the sources, in one browser started at the first request.
  let changes = 0;
  let pdfJob: { changes: number; result: Promise<{ bytes: Uint8Array; name: string }> } | undefined;
  let browser: Promise<Browser> | undefined;
  let outDir: Promise<string> | undefined;

  function startBuild(): Promise<{ view: PreviewView; page: PreviewPage }> {
    generation += 1;
    version = `${boot}.${generation}`;
    return render(version);
  }

  /** Once a build is done, the next one if sources changed meanwhile: never two builds at once. */
  function settle(build: Promise<unknown>): Promise<void> {
    return build.then(() => {
      building = undefined;
      if (queued && !closed) rebuild();
    });
  }

  function changed(file: string): void {
    if (closed) return;
    changes += 1;
    logger.progress(`preview: ${path.basename(file)} changed`);
    clearTimeout(debounce);
    debounce = setTimeout(rebuild, debounceMs);
  }

  function rebuild(): void {
    queued = building !== undefined;
    if (queued) return;
    view = startBuild();
    for (const response of listeners) response.write(`event: version\ndata: ${version}\n\n`);
    building = settle(view);
  }

  /** The page for the sources as they are now: the issue, or its errors. Never rejects. */
  async function render(pageVersion: string): Promise<{ view: PreviewView; page: PreviewPage }> {
    const started = performance.now();
    try {
      const { laidOut } = await layOutSource(source, logger);
      const files = [...laidOut.assets, pagedPolyfill, clientScript, ...pageScripts];
      const stamps = new Map<string, string>();
      for (const [file, found] of await Promise.all(files.map(async (file) => [file, await stampOf(file)] as const))) {
        if (found) stamps.set(file, found.stamp);
      }
      const page = issuePage(laidOut, {
        version: pageVersion,
        stamps,
        polyfill: pagedPolyfill,
        client: clientScript,
        handlers: pageScripts.map((file, index) => ({ route: handlerRoute(index), file })),
      });
      logger.progress(`preview: laid out in ${Math.round(performance.now() - started)} ms`);
      return { view: { kind: 'issue', version: pageVersion, laidOut }, page };
    } catch (error) {
      const messages =
        error instanceof GazetteInputError ? error.messages.map(formatMessage) : [(error as Error).message];
      for (const message of messages) logger.warn(message);
      return {
        view: { kind: 'errors', version: pageVersion, messages },
        page: { html: errorPage(messages, pageVersion), assets: new Map() },
      };
    }
  }

  function buildPdf(): Promise<{ bytes: Uint8Array; name: string }> {
    return (async () => {
      outDir ??= makeScratchDir('preview');
      const dir = await outDir;
      // The layout cache lives as long as the preview: a PDF after an edit lays out only what changed.
      const result = await buildIssue(source, {
        outDir: dir,
        cacheDir: path.join(dir, '.cache'),
        logger,
        browser: await pdfBrowser(),
      });
      return { bytes: await readFile(result.pdfPath), name: path.basename(result.pdfPath) };
    })();
  }

  /** The one browser of /pdf, started at the first request (and again should it have died). */
  async function pdfBrowser(): Promise<Browser> {
    browser ??= launchBrowser();
    const launched = browser;
    try {
      const current = await launched;
      if (current.connected) return current;
    } catch (error) {
      if (browser === launched) browser = undefined;
      throw error;
    }
    if (browser === launched) browser = undefined;
    return pdfBrowser();
  }

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: Error) => {
      logger.warn(`preview: ${request.url}: ${error.message}`);
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', `${error.message}\n`);
      else response.destroy();
    });
  });

  const fixedRoutes = new Map<string, string>([
    [scriptRoutes.polyfill, pagedPolyfill],
    [scriptRoutes.client, clientScript],
    ...pageScripts.map((file, index): [string, string] => [handlerRoute(index), file]),
  ]);

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    if (!allowedHosts.has(request.headers.host ?? '')) {
      return send(response, 403, 'text/plain; charset=utf-8', 'Unexpected Host header\n');
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      return send(response, 405, 'text/plain; charset=utf-8', 'Method not allowed\n');
    }
    const { pathname, searchParams } = new URL(request.url ?? '/', 'http://preview.invalid');
    if (pathname === '/') {
      const { page } = await view;
      response.setHeader('Content-Security-Policy', contentSecurityPolicy);
      return send(response, 200, 'text/html; charset=utf-8', page.html, request.method === 'HEAD');
    }
    if (pathname === '/events') return events(request, response);
    if (pathname === '/pdf') return pdf(request, response);
    if (pathname === scriptRoutes.pagedConfig) {
      return send(response, 200, contentTypes['.js'] as string, pagedConfigScript, request.method === 'HEAD');
    }
    const file = fixedRoutes.get(pathname) ?? (await view).page.assets.get(pathname);
    if (file) return sendFile(request, response, file, searchParams.get('v'));
    return send(response, 404, 'text/plain; charset=utf-8', 'Not found\n');
  }

  function events(request: http.IncomingMessage, response: http.ServerResponse): void {
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    response.write(`retry: 500\nevent: version\ndata: ${version}\n\n`);
    listeners.add(response);
    request.on('close', () => listeners.delete(response));
  }

  async function pdf(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    if (!pdfJob || pdfJob.changes !== changes) pdfJob = { changes, result: buildPdf() };
    const job = pdfJob;
    try {
      const { bytes, name } = await job.result;
      response.setHeader('Content-Disposition', contentDisposition(name));
      send(response, 200, 'application/pdf', bytes, request.method === 'HEAD');
    } catch (error) {
      if (pdfJob === job) pdfJob = undefined;
      if (error instanceof GazetteInputError) {
        send(response, 422, 'text/plain; charset=utf-8', `${error.messages.map(formatMessage).join('\n')}\n`);
      } else {
        logger.warn(`preview: PDF: ${(error as Error).message}`);
        send(response, 500, 'text/plain; charset=utf-8', `${(error as Error).message}\n`);
      }
    }
  }

  const styles = options.watchStyles === false ? [] : ['styles', 'templates'].map((dir) => path.join(packageRoot, dir));
  const watcher = chokidar.watch([source, ...styles], {
    ignoreInitial: true,
    ignored: (file) => /^\.|~$|\.sw[a-p]$/.test(path.basename(file)),
  });
  watcher.on('all', (_event, file) => changed(file));
  watcher.on('error', (error) => logger.warn(`preview: watching: ${(error as Error).message}`));

  let allowedHosts = new Set<string>();
  try {
    await new Promise<void>((resolve, reject) => {
      watcher.once('ready', resolve);
      watcher.once('error', reject);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 4173, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await watcher.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  // Only names of this machine: a page elsewhere cannot reach the preview through DNS rebinding.
  allowedHosts = new Set([`${hostPart}:${port}`, `127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);

  return {
    url: `http://${hostPart}:${port}/`,
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(debounce);
      await watcher.close();
      for (const response of listeners) response.end();
      listeners.clear();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await stopped;
      await building;
      const started = await browser?.catch(() => undefined);
      if (started) await stopBrowser(started);
      const dir = await outDir?.catch(() => undefined);
      if (dir) await removeScratchDir(dir);
    },
  };
}

function handlerRoute(index: number): string {
  return `/preview/scripts/${index}/${encodeSegment(path.basename(pageScripts[index] ?? ''))}`;
}

function send(
  response: http.ServerResponse,
  status: number,
  type: string,
  body: string | Uint8Array,
  headOnly = false,
): void {
  response.writeHead(status, {
    'Content-Type': type,
    'Content-Length': typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  response.end(headOnly ? undefined : body);
}

/** A stamp of a file's content, from its size and modification time; undefined when it is missing. */
async function stampOf(file: string): Promise<{ stamp: string; size: number } | undefined> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  return { stamp: `${info.size.toString(36)}-${Math.round(info.mtimeMs).toString(36)}`, size: info.size };
}

/**
 * A listed file. Asked for with its current stamp (`?v=`, as the page links it), it is cached for good, so a
 * reload fetches none of the fonts again; otherwise it is revalidated (ETag) on every load.
 */
async function sendFile(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  file: string,
  version: string | null,
): Promise<void> {
  const found = await stampOf(file);
  if (!found) return send(response, 404, 'text/plain; charset=utf-8', 'Not found\n');
  const headers = {
    'Cache-Control': version === found.stamp ? 'public, max-age=31536000, immutable' : 'no-cache',
    ETag: `"${found.stamp}"`,
    'X-Content-Type-Options': 'nosniff',
  };
  if (request.headers['if-none-match'] === headers.ETag) {
    response.writeHead(304, headers);
    response.end();
    return;
  }
  response.writeHead(200, {
    ...headers,
    'Content-Type': contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': found.size,
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    createReadStream(file).on('error', reject).on('end', resolve).pipe(response);
  });
}

/** `attachment; filename="x.pdf"`, with the UTF-8 name too when it is not plain ASCII. */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeSegment(name)}`;
}
