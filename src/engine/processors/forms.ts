// Forms linked to a process: the start form of a definition (its none start event's zeebe:formDefinition
// formId), resolved to the latest deployed version of that form, as Camunda 8.8 links forms by default.
import { type FormItem, formByKey } from '../queries.ts';
import type { Interpreter } from '../runtime/interpreter.ts';

export function startForm(it: Interpreter, processDefinitionKey: number): FormItem | null {
  const formId = it.definition(processDefinitionKey).model.startForm?.formId;
  const formKey = formId ? it.state.definitions.latestFormKey(formId) : null;
  return formKey === null ? null : formByKey(it, formKey);
}
