/**
 * Every job type is `yunfu.<verb>-<noun>` (lower case, hyphenated), the names docs/process-contract.md lists and
 * workers/all.ts implements. That the name is in the contract is checked by test/models/resources.test.ts.
 */
const { extension } = require('../lib/zeebe');

const JOB_TYPE = /^yunfu\.[a-z]+(-[a-z]+)+$/;

module.exports = () => {
  function check(node, reporter) {
    const definition = extension(node, 'zeebe:TaskDefinition');
    if (!definition) return;
    if (!JOB_TYPE.test(definition.type || '')) {
      reporter.report(node.id, `Job type '${definition.type || ''}' is not yunfu.<verb>-<noun>`);
    }
  }
  return { check };
};
