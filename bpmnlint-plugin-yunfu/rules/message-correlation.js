/**
 * Every message has a name and a correlation key that is a FEEL expression (zeebe:subscription correlationKey
 * "=..."), so a published message reaches the one instance it is meant for.
 */
const { is } = require('bpmnlint-utils');
const { extension } = require('../lib/zeebe');

module.exports = () => {
  function check(node, reporter) {
    if (!is(node, 'bpmn:Message')) return;
    if (!node.name) reporter.report(node.id, 'Message has no name');
    const subscription = extension(node, 'zeebe:Subscription');
    const key = subscription?.correlationKey;
    if (!key?.startsWith('=')) {
      reporter.report(
        node.id,
        'Message has no correlation key expression (zeebe:subscription correlationKey)',
      );
    }
  }
  return { check };
};
