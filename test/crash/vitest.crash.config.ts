// `npm run test:crash`: the SIGKILL test of the store/engine pair (test/crash/submit-kill.crash.ts). Not part of
// `npm test`: every kill costs a restart of the app (~5 s on a loaded 2-core machine), so 100 kills take minutes.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/crash/**/*.crash.ts'],
    testTimeout: 3_600_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
