import { formatMessage, GazetteInputError } from '../model/index.js';
import { encodeSegment, type PreviewPage, pagedConfigScript, scriptRoutes } from './page.js';
import type { PreviewPdf } from './pdf-job.js';

/** What the preview answers a request with; the server turns it into HTTP (tests read it without a socket). */
export type PreviewReply =
  | { kind: 'body'; status: number; type: string; body: string | Uint8Array; headers?: Record<string, string> }
  /** A local file, cached for good when asked for with its current stamp (`?v=`). */
  | { kind: 'file'; file: string; stamp: string | null }
  /** The live reload's Server-Sent Events. */
  | { kind: 'events' };

export interface PreviewRequest {
  method: string;
  /** The path and query, as sent. */
  url: string;
  /** The Host header. */
  host: string;
}

/** What the routes serve: the latest pages (waiting for a build under way), the PDF job, the fixed scripts. */
export interface PreviewState {
  /** The names this machine answers to (`127.0.0.1:<port>`, …): other Host headers are refused. */
  allowedHosts(): ReadonlySet<string>;
  /** The body as the PDF paginates it (or the errors), and the cover and contents. */
  pages(): Promise<{ body: PreviewPage; front?: PreviewPage }>;
  pdf(): Promise<PreviewPdf>;
  /** Route → file of the scripts every page loads (paged.js, its handlers, the client). */
  scripts: ReadonlyMap<string, string>;
  /** Told why a PDF could not be made (other than errors in the sources, which the reply lists). */
  warn?: (message: string) => void;
}

export const contentTypes: Record<string, string> = {
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
export const contentSecurityPolicy = [
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

const text = 'text/plain; charset=utf-8';

/**
 * The preview's routes: GET / is the body as the PDF paginates it (or the page listing the errors), /front the
 * cover and contents, /assets/… exactly the files the pages list, /events the live reload, /pdf the PDF built
 * on demand; anything else is 404, another Host 403, another method 405.
 */
export function previewRoutes(state: PreviewState): (request: PreviewRequest) => Promise<PreviewReply> {
  return async (request) => {
    if (!state.allowedHosts().has(request.host)) return reply(403, text, 'Unexpected Host header\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return reply(405, text, 'Method not allowed\n', { Allow: 'GET, HEAD' });
    }
    const { pathname, searchParams } = new URL(request.url, 'http://preview.invalid');
    if (pathname === '/' || pathname === '/front') {
      const pages = await state.pages();
      const page = pathname === '/' ? pages.body : pages.front;
      if (!page) return reply(404, text, 'Not found\n');
      return reply(200, 'text/html; charset=utf-8', page.html, { 'Content-Security-Policy': contentSecurityPolicy });
    }
    if (pathname === '/events') return { kind: 'events' };
    if (pathname === '/pdf') return pdf(state);
    if (pathname === scriptRoutes.pagedConfig) return reply(200, contentTypes['.js'] as string, pagedConfigScript);
    const pages = await state.pages();
    const file = state.scripts.get(pathname) ?? pages.body.assets.get(pathname) ?? pages.front?.assets.get(pathname);
    if (file) return { kind: 'file', file, stamp: searchParams.get('v') };
    return reply(404, text, 'Not found\n');
  };
}

async function pdf(state: PreviewState): Promise<PreviewReply> {
  try {
    const { bytes, name } = await state.pdf();
    return reply(200, 'application/pdf', bytes, { 'Content-Disposition': contentDisposition(name) });
  } catch (error) {
    if (error instanceof GazetteInputError)
      return reply(422, text, `${error.messages.map(formatMessage).join('\n')}\n`);
    state.warn?.(`preview: PDF: ${(error as Error).message}`);
    return reply(500, text, `${(error as Error).message}\n`);
  }
}

function reply(
  status: number,
  type: string,
  body: string | Uint8Array,
  headers?: Record<string, string>,
): PreviewReply {
  return { kind: 'body', status, type, body, headers };
}

/** `attachment; filename="x.pdf"`, with the UTF-8 name too when it is not plain ASCII. */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeSegment(name)}`;
}
