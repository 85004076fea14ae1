// `gazette preview` in the browser (plain browser JavaScript, served as an ES module after paged.polyfill.js and
// the gazette's handlers): reloads the page when the server says the sources changed, paginates the issue with
// paged.js once its fonts are loaded, and adds the toolbar.

const scrollKey = 'gazette-preview-scroll';
const config = JSON.parse(document.getElementById('gazette-preview-config')?.textContent ?? '{}');

listenForChanges(String(config.version));
// The injected scripts stay out of the content paged.js lays out.
for (const element of document.querySelectorAll('body [data-gazette-preview]')) element.remove();
if (config.mode === 'issue') await paginate();

/**
 * Server-Sent Events: the server sends its version on connecting and as each rebuild starts; another version than
 * the page's reloads it (the server answers the reload once the rebuild is done).
 */
function listenForChanges(version) {
  const events = new EventSource('/events');
  events.addEventListener('version', (event) => {
    if (event.data === version) return;
    events.close();
    sessionStorage.setItem(scrollKey, String(window.scrollY));
    window.location.reload();
  });
}

async function paginate() {
  const root = document.documentElement;
  const polyfill = window.PagedPolyfill;
  history.scrollRestoration = 'manual';
  root.dataset.gazettePreview = 'rendering';
  const content = polyfill.wrapContent();
  const toolbar = createToolbar(document.title);
  document.body.prepend(toolbar.element);
  window.gazetteProgress = (pages) => toolbar.status(`排版中… ${pages} 页`);
  try {
    // Every face the page declares is one it needs: load them before paged.js measures anything.
    await Promise.all([...document.fonts].map((face) => face.load().catch(() => undefined)));
    await document.fonts.ready;
    performance.mark('gazette-preview-fonts');
    const flow = await polyfill.preview(content);
    performance.mark('gazette-preview-paged');
    toolbar.status(`${flow.total} 页`);
    toolbar.documents(documentLinks());
    root.dataset.gazettePreview = 'ready';
    const scroll = Number(sessionStorage.getItem(scrollKey));
    sessionStorage.removeItem(scrollKey);
    if (scroll > 0) window.scrollTo(0, scroll);
  } catch (error) {
    root.dataset.gazettePreview = 'failed';
    toolbar.status(`paged.js 出错：${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
}

/**
 * Each document once, in order, with where its title is: the title block keeps the anchor (#doc-<id>) on the
 * page it is printed on; should paged.js have moved the id (it leaves `data-id` on split elements), the link
 * goes to that page instead.
 */
function documentLinks() {
  const links = [];
  const seen = new Set();
  for (const article of document.querySelectorAll('.pagedjs_page article[data-document]')) {
    const anchor = article.dataset.document;
    if (!anchor || seen.has(anchor)) continue;
    seen.add(anchor);
    const withId = document.getElementById(anchor)?.closest('.pagedjs_page') ? document.getElementById(anchor) : null;
    const header = withId ?? document.querySelector(`.pagedjs_page [data-id="${CSS.escape(anchor)}"]`);
    const page = (header ?? article).closest('.pagedjs_page');
    const href = withId ? `#${anchor}` : `#${page?.id ?? anchor}`;
    links.push({ href, title: article.dataset.title ?? anchor, page: page?.dataset.pageNumber });
  }
  return links;
}

function createToolbar(title) {
  const element = document.createElement('nav');
  element.className = 'gazette-preview-toolbar';
  element.setAttribute('aria-label', 'gazette preview');
  const documents = document.createElement('details');
  documents.className = 'gazette-preview-documents';
  documents.hidden = true;
  const summary = document.createElement('summary');
  const list = document.createElement('ol');
  documents.append(summary, list);
  list.addEventListener('click', (event) => {
    if (event.target instanceof Element && event.target.closest('a')) documents.open = false;
  });
  const heading = document.createElement('span');
  heading.className = 'gazette-preview-title';
  heading.textContent = title;
  const status = document.createElement('span');
  status.className = 'gazette-preview-status';
  status.setAttribute('role', 'status');
  status.textContent = '排版中…';
  const pdf = document.createElement('a');
  pdf.className = 'gazette-preview-pdf';
  pdf.href = '/pdf';
  pdf.download = '';
  pdf.title = '按当前源文件生成 PDF（需几秒钟）';
  pdf.textContent = '下载 PDF';
  // The body and the cover with the contents are paginated apart, as in the PDF: one link to the other.
  const onFront = window.location.pathname === '/front';
  const other = document.createElement('a');
  other.className = 'gazette-preview-other';
  other.href = onFront ? '/' : '/front';
  other.textContent = onFront ? '正文' : '封面与目录';
  element.append(documents, heading, status, other, pdf);
  return {
    element,
    status(text) {
      status.textContent = text;
    },
    documents(links) {
      summary.textContent = `文件（${links.length}）`;
      list.replaceChildren(
        ...links.map((link) => {
          const item = document.createElement('li');
          const anchor = document.createElement('a');
          anchor.href = link.href;
          anchor.textContent = link.title;
          item.append(anchor);
          if (link.page) {
            const page = document.createElement('span');
            page.className = 'page';
            page.textContent = `第 ${link.page} 页`;
            item.append(page);
          }
          return item;
        }),
      );
      documents.hidden = links.length === 0;
    },
  };
}
