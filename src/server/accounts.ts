import { createHash, randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import type { Db, Role, User } from './db.js';

/** scrypt's cost: 2^15 × 8 × 128 bytes = 32 MiB and about 100 ms a hash here, slow enough to make guessing dear. */
const cost = { N: 2 ** 15, r: 8, p: 1 };
const keyLength = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions & { N: number; r: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFC'),
      salt,
      keyLength,
      { ...options, maxmem: 128 * options.N * options.r * 2 },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

/** `scrypt$N$r$p$salt$hash` (base64): the parameters are kept with the hash, so the cost can rise later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, N, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), { N: Number(N), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A stored hash to compare against when the name is unknown, so a wrong name takes as long as a wrong password. */
let decoy: Promise<string> | undefined;

/** Names are what staff type: letters, digits, Chinese characters, dot, dash, underscore; 1–32 characters. */
const namePattern = /^[\p{L}\p{N}._-]{1,32}$/u;
export const roles: readonly Role[] = ['editor', 'approver'];
export const roleLabels: Record<Role, string> = { editor: '编辑', approver: '签发人' };

export class AccountError extends Error {
  override name = 'AccountError';
}

function checkPassword(password: string): void {
  if ([...password].length < 8) throw new AccountError('密码至少 8 个字符 (password: at least 8 characters)');
}

export async function addUser(db: Db, name: string, role: Role, password: string, now = new Date()): Promise<User> {
  if (!namePattern.test(name)) {
    throw new AccountError(`用户名 ${JSON.stringify(name)} 不可用：只用字母、数字、汉字和 . _ -，最多 32 个字符`);
  }
  if (!roles.includes(role)) throw new AccountError(`角色 ${role} 不可用：editor 或 approver`);
  checkPassword(password);
  if (findUser(db, name)) throw new AccountError(`用户 ${name} 已存在 (user exists); 改密码用 gazette user passwd`);
  const hash = await hashPassword(password);
  const result = db
    .prepare('INSERT INTO users (name, role, password, created_at) VALUES (?, ?, ?, ?)')
    .run(name, role, hash, now.toISOString());
  return { id: Number(result.lastInsertRowid), name, role };
}

export async function changePassword(db: Db, name: string, password: string): Promise<void> {
  checkPassword(password);
  const user = findUser(db, name);
  if (!user) throw new AccountError(`没有用户 ${name} (no such user)`);
  const hash = await hashPassword(password);
  db.transaction(() => {
    db.prepare('UPDATE users SET password = ? WHERE id = ?').run(hash, user.id);
    // A new password signs every session of the old one out.
    db.prepare('DELETE FROM sessions WHERE user_id = ?').run(user.id);
  })();
}

export function removeUser(db: Db, name: string): void {
  const result = db.prepare('DELETE FROM users WHERE name = ?').run(name);
  if (result.changes === 0) throw new AccountError(`没有用户 ${name} (no such user)`);
}

export function listUsers(db: Db): (User & { createdAt: string })[] {
  return db.prepare('SELECT id, name, role, created_at AS createdAt FROM users ORDER BY name').all() as (User & {
    createdAt: string;
  })[];
}

export function userCount(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
}

function findUser(db: Db, name: string): (User & { password: string }) | undefined {
  return db.prepare('SELECT id, name, role, password FROM users WHERE name = ?').get(name) as
    | (User & { password: string })
    | undefined;
}

/** The user whose name and password these are, or undefined (after the same work either way). */
export async function authenticate(db: Db, name: string, password: string): Promise<User | undefined> {
  const user = findUser(db, name);
  if (!user) {
    decoy ??= hashPassword(randomBytes(16).toString('hex'));
    await verifyPassword(password, await decoy);
    return undefined;
  }
  return (await verifyPassword(password, user.password))
    ? { id: user.id, name: user.name, role: user.role }
    : undefined;
}

export interface Session {
  user: User;
  csrf: string;
  expiresAt: string;
}

/** Session ids are stored hashed: a copy of the database does not sign anyone in. */
function sessionKey(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new session: the cookie's token (returned once, never stored) and its CSRF token. */
export function createSession(
  db: Db,
  user: User,
  lifetimeMs: number,
  now = new Date(),
): { token: string; csrf: string } {
  const token = randomBytes(32).toString('base64url');
  const csrf = randomBytes(32).toString('base64url');
  db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now.toISOString());
  db.prepare('INSERT INTO sessions (id, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)').run(
    sessionKey(token),
    user.id,
    csrf,
    now.toISOString(),
    new Date(now.getTime() + lifetimeMs).toISOString(),
  );
  return { token, csrf };
}

export function findSession(db: Db, token: string, now = new Date()): Session | undefined {
  const row = db
    .prepare(
      `SELECT users.id, users.name, users.role, sessions.csrf, sessions.expires_at AS expiresAt
       FROM sessions JOIN users ON users.id = sessions.user_id WHERE sessions.id = ? AND sessions.expires_at > ?`,
    )
    .get(sessionKey(token), now.toISOString()) as (User & { csrf: string; expiresAt: string }) | undefined;
  if (!row) return undefined;
  return { user: { id: row.id, name: row.name, role: row.role }, csrf: row.csrf, expiresAt: row.expiresAt };
}

export function endSession(db: Db, token: string): void {
  db.prepare('DELETE FROM sessions WHERE id = ?').run(sessionKey(token));
}
