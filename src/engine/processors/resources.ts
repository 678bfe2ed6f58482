// POST /v2/resources/{resourceKey}/deletion, as Zeebe 8.8's ResourceDeletionDeleteProcessor does it: the key names
// a process definition, a decision requirements graph (its decisions go with it) or a form; it leaves the runtime.
// A process definition with running instances is refused (INVALID_STATE: "Expected to delete resource with key `%d`
// but there are still running instances"); deleting the latest version moves the start events (timer, message,
// signal) back to the previous version still deployed. Only the runtime state goes: the history of finished
// instances stays readable — "Only the resource itself is deleted from the runtime state. Deleting historic data
// associated with a resource is not supported." (8.8, https://docs.camunda.io/docs/8.8/apis-tools/orchestration-cluster-api-rest/specifications/delete-resource/).
import { invalidState, notFound } from '../errors.ts';
import type { Interpreter } from '../runtime/interpreter.ts';
import type { Tx } from '../runtime/tx.ts';
import { closeStartSubscriptions, replaceStartSubscriptions } from './deploy.ts';

const RECORD = { process: 'PROCESS', drg: 'DECISION_REQUIREMENTS', form: 'FORM' } as const;

export function deleteResource(tx: Tx, it: Interpreter, key: number): void {
  const definitions = it.state.definitions;
  const resource = definitions.liveResource(key);
  if (!resource) throw notFound(`Expected to delete resource but no resource found with key \`${key}\``);
  if (resource.kind === 'process') {
    if (definitions.hasRunningInstances(key))
      throw invalidState(
        `Expected to delete resource with key \`${key}\` but there are still running instances`,
      );
    const latest = definitions.latestProcessKey(resource.id);
    definitions.markDeleted('process', key);
    if (latest === key) {
      closeStartSubscriptions(tx, it, key);
      const previous = definitions.latestProcessKey(resource.id);
      if (previous !== undefined)
        replaceStartSubscriptions(tx, it, previous, it.definition(previous).model, undefined);
      tx.afterCommit.push(() => it.setLatest(resource.id, previous));
    }
  } else {
    definitions.markDeleted(resource.kind, key);
  }
  tx.record(RECORD[resource.kind], 'DELETED', key, null, resource.id, {});
}
