// How the demo submits its projects: through the same commands a Unit's request goes through (src/app/commands:
// createDraft and submitProject, with their rule checks and audit entries), on a process gateway that reaches the
// demo's engine over /v2: the running system's (src/system.ts, as `npm run demo` starts it), or else one served on a
// loopback port for as long as the data set is being played.
import Fastify from 'fastify';
import type { Principal } from '../app/authz.ts';
import { CamundaProcessGateway } from '../app/camunda-gateway.ts';
import type { Actor, CommandContext } from '../app/commands/context.ts';
import { createDraft, type DraftInput } from '../app/commands/drafts.ts';
import {
  type OpenedNeedsCollection,
  type OpenNeedsCollectionInput,
  openNeedsCollection,
} from '../app/commands/needs-collections.ts';
import { submitProject } from '../app/commands/submit.ts';
import type { Regulation, ServiceLine } from '../domain/index.ts';
import type { Engine } from '../engine/engine.ts';
import { camundaRestApi } from '../engine/rest/plugin.ts';
import type { Store } from '../store/store.ts';
import type { StartProcess } from './plan.ts';

export interface DemoSubmitter {
  /** Creates the draft as the Unit's staff and submits it; returns the project id. */
  submit(draft: DraftInput & { unitId: string; importedServiceLines?: ServiceLine[] }): Promise<string>;
  /** Starts a process instance on the same gateway (a consolidated public project's lifecycle, PUB-1). */
  startProcess: StartProcess;
  /** Opens a public-category needs collection as the Bureau's administrator (PUB-1). */
  openNeeds(input: OpenNeedsCollectionInput): Promise<OpenedNeedsCollection>;
  close(): Promise<void>;
}

const quiet = { info() {}, warn() {}, error() {} };

export async function openDemoSubmitter(o: {
  engine: Engine;
  store: Store;
  regulation: Regulation;
  tenantId: string;
  /** The running system's gateway to the same engine; without it, a loopback /v2 of its own. */
  processes?: CamundaProcessGateway;
}): Promise<DemoSubmitter> {
  const own = o.processes ? null : await serveV2(o.engine);
  const gateway = o.processes ?? own!.gateway;
  const ctx: CommandContext = {
    store: o.store,
    regulation: o.regulation,
    now: () => new Date(o.engine.clock.now()),
    processes: gateway,
  };
  const actorOf = (roles: Principal['roles'], unitId: string | null): Actor => {
    const principal: Principal = {
      accountId: 'demo',
      tenantId: o.tenantId,
      username: 'demo',
      displayName: '演示数据',
      roles,
      unitId,
    };
    return { principal, requestId: null, log: quiet };
  };
  return {
    async submit({ importedServiceLines, ...draft }) {
      const actor = actorOf(['unit-staff'], draft.unitId);
      const { project } = await createDraft(ctx, actor, draft);
      const submitted = await submitProject(ctx, actor, { projectId: project.id });
      if (importedServiceLines)
        await replaceServiceLines(gateway, submitted.processInstanceKey, importedServiceLines);
      return project.id;
    },
    startProcess: (processId, variables, tenantId) =>
      gateway.startProcess(processId, String(variables.projectId ?? ''), variables, tenantId),
    openNeeds: (input) => openNeedsCollection(ctx, actorOf(['bureau-admin'], null), input),
    close: async () => {
      await own?.close();
    },
  };
}

async function serveV2(engine: Engine): Promise<{ gateway: CamundaProcessGateway; close(): Promise<void> }> {
  const v2 = Fastify({ logger: false });
  await v2.register(camundaRestApi, {
    prefix: '/v2',
    engine,
    auth: { mode: 'none' },
    listenHost: '127.0.0.1',
  });
  const address = await v2.listen({ host: '127.0.0.1', port: 0 });
  const gateway = CamundaProcessGateway.fromConfig({
    restAddress: address,
    auth: { strategy: 'NONE' },
    tenantId: null,
  });
  return { gateway, close: () => v2.close() };
}

/**
 * A legacy record imported with lines the rules would refuse: the demo writes them into the running initiation
 * (before any worker has looked at them), so that classification stops with an incident for an administrator.
 */
async function replaceServiceLines(gateway: CamundaProcessGateway, root: string, lines: ServiceLine[]) {
  const children = await gateway.searchProcessInstances({ parentProcessInstanceKey: root });
  const scopes = children.items.length > 0 ? children.items.map((c) => c.processInstanceKey) : [root];
  for (const key of scopes) await gateway.setVariables(key, { serviceLines: lines });
}
