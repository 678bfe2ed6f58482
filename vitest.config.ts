import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at a time on the 2-core machines the project runs on (vitest's default there is one: cores − 1).
    // Much of a file's time is waiting — on chromium, on the app's HTTP, on fsync — so two overlap well: the whole
    // run on a clean clone took 624 s against 904 s with one (both 178 files / 1,622 tests, 2026-12-01). Every file
    // has its own app, data directory, free port and PostgreSQL database, so none shares state with another.
    maxWorkers: 2,
  },
});
