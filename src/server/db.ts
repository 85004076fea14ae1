import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/** The page's database: accounts, sessions, the audit log and each issue's state (the issue folders hold the rest). */
export type Db = Database.Database;

/**
 * The schema, one migration per version: `PRAGMA user_version` says how many ran. A migration is only ever
 * added, never changed, so an older database is brought up to date in order.
 */
export const migrations: string[] = [
  `CREATE TABLE users (
     id INTEGER PRIMARY KEY,
     name TEXT NOT NULL UNIQUE,
     role TEXT NOT NULL CHECK (role IN ('editor', 'approver')),
     password TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE TABLE sessions (
     id TEXT PRIMARY KEY,
     user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     csrf TEXT NOT NULL,
     created_at TEXT NOT NULL,
     expires_at TEXT NOT NULL
   );
   CREATE INDEX sessions_expiry ON sessions(expires_at);
   CREATE TABLE audit (
     id INTEGER PRIMARY KEY,
     at TEXT NOT NULL,
     user TEXT NOT NULL,
     action TEXT NOT NULL,
     issue TEXT,
     target TEXT,
     detail TEXT
   );
   CREATE TABLE issue_state (
     issue TEXT PRIMARY KEY,
     state TEXT NOT NULL CHECK (state IN ('editing', 'ready', 'signed')),
     changed_by TEXT NOT NULL,
     changed_at TEXT NOT NULL
   );`,
  // The sources' fingerprint when an issue became 待签发 or 已签发: a change since (on the page or beside it, on
  // the command line) makes it 编辑中 again.
  'ALTER TABLE issue_state ADD COLUMN sources TEXT;',
];

export const schemaVersion = migrations.length;

/** Opens (creating) `<dataDir>/gazette.sqlite` and brings its schema up to date. */
export function openDatabase(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new Database(path.join(dataDir, 'gazette.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(
      `The database has schema version ${current}, newer than this gazette knows (${migrations.length}): update gazette`,
    );
  }
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

export type Role = 'editor' | 'approver';
export interface User {
  id: number;
  name: string;
  role: Role;
}

export type IssueState = 'editing' | 'ready' | 'signed';
export const stateLabels: Record<IssueState, string> = { editing: '编辑中', ready: '待签发', signed: '已签发' };

export interface AuditEntry {
  at: string;
  user: string;
  action: string;
  issue: string | null;
  target: string | null;
  detail: string | null;
}

/** Appends to the audit log: who did what to which issue (and file), when. */
export function audit(
  db: Db,
  entry: { user: string; action: string; issue?: string; target?: string; detail?: string },
  now = new Date(),
): void {
  db.prepare('INSERT INTO audit (at, user, action, issue, target, detail) VALUES (?, ?, ?, ?, ?, ?)').run(
    now.toISOString(),
    entry.user,
    entry.action,
    entry.issue ?? null,
    entry.target ?? null,
    entry.detail ?? null,
  );
}

export function auditLog(db: Db, options: { issue?: string; limit?: number } = {}): AuditEntry[] {
  const limit = options.limit ?? 200;
  return options.issue
    ? (db
        .prepare('SELECT at, user, action, issue, target, detail FROM audit WHERE issue = ? ORDER BY id DESC LIMIT ?')
        .all(options.issue, limit) as AuditEntry[])
    : (db
        .prepare('SELECT at, user, action, issue, target, detail FROM audit ORDER BY id DESC LIMIT ?')
        .all(limit) as AuditEntry[]);
}

/** The issue's recorded state, and the fingerprint of the sources it was recorded for. */
export function issueRecord(db: Db, issue: string): { state: IssueState; sources: string | null } {
  const row = db.prepare('SELECT state, sources FROM issue_state WHERE issue = ?').get(issue) as
    | { state: IssueState; sources: string | null }
    | undefined;
  return row ?? { state: 'editing', sources: null };
}

export function issueState(db: Db, issue: string): IssueState {
  return issueRecord(db, issue).state;
}

export function setIssueState(
  db: Db,
  issue: string,
  state: IssueState,
  by: string,
  sources: string | null = null,
  now = new Date(),
): void {
  db.prepare(
    `INSERT INTO issue_state (issue, state, changed_by, changed_at, sources) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(issue) DO UPDATE SET state = excluded.state, changed_by = excluded.changed_by,
       changed_at = excluded.changed_at, sources = excluded.sources`,
  ).run(issue, state, by, now.toISOString(), sources);
}
