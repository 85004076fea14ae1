/** @deprecated moved to src/sources/write-atomic.ts (stages write files too, and never import api/). */
export { writeFileAtomic } from '../sources/write-atomic.js';
