// `npm run deploy`: deploys processes/ to the Camunda 8 named by CAMUNDA_REST_ADDRESS (and CAMUNDA_AUTH_STRATEGY, …),
// waiting for it while it starts. Exit 0 when deployed (unchanged resources keep their versions), 1 when Camunda
// refused or never answered, 2 on bad configuration. docker-compose.yml runs it before the app and the workers.
import { createCamundaClient } from './client.ts';
import { CamundaConfigError, loadCamundaConfig } from './config.ts';
import { deployResources } from './deploy-resources.ts';

try {
  const config = loadCamundaConfig(process.env, { requireAddress: true });
  const waitSeconds = Number(process.env.DEPLOY_WAIT_SECONDS ?? '300');
  const outcome = await deployResources(createCamundaClient(config), {
    tenantId: config.tenantId,
    waitUpToMs: Number.isFinite(waitSeconds) && waitSeconds > 0 ? waitSeconds * 1000 : 300_000,
    log: (m) => console.error(m),
  });
  console.log(
    `deployed processes/ to ${config.restAddress} (deployment ${outcome.deploymentKey}, tenant ${outcome.tenantId}):`,
  );
  for (const d of outcome.definitions) console.log(`  ${d.kind} ${d.id} version ${d.version} (key ${d.key})`);
} catch (e) {
  if (e instanceof CamundaConfigError) {
    console.error(e.message);
    process.exit(2);
  }
  console.error((e as Error).message);
  process.exit(1);
}
