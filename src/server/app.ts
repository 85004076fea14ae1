import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from '../api/logger.js';
import { packageRoot } from '../layout/compose.js';
import { documentKinds, kindLabels } from '../model/index.js';
import { authenticate, createSession, endSession, findSession, type Session } from './accounts.js';
import type { Builder, BuildJob } from './builds.js';
import {
  audit,
  auditLog,
  type Db,
  type IssueState,
  issueRecord,
  issueState,
  setIssueState,
  stateLabels,
} from './db.js';
import {
  contentsFile,
  createIssue,
  type DocumentMeta,
  type Field,
  findingsOf,
  guessFromWord,
  importedSource,
  issuesIn,
  NewIssueRefusedError,
  readIssueOrErrors,
} from './gazette.js';
import {
  type ArchivedEdition,
  archivePage,
  auditPage,
  type DocumentRow,
  editorPage,
  type Frame,
  importPage,
  issuePage,
  issuesPage,
  loginPage,
  messagePage,
  type NewIssueValues,
  newIssuePage,
  previewPage,
} from './pages.js';
import { issueFolder, PathRefusedError } from './paths.js';
import { checkDocxUpload, UploadRefusedError, uploadLimits } from './upload.js';
import {
  addDocument,
  documentOrder,
  moveDocument,
  readDocument,
  saveDocument,
  sourcesFingerprint,
} from './workspace.js';

export interface AppOptions {
  issuesDir: string;
  dataDir: string;
  archiveRoot: string;
  db: Db;
  builder: Builder;
  logger: Logger;
  /** Only Host headers naming this machine are served (the page listens on a loopback address). */
  loopback: boolean;
  /** How long a session lasts, ms. Default 8 hours (a working day). */
  sessionMs?: number;
  /** Failed sign-ins per name and address before the page makes them wait. Default 5 in 5 minutes. */
  loginAttempts?: { max: number; windowMs: number };
  /** Wait after a wrong password, ms (default 1000): guessing is slow even within the limit. */
  failedLoginDelayMs?: number;
}

const sessionCookie = 'gazette_session';
const staticDir = path.join(packageRoot, 'src', 'server', 'static');
const staticFiles: Record<string, string> = {
  '/static/app.js': 'text/javascript; charset=utf-8',
  '/static/app.css': 'text/css; charset=utf-8',
};

const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

declare module 'fastify' {
  interface FastifyRequest {
    session?: Session;
  }
}

type IssueParams = { id: string };
type DocumentParams = { id: string; name: string };

/** The office web page as a Fastify app (not listening: `startServer` listens, tests call `inject`). */
export async function createApp(options: AppOptions): Promise<FastifyInstance> {
  const { db, builder } = options;
  const sessionMs = options.sessionMs ?? 8 * 60 * 60 * 1000;
  const attempts = options.loginAttempts ?? { max: 5, windowMs: 5 * 60 * 1000 };

  const app = Fastify({ logger: false, bodyLimit: 8 * 1024 * 1024, trustProxy: false });
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 8 * 1024 * 1024 });
  await app.register(multipart, { limits: { fileSize: uploadLimits.fileBytes, files: 1, fields: 4, parts: 5 } });
  await app.register(rateLimit, { global: false, hook: 'preHandler' });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('Content-Security-Policy', contentSecurityPolicy);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Referrer-Policy', 'same-origin');
    reply.header('Cache-Control', 'no-store');
    if (options.loopback && !isLoopbackHost(request.headers.host)) {
      return reply.code(403).type('text/plain; charset=utf-8').send('Unexpected Host header\n');
    }
    if (request.method !== 'GET' && request.method !== 'HEAD' && !sameOrigin(request)) {
      return reply.code(403).type('text/plain; charset=utf-8').send('拒绝：请求来自其他网站 (foreign Origin)\n');
    }
    const token = request.cookies[sessionCookie];
    request.session = token ? findSession(db, token) : undefined;
    const route = request.routeOptions.url ?? '';
    if (!request.session && route !== '/login' && !(route in staticFiles)) {
      if (request.method === 'GET' || request.method === 'HEAD') {
        const next = request.url === '/' ? '' : `?next=${encodeURIComponent(request.url)}`;
        return reply.redirect(`/login${next}`, 303);
      }
      return reply.code(401).type('text/plain; charset=utf-8').send('请先登录 (sign in first)\n');
    }
  });

  // Every state-changing request carries the session's CSRF token (form field or header); an upload checks it
  // from its first field, before the file is read.
  app.addHook('preHandler', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD' || !request.session) return;
    if (request.isMultipart()) return;
    const body = request.body as Record<string, unknown> | undefined;
    const token = request.headers['x-csrf-token'] ?? body?._csrf;
    if (token !== request.session.csrf) {
      return reply.code(403).type('text/plain; charset=utf-8').send('拒绝：页面已过期，请刷新后重试 (CSRF token)\n');
    }
  });

  app.setErrorHandler(async (error: Error & { statusCode?: number }, request, reply) => {
    if (error.statusCode === 429) {
      reply.code(429);
      return sendPage(reply, loginPage({ flash: { kind: 'error', text: error.message } }));
    }
    if (error instanceof PathRefusedError) {
      reply.code(404);
      return sendPage(reply, messagePage(frameOf(request), '找不到', error.message, '/'));
    }
    options.logger.warn(`serve: ${request.method} ${request.url}: ${error.message}`);
    reply.code(error.statusCode && error.statusCode < 500 ? error.statusCode : 500);
    return sendPage(reply, messagePage(frameOf(request), '出错了', error.message, '/'));
  });

  for (const [route, type] of Object.entries(staticFiles)) {
    app.get(route, async (_request, reply) =>
      reply
        .type(type)
        .header('Cache-Control', 'no-cache')
        .send(await readFile(path.join(staticDir, path.basename(route)))),
    );
  }

  // Sign-in.
  app.get('/login', async (request, reply) => {
    if (request.session) return reply.redirect('/', 303);
    return sendPage(reply, loginPage({}));
  });

  app.post(
    '/login',
    {
      config: {
        rateLimit: {
          max: attempts.max,
          timeWindow: attempts.windowMs,
          keyGenerator: (request: FastifyRequest) =>
            `${request.ip}|${String((request.body as Record<string, unknown> | undefined)?.name ?? '')}`,
          errorResponseBuilder: (_request: FastifyRequest, context: { after: string }) => ({
            statusCode: 429,
            message: `登录尝试次数过多，请 ${context.after} 后再试`,
          }),
        },
      },
    },
    async (request, reply) => {
      const body = request.body as { name?: string; password?: string };
      const name = String(body?.name ?? '').trim();
      const user = await authenticate(db, name, String(body?.password ?? ''));
      if (!user) {
        audit(db, { user: name || '?', action: 'login-failed', detail: request.ip });
        await new Promise((resolve) => setTimeout(resolve, options.failedLoginDelayMs ?? 1000));
        reply.code(401);
        return sendPage(reply, loginPage({ flash: { kind: 'error', text: '用户名或密码不对' } }, name));
      }
      const session = createSession(db, user, sessionMs);
      audit(db, { user: user.name, action: 'login', detail: request.ip });
      reply.setCookie(sessionCookie, session.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: request.protocol === 'https',
        maxAge: Math.floor(sessionMs / 1000),
      });
      const next = String((request.query as Record<string, string>).next ?? '');
      return reply.redirect(next.startsWith('/') && !next.startsWith('//') ? next : '/', 303);
    },
  );

  app.post('/logout', async (request, reply) => {
    const token = request.cookies[sessionCookie];
    if (token) endSession(db, token);
    if (request.session) audit(db, { user: request.session.user.name, action: 'logout' });
    reply.clearCookie(sessionCookie, { path: '/' });
    return reply.redirect('/login', 303);
  });

  // Issues.
  app.get('/', async (request, reply) => {
    const listing = await issuesIn(options.issuesDir);
    const rows = await Promise.all(
      listing.issues.map(async (issue) => ({
        id: issue.id,
        year: issue.config.year,
        number: issue.config.number,
        date: issue.config.date,
        publication: issue.config.publication,
        state: await currentState(issue.id, issue.source),
      })),
    );
    rows.sort((a, b) => b.year - a.year || b.number - a.number || a.id.localeCompare(b.id));
    return sendPage(reply, issuesPage(frameOf(request), rows, listing.unreadable));
  });

  app.get('/new', async (request, reply) => sendPage(reply, newIssuePage(frameOf(request), {}, undefined)));

  app.post('/new', async (request, reply) => {
    const values = request.body as NewIssueValues;
    const id = String(values.id ?? '').trim();
    try {
      await createIssue(
        options.issuesDir,
        {
          id,
          year: values.year ? Number(values.year) : undefined,
          publication: values.publication?.trim() || undefined,
          issuer: values.issuer?.trim() || undefined,
          profile: (values.profile || undefined) as never,
          pageSize: (values.pageSize || undefined) as never,
        },
        new Date(),
      );
    } catch (error) {
      if (!(error instanceof NewIssueRefusedError) && !/^Unexpected/.test((error as Error).message)) throw error;
      reply.code(422);
      return sendPage(
        reply,
        newIssuePage(
          { ...frameOf(request), flash: { kind: 'error', text: (error as Error).message } },
          values,
          undefined,
        ),
      );
    }
    audit(db, { user: userOf(request), action: 'issue-new', issue: id });
    return reply.redirect(`/issues/${encodeURIComponent(id)}`, 303);
  });

  app.get<{ Params: IssueParams }>('/issues/:id', async (request, reply) => {
    const { id } = request.params;
    const folder = await issueFolder(options.issuesDir, id);
    return sendPage(reply, issuePage(frameOf(request, flashOf(request)), await issueView(id, folder, request)));
  });

  async function issueView(id: string, folder: string, request: FastifyRequest) {
    const [{ names }, read, findings] = await Promise.all([
      documentOrder(folder),
      readIssueOrErrors(folder),
      findingsOf(folder),
    ]);
    const byName = new Map(read.issue?.documents.map((document) => [path.basename(document.file.path), document]));
    const documents: DocumentRow[] = names.map((name) => {
      const document = byName.get(name);
      const own = findings.filter((finding) => path.basename(finding.file ?? '') === name);
      return {
        name,
        kind: document ? (kindLabels[document.meta.kind] ?? document.meta.kind) : '—',
        title: document ? [document.meta.title].flat().join('') : '（无法读取）',
        meeting: document ? `第${document.meta.meeting}次` : '—',
        errors: own.filter((finding) => finding.fatal).length,
        warnings: own.filter((finding) => !finding.fatal).length,
      };
    });
    const config = read.issue?.config;
    const job = builder.job(id);
    return {
      id,
      heading: config ? `${config.year}年第${config.number}期（${config.date}）` : id,
      state: await currentState(id, folder),
      documents,
      readErrors: read.errors,
      build: job && { state: job.state, pages: job.pages, pageCount: job.result?.pageCount, errors: job.errors },
      canSign: request.session?.user.role === 'approver',
      audit: auditLog(db, { issue: id, limit: 30 }),
    };
  }

  app.post<{ Params: IssueParams }>('/issues/:id/move', async (request, reply) => {
    const { id } = request.params;
    const folder = await issueFolder(options.issuesDir, id);
    const body = request.body as { name?: string; step?: string };
    const step = body.step === '-1' ? -1 : 1;
    await moveDocument(folder, String(body.name ?? ''), step);
    audit(db, {
      user: userOf(request),
      action: 'move',
      issue: id,
      target: body.name,
      detail: step < 0 ? '上移' : '下移',
    });
    return reply.redirect(`/issues/${encodeURIComponent(id)}`, 303);
  });

  // A Word file: checked in memory, converted in memory, shown for confirmation; nothing is written yet.
  app.post<{ Params: IssueParams }>('/issues/:id/upload', async (request, reply) => {
    const { id } = request.params;
    const folder = await issueFolder(options.issuesDir, id);
    const part = await request.file().catch(() => undefined);
    const csrf = (part?.fields._csrf as { value?: string } | undefined)?.value;
    if (!part || csrf !== request.session?.csrf) {
      return reply.code(403).type('text/plain; charset=utf-8').send('拒绝：页面已过期，请刷新后重试 (CSRF token)\n');
    }
    const refuse = async (text: string) => {
      reply.code(422);
      return sendPage(
        reply,
        issuePage(frameOf(request, { kind: 'error', text }), await issueView(id, folder, request)),
      );
    };
    let bytes: Buffer;
    try {
      bytes = await part.toBuffer();
    } catch {
      return refuse(`${part.filename} 太大（超过 20 MB）：请去掉图片后再上传`);
    }
    try {
      checkDocxUpload(part.filename, bytes);
    } catch (error) {
      if (error instanceof UploadRefusedError) return refuse(error.message);
      throw error;
    }
    const read = await readIssueOrErrors(folder);
    const meetings = read.issue?.config.meetings ?? [];
    let guess: Awaited<ReturnType<typeof guessFromWord>>;
    try {
      guess = await guessFromWord(bytes, { sourceName: part.filename, meetings });
    } catch (error) {
      return refuse(`${part.filename} 无法读取为 Word 文档：${(error as Error).message}`);
    }
    const { problems } = importedSource(guess.meta, guess.review, guess.body, part.filename);
    return sendPage(
      reply,
      importPage(frameOf(request), {
        issue: id,
        sourceName: part.filename,
        meta: guess.meta as unknown as Record<string, unknown>,
        review: guess.review,
        body: guess.body,
        warnings: guess.warnings,
        problems: problems(meetings),
        kinds: documentKinds.map((kind) => ({ value: kind, label: kindLabels[kind] })),
        meetings: meetings.map((meeting) => ({ number: meeting.number, name: meeting.name })),
      }),
    );
  });

  app.post<{ Params: IssueParams }>('/issues/:id/import', async (request, reply) => {
    const { id } = request.params;
    const folder = await issueFolder(options.issuesDir, id);
    const body = request.body as Record<string, string | undefined>;
    const sourceName = path.basename(String(body.sourceName ?? 'Word'));
    let meta: DocumentMeta;
    try {
      meta = JSON.parse(String(body.meta ?? '{}')) as DocumentMeta;
    } catch {
      return reply.code(400).type('text/plain; charset=utf-8').send('表单数据不完整，请重新上传\n');
    }
    const titleLines = String(body.title ?? '')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean);
    meta = {
      ...meta,
      kind: (body.kind ?? meta.kind) as DocumentMeta['kind'],
      meeting: Number(body.meeting) || 0,
      title: titleLines.length > 1 ? titleLines : (titleLines[0] ?? ''),
    } as DocumentMeta;
    // Confirming the form confirms every field it shows (the other guesses are shown open above the text), so
    // nothing is left marked for review: the check refuses a leftover `# REVIEW`.
    const review: Field[] = [];
    const text = String(body.body ?? '').replace(/\r\n?/g, '\n');
    const source = importedSource(meta, review, text, sourceName);
    const read = await readIssueOrErrors(folder);
    const meetings = read.issue?.config.meetings ?? [];
    const problems = source.problems(meetings);
    if (problems.length > 0) {
      reply.code(422);
      return sendPage(
        reply,
        importPage(frameOf(request), {
          issue: id,
          sourceName,
          meta: meta as unknown as Record<string, unknown>,
          review,
          body: text,
          warnings: [],
          problems,
          kinds: documentKinds.map((kind) => ({ value: kind, label: kindLabels[kind] })),
          meetings: meetings.map((meeting) => ({ number: meeting.number, name: meeting.name })),
        }),
      );
    }
    const name = await addDocument(folder, meta.kind, source.text);
    audit(db, { user: userOf(request), action: 'import', issue: id, target: name, detail: sourceName });
    return reply.redirect(`/issues/${encodeURIComponent(id)}?done=${encodeURIComponent(`已加入 ${name}`)}`, 303);
  });

  // Editing a document.
  app.get<{ Params: DocumentParams }>('/issues/:id/docs/:name', async (request, reply) => {
    const { id, name } = request.params;
    const folder = await issueFolder(options.issuesDir, id);
    const { text, version } = await readDocument(folder, name);
    return sendPage(
      reply,
      editorPage(frameOf(request, flashOf(request)), await editorView(id, folder, name, text, version)),
    );
  });

  async function editorView(id: string, folder: string, name: string, text: string, version: string) {
    const findings = (await findingsOf(folder))
      .filter((finding) => path.basename(finding.file ?? '') === name)
      .map((finding) => ({
        line: finding.line ?? 1,
        column: finding.column ?? 1,
        severity: finding.fatal ? ('error' as const) : ('warning' as const),
        text: `${finding.reason}${finding.ruleId ? ` [${finding.ruleId}]` : ''}`,
      }));
    return { issue: id, name, text, version, findings };
  }

  app.post<{ Params: DocumentParams }>('/issues/:id/docs/:name', async (request, reply) => {
    const { id, name } = request.params;
    const folder = await issueFolder(options.issuesDir, id);
    const body = request.body as { text?: string; version?: string };
    const user = userOf(request);
    const outcome = await saveDocument(folder, name, String(body.text ?? ''), String(body.version ?? ''), user);
    const editor = `/issues/${encodeURIComponent(id)}/docs/${encodeURIComponent(name)}`;
    if (!outcome.saved) {
      audit(db, { user, action: 'save-conflict', issue: id, target: name, detail: outcome.conflictCopy });
      const current = await readDocument(folder, name);
      reply.code(409);
      return sendPage(
        reply,
        editorPage(
          frameOf(request, {
            kind: 'error',
            text: `未保存：您打开之后，别人已经保存了 ${name}。下面是现在的版本；您的文本已另存为 ${outcome.conflictCopy}（在本期文件夹中），请对照后再改。`,
          }),
          await editorView(id, folder, name, current.text, current.version),
        ),
      );
    }
    audit(db, { user, action: 'save', issue: id, target: name });
    return reply.redirect(`${editor}?done=${encodeURIComponent('已保存')}`, 303);
  });

  // Builds.
  app.post<{ Params: IssueParams }>('/issues/:id/build', async (request, reply) => {
    const { id } = request.params;
    const folder = await issueFolder(options.issuesDir, id);
    const user = userOf(request);
    const sources = await sourcesFingerprint(folder);
    const job = builder.build(id, folder, (done) => {
      audit(db, {
        user,
        action: done.state === 'done' ? 'build' : 'build-failed',
        issue: id,
        detail:
          done.state === 'done'
            ? `${done.result?.pageCount} 页，用时 ${(((done.finishedAt ?? 0) - done.startedAt) / 1000).toFixed(1)} 秒`
            : done.errors.slice(0, 3).join('；'),
      });
      // The sources the build started from are what 签发 may archive; a build of the signed sources stays signed.
      const record = issueRecord(db, id);
      if (done.state === 'done' && !(record.state === 'signed' && record.sources === sources)) {
        setIssueState(db, id, 'ready', user, sources);
      }
    });
    if (wantsJson(request)) return reply.send(buildStatus(id, job));
    return reply.redirect(`/issues/${encodeURIComponent(id)}`, 303);
  });

  app.get<{ Params: IssueParams }>('/issues/:id/build', async (request, reply) => {
    const { id } = request.params;
    await issueFolder(options.issuesDir, id);
    const job = builder.job(id);
    return reply.send(
      job ? buildStatus(id, job) : { state: 'none', pages: 0, expectedPages: 0, stage: '', errors: [] },
    );
  });

  function buildStatus(id: string, job: BuildJob) {
    const state = issueState(db, id);
    return {
      state: job.state,
      stage: job.stage,
      pages: job.pages,
      expectedPages: job.expectedPages,
      pageCount: job.result?.pageCount ?? 0,
      reusedPages: job.result?.reusedPages ?? 0,
      seconds: job.finishedAt ? (job.finishedAt - job.startedAt) / 1000 : undefined,
      errors: job.errors,
      issueState: state,
      issueStateLabel: stateLabels[state],
    };
  }

  function builtOf(id: string) {
    const result = builder.job(id)?.result;
    if (!result) throw Object.assign(new Error('本期还没有排版：请先点“排版生成 PDF”'), { statusCode: 404 });
    return result;
  }

  app.get<{ Params: IssueParams }>('/issues/:id/preview', async (request, reply) => {
    const { id } = request.params;
    await issueFolder(options.issuesDir, id);
    const result = builtOf(id);
    return sendPage(reply, previewPage(frameOf(request), id, result.pageCount, builder.job(id)?.stamp ?? '0'));
  });

  app.get<{ Params: { id: string; page: string } }>('/issues/:id/pages/:page', async (request, reply) => {
    const { id } = request.params;
    await issueFolder(options.issuesDir, id);
    const page = /^(\d+)\.png$/.exec(request.params.page);
    if (!page) return reply.code(404).send();
    const file = await builder.pageImage(id, Number(page[1])).catch(() => undefined);
    if (!file) return reply.code(404).send();
    return reply
      .type('image/png')
      .header('Cache-Control', 'private, max-age=3600')
      .send(await readFile(file));
  });

  app.get<{ Params: { id: string; file: string } }>('/issues/:id/download/:file', async (request, reply) => {
    const { id, file } = request.params;
    await issueFolder(options.issuesDir, id);
    const result = builtOf(id);
    const download = async (): Promise<{ name: string; type: string; body: string | Uint8Array }> => {
      if (file === 'pdf') return { name: `${id}.pdf`, type: 'application/pdf', body: await readFile(result.pdfPath) };
      if (file === 'contents.docx') {
        return {
          name: `${id}-目录.docx`,
          type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          body: await contentsFile(result, 'docx', options.issuesDir),
        };
      }
      if (file === 'contents.csv') {
        return {
          name: `${id}-目录.csv`,
          type: 'text/csv; charset=utf-8',
          body: await contentsFile(result, 'csv', options.issuesDir),
        };
      }
      throw Object.assign(new Error(`没有这个下载：${file}`), { statusCode: 404 });
    };
    const { name, type, body } = await download();
    audit(db, { user: userOf(request), action: 'download', issue: id, target: name });
    return reply.type(type).header('Content-Disposition', contentDisposition(name)).send(body);
  });

  // 签发: the approver archives the issue as it is now.
  app.post<{ Params: IssueParams }>('/issues/:id/sign', async (request, reply) => {
    const { id } = request.params;
    const folder = await issueFolder(options.issuesDir, id);
    const user = request.session?.user;
    if (user?.role !== 'approver') {
      reply.code(403);
      return sendPage(
        reply,
        messagePage(frameOf(request), '不能签发', '只有签发人可以签发。', `/issues/${encodeURIComponent(id)}`),
      );
    }
    const sources = await sourcesFingerprint(folder);
    if ((await currentState(id, folder)) !== 'ready') {
      reply.code(409);
      return sendPage(
        reply,
        messagePage(
          frameOf(request),
          '不能签发',
          '本期不是“待签发”：稿件在最近一次排版后又有改动，请先重新排版。',
          `/issues/${encodeURIComponent(id)}`,
        ),
      );
    }
    const started = Date.now();
    const outcome = await builder.archive(folder, options.archiveRoot);
    setIssueState(db, id, 'signed', user.name, sources);
    audit(db, {
      user: user.name,
      action: 'sign',
      issue: id,
      target: `r${outcome.revision}`,
      detail: `${outcome.status}，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒`,
    });
    return reply.redirect(`/archive?done=${encodeURIComponent(`已签发并归档：${id} 第 ${outcome.revision} 版`)}`, 303);
  });

  // The archive.
  app.get('/archive', async (request, reply) => {
    const editions = await archivedEditions(options.archiveRoot);
    return sendPage(reply, archivePage(frameOf(request, flashOf(request)), editions));
  });

  app.get<{ Params: { id: string; '*': string } }>('/archive/:id/*', async (request, reply) => {
    const { id } = request.params;
    const dir = await issueFolder(options.archiveRoot, id);
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as {
      revisions: { print: string; pdfa: string }[];
    };
    const wanted = request.params['*'];
    // Only the editions the manifest names: nothing else of the archive folder is served.
    if (!manifest.revisions.some((revision) => revision.print === wanted || revision.pdfa === wanted)) {
      return reply.code(404).send();
    }
    audit(db, { user: userOf(request), action: 'download', issue: id, target: wanted });
    return reply
      .type('application/pdf')
      .header('Content-Disposition', contentDisposition(path.basename(wanted)))
      .send(await readFile(path.join(dir, ...wanted.split('/'))));
  });

  app.get('/audit', async (request, reply) =>
    sendPage(reply, auditPage(frameOf(request), auditLog(db, { limit: 500 }))),
  );

  /** The recorded state, unless the sources changed since it was recorded: then 编辑中. */
  async function currentState(id: string, folder: string): Promise<IssueState> {
    const record = issueRecord(db, id);
    if (record.state === 'editing') return 'editing';
    if (record.sources === (await sourcesFingerprint(folder).catch(() => ''))) return record.state;
    setIssueState(db, id, 'editing', 'system');
    return 'editing';
  }

  return app;
}

async function archivedEditions(archiveRoot: string): Promise<ArchivedEdition[]> {
  const { verifyHashes } = await import('./gazette.js');
  const editions: ArchivedEdition[] = [];
  for (const name of (await readdir(archiveRoot).catch(() => [] as string[])).sort()) {
    if (name.startsWith('.')) continue;
    const dir = path.join(archiveRoot, name);
    const text = await readFile(path.join(dir, 'manifest.json'), 'utf8').catch(() => undefined);
    if (!text || !(await stat(dir)).isDirectory()) continue;
    const manifest = JSON.parse(text) as {
      issue: string;
      title: string;
      revisions: { revision: number; archivedAt: string; pages: number; print: string; pdfa: string }[];
    };
    const verify = await verifyHashes(dir);
    for (const revision of [...manifest.revisions].reverse()) {
      editions.push({ issue: name, title: manifest.title, ...revision, verify });
    }
  }
  return editions;
}

function sendPage(reply: FastifyReply, body: string): FastifyReply {
  return reply.type('text/html; charset=utf-8').send(body);
}

function frameOf(request: FastifyRequest, flash?: Frame['flash']): Frame {
  return { user: request.session?.user, csrf: request.session?.csrf, flash };
}

/** `?done=…` after a redirect: what just happened. */
function flashOf(request: FastifyRequest): Frame['flash'] {
  const done = (request.query as Record<string, string | undefined>).done;
  return done ? { kind: 'ok', text: done } : undefined;
}

function userOf(request: FastifyRequest): string {
  return request.session?.user.name ?? '?';
}

function wantsJson(request: FastifyRequest): boolean {
  return /application\/json/.test(request.headers.accept ?? '');
}

function isLoopbackHost(host: string | undefined): boolean {
  const name = (host ?? '').replace(/:\d+$/, '');
  return name === 'localhost' || name === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(name);
}

/**
 * The request comes from a page of this server: its Origin (or, where a browser sends none, its Referer) is
 * this server's own address. A request with neither is refused.
 */
function sameOrigin(request: FastifyRequest): boolean {
  const own = `${request.protocol}://${request.headers.host}`;
  const origin = request.headers.origin;
  if (origin) return origin === own;
  const referer = request.headers.referer;
  return referer !== undefined && (referer === own || referer.startsWith(`${own}/`));
}

/** `attachment; filename="x.pdf"`, with the UTF-8 name too when it is not plain ASCII. */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
