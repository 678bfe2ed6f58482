// When an ad-hoc sub-process completes after a child ended other than by completing its inner flow (Zeebe's
// AdHocSubProcessProcessor.onChildTerminated): https://docs.camunda.io/docs/components/modeler/bpmn/ad-hoc-subprocesses/
import type { ElementModel } from '../../model/types.ts';
import type { ElementInstanceRow } from '../../state/rows.ts';
import { parseData } from '../elementData.ts';
import type { Tx } from '../tx.ts';

/** After a child of an ad-hoc sub-process ended otherwise (terminated, an event sub-process completed). */
export function adHocChildEnded(
  tx: Tx,
  adHocEi: ElementInstanceRow,
  el: ElementModel,
  activeChildren: number,
): void {
  if (activeChildren > 0) return;
  if (parseData(adHocEi).adHoc?.fulfilled || el.adHoc?.completionCondition === undefined)
    tx.follow('COMPLETE', adHocEi.key);
}
