// Forms linked to a process: the start form of a definition (its none start event's zeebe:formDefinition
// formId), resolved by its bindingType: the latest deployed version of that form (Camunda 8.8's default), the one
// deployed with the process, or the latest with a version tag.

import type { Binding } from '../model/types.ts';
import { type FormItem, formByKey } from '../queries.ts';
import { boundFormKey } from '../runtime/bpmn/container/binding.ts';
import type { Interpreter } from '../runtime/interpreter.ts';
import { IncidentError } from '../runtime/tx.ts';

export function startForm(it: Interpreter, processDefinitionKey: number): FormItem | null {
  const linked = it.definition(processDefinitionKey).model.startForm;
  if (!linked) return null;
  const formKey = linked.binding
    ? startFormKey(it, processDefinitionKey, linked.formId, linked.binding)
    : it.state.definitions.latestFormKey(linked.formId);
  return formKey === null ? null : formByKey(it, formKey);
}

/** A bound start form that is not there is no start form (the read answers 204, as for none linked). */
function startFormKey(
  it: Interpreter,
  definitionKey: number,
  formId: string,
  binding: Binding,
): number | null {
  try {
    return boundFormKey(it, definitionKey, formId, binding);
  } catch (e) {
    if (e instanceof IncidentError) return null;
    throw e;
  }
}
