import type { AddressInfo } from 'node:net';
import { isIP } from 'node:net';
import path from 'node:path';
import type { Logger } from '../api/logger.js';
import { silentLogger } from '../api/logger.js';
import { userCount } from './accounts.js';
import { createApp } from './app.js';
import { Builder } from './builds.js';
import { openDatabase } from './db.js';

export interface ServeOptions {
  /** The folder holding the issues (the source of truth). */
  issuesDir: string;
  /** The page's own data: gazette.sqlite, builds and their layout caches. */
  dataDir: string;
  /** Where 签发 archives, as `gazette archive` does (default `<dataDir>/archive`). */
  archiveRoot?: string;
  host?: string;
  /** 0 takes any free port. Default 8080. */
  port?: number;
  logger?: Logger;
  /** Start the browser at once rather than at the first build. Default true. */
  warmBrowser?: boolean;
  /** Session lifetime and sign-in limits (tests shorten them). */
  sessionMs?: number;
  loginAttempts?: { max: number; windowMs: number };
  failedLoginDelayMs?: number;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** The page refuses to start: listening beyond this machine with no account to sign in with. */
export class ServeRefusedError extends Error {
  override name = 'ServeRefusedError';
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/** Starts the office web page: opens the database, checks who may listen where, starts the browser, listens. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const logger = options.logger ?? silentLogger;
  const host = options.host ?? '127.0.0.1';
  const db = openDatabase(options.dataDir);
  const loopback = isLoopback(host);
  if (!loopback && userCount(db) === 0) {
    db.close();
    throw new ServeRefusedError(
      `不在本机以外监听 ${host}：还没有任何账号。先运行 gazette user add 用户名 --role editor（或 approver），再启动 (no account yet: refusing to listen beyond this machine)`,
    );
  }
  const builder = new Builder(options.dataDir, logger);
  await builder.forgetOldBuilds();
  const app = await createApp({
    issuesDir: options.issuesDir,
    dataDir: options.dataDir,
    archiveRoot: options.archiveRoot ?? path.join(options.dataDir, 'archive'),
    db,
    builder,
    logger,
    loopback,
    sessionMs: options.sessionMs,
    loginAttempts: options.loginAttempts,
    failedLoginDelayMs: options.failedLoginDelayMs,
  });
  try {
    await app.listen({ host, port: options.port ?? 8080 });
  } catch (error) {
    await app.close();
    await builder.close();
    db.close();
    throw error;
  }
  if (options.warmBrowser !== false) builder.warmUp();
  const { port } = app.server.address() as AddressInfo;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostPart}:${port}/`,
    close() {
      closing ??= (async () => {
        await app.close();
        await builder.close();
        db.close();
      })();
      return closing;
    },
  };
}
