import { roleLabels } from './accounts.js';
import type { AuditEntry, IssueState, User } from './db.js';
import { stateLabels } from './db.js';
import { type Html, html } from './html.js';

/** The server-rendered pages, in Chinese. One small script (/static/app.js) adds the progress bar and the editor's marks. */

export interface Frame {
  user?: User;
  csrf?: string;
  /** A note at the top: what just happened, or what went wrong. */
  flash?: { kind: 'ok' | 'error'; text: string | string[] };
}

export function page(title: string, frame: Frame, body: Html): string {
  const flash = frame.flash;
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${frame.csrf ? html`<meta name="csrf-token" content="${frame.csrf}">` : ''}
<title>${title} · 公报编辑</title>
<link rel="stylesheet" href="/static/app.css">
<script src="/static/app.js" defer></script>
</head>
<body>
<header class="top">
  <a class="brand" href="/">公报编辑</a>
  ${
    frame.user
      ? html`<nav><a href="/">各期</a><a href="/archive">归档</a><a href="/audit">操作记录</a></nav>
  <form method="post" action="/logout" class="who">${csrfField(frame.csrf)}<span>${frame.user.name}（${roleLabels[frame.user.role]}）</span><button type="submit">退出</button></form>`
      : ''
  }
</header>
<main>
${
  flash
    ? html`<div class="flash ${flash.kind}" role="${flash.kind === 'error' ? 'alert' : 'status'}">${
        Array.isArray(flash.text) ? html`<ul>${flash.text.map((line) => html`<li>${line}</li>`)}</ul>` : flash.text
      }</div>`
    : ''
}
${body}
</main>
</body>
</html>
`.value;
}

export function csrfField(csrf: string | undefined): Html {
  return html`<input type="hidden" name="_csrf" value="${csrf ?? ''}">`;
}

export function loginPage(frame: Frame, name = ''): string {
  return page(
    '登录',
    frame,
    html`<section class="card narrow">
<h1>登录</h1>
<form method="post" action="/login" class="stack">
  <label>用户名 <input name="name" autocomplete="username" required value="${name}" autofocus></label>
  <label>密码 <input name="password" type="password" autocomplete="current-password" required></label>
  <button type="submit" class="primary">登录</button>
</form>
<p class="hint">没有账号？请系统管理员在服务器上运行 <code>gazette user add 用户名 --role editor</code>。</p>
</section>`,
  );
}

export interface IssueRow {
  id: string;
  year: number;
  number: number;
  date: string;
  publication: string;
  state: IssueState;
}

export function issuesPage(frame: Frame, issues: IssueRow[], unreadable: string[]): string {
  return page(
    '各期',
    frame,
    html`<h1>各期公报</h1>
<p><a class="button primary" href="/new">新建一期</a></p>
<table class="list" id="issues">
<thead><tr><th>期号</th><th>出版日期</th><th>刊物</th><th>状态</th></tr></thead>
<tbody>
${issues.map(
  (issue) => html`<tr data-issue="${issue.id}">
  <td><a href="/issues/${encodeURIComponent(issue.id)}">${issue.year}年第${issue.number}期</a> <span class="muted">${issue.id}</span></td>
  <td>${issue.date}</td><td>${issue.publication}</td>
  <td><span class="state ${issue.state}">${stateLabels[issue.state]}</span></td>
</tr>`,
)}
</tbody>
</table>
${issues.length === 0 ? html`<p class="muted">还没有任何一期。点“新建一期”开始。</p>` : ''}
${unreadable.length > 0 ? html`<h2>无法读取的期</h2><pre class="errors">${unreadable.join('\n\n')}</pre>` : ''}`,
  );
}

export interface NewIssueValues {
  id?: string;
  year?: string;
  publication?: string;
  issuer?: string;
  profile?: string;
  pageSize?: string;
}

export function newIssuePage(frame: Frame, values: NewIssueValues, suggestion: string | undefined): string {
  const option = (value: string, label: string, current: string | undefined) =>
    html`<option value="${value}"${current === value ? html` selected` : ''}>${label}</option>`;
  return page(
    '新建一期',
    frame,
    html`<h1>新建一期</h1>
<form method="post" action="/new" class="stack card">
  ${csrfField(frame.csrf)}
  <label>文件夹名称（期的编号）<input name="id" required pattern="[^./\\\\ ][^/\\\\ ]*" value="${values.id ?? suggestion ?? ''}" placeholder="baoshan-2024-04"></label>
  <p class="hint">刊物名称、发文机关、版式等从该刊物最近一期复制；新刊物第一期时请填写下面各项。</p>
  <label>年份（可空：取名称中的年份）<input name="year" inputmode="numeric" pattern="\\d{4}" value="${values.year ?? ''}"></label>
  <label>刊物名称（第一期时必填）<input name="publication" value="${values.publication ?? ''}"></label>
  <label>发文机关（第一期时必填）<input name="issuer" value="${values.issuer ?? ''}"></label>
  <label>版式 <select name="profile">${option('', '同最近一期', values.profile)}${option('one-column', '通栏（宝山式）', values.profile)}${option('two-column', '双栏（虹口式）', values.profile)}</select></label>
  <label>开本 <select name="pageSize">${option('', '同最近一期', values.pageSize)}${option('A4', 'A4', values.pageSize)}${option('16K', '16开', values.pageSize)}</select></label>
  <button type="submit" class="primary">建立</button>
</form>`,
  );
}

export interface DocumentRow {
  name: string;
  kind: string;
  title: string;
  meeting: string;
  errors: number;
  warnings: number;
}

export interface IssueView {
  id: string;
  heading: string;
  state: IssueState;
  documents: DocumentRow[];
  readErrors: string[];
  build?: { state: string; pages: number; pageCount?: number; errors: string[] };
  canSign: boolean;
  audit: AuditEntry[];
}

export function issuePage(frame: Frame, view: IssueView): string {
  const base = `/issues/${encodeURIComponent(view.id)}`;
  const built = view.build?.state === 'done' && view.build.pageCount;
  const running = view.build?.state === 'running' || view.build?.state === 'queued';
  return page(
    view.heading,
    frame,
    html`<h1>${view.heading} <span class="state ${view.state}" id="issue-state">${stateLabels[view.state]}</span></h1>
${view.readErrors.length > 0 ? html`<div class="flash error"><p>本期的稿件有错误，排版前请改正：</p><pre class="errors">${view.readErrors.join('\n')}</pre></div>` : ''}
<section class="card">
<h2>稿件</h2>
<table class="list" id="documents">
<thead><tr><th>顺序</th><th>文件</th><th>类别</th><th>标题</th><th>会议</th><th>检查</th><th></th></tr></thead>
<tbody>
${view.documents.map(
  (document, index) => html`<tr data-name="${document.name}">
  <td class="order">${index + 1}
    <form method="post" action="${base}/move" class="inline">${csrfField(frame.csrf)}<input type="hidden" name="name" value="${document.name}">
      <button name="step" value="-1" title="上移" aria-label="上移 ${document.name}"${index === 0 ? html` disabled` : ''}>↑</button><button name="step" value="1" title="下移" aria-label="下移 ${document.name}"${index === view.documents.length - 1 ? html` disabled` : ''}>↓</button>
    </form></td>
  <td><code>${document.name}</code></td><td>${document.kind}</td>
  <td>${document.title}</td><td>${document.meeting}</td>
  <td class="findings">${
    document.errors + document.warnings === 0
      ? html`<span class="ok">无问题</span>`
      : html`${document.errors > 0 ? html`<span class="bad">${document.errors} 个错误</span> ` : ''}${document.warnings > 0 ? html`<span class="warn">${document.warnings} 个提示</span>` : ''}`
  }</td>
  <td><a href="${base}/docs/${encodeURIComponent(document.name)}">编辑</a></td>
</tr>`,
)}
</tbody>
</table>
<form method="post" action="${base}/upload" enctype="multipart/form-data" class="upload">
  ${csrfField(frame.csrf)}
  <label>上传 Word 稿件（.docx）<input type="file" name="file" accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document" required></label>
  <button type="submit">上传并核对</button>
</form>
</section>
<section class="card" id="build" data-status="${base}/build" data-state="${view.build?.state ?? 'none'}">
<h2>排版与预览</h2>
<form method="post" action="${base}/build" class="inline" id="build-form">${csrfField(frame.csrf)}<button type="submit" class="primary"${running ? html` disabled` : ''}>排版生成 PDF</button></form>
<div class="progress"${running ? '' : html` hidden`}><progress id="build-progress" max="100"></progress> <span id="build-stage"></span></div>
<div id="build-errors">${view.build?.state === 'failed' ? html`<pre class="errors">${view.build.errors.join('\n')}</pre>` : ''}</div>
<p id="build-result"${built ? '' : html` hidden`}>
  已排版 <strong id="page-count">${view.build?.pageCount ?? 0}</strong> 页：
  <a href="${base}/preview">逐页预览</a> ·
  <a href="${base}/download/pdf" id="download-pdf">下载 PDF</a> ·
  <a href="${base}/download/contents.docx">目录（Word）</a> ·
  <a href="${base}/download/contents.csv">目录（CSV）</a>
</p>
</section>
<section class="card">
<h2>签发</h2>
${
  view.state === 'signed'
    ? html`<p>本期已签发并归档。见 <a href="/archive">归档</a>。</p>`
    : view.state === 'ready'
      ? view.canSign
        ? html`<form method="post" action="${base}/sign" id="sign-form">${csrfField(frame.csrf)}<p>最近一次排版没有错误。签发后本期归档（印刷版 PDF 与 PDF/A 长期保存版），不可更改。</p><button type="submit" class="primary" data-confirm="确认签发本期？签发后归档，不可更改。">签发</button></form>`
        : html`<p>待签发：请签发人登录后签发。</p>`
      : html`<p class="muted">排版成功后本期即为“待签发”；之后再改稿件，需要重新排版。</p>`
}
</section>
<section class="card">
<h2>本期操作记录</h2>
${auditTable(view.audit)}
</section>`,
  );
}

const actionLabels: Record<string, string> = {
  login: '登录',
  'login-failed': '登录失败',
  logout: '退出',
  'issue-new': '新建一期',
  move: '调整顺序',
  save: '保存稿件',
  'save-conflict': '保存冲突',
  import: '导入 Word',
  build: '排版',
  'build-failed': '排版失败',
  sign: '签发',
  download: '下载',
};

export function auditTable(entries: AuditEntry[]): Html {
  if (entries.length === 0) return html`<p class="muted">暂无记录。</p>`;
  return html`<table class="list audit"><thead><tr><th>时间</th><th>用户</th><th>操作</th><th>期</th><th>对象</th><th>说明</th></tr></thead><tbody>
${entries.map(
  (entry) =>
    html`<tr><td>${localTime(entry.at)}</td><td>${entry.user}</td><td>${actionLabels[entry.action] ?? entry.action}</td><td>${entry.issue ?? ''}</td><td>${entry.target ?? ''}</td><td>${entry.detail ?? ''}</td></tr>`,
)}
</tbody></table>`;
}

/** The time as the office reads it (Beijing time). */
function localTime(iso: string): string {
  return new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
}

export function auditPage(frame: Frame, entries: AuditEntry[]): string {
  return page('操作记录', frame, html`<h1>操作记录</h1>${auditTable(entries)}`);
}

export interface ImportView {
  issue: string;
  sourceName: string;
  meta: Record<string, unknown>;
  review: string[];
  body: string;
  warnings: string[];
  problems: string[];
  kinds: { value: string; label: string }[];
  meetings: { number: number; name: string }[];
}

export function importPage(frame: Frame, view: ImportView): string {
  const base = `/issues/${encodeURIComponent(view.issue)}`;
  const title = [view.meta.title ?? ''].flat().join('\n');
  const mark = (field: string) => (view.review.includes(field) ? html`<span class="warn">（推测，请核对）</span>` : '');
  const others = Object.entries(view.meta).filter(([key]) => !['kind', 'meeting', 'title'].includes(key));
  return page(
    '核对导入的稿件',
    frame,
    html`<h1>核对导入的稿件：${view.sourceName}</h1>
${view.problems.length > 0 ? html`<div class="flash error"><p>请先改正：</p><ul>${view.problems.map((problem) => html`<li>${problem}</li>`)}</ul></div>` : ''}
${view.warnings.length > 0 ? html`<div class="flash warn"><p>转换提示：</p><ul>${view.warnings.map((warning) => html`<li>${warning}</li>`)}</ul></div>` : ''}
<form method="post" action="${base}/import" class="stack card" id="import-form">
  ${csrfField(frame.csrf)}
  <input type="hidden" name="sourceName" value="${view.sourceName}">
  <input type="hidden" name="meta" value="${JSON.stringify(view.meta)}">
  <input type="hidden" name="review" value="${view.review.join(',')}">
  <label>类别 ${mark('kind')}<select name="kind">${view.kinds.map(
    (kind) =>
      html`<option value="${kind.value}"${kind.value === view.meta.kind ? html` selected` : ''}>${kind.label}</option>`,
  )}</select></label>
  <label>会议 ${mark('meeting')}<select name="meeting"><option value="">（请选择）</option>${view.meetings.map(
    (meeting) =>
      html`<option value="${meeting.number}"${meeting.number === view.meta.meeting ? html` selected` : ''}>第${meeting.number}次：${meeting.name}</option>`,
  )}</select></label>
  <label>标题（多行标题每行一行）${mark('title')}<textarea name="title" rows="2">${title}</textarea></label>
  ${others.length > 0 ? html`<details${others.some(([key]) => view.review.includes(key)) ? html` open` : ''}><summary>其他推测的字段（确认时一并确认）</summary><dl>${others.map(([key, value]) => html`<dt>${key}${view.review.includes(key) ? html` <span class="warn">（请核对）</span>` : ''}</dt><dd>${typeof value === 'string' ? value : JSON.stringify(value)}</dd>`)}</dl></details>` : ''}
  <label>正文 <textarea name="body" rows="16" class="source">${view.body}</textarea></label>
  <button type="submit" class="primary">确认，加入本期</button> <a href="${base}">取消</a>
</form>`,
  );
}

export interface EditorFinding {
  line: number;
  column: number;
  severity: 'error' | 'warning';
  text: string;
}

export interface EditorView {
  issue: string;
  name: string;
  text: string;
  version: string;
  findings: EditorFinding[];
}

export function editorPage(frame: Frame, view: EditorView): string {
  const base = `/issues/${encodeURIComponent(view.issue)}`;
  return page(
    `编辑 ${view.name}`,
    frame,
    html`<h1><a href="${base}">${view.issue}</a> / ${view.name}</h1>
<form method="post" action="${base}/docs/${encodeURIComponent(view.name)}" class="editor" id="editor-form">
  ${csrfField(frame.csrf)}
  <input type="hidden" name="version" value="${view.version}">
  <div class="editor-grid">
    <div class="gutter" aria-hidden="true" id="gutter"></div>
    <textarea name="text" id="source" spellcheck="false" wrap="off">${view.text}</textarea>
  </div>
  <p><button type="submit" class="primary">保存</button> <span class="muted">保存时如已有他人改动，您的文本另存为冲突副本，不会覆盖。</span></p>
</form>
<section class="card">
<h2>检查结果（${view.findings.length}）</h2>
<ol class="findings" id="findings" data-findings="${JSON.stringify(view.findings)}">
${view.findings.map(
  (finding) =>
    html`<li class="${finding.severity}"><a href="#" data-line="${finding.line}" data-column="${finding.column}">第 ${finding.line} 行第 ${finding.column} 列</a>：${finding.text}</li>`,
)}
</ol>
${view.findings.length === 0 ? html`<p class="ok">检查没有发现问题。</p>` : ''}
</section>`,
  );
}

export function previewPage(frame: Frame, issue: string, pageCount: number, stamp: string): string {
  const base = `/issues/${encodeURIComponent(issue)}`;
  return page(
    `预览 ${issue}`,
    frame,
    html`<h1><a href="${base}">${issue}</a> / 逐页预览（${pageCount} 页）</h1>
<p>与 PDF 印出的页面相同。<a href="${base}/download/pdf">下载 PDF</a></p>
<div class="pages" id="pages">
${Array.from(
  { length: pageCount },
  (_, index) =>
    html`<figure><img loading="lazy" src="${base}/pages/${index + 1}.png?v=${stamp}" alt="第 ${index + 1} 页" width="496" height="702"><figcaption>${index + 1}</figcaption></figure>`,
)}
</div>`,
  );
}

export interface ArchivedEdition {
  issue: string;
  title: string;
  revision: number;
  archivedAt: string;
  pages: number;
  print: string;
  pdfa: string;
  verify: { ok: boolean; problems: string[] };
}

export function archivePage(frame: Frame, editions: ArchivedEdition[]): string {
  return page(
    '归档',
    frame,
    html`<h1>归档（已签发的各期）</h1>
<table class="list" id="archive">
<thead><tr><th>期</th><th>版次</th><th>归档时间</th><th>页数</th><th>文件</th><th>核验</th></tr></thead>
<tbody>
${editions.map((edition) => {
  const base = `/archive/${encodeURIComponent(edition.issue)}`;
  return html`<tr data-issue="${edition.issue}" data-revision="${edition.revision}">
  <td>${edition.title} <span class="muted">${edition.issue}</span></td><td>第 ${edition.revision} 版</td>
  <td>${localTime(edition.archivedAt)}</td><td>${edition.pages}</td>
  <td><a href="${base}/${edition.print}">印刷版 PDF</a> · <a href="${base}/${edition.pdfa}">PDF/A</a></td>
  <td class="verify">${edition.verify.ok ? html`<span class="ok">✓ 完好</span>` : html`<span class="bad">✗ ${edition.verify.problems.join('；')}</span>`}</td>
</tr>`;
})}
</tbody>
</table>
${editions.length === 0 ? html`<p class="muted">还没有归档的期。</p>` : ''}`,
  );
}

export function messagePage(frame: Frame, title: string, text: string, back?: string): string {
  return page(
    title,
    frame,
    html`<h1>${title}</h1><p>${text}</p>${back ? html`<p><a href="${back}">返回</a></p>` : ''}`,
  );
}
