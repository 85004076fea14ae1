#!/usr/bin/env node
// The `gazette` command: runs the compiled CLI, bundled (npm ci compiles src/ into dist/ and bundles it into
// dist/bundle/ through the prepare script: scripts/bundle.js).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/bundle/gazette.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('gazette: not compiled yet: run `npm ci` (or `npm run compile`) first\n');
  process.exit(1);
}
await import(entry.href);
