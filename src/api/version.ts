import { readFileSync } from 'node:fs';

/** This tool's name and version, from its package.json (beside dist/ and src/; read without the layout code). */
export const tool: { name: string; version: string } = (() => {
  const { name, version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    name: string;
    version: string;
  };
  return { name, version };
})();
