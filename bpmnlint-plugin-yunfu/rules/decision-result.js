/**
 * Every business rule task calls a decision by id and puts its result in a variable (zeebe:calledDecision
 * decisionId and resultVariable); the gateways after it read that variable. That the decision exists in
 * processes/ is checked by test/models/resources.test.ts.
 */
const { is } = require('bpmnlint-utils');
const { extension } = require('../lib/zeebe');

module.exports = () => {
  function check(node, reporter) {
    if (!is(node, 'bpmn:BusinessRuleTask')) return;
    const called = extension(node, 'zeebe:CalledDecision');
    if (!called?.decisionId) reporter.report(node.id, 'Business rule task calls no decision');
    else if (!called.resultVariable) reporter.report(node.id, 'Business rule task has no result variable');
  }
  return { check };
};
