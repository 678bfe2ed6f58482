/**
 * A token between a fork and an inclusive join must not be able to leave without reaching the join. When one does —
 * through an interrupting boundary event or a gateway branch that does not lead to the join — the embedded engine
 * sees that no token can still arrive and fires the join (BPMN 2.0 §13.4.3), but Camunda 8.8 waits there forever
 * (https://github.com/camunda/camunda/issues/19460). A model that relies on the difference would hang on Camunda
 * (docs/camunda-compatibility.md, "Inclusive join").
 */
const { is } = require('bpmnlint-utils');

// from the scope's sequence flows: a diagram need not list bpmn:incoming / bpmn:outgoing on its nodes
const flowsOf = (n) => (n.$parent?.flowElements ?? []).filter((e) => is(e, 'bpmn:SequenceFlow'));
const outgoing = (n) => flowsOf(n).filter((f) => f.sourceRef === n);
const incoming = (n) => flowsOf(n).filter((f) => f.targetRef === n);
const boundariesOf = (n) =>
  (n.$parent?.flowElements ?? []).filter((e) => is(e, 'bpmn:BoundaryEvent') && e.attachedToRef === n);

/** Every node a token at `start` can reach along sequence flows and boundary events, stopping at `stop`. */
function forward(start, stop) {
  const seen = new Set();
  const todo = [start];
  while (todo.length) {
    const n = todo.pop();
    if (!n || seen.has(n)) continue;
    seen.add(n);
    if (n === stop) continue;
    for (const f of outgoing(n)) todo.push(f.targetRef);
    for (const b of boundariesOf(n)) todo.push(b);
  }
  return seen;
}

/** Every node from which `join` can be reached. */
function upstream(join) {
  const seen = new Set();
  const todo = incoming(join).map((f) => f.sourceRef);
  while (todo.length) {
    const n = todo.pop();
    if (!n || seen.has(n) || n === join) continue;
    seen.add(n);
    for (const f of incoming(n)) todo.push(f.sourceRef);
    if (is(n, 'bpmn:BoundaryEvent') && n.attachedToRef) todo.push(n.attachedToRef);
  }
  return seen;
}

module.exports = () => {
  function check(node, reporter) {
    if (!is(node, 'bpmn:InclusiveGateway') || incoming(node).length < 2) return;
    const join = node;
    const before = upstream(join);
    const reaches = (n) => forward(n, join).has(join);
    const forks = [...before].filter(
      (n) =>
        (is(n, 'bpmn:ParallelGateway') || is(n, 'bpmn:InclusiveGateway')) &&
        outgoing(n).filter((f) => reaches(f.targetRef)).length > 1,
    );
    const between = new Set();
    for (const fork of forks) for (const n of forward(fork, join)) if (before.has(n)) between.add(n);
    for (const n of between) {
      for (const b of boundariesOf(n)) {
        if (b.cancelActivity !== false && !reaches(b)) {
          reporter.report(
            b.id,
            `Boundary event leaves a branch of inclusive gateway '${join.id}' without reaching it: Camunda 8.8 would wait at the join forever (camunda/camunda#19460)`,
          );
        }
      }
      if (is(n, 'bpmn:Gateway') && !is(n, 'bpmn:ParallelGateway') && outgoing(n).length > 1) {
        for (const f of outgoing(n)) {
          if (!reaches(f.targetRef)) {
            reporter.report(
              f.id,
              `Sequence flow leaves a branch of inclusive gateway '${join.id}' without reaching it: Camunda 8.8 would wait at the join forever (camunda/camunda#19460)`,
            );
          }
        }
      }
    }
  }
  return { check };
};
