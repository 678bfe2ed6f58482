// Execution listeners, as Zeebe 8.8 runs them (its BpmnJobBehavior with JobKind EXECUTION_LISTENER):
// https://docs.camunda.io/docs/components/concepts/execution-listeners/
// - start listeners run after the input mappings and before the element's own behaviour (subscriptions, its
//   expressions, its job or user task); end listeners after the output mappings, before the element is left;
// - one job at a time, in model order: the element goes on only when the last one is completed;
// - a start listener's variables become local variables of the element; an end listener's propagate from the
//   element's flow scope, like output mappings;
// - which listener is next is kept in the element instance's data (ElementData.lsn), so a restart goes on where
//   it stopped; a failed job with no retries is an EXECUTION_LISTENER_NO_RETRIES incident whose resolution makes
//   that one job activatable again; terminating the element cancels the open listener job with its other work.
// A multi-instance activity's listeners run on each inner instance, not on the body (Zeebe's
// ExecutionListenerMultiInstanceActivitiesTest).
import { evaluateNumber, isExpression } from '../../feel/index.ts';
import type { ElementModel, ListenerDef } from '../../model/types.ts';
import type { ElementInstanceRow, JobRow } from '../../state/rows.ts';
import { type ListenerProgress, parseData } from '../elementData.ts';
import type { Runtime } from '../runtime.ts';
import { IncidentError, type Tx } from '../tx.ts';
import { evalString } from './expressions.ts';
import type { JobBehavior } from './jobs.ts';
import type { StateTransitionBehavior } from './transitions.ts';
import type { VariableBehavior } from './variables.ts';

export const LISTENER_JOB_KIND = 'EXECUTION_LISTENER';
export const LISTENER_INCIDENT = 'EXECUTION_LISTENER_NO_RETRIES';

type Phase = ListenerProgress['phase'];

export class ListenerBehavior {
  constructor(
    private readonly rt: Runtime,
    private readonly variables: VariableBehavior,
    private readonly jobs: JobBehavior,
    private readonly transitions: StateTransitionBehavior,
  ) {}

  /** The element instance's listeners of a phase (none on a multi-instance body). */
  of(ei: ElementInstanceRow, el: ElementModel, phase: Phase): ListenerDef[] {
    if (ei.element_type === 'MULTI_INSTANCE_BODY') return [];
    return el.listeners?.[phase] ?? [];
  }

  /** The phase the element instance's listeners are in, if any. */
  progress(ei: ElementInstanceRow): ListenerProgress | undefined {
    return parseData(ei).lsn;
  }

  /**
   * While activating: creates the job of the next start listener and returns true (the element waits), or
   * clears the progress and returns false once every start listener has completed.
   */
  awaitStart(tx: Tx, ei: ElementInstanceRow, el: ElementModel): boolean {
    const listeners = this.of(ei, el, 'start');
    const lsn = this.progress(ei);
    const next = lsn?.phase === 'start' ? lsn.next : 0;
    // a listener's job is open: the element goes on when it completes (a repeated step creates no second one)
    if (lsn?.phase === 'start' && lsn.job !== undefined) return true;
    if (next < listeners.length) {
      this.createJob(tx, ei, listeners[next]!, 'start', next);
      return true;
    }
    if (lsn) {
      const data = parseData(ei);
      delete data.lsn;
      this.transitions.setData(ei, data);
    }
    return false;
  }

  /** While completing, after the output mappings: the job of end listener `index`. */
  createEndJob(tx: Tx, ei: ElementInstanceRow, el: ElementModel, index: number): void {
    this.createJob(tx, ei, this.of(ei, el, 'end')[index]!, 'end', index);
  }

  /** The listener whose properties failed to evaluate in the current step (its incident's cause). */
  private failed: { key: number; phase: Phase; index: number } | null = null;

  /**
   * After a step of `ei` raised an incident: if a listener's properties failed to evaluate, every listener of
   * its event type runs again once the incident is resolved, as the docs' "Expression evaluation failure" says
   * (a failure at the first one rolled back to before the phase began: nothing to reset).
   */
  afterIncident(ei: ElementInstanceRow): void {
    const failed = this.failed;
    this.failed = null;
    if (!failed || failed.key !== ei.key || failed.index === 0) return;
    const fresh = this.rt.ei(ei.key);
    if (!fresh) return;
    const data = parseData(fresh);
    data.lsn = { phase: failed.phase, next: 0 };
    this.transitions.setData(fresh, data);
  }

  private createJob(tx: Tx, ei: ElementInstanceRow, l: ListenerDef, phase: Phase, index: number): void {
    this.failed = { key: ei.key, phase, index };
    this.createJobOf(tx, ei, l, phase, index);
    this.failed = null;
  }

  private createJobOf(tx: Tx, ei: ElementInstanceRow, l: ListenerDef, phase: Phase, index: number): void {
    const ctx = this.variables.context(ei.key);
    const type = evalString(l.type, ctx);
    const retries = isExpression(l.retries) ? evaluateNumber(l.retries, ctx) : Number(l.retries);
    if (!Number.isFinite(retries)) {
      throw new IncidentError(
        'EXTRACT_VALUE_ERROR',
        `Expected ${phase} execution listener retries of '${ei.element_id}' to be a number, but was '${l.retries}'`,
      );
    }
    const def = this.rt.definition(ei.process_definition_key);
    const key = this.jobs.createJob(tx, ei, def, {
      type,
      retries,
      headers: JSON.stringify(l.headers),
      kind: LISTENER_JOB_KIND,
      listenerEventType: phase === 'start' ? 'START' : 'END',
    });
    const data = parseData(ei);
    data.lsn = { phase, next: index, job: key };
    this.transitions.setData(ei, data);
  }

  /**
   * A listener's job was completed: its variables are applied, the next listener is due, and the element's step
   * (activate or complete) runs again to create it or to go on.
   */
  jobCompleted(tx: Tx, job: JobRow, vars: Record<string, unknown>): void {
    const ei = this.rt.ei(job.element_instance_key);
    const lsn = ei ? this.progress(ei) : undefined;
    if (!ei || !lsn || lsn.job !== job.key) return;
    const start = lsn.phase === 'start';
    if (start && ei.state !== 'ACTIVATING') return;
    if (!start && ei.state !== 'COMPLETING') return;
    if (Object.keys(vars).length > 0) {
      if (start) this.variables.setLocals(tx, ei, vars);
      else this.variables.mergeDocument(tx, ei.flow_scope_key ?? ei.key, ei.process_instance_key, vars);
    }
    const data = parseData(ei);
    data.lsn = { phase: lsn.phase, next: lsn.next + 1 };
    this.transitions.setData(ei, data);
    tx.follow(start ? 'ACTIVATE' : 'COMPLETE', ei.key);
  }
}
