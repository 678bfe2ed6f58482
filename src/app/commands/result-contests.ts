// IM-4, AC-3 (issue 11 §3): the project's owner sees but does not write a third party's result — it may contest (异议)
// a failed 应用软件第三方测试, 第三方验收测评 or 信息安全测评 while it is rectifying what that result asks. The contest is a message to the
// running implementation or acceptance (an interrupting boundary event on the rectification,
// processes/project-implementation.bpmn, processes/project-acceptance.bpmn), so the
// engine's correlation tells whether the project is in that step; the Bureau (G-5, 全流程监督管理) then upholds the
// result or orders the same organisation to test again, as a task of its own. Contest and decision are in the audit
// trail (SV-4) and the project's timeline.
import type { FieldIssue } from '../../domain/index.ts';
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

/** The results a project's owner may contest: the message, the variables' prefix and the step it feeds. */
export const CONTESTABLE_RESULTS = {
  // IM-4, in project-implementation.bpmn
  'software-test': {
    message: 'software-test-contested',
    prefix: 'softwareTest',
    name: '应用软件第三方测试',
    rectification: 'Task_FixTestDefects',
    rectificationName: '整改测试问题',
  },
  'acceptance-test': {
    message: 'acceptance-test-contested',
    prefix: 'acceptanceTest',
    name: '第三方验收测评',
    rectification: 'Task_RectifyAcceptanceTest',
    rectificationName: '整改验收测评问题',
  },
  'security-assessment': {
    message: 'security-assessment-contested',
    prefix: 'securityAssessment',
    name: '信息安全测评',
    rectification: 'Task_RectifySecurityAssessment',
    rectificationName: '整改信息安全问题',
  },
} as const;
export type ContestableResult = keyof typeof CONTESTABLE_RESULTS;

/** The audit action of a contest; the timeline lists these entries. */
export const RESULT_CONTEST_ACTION = 'project.result-contest';

export interface ResultContestInput {
  projectId: string;
  result: ContestableResult;
  reasons: string;
}

export async function contestResult(
  ctx: CommandContext,
  actor: Actor,
  input: ResultContestInput,
): Promise<{ processInstanceKey: string; name: string }> {
  const gateway = gatewayOf(ctx);
  const p = actor.principal;
  const project = await visibleProject(ctx, p, input.projectId);
  // the owner of the implementation and acceptance (IM-1): the Unit, or the Bureau's administrators for 公共类
  ensure(decide(p, 'project.file', project));
  const spec = CONTESTABLE_RESULTS[input.result];
  const reasons = input.reasons.trim();
  if (reasons === '') {
    const issue: FieldIssue = { field: 'reasons', reason: `须写明对${spec.name}结论的异议理由` };
    throw problem.validation('异议理由必填', [issue]);
  }
  const notInStep = `项目当前不在“${spec.rectificationName}”环节：只能在${spec.name}结论未通过、正在整改时对该结论提出异议（IM-4、AC-3）`;
  if (!project.processInstanceKey) throw problem.conflict(notInStep);
  const at = ctx.now().toISOString();
  const variables: Variables = {
    [`${spec.prefix}ContestReasons`]: reasons,
    [`${spec.prefix}ContestedBy`]: p.accountId,
    [`${spec.prefix}ContestedAt`]: at,
  };
  const projectId = project.id;
  const correlated = await engineCall(`对${spec.name}结论提出异议`, () =>
    gateway.correlateMessage(spec.message, projectId, variables, p.tenantId),
  );
  if (!correlated) throw problem.conflict(notInStep);
  const payload = { result: input.result, resultName: spec.name, message: spec.message, reasons };
  await auditAfter(ctx, actor, {
    action: RESULT_CONTEST_ACTION,
    entityType: 'project',
    entityId: projectId,
    projectId,
    payload,
  });
  actor.log.info(
    { projectId, processInstanceKey: correlated.processInstanceKey, message: spec.message },
    'third-party result contested',
  );
  return { processInstanceKey: correlated.processInstanceKey, name: spec.name };
}
