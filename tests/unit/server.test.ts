import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/api/logger.js';
import { main } from '../../src/cli/index.js';
import {
  addUser,
  authenticate,
  changePassword,
  createSession,
  findSession,
  hashPassword,
  verifyPassword,
} from '../../src/server/accounts.js';
import { createApp } from '../../src/server/app.js';
import { Builder } from '../../src/server/builds.js';
import {
  auditLog,
  type Db,
  issueRecord,
  issueState,
  migrate,
  migrations,
  openDatabase,
  schemaVersion,
  setIssueState,
} from '../../src/server/db.js';
import { ServeRefusedError, startServer } from '../../src/server/serve.js';
import { sourcesFingerprint } from '../../src/server/workspace.js';
import { password, reportDocx, type ServerFolders, useServerFolders, zipBomb } from '../helpers/server.js';

const folders = useServerFolders('serve-unit');

describe('the database', () => {
  it('versions its schema and brings an older one up to date', async () => {
    const { dataDir } = await folders();
    const db = openDatabase(dataDir);
    expect(db.pragma('user_version', { simple: true })).toBe(schemaVersion);
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]
    ).map((row) => row.name);
    expect(tables).toEqual(['audit', 'issue_state', 'sessions', 'users']);
    // Running the migrations again changes nothing (each runs once).
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(schemaVersion);
    db.pragma('user_version = 99');
    expect(() => migrate(db)).toThrow(/schema version 99, newer than this gazette knows/);
    db.close();
  });

  it('upgrades a database of schema 1, keeping its rows', async () => {
    const dataDir = path.join((await folders()).root, 'old-data');
    await mkdir(dataDir);
    const old = new Database(path.join(dataDir, 'gazette.sqlite'));
    old.exec(migrations[0] as string);
    old.pragma('user_version = 1');
    old.prepare("INSERT INTO issue_state VALUES ('a-2024-01', 'signed', 'wang', '2024-01-01T00:00:00Z')").run();
    old.close();
    const db = openDatabase(dataDir);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(issueRecord(db, 'a-2024-01')).toEqual({ state: 'signed', sources: null });
    db.close();
  });

  it('stores scrypt hashes, never the password, and checks them', async () => {
    const stored = await hashPassword('正确的密码-123');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(stored).not.toContain('正确的密码');
    expect(await verifyPassword('正确的密码-123', stored)).toBe(true);
    expect(await verifyPassword('正确的密码-124', stored)).toBe(false);
    // Two hashes of the same password differ (their salts do).
    expect(await hashPassword('正确的密码-123')).not.toBe(stored);
  });

  it('signs in, expires sessions, and signs a changed password’s sessions out', async () => {
    const { dataDir } = await folders();
    const db = openDatabase(dataDir);
    const zhang = await authenticate(db, 'zhang', password);
    expect(zhang?.role).toBe('editor');
    expect(await authenticate(db, 'zhang', 'wrong-password')).toBeUndefined();
    expect(await authenticate(db, 'nobody', password)).toBeUndefined();
    await expect(addUser(db, 'zhang', 'editor', 'another-pass')).rejects.toThrow(/已存在/);
    await expect(addUser(db, 'li', 'editor', 'short')).rejects.toThrow(/至少 8 个字符/);
    await expect(addUser(db, '../li', 'editor', 'long-enough')).rejects.toThrow(/不可用/);

    const now = new Date('2026-01-01T08:00:00Z');
    const session = createSession(db, zhang as never, 60_000, now);
    // The cookie's token is not what the table keeps.
    const ids = (db.prepare('SELECT id FROM sessions').all() as { id: string }[]).map((row) => row.id);
    expect(ids).not.toContain(session.token);
    expect(findSession(db, session.token, new Date(now.getTime() + 59_000))?.user.name).toBe('zhang');
    expect(findSession(db, session.token, new Date(now.getTime() + 61_000))).toBeUndefined();
    const live = createSession(db, zhang as never, 60_000);
    await changePassword(db, 'zhang', 'a-new-password');
    expect(findSession(db, live.token)).toBeUndefined();
    db.close();
  });
});

/** The app on an injected request: no port, no browser (nothing here builds). */
async function appFor(found: ServerFolders, loginAttempts = { max: 5, windowMs: 60_000 }) {
  const db = openDatabase(found.dataDir);
  const builder = new Builder(found.dataDir, silentLogger);
  const app = await createApp({
    ...found,
    db,
    builder,
    logger: silentLogger,
    loopback: true,
    loginAttempts,
    failedLoginDelayMs: 0,
  });
  return { app, db, builder };
}

const origin = 'http://127.0.0.1:8080';
const host = '127.0.0.1:8080';

/** Signs in through the form; the session cookie and the page's CSRF token. */
async function signIn(app: FastifyInstance, name = 'zhang'): Promise<{ cookie: string; csrf: string }> {
  const response = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { host, origin, 'content-type': 'application/x-www-form-urlencoded' },
    payload: `name=${name}&password=${password}`,
  });
  expect(response.statusCode).toBe(303);
  const cookie = String(response.headers['set-cookie']).split(';')[0] as string;
  const page = await app.inject({ method: 'GET', url: '/', headers: { host, cookie } });
  const csrf = /name="csrf-token" content="([^"]+)"/.exec(page.body)?.[1] as string;
  expect(csrf).toBeTruthy();
  return { cookie, csrf };
}

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

function multipart(fields: Record<string, string>, file: { name: string; bytes: Uint8Array }) {
  const boundary = '----gazette-test-boundary';
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    Buffer.from(file.bytes),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('the page’s routes', () => {
  let found: ServerFolders;
  let app: FastifyInstance;
  let db: Db;
  let session: { cookie: string; csrf: string };

  beforeAll(async () => {
    found = await folders();
    ({ app, db } = await appFor(found));
    session = await signIn(app);
  });
  afterAll(async () => {
    await app?.close();
    db?.close();
  });

  /** A form posted from the page, signed in, with the page's Origin and CSRF token. */
  const post = (url: string, fields: Record<string, string>) =>
    app.inject({
      method: 'POST',
      url,
      headers: { host, origin, cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ _csrf: session.csrf, ...fields }),
    });

  it('shows no page without a session, only the sign-in page', async () => {
    for (const url of ['/', '/issues/mini-2024-01', '/issues/mini-2024-01/docs/01-agenda.md', '/archive', '/audit']) {
      const response = await app.inject({ method: 'GET', url, headers: { host } });
      expect(response.statusCode, url).toBe(303);
      expect(response.headers.location).toMatch(/^\/login/);
      expect(response.body).not.toContain('示范区');
    }
    const post = await app.inject({
      method: 'POST',
      url: '/issues/mini-2024-01/build',
      headers: { host, origin },
    });
    expect(post.statusCode).toBe(401);
    const login = await app.inject({ method: 'GET', url: '/login', headers: { host } });
    expect(login.statusCode).toBe(200);
    expect(login.body).toContain('登录');
  });

  it('sets an HttpOnly, SameSite=Strict session cookie that expires', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { host, origin, 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ name: 'wang', password }),
    });
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/gazette_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Max-Age=28800/);
  });

  it('refuses a wrong password, logs it, and slows repeated attempts down', async () => {
    const { app: limited, db: limitedDb } = await appFor(found, { max: 3, windowMs: 60_000 });
    try {
      const attempt = (name: string, secret: string) =>
        limited.inject({
          method: 'POST',
          url: '/login',
          headers: { host, origin, 'content-type': 'application/x-www-form-urlencoded' },
          payload: form({ name, password: secret }),
        });
      const wrong = await attempt('zhang', 'not-the-password');
      expect(wrong.statusCode).toBe(401);
      expect(wrong.headers['set-cookie']).toBeUndefined();
      expect(wrong.body).toContain('用户名或密码不对');
      await attempt('zhang', 'not-the-password');
      await attempt('zhang', 'not-the-password');
      // The fourth try within the window is refused even with the right password.
      const blocked = await attempt('zhang', password);
      expect(blocked.statusCode).toBe(429);
      expect(blocked.body).toContain('登录尝试次数过多');
      expect(blocked.headers['set-cookie']).toBeUndefined();
      // Another account from the same address is not locked out by it.
      expect((await attempt('wang', password)).statusCode).toBe(303);
      expect(
        auditLog(limitedDb).filter((entry) => entry.action === 'login-failed' && entry.user === 'zhang'),
      ).toHaveLength(3);
    } finally {
      await limited.close();
      limitedDb.close();
    }
  });

  it('refuses a state-changing request from a foreign Origin, or without the CSRF token', async () => {
    const move = (headers: Record<string, string>, fields: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/issues/mini-2024-01/move',
        headers: { host, cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
        payload: form(fields),
      });
    const before = await readdir(found.issue);
    const foreign = await move(
      { origin: 'http://evil.example' },
      { _csrf: session.csrf, name: '02-report-old-housing.md', step: '1' },
    );
    expect(foreign.statusCode).toBe(403);
    expect(foreign.body).toContain('foreign Origin');
    const noOrigin = await move({}, { _csrf: session.csrf, name: '02-report-old-housing.md', step: '1' });
    expect(noOrigin.statusCode).toBe(403);
    const noToken = await move({ origin }, { name: '02-report-old-housing.md', step: '1' });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.body).toContain('CSRF');
    expect(await readdir(found.issue)).toEqual(before);
    // A Host that is not this machine (DNS rebinding) is refused outright.
    const rebound = await app.inject({
      method: 'GET',
      url: '/',
      headers: { host: 'evil.example:8080', cookie: session.cookie },
    });
    expect(rebound.statusCode).toBe(403);
  });

  it('moves a document by swapping the numbers its file name starts with', async () => {
    const response = await post('/issues/mini-2024-01/move', { name: '02-report-old-housing.md', step: '1' });
    expect(response.statusCode).toBe(303);
    const names = (await readdir(found.issue)).filter((name) => name.endsWith('.md')).sort();
    expect(names).toEqual([
      '01-agenda.md',
      '02-resolution.md',
      '03-report-old-housing.md',
      '04-announcement.md',
      '05-attendance.md',
    ]);
    expect(auditLog(db, { issue: 'mini-2024-01' })[0]).toMatchObject({
      user: 'zhang',
      action: 'move',
      target: '02-report-old-housing.md',
    });
  });

  it('refuses a path outside the issues folder: ../, encoded separators, a symbolic link out', async () => {
    await writeFile(path.join(found.root, 'secret.md'), '机密');
    await symlink(path.join(found.root, 'secret.md'), path.join(found.issue, '09-link.md'));
    await mkdir(path.join(found.root, 'elsewhere'));
    await writeFile(path.join(found.root, 'elsewhere', 'issue.yml'), 'x: 1');
    await symlink(path.join(found.root, 'elsewhere'), path.join(found.issuesDir, 'linked-issue'));
    const urls = [
      '/issues/..%2Fdata/docs/x.md',
      '/issues/mini-2024-01/docs/..%2F..%2Fsecret.md',
      '/issues/mini-2024-01/docs/09-link.md',
      '/issues/linked-issue',
      '/issues/mini-2024-01/docs/issue.yml',
      '/issues/%2E%2E/docs/issue.yml',
    ];
    for (const url of urls) {
      const response = await app.inject({ method: 'GET', url, headers: { host, cookie: session.cookie } });
      expect(response.statusCode, url).toBe(404);
      expect(response.body, url).not.toContain('机密');
    }
    const save = await post('/issues/mini-2024-01/docs/..%2F..%2Fsecret.md', { text: '被改了', version: 'x' });
    expect(save.statusCode).toBe(404);
    expect(await readFile(path.join(found.root, 'secret.md'), 'utf8')).toBe('机密');
  });

  it('refuses an upload that is not a .docx, or a zip bomb, with a message and nothing written', async () => {
    const upload = (name: string, bytes: Uint8Array) => {
      const body = multipart({ _csrf: session.csrf }, { name, bytes });
      return app.inject({
        method: 'POST',
        url: '/issues/mini-2024-01/upload',
        headers: { host, origin, cookie: session.cookie, 'content-type': body.contentType },
        payload: body.payload,
      });
    };
    const listing = async () => [...(await readdir(found.issue)), ...(await readdir(found.dataDir))].sort();
    const before = await listing();
    const cases: [string, Uint8Array, RegExp][] = [
      ['报告.pdf', Buffer.from('%PDF-1.7\n'), /不是 Word 文件：只能上传 \.docx/],
      ['报告.doc', Buffer.from('\xd0\xcf\x11\xe0'), /Word 97-2003 \.doc/],
      ['报告.docx', Buffer.from('这不是 zip'), /不是有效的 \.docx 文件/],
      ['炸弹.docx', await zipBomb(), /压缩炸弹/],
    ];
    for (const [name, bytes, message] of cases) {
      const response = await upload(name, bytes);
      expect(response.statusCode, name).toBe(422);
      expect(response.body, name).toMatch(message);
    }
    expect(await listing()).toEqual(before);
    // Without the CSRF field first, an upload is not even read.
    const body = multipart({}, { name: 'a.docx', bytes: await reportDocx() });
    const unsigned = await app.inject({
      method: 'POST',
      url: '/issues/mini-2024-01/upload',
      headers: { host, origin, cookie: session.cookie, 'content-type': body.contentType },
      payload: body.payload,
    });
    expect(unsigned.statusCode).toBe(403);
  });

  it('refuses to save over a version someone else saved meanwhile, keeping both', async () => {
    const url = '/issues/mini-2024-01/docs/04-announcement.md';
    const page = await app.inject({ method: 'GET', url, headers: { host, cookie: session.cookie } });
    const version = /name="version" value="([0-9a-f]+)"/.exec(page.body)?.[1] as string;
    const original = await readFile(path.join(found.issue, '04-announcement.md'), 'utf8');
    const save = (text: string) => post(url, { text, version });
    const first = `${original.trimEnd()}\r\n\r\n第一个人加的一段。\r\n`;
    expect((await save(first)).statusCode).toBe(303);
    // Saved with Unix line ends, as the sources are written.
    expect(await readFile(path.join(found.issue, '04-announcement.md'), 'utf8')).toBe(first.replace(/\r\n/g, '\n'));
    const second = await save(`${original.trimEnd()}\n\n第二个人加的一段。\n`);
    expect(second.statusCode).toBe(409);
    expect(second.body).toContain('别人已经保存了');
    expect(await readFile(path.join(found.issue, '04-announcement.md'), 'utf8')).toContain('第一个人加的一段');
    const copies = (await readdir(found.issue)).filter((name) => name.startsWith('04-announcement.md.冲突-zhang-'));
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatch(/\.txt$/);
    expect(await readFile(path.join(found.issue, copies[0] as string), 'utf8')).toContain('第二个人加的一段');
    expect(auditLog(db, { issue: 'mini-2024-01' })[0]).toMatchObject({
      action: 'save-conflict',
      target: '04-announcement.md',
    });
  });

  it('makes a 待签发 issue 编辑中 again when its sources change beside the page, and refuses to sign it', async () => {
    setIssueState(db, 'mini-2024-01', 'ready', 'zhang', await sourcesFingerprint(found.issue));
    const approver = await signIn(app, 'wang');
    const sign = () =>
      app.inject({
        method: 'POST',
        url: '/issues/mini-2024-01/sign',
        headers: { host, origin, cookie: approver.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: form({ _csrf: approver.csrf }),
      });
    const list = await app.inject({ method: 'GET', url: '/', headers: { host, cookie: approver.cookie } });
    expect(list.body).toMatch(/data-issue="mini-2024-01"[\s\S]*?待签发/);
    // An edit on the command line, not through the page.
    await writeFile(
      path.join(found.issue, '05-attendance.md'),
      `${await readFile(path.join(found.issue, '05-attendance.md'), 'utf8')}\n`,
    );
    const refused = await sign();
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('请先重新排版');
    expect(issueState(db, 'mini-2024-01')).toBe('editing');
    expect(await readdir(found.archiveRoot).catch(() => [])).toEqual([]);
  });

  it('lets only an approver sign off', async () => {
    const response = await post('/issues/mini-2024-01/sign', {});
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('只有签发人可以签发');
    expect(issueState(db, 'mini-2024-01')).toBe('editing');
  });
});

describe('gazette serve', () => {
  it('refuses to listen beyond this machine while no account exists', async () => {
    const { root } = await folders();
    const empty = path.join(root, 'empty-data');
    await expect(
      startServer({ issuesDir: root, dataDir: empty, host: '0.0.0.0', port: 0, warmBrowser: false }),
    ).rejects.toThrow(ServeRefusedError);
    const local = await startServer({ issuesDir: root, dataDir: empty, port: 0, warmBrowser: false });
    try {
      expect(local.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const response = await fetch(local.url, { redirect: 'manual' });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/login');
    } finally {
      await local.close();
    }
  });
});

describe('gazette user', () => {
  async function run(args: string[], stdin = '') {
    const out: string[] = [];
    let err = '';
    const code = await main(args, {
      cwd: '/',
      logger: silentLogger,
      stdout: (line) => out.push(line),
      stderr: (text) => {
        err += text;
      },
      readStdin: async () => stdin,
    });
    return { code, out, err };
  }

  it('adds, lists, changes and removes accounts in the page’s database', async () => {
    const { root } = await folders();
    const data = path.join(root, 'accounts');
    expect(
      (
        await run(
          ['user', 'add', '李四', '--role', 'editor', '--password-stdin', '--data', data],
          '李四的一个长长密码\n',
        )
      ).code,
    ).toBe(0);
    // The newline that ends standard input is not part of the password.
    const db = openDatabase(data);
    expect((await authenticate(db, '李四', '李四的一个长长密码'))?.role).toBe('editor');
    db.close();
    const listed = await run(['user', 'list', '--data', data]);
    expect(listed.out.map((line) => line.split('\t').slice(0, 2).join(' '))).toEqual(['李四 editor']);
    const twice = await run(['user', 'add', '李四', '--role', 'approver', '--password', 'another-one', '--data', data]);
    expect(twice.code).toBe(1);
    expect(twice.err).toContain('已存在');
    expect(
      (await run(['user', 'add', '赵六', '--role', 'boss', '--password', 'long-enough', '--data', data])).code,
    ).toBe(2);
    expect((await run(['user', 'passwd', '李四', '--password', 'a-newer-password', '--data', data])).code).toBe(0);
    const again = openDatabase(data);
    expect(await authenticate(again, '李四', '李四的一个长长密码')).toBeUndefined();
    expect(await authenticate(again, '李四', 'a-newer-password')).toBeDefined();
    again.close();
    expect((await run(['user', 'remove', '李四', '--data', data])).code).toBe(0);
    expect((await run(['user', 'list', '--data', data])).out).toEqual([]);
    expect((await run(['user', 'remove', '李四', '--data', data])).code).toBe(1);
  });
});
