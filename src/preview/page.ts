import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LaidOutPart } from '../layout/compose.js';
import { escapeHtml } from '../model/index.js';

/** The routes of the scripts the preview page loads, in this order, after the issue's content. */
export const scriptRoutes = {
  pagedConfig: '/preview/paged-config.js',
  polyfill: '/preview/paged.polyfill.js',
  client: '/preview/client.js',
} as const;

/** Set before paged.polyfill.js runs: the client starts paged.js itself, once the fonts are loaded. */
export const pagedConfigScript = 'window.PagedConfig = { auto: false };\n';

export interface PreviewPage {
  html: string;
  /** Route (`/assets/<n>/<basename>`, percent-encoded as in the HTML) → the local file it serves. */
  assets: Map<string, string>;
}

/** The preview's own styles: pages on a grey desk, the toolbar; paged.js leaves them alone (data-pagedjs-ignore). */
const previewStyles = `
@media screen {
  html { background: #5f6368; }
  body { margin: 0; }
  .pagedjs_pages { padding: 3.25rem 0 2rem; }
  .pagedjs_page { margin: 0 auto 1rem; background: #fff; box-shadow: 0 1px 6px rgb(0 0 0 / 45%); }
  .pagedjs_page, .pagedjs_page .document-header { scroll-margin-top: 3rem; }
}
.gazette-preview-toolbar {
  position: fixed; top: 0; left: 0; right: 0; z-index: 2147483647; box-sizing: border-box; height: 2.5rem;
  display: flex; align-items: center; gap: 1rem; padding: 0 1rem; background: #202124; color: #e8eaed;
  font: 14px/1.4 system-ui, sans-serif; box-shadow: 0 1px 4px rgb(0 0 0 / 40%); contain: layout style;
}
.gazette-preview-toolbar a { color: #8ab4f8; text-decoration: none; }
.gazette-preview-toolbar a:hover { text-decoration: underline; }
.gazette-preview-title { font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.gazette-preview-status { color: #bdc1c6; white-space: nowrap; }
.gazette-preview-pdf { margin-left: auto; white-space: nowrap; }
.gazette-preview-documents { position: relative; }
.gazette-preview-documents > summary { cursor: pointer; white-space: nowrap; }
.gazette-preview-documents > ol {
  position: absolute; top: 2rem; left: -1rem; margin: 0; padding: 0.5rem 1rem 0.5rem 2.5rem; width: max-content;
  max-width: min(40rem, 90vw); max-height: 75vh; overflow: auto; background: #303134; box-shadow: 0 2px 8px rgb(0 0 0 / 50%);
}
.gazette-preview-documents li { margin: 0.25rem 0; }
.gazette-preview-documents .page { color: #9aa0a6; margin-left: 0.5em; }
@media print { .gazette-preview-toolbar { display: none !important; } }
`;

export interface IssuePageOptions {
  /** The server's state the page shows; the client reloads when the server has another. */
  version: string;
  /** Files → a stamp of their content (a hash): `?v=<stamp>` on a URL lets the browser cache it for good. */
  stamps: ReadonlyMap<string, string>;
  /** paged.polyfill.js, the client script and the gazette's paged.js handlers with their routes. */
  polyfill: string;
  client: string;
  handlers: readonly { route: string; file: string }[];
  /** Where the page's files are served: `/assets/` unless told (two pages: two sets of routes). */
  assetRoutes?: string;
}

/**
 * A page of the issue (its body as the PDF paginates it, or its cover and contents) as the preview serves it: the file:// URLs of its assets become `/assets/<n>/<basename>`
 * routes (only those files are served), the preview styles go into the head, and before `</body>` the page
 * config, paged.js, the gazette's handlers (as ES modules) and the client.
 */
export function issuePage(laidOut: LaidOutPart, options: IssuePageOptions): PreviewPage {
  const { version, stamps } = options;
  const stamped = (route: string, file: string) => {
    const stamp = stamps.get(file);
    return stamp ? `${route}?v=${stamp}` : route;
  };
  const assets = new Map<string, string>();
  const replacements = laidOut.assets.map((file, index) => {
    const route = `${options.assetRoutes ?? '/assets/'}${index}/${encodeSegment(path.basename(file))}`;
    assets.set(route, file);
    return { href: pathToFileURL(file).href, url: stamped(route, file) };
  });
  let html = laidOut.html;
  // Longest first, so that no URL is rewritten inside a longer one it begins.
  for (const { href, url } of replacements.sort((a, b) => b.href.length - a.href.length)) {
    html = html.split(href).join(url);
  }
  const head = [
    '<link rel="icon" href="data:,">',
    `<style data-pagedjs-ignore data-gazette-preview>${previewStyles}</style>\n`,
  ].join('\n');
  const scripts = [
    configScript({ version, mode: 'issue' }),
    `<script data-gazette-preview src="${scriptRoutes.pagedConfig}"></script>`,
    `<script data-gazette-preview src="${stamped(scriptRoutes.polyfill, options.polyfill)}"></script>`,
    ...options.handlers.map(
      ({ route, file }) => `<script data-gazette-preview type="module" src="${stamped(route, file)}"></script>`,
    ),
    `<script data-gazette-preview type="module" src="${stamped(scriptRoutes.client, options.client)}"></script>`,
  ].join('\n');
  return {
    html: insertBefore(insertBefore(html, '</head>', head, 'first'), '</body>', `${scripts}\n`, 'last'),
    assets,
  };
}

/** What the preview shows while the sources have errors: each message (file:line:col), and the live reload. */
export function errorPage(messages: readonly string[], version: string): string {
  const items = messages.map((message) => `<li><code>${escapeHtml(message)}</code></li>`).join('\n');
  return `<!doctype html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>gazette preview: ${messages.length} 处错误</title>
<style>
body { margin: 0; padding: 2rem 3rem; background: #fff8f7; color: #202124; font: 15px/1.6 system-ui, sans-serif; }
h1 { color: #b3261e; font-size: 1.4rem; }
ol { padding-left: 1.5rem; }
li { margin: 0.5rem 0; }
code { white-space: pre-wrap; word-break: break-word; font: 14px/1.5 ui-monospace, monospace; }
</style>
</head>
<body class="gazette-preview-errors">
<h1>源文件有 ${messages.length} 处错误，无法排版</h1>
<p>改正后保存，本页自动刷新。</p>
<ol>
${items}
</ol>
${configScript({ version, mode: 'errors' })}
<script data-gazette-preview type="module" src="${scriptRoutes.client}"></script>
</body>
</html>
`;
}

function configScript(config: { version: string; mode: 'issue' | 'errors' }): string {
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<script data-gazette-preview type="application/json" id="gazette-preview-config">${json}</script>`;
}

/** A file name as one URL path segment, safe inside `url('…')` and attribute values too. */
export function encodeSegment(name: string): string {
  return encodeURIComponent(name).replace(/['()*!]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

function insertBefore(html: string, tag: string, text: string, which: 'first' | 'last'): string {
  const at = which === 'first' ? html.indexOf(tag) : html.lastIndexOf(tag);
  return at === -1 ? `${html}${text}` : `${html.slice(0, at)}${text}${html.slice(at)}`;
}
