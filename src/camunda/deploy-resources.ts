// Deploys every .bpmn, .dmn and .form of processes/ to Camunda 8 through the official client, in one deployment.
// Idempotent because Zeebe is: a process, decision or form whose resource name and checksum equal the latest
// version's is a duplicate and keeps that version and key (https://github.com/camunda/camunda/commit/1ab92a67d21a4a08de4f4f89428801b2a3ace1a5
// extends to DMN the check BPMN already had), so running it at every start-up creates no new versions. While Camunda is still starting
// (connection refused, 502/503/504) it retries with back-off; a refusal (4xx) is final and says why.
import { readDeployableResources } from '../modeling/catalogue.ts';
import type { CamundaClient } from './client.ts';

export interface DeployedDefinition {
  kind: 'process' | 'decision' | 'decisionRequirements' | 'form';
  id: string;
  version: number;
  key: string;
  resourceName: string;
}

export interface DeployOutcome {
  deploymentKey: string;
  tenantId: string;
  definitions: DeployedDefinition[];
  attempts: number;
}

export interface DeployOptions {
  /** Resources to deploy; default: every deployable file of processes/. */
  resources?: Array<{ name: string; content: string }>;
  /** Camunda tenant to deploy to; null or absent: Camunda's default tenant. */
  tenantId?: string | null;
  /** How long to keep retrying while Camunda is unreachable or starting (default 120 s). */
  waitUpToMs?: number;
  /** First back-off delay, doubled after each attempt up to 10 s (default 500 ms). */
  initialDelayMs?: number;
  log?: (message: string) => void;
}

/** Camunda answered, and said no: bad resource, bad credentials, no permission. Retrying will not help. */
export class DeploymentRefusedError extends Error {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(`Camunda refused the deployment of processes/ (HTTP ${status}): ${detail}`);
    this.name = 'DeploymentRefusedError';
  }
}

/** Camunda did not answer within waitUpToMs. */
export class DeploymentUnavailableError extends Error {
  constructor(waitedMs: number, attempts: number, last: string) {
    super(
      `Camunda did not accept the deployment of processes/ within ${Math.round(waitedMs / 1000)} s (${attempts} attempt${attempts === 1 ? '' : 's'}); last error: ${last}`,
    );
    this.name = 'DeploymentUnavailableError';
  }
}

const TRANSIENT = new Set([408, 429, 500, 502, 503, 504]);

function failureOf(e: unknown): { status: number | null; detail: string } {
  const x = e as { status?: unknown; title?: unknown; detail?: unknown; message?: unknown; cause?: unknown };
  const status = typeof x?.status === 'number' ? x.status : null;
  const cause = (x?.cause as { code?: unknown } | undefined)?.code;
  const detail = [x?.title, x?.detail ?? x?.message, typeof cause === 'string' ? cause : undefined]
    .filter((p) => typeof p === 'string' && p !== '')
    .join(': ');
  return { status, detail: detail || String(e) };
}

export async function deployResources(
  client: CamundaClient,
  options: DeployOptions = {},
): Promise<DeployOutcome> {
  const resources = options.resources ?? readDeployableResources();
  const files = resources.map(
    (r) =>
      new File([r.content], r.name, {
        type: r.name.endsWith('.form') ? 'application/json' : 'application/xml',
      }),
  );
  const waitUpToMs = options.waitUpToMs ?? 120_000;
  const started = Date.now();
  let delay = options.initialDelayMs ?? 500;
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await client.createDeployment({
        // the client's File type is the DOM one; Node's is the same at run time
        resources: files as never,
        ...(options.tenantId ? { tenantId: options.tenantId as never } : {}),
      });
      return {
        deploymentKey: String(result.deploymentKey),
        tenantId: String(result.tenantId),
        definitions: definitionsOf(result.deployments),
        attempts: attempt,
      };
    } catch (e) {
      const { status, detail } = failureOf(e);
      if (status !== null && !TRANSIENT.has(status)) throw new DeploymentRefusedError(status, detail);
      const waited = Date.now() - started;
      if (waited + delay > waitUpToMs) throw new DeploymentUnavailableError(waited, attempt, detail);
      options.log?.(`Camunda not ready (${status ?? 'no answer'}: ${detail}); retrying in ${delay} ms`);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 10_000);
    }
  }
}

type Deployment = Awaited<ReturnType<CamundaClient['createDeployment']>>['deployments'][number];

function definitionsOf(deployments: Deployment[]): DeployedDefinition[] {
  const out: DeployedDefinition[] = [];
  const push = (
    kind: DeployedDefinition['kind'],
    id?: string,
    version?: number,
    key?: unknown,
    name?: string,
  ) =>
    out.push({ kind, id: id ?? '', version: version ?? 0, key: String(key ?? ''), resourceName: name ?? '' });
  for (const d of deployments) {
    const p = d.processDefinition;
    if (p)
      push(
        'process',
        p.processDefinitionId,
        p.processDefinitionVersion,
        p.processDefinitionKey,
        p.resourceName,
      );
    const x = d.decisionDefinition;
    if (x)
      push('decision', x.decisionDefinitionId, x.version, x.decisionDefinitionKey, x.decisionRequirementsId);
    const r = d.decisionRequirements;
    if (r)
      push(
        'decisionRequirements',
        r.decisionRequirementsId,
        r.version,
        r.decisionRequirementsKey,
        r.resourceName,
      );
    const f = d.form;
    if (f) push('form', f.formId, f.version, f.formKey, f.resourceName);
  }
  return out;
}
