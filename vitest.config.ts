import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Integration tests drive real Chromium: generous limits, and one file at a time. With two files at once, a
    // rebuild in the archive tests came out different from the archived PDF (a build beside another build in the
    // same moment is not yet byte-reproducible; see README, "Known problems").
    testTimeout: 180_000,
    hookTimeout: 300_000,
    maxWorkers: 1,
  },
});
