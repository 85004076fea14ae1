import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Integration tests drive real Chromium: generous limits, and one file at a time. Two builds of one issue now
    // and then lay a page out differently (README, "Known problems": the cause is not found yet); until it is, a
    // failed test runs again, so that one such layout does not hide the rest of the run.
    testTimeout: 180_000,
    hookTimeout: 300_000,
    maxWorkers: 1,
    retry: 2,
  },
});
