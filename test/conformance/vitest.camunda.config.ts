// `npm run test:camunda`: the conformance suite against camunda/camunda:8.8 (testcontainers). Not part of
// `npm test`. Without a container engine it stops at once with a message and a non-zero exit.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/conformance/**/*.test.ts'],
    globalSetup: ['test/conformance/require-docker.ts'],
    env: { CONFORMANCE_TARGET: 'camunda' },
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
