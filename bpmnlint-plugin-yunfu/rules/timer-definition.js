/**
 * Every timer says when it fires: a timeDate, timeDuration or timeCycle with a value. An empty timer deploys but
 * raises an incident when reached.
 */
const { is } = require('bpmnlint-utils');

module.exports = () => {
  function check(node, reporter) {
    if (!is(node, 'bpmn:TimerEventDefinition')) return;
    const value = node.timeDate || node.timeDuration || node.timeCycle;
    if (!value || !(value.body || '').trim()) {
      const owner = node.$parent?.id ? node.$parent.id : node.id;
      reporter.report(owner, 'Timer has no date, duration or cycle');
    }
  }
  return { check };
};
