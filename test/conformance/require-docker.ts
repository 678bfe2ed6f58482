// Global setup of `npm run test:camunda`: the suite needs a container engine to start camunda/camunda:8.8.
import { getContainerRuntimeClient } from 'testcontainers';

export default async function requireDocker(): Promise<void> {
  try {
    const runtime = await getContainerRuntimeClient();
    console.log(
      `Container runtime: ${runtime.info.containerRuntime.host} — starting camunda/camunda:8.8 and Elasticsearch`,
    );
  } catch (e) {
    throw new Error(
      `npm run test:camunda needs a Docker-compatible container engine to start camunda/camunda:8.8, and none was found (${
        (e as Error).message
      }). Nothing was run against real Camunda. Start Docker (or set DOCKER_HOST) and run it again; the same suite runs against the embedded engine in npm test.`,
    );
  }
}
