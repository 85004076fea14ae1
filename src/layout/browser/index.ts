import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Scripts the render stage loads into the page after paged.js, in order. */
export const pageScripts: readonly string[] = [path.join(here, 'gazette-handlers.js'), path.join(here, 'line-fit.js')];
