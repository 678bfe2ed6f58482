// bindingType (Zeebe 8.8): which version a call activity calls and a business rule task evaluates — the latest
// (default), the one deployed together with the calling process ('deployment'), or the latest with a version
// tag ('versionTag'); when there is none, an incident with Zeebe's message (CallActivityProcessor,
// BpmnDecisionBehavior, BpmnUserTaskBehavior); linked forms likewise. https://docs.camunda.io/docs/components/best-practices/modeling/choosing-the-resource-binding-type/
import type { Binding } from '../../../model/types.ts';
import type { ElementInstanceRow } from '../../../state/rows.ts';
import type { Definition, Runtime } from '../../runtime.ts';
import { IncidentError } from '../../tx.ts';

export function calledProcess(
  rt: Runtime,
  ei: ElementInstanceRow,
  processId: string,
  binding: Binding | undefined,
): Definition {
  const bindings = rt.state.bindings;
  if (binding?.type === 'deployment') {
    const deploymentKey = bindings.deploymentOf(ei.process_definition_key)!;
    const key = bindings.inDeployment(deploymentKey, 'process', processId);
    if (key === undefined) {
      throw new IncidentError(
        'CALLED_ELEMENT_ERROR',
        `Expected to call process with BPMN process id '${processId}' with binding type 'deployment', but no such process found in the deployment with key ${deploymentKey} which contained the current process. To resolve this incident, migrate the process instance to a process definition that is deployed together with the intended process definition to call.`,
      );
    }
    return rt.definition(key);
  }
  if (binding?.type === 'versionTag') {
    const key = bindings.processWithVersionTag(processId, binding.versionTag);
    if (key === undefined) {
      throw new IncidentError(
        'CALLED_ELEMENT_ERROR',
        `Expected to call process with BPMN process id '${processId}' and version tag '${binding.versionTag}', but no such process found. To resolve this incident, deploy a process with the given process id and version tag.`,
      );
    }
    return rt.definition(key);
  }
  const latest = rt.latestDefinition(processId);
  if (!latest) {
    throw new IncidentError(
      'CALLED_ELEMENT_ERROR',
      `Expected process with BPMN process id '${processId}' to be deployed, but not found.`,
    );
  }
  return latest;
}

/** The decision a business rule task's binding resolves to (undefined: the latest). */
export function boundDecisionKey(
  rt: Runtime,
  ei: ElementInstanceRow,
  decisionId: string,
  binding: Binding | undefined,
): number | undefined {
  if (!binding) return undefined;
  if (binding.type === 'versionTag') {
    const key = rt.state.bindings.decisionWithVersionTag(decisionId, binding.versionTag);
    if (key === undefined) {
      throw new IncidentError(
        'CALLED_DECISION_ERROR',
        `Expected to evaluate decision with id '${decisionId}' and version tag '${binding.versionTag}', but no such decision found. To resolve this incident, deploy a decision with the given id and version tag.`,
      );
    }
    return key;
  }
  const deploymentKey = rt.state.bindings.deploymentOf(ei.process_definition_key)!;
  const key = rt.state.bindings.inDeployment(deploymentKey, 'decision', decisionId);
  if (key === undefined) {
    throw new IncidentError(
      'CALLED_DECISION_ERROR',
      `Expected to evaluate decision with id '${decisionId}' with binding type 'deployment', but no such decision found in the deployment with key ${deploymentKey} which contained the current process. To resolve this incident, migrate the process instance to a process definition that is deployed together with the intended decision to evaluate.`,
    );
  }
  return key;
}

/**
 * The form a linked form's binding resolves to, for a process definition: null when the binding is 'latest' (the
 * caller keeps its latest-version lookup). None of that id in the deployment or with the tag is FORM_NOT_FOUND.
 */
export function boundFormKey(
  rt: Runtime,
  processDefinitionKey: number,
  formId: string,
  binding: Binding | undefined,
): number | null {
  if (!binding) return null;
  const bindings = rt.state.bindings;
  if (binding.type === 'deployment') {
    const deploymentKey = bindings.deploymentOf(processDefinitionKey)!;
    const key = bindings.inDeployment(deploymentKey, 'form', formId);
    if (key === undefined) {
      throw new IncidentError(
        'FORM_NOT_FOUND',
        `Expected to use a form with id '${formId}' with binding type 'deployment', but no such form found in the deployment with key ${deploymentKey} which contained the current process. To resolve this incident, migrate the process instance to a process definition that is deployed together with the intended form to use.`,
      );
    }
    return key;
  }
  const key = bindings.formWithVersionTag(formId, binding.versionTag);
  if (key === undefined) {
    throw new IncidentError(
      'FORM_NOT_FOUND',
      `Expected to use a form with id '${formId}' and version tag '${binding.versionTag}', but no such form found. To resolve this incident, deploy a form with the given id and version tag.`,
    );
  }
  return key;
}
