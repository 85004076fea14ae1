import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../layout/compose.js';

/** This tool's name and version, from its package.json. */
export const tool: { name: string; version: string } = (() => {
  const { name, version } = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  return { name, version };
})();
