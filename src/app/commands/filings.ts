// Change, delay and termination filings (IM-8, IM-9): a message to the project's running implementation. Only
// correlation (not publication) tells whether an implementation waits for it, so a filing outside implementation is
// refused with the rule's reason and leaves no audit entry.
import type { FieldIssue } from '../../domain/index.ts';
import { PROJECT_STAGES } from '../../store/projects.ts';
import { decide } from '../authz.ts';
import { problem } from '../problem.ts';
import type { Variables } from '../process-gateway.ts';
import {
  type Actor,
  auditAfter,
  type CommandContext,
  engineCall,
  ensure,
  gatewayOf,
  visibleProject,
} from './context.ts';

export const FILINGS = {
  change: {
    message: 'project-change-filed',
    name: '重大变更备案',
    clause: 'IM-8',
    required: ['changeDescription', 'changeReason'],
  },
  delay: {
    message: 'project-delay-filed',
    name: '延期交付备案',
    clause: 'IM-8',
    required: ['delayReason', 'requestedDeliveryDate'],
  },
  termination: {
    message: 'project-termination-filed',
    name: '终止合同备案',
    clause: 'IM-9',
    required: ['terminationReason'],
  },
} as const;
export type FilingRequestKind = keyof typeof FILINGS;

export interface FilingInput {
  projectId: string;
  kind: FilingRequestKind;
  /** The filing's fields (which ones depends on the kind). */
  fields: Record<string, string | undefined>;
}

/** Stages in which no implementation can be waiting for a filing: refused without asking the engine. */
const NO_IMPLEMENTATION: ReadonlySet<string> = new Set([
  'draft',
  'refused',
  'rejected',
  'not-accepted',
  'closed',
  'terminated',
]);

function fieldIssues(input: FilingInput): FieldIssue[] {
  const spec = FILINGS[input.kind];
  const required: readonly string[] = spec.required;
  const issues: FieldIssue[] = required
    .filter((f) => input.fields[f] === undefined)
    .map((field) => ({ field, reason: `${spec.name}必填` }));
  for (const field of Object.keys(input.fields).filter((k) => !required.includes(k))) {
    issues.push({ field, reason: `${spec.name}不需要此字段` });
  }
  return issues;
}

export async function fileProjectFiling(
  ctx: CommandContext,
  actor: Actor,
  input: FilingInput,
): Promise<{ processInstanceKey: string; name: string }> {
  const gateway = gatewayOf(ctx);
  const p = actor.principal;
  const project = await visibleProject(ctx, p, input.projectId);
  ensure(decide(p, 'project.file', project));
  const spec = FILINGS[input.kind];
  const issues = fieldIssues(input);
  if (issues.length > 0) throw problem.validation(`${spec.name}信息有误`, issues);
  if (!project.processInstanceKey || NO_IMPLEMENTATION.has(project.stage)) {
    throw problem.conflict(
      `项目处于“${PROJECT_STAGES[project.stage]}”阶段，没有正在实施的流程，不能办理${spec.name}（${spec.clause}：仅在项目实施期间办理）`,
    );
  }
  const variables: Variables = { filedBy: p.accountId, filedAt: ctx.now().toISOString() };
  for (const f of spec.required) variables[f] = input.fields[f];
  const projectId = project.id;
  const correlated = await engineCall(`办理${spec.name}`, () =>
    gateway.correlateMessage(spec.message, projectId, variables, p.tenantId),
  );
  if (!correlated) {
    throw problem.conflict(
      `项目当前不在实施阶段，不能办理${spec.name}（${spec.clause}：仅在项目实施期间办理）`,
    );
  }
  const payload = { kind: input.kind, message: spec.message, variables };
  await auditAfter(ctx, actor, {
    action: `project.${input.kind}-filing`,
    entityType: 'project',
    entityId: projectId,
    projectId,
    payload,
  });
  actor.log.info(
    { projectId, processInstanceKey: correlated.processInstanceKey, message: spec.message },
    'filing raised',
  );
  return { processInstanceKey: correlated.processInstanceKey, name: spec.name };
}
