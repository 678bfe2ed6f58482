// `npm run test:camunda`: against camunda/camunda:8.8 (testcontainers), the conformance suite and the business-API
// journeys of test/api-process with the app in Camunda mode (STACK=camunda). Not part of `npm test`. Without a
// container engine it stops at once with a message and a non-zero exit.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/conformance/**/*.test.ts', 'test/api-process/**/*.test.ts'],
    globalSetup: ['test/conformance/require-docker.ts'],
    // the patch version Camunda's own 8.8 compose pins (see test/fixtures/camunda-8.8-compose.json)
    env: {
      CONFORMANCE_TARGET: 'camunda',
      STACK: 'camunda',
      CAMUNDA_IMAGE: 'camunda/camunda:8.8.4',
      ELASTIC_IMAGE: 'docker.elastic.co/elasticsearch/elasticsearch:8.17.10',
    },
    testTimeout: 180_000,
    hookTimeout: 600_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
