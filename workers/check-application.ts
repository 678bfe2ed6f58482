// yunfu.check-application — G-9 (涉密 refused), G-3 (city fiscal funds), PRO-1 (data-sharing catalogue, IPv6),
// service lines and amounts; before any person sees the application. Always writes every output, null when empty,
// so the gateway after it never reads a missing variable.
import type { WorkerDefinition } from '../src/camunda/worker-runtime.ts';
import { complete } from '../src/camunda/worker-runtime.ts';
import { checkApplication } from '../src/domain/index.ts';

export const checkApplicationWorker: WorkerDefinition = {
  type: 'yunfu.check-application',
  fetchVariables: [
    'classified',
    'fundingSource',
    'fundingLines',
    'hasDataCatalogue',
    'supportsIpv6',
    'serviceLines',
    'projectName',
    'rules',
  ],
  handler: (vars) => {
    // The sum of the funding lines was checked against the total at submission; a correction or revision in the
    // process changes the service lines only, so here G-3 is checked on the lines' sources, not their sum.
    // G-3 by the funding scope of the project's edition (its `rules`; 市级财政资金 before classification wrote them)
    const rules = vars.rules as { fundingScope?: unknown } | undefined;
    const fundingScope = Array.isArray(rules?.fundingScope) ? (rules.fundingScope as string[]) : undefined;
    const result = checkApplication(vars, { fundingSum: false, ...(fundingScope ? { fundingScope } : {}) });
    return complete({
      applicationComplete: result.applicationComplete,
      missingItems: result.missingItems,
      refusalReason: result.refusalReason,
      classified: vars.classified === true,
    });
  },
};
