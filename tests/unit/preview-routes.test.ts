import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { addError, GazetteInputError, ruleIds } from '../../src/model/index.js';
import { Rebuilder } from '../../src/preview/rebuilder.js';
import { previewRoutes } from '../../src/preview/routes.js';

const host = '127.0.0.1:4173';
const body = { html: '<p>body</p>', assets: new Map([['/assets/0/gazette.css', '/styles/gazette.css']]) };
const front = { html: '<p>front</p>', assets: new Map([['/front/assets/0/gazette.css', '/styles/front.css']]) };

function routes(pdf: () => Promise<{ bytes: Uint8Array; name: string }>) {
  return previewRoutes({
    allowedHosts: () => new Set([host]),
    pages: async () => ({ body, front }),
    pdf,
    scripts: new Map([['/preview/client.js', '/src/preview/client.js']]),
  });
}

describe('the preview route table (no sockets)', () => {
  const route = routes(async () => ({ bytes: new Uint8Array([37, 80, 68, 70]), name: '公报.pdf' }));

  it('serves the body at /, the cover and contents at /front, with the CSP', async () => {
    expect(await route({ method: 'GET', url: '/', host })).toMatchObject({
      status: 200,
      body: '<p>body</p>',
      headers: { 'Content-Security-Policy': expect.stringContaining("default-src 'self'") },
    });
    expect(await route({ method: 'GET', url: '/front', host })).toMatchObject({ status: 200, body: '<p>front</p>' });
  });

  it('serves exactly the listed files of either page and the scripts, with the stamp asked for', async () => {
    expect(await route({ method: 'GET', url: '/assets/0/gazette.css?v=abc', host })).toEqual({
      kind: 'file',
      file: '/styles/gazette.css',
      stamp: 'abc',
    });
    expect(await route({ method: 'GET', url: '/front/assets/0/gazette.css', host })).toMatchObject({
      file: '/styles/front.css',
    });
    expect(await route({ method: 'GET', url: '/preview/client.js', host })).toMatchObject({ kind: 'file' });
    for (const url of ['/assets/1/gazette.css', '/assets/0/../../etc/passwd', '/styles/gazette.css']) {
      expect(await route({ method: 'GET', url, host })).toMatchObject({ status: 404 });
    }
  });

  it('refuses another Host (403) and another method (405, saying which are allowed)', async () => {
    expect(await route({ method: 'GET', url: '/', host: 'attacker.example' })).toMatchObject({ status: 403 });
    expect(await route({ method: 'POST', url: '/', host })).toMatchObject({
      status: 405,
      headers: { Allow: 'GET, HEAD' },
    });
  });

  it('sends the PDF as a download with its UTF-8 name, and the sources’ errors as 422 with file:line:col', async () => {
    expect(await route({ method: 'GET', url: '/pdf', host })).toMatchObject({
      status: 200,
      type: 'application/pdf',
      headers: { 'Content-Disposition': 'attachment; filename="__.pdf"; filename*=UTF-8\'\'%E5%85%AC%E6%8A%A5.pdf' },
    });
    const file = new VFile({ path: 'issues/x/01-a.md' });
    const error = new GazetteInputError([
      addError(file, 'Unexpected thing', { place: { line: 3, column: 2 }, ruleId: ruleIds.schema }),
    ]);
    const failing = routes(() => Promise.reject(error));
    const reply = await failing({ method: 'GET', url: '/pdf', host });
    expect(reply).toMatchObject({ status: 422 });
    expect(reply.kind === 'body' && String(reply.body)).toContain(
      'issues/x/01-a.md:3:2: error front-matter Unexpected thing',
    );
  });
});

describe('the preview rebuilder', () => {
  it('debounces a burst of changes into one build, queues a change made during a build, tells each version', async () => {
    const started: string[] = [];
    const told: string[] = [];
    let release: () => void = () => undefined;
    const rebuilder = new Rebuilder(
      (version) => {
        started.push(version);
        return started.length === 2
          ? new Promise<string>((resolve) => (release = () => resolve(version)))
          : Promise.resolve(version);
      },
      { boot: 'b', debounceMs: 20, onVersion: (version) => told.push(version) },
    );
    expect(await rebuilder.current()).toBe('b.1');
    rebuilder.changed();
    rebuilder.changed();
    rebuilder.changed();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(started).toEqual(['b.1', 'b.2']);
    rebuilder.changed();
    await new Promise((resolve) => setTimeout(resolve, 60));
    // b.2 is still building: the change waits for it.
    expect(started).toEqual(['b.1', 'b.2']);
    release();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(started).toEqual(['b.1', 'b.2', 'b.3']);
    expect(told).toEqual(['b.2', 'b.3']);
    expect(await rebuilder.current()).toBe('b.3');
    await rebuilder.close();
  });
});
