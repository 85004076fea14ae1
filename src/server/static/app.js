// The page's one script: the build's progress bar, the editor's line numbers with the findings marked at their
// lines, and a confirmation before signing off. Everything works without it, only less conveniently.

const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? '';

for (const button of document.querySelectorAll('[data-confirm]')) {
  button.addEventListener('click', (event) => {
    if (!window.confirm(button.dataset.confirm)) event.preventDefault();
  });
}

// 签发 builds the archived editions from the sources (a minute or so): say so while the page waits.
const signForm = document.getElementById('sign-form');
signForm?.addEventListener('submit', () => {
  const button = signForm.querySelector('button');
  button.disabled = true;
  button.textContent = '签发中：正在生成归档的印刷版与 PDF/A 版，请稍候……';
});

// Build: the form posts with fetch, then the status is polled until the build is done.
const build = document.getElementById('build');
if (build) {
  const form = document.getElementById('build-form');
  const bar = build.querySelector('.progress');
  const progress = document.getElementById('build-progress');
  const stage = document.getElementById('build-stage');
  const errors = document.getElementById('build-errors');
  const result = document.getElementById('build-result');
  const pageCount = document.getElementById('page-count');
  const button = form.querySelector('button');

  const show = (status) => {
    build.dataset.state = status.state;
    const running = status.state === 'queued' || status.state === 'running';
    bar.hidden = !running;
    button.disabled = running;
    if (status.expectedPages > 0) {
      progress.max = status.expectedPages;
      progress.value = Math.min(status.pages, status.expectedPages);
    } else progress.removeAttribute('value');
    stage.textContent = `${status.stage}：已排 ${status.pages} 页${status.expectedPages ? ` / 约 ${status.expectedPages} 页` : ''}`;
    if (status.state === 'failed') {
      const pre = document.createElement('pre');
      pre.className = 'errors';
      pre.textContent = status.errors.join('\n');
      errors.replaceChildren(pre);
    } else errors.replaceChildren();
    if (status.state === 'done') {
      result.hidden = false;
      pageCount.textContent = String(status.pageCount);
      const state = document.getElementById('issue-state');
      if (state && status.issueState) {
        state.textContent = status.issueStateLabel;
        state.className = `state ${status.issueState}`;
      }
    }
    return running;
  };

  const poll = async () => {
    const response = await fetch(build.dataset.status, { headers: { accept: 'application/json' } });
    if (!response.ok) return;
    if (show(await response.json())) setTimeout(poll, 400);
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    const response = await fetch(form.action, {
      method: 'POST',
      headers: { 'x-csrf-token': csrf, accept: 'application/json' },
    });
    if (!response.ok) {
      errors.textContent = await response.text();
      button.disabled = false;
      return;
    }
    show(await response.json());
    setTimeout(poll, 300);
  });
  if (build.dataset.state === 'running' || build.dataset.state === 'queued') poll();
}

// Editor: line numbers beside the text, the lines with findings marked; a finding's link selects its line.
const source = document.getElementById('source');
const gutter = document.getElementById('gutter');
if (source && gutter) {
  const list = document.getElementById('findings');
  const findings = JSON.parse(list?.dataset.findings ?? '[]');
  const byLine = new Map();
  for (const finding of findings) {
    const worst = byLine.get(finding.line);
    if (worst !== 'error') byLine.set(finding.line, finding.severity);
  }
  const draw = () => {
    const lines = source.value.split('\n').length;
    const items = [];
    for (let line = 1; line <= lines; line++) {
      const div = document.createElement('div');
      div.textContent = String(line);
      const severity = byLine.get(line);
      if (severity) {
        div.className = `mark ${severity}`;
        div.title = findings
          .filter((finding) => finding.line === line)
          .map((finding) => finding.text)
          .join('\n');
      }
      items.push(div);
    }
    gutter.replaceChildren(...items);
    gutter.scrollTop = source.scrollTop;
  };
  draw();
  source.addEventListener('input', draw);
  source.addEventListener('scroll', () => {
    gutter.scrollTop = source.scrollTop;
  });
  list?.addEventListener('click', (event) => {
    const link = event.target.closest('a[data-line]');
    if (!link) return;
    event.preventDefault();
    const line = Number(link.dataset.line);
    const lines = source.value.split('\n');
    const start = lines.slice(0, line - 1).reduce((sum, text) => sum + text.length + 1, 0);
    source.focus();
    source.setSelectionRange(start, start + (lines[line - 1] ?? '').length);
    const height = source.scrollHeight / lines.length;
    source.scrollTop = Math.max(0, (line - 5) * height);
  });
}
