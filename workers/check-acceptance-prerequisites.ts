// yunfu.check-acceptance-prerequisites — AC-2: acceptance requires the system's data resources brought into the
// city's government data-resource management, and IPv6 support. Runs before the AC-3 assessments.
import type { WorkerDefinition } from '../src/camunda/worker-runtime.ts';
import { complete } from '../src/camunda/worker-runtime.ts';

export const checkAcceptancePrerequisitesWorker: WorkerDefinition = {
  type: 'yunfu.check-acceptance-prerequisites',
  fetchVariables: ['dataResourcesRegistered', 'supportsIpv6'],
  handler: (vars) => {
    const missingItems: string[] = [];
    if (vars.dataResourcesRegistered !== true)
      missingItems.push('系统数据资源尚未纳入全市政务数据资源管理（AC-2）');
    if (vars.supportsIpv6 !== true) missingItems.push('项目尚未确认支持 IPv6 应用（AC-2）');
    return complete({ acceptancePrerequisitesMet: missingItems.length === 0, missingItems });
  },
};
