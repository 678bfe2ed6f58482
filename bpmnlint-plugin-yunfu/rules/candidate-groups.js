/**
 * A candidate-groups expression evaluates to a list of strings, as Zeebe requires ("=unitGroup" giving a string
 * fails the task at run time). It is evaluated with sample values of the variables the models use.
 */
const { is } = require('bpmnlint-utils');
const { evaluate } = require('feelin');
const { extension } = require('../lib/zeebe');

const SAMPLE = {
  unitId: 'gongan',
  unit: { unitId: 'gongan' },
  ownerGroup: 'bureau-admin',
  category: 'public',
  // IM-3, IM-4: the third party a project engaged (src/domain/third-parties.ts)
  supervisorOrgId: 'jianli-yuehua',
  softwareTestOrgId: 'ceping-gdsoft',
  acceptanceTestOrgId: 'ceping-gdsoft',
  securityAssessmentOrgId: 'ceping-saiyun',
};

module.exports = () => {
  function check(node, reporter) {
    if (!is(node, 'bpmn:UserTask')) return;
    const groups = extension(node, 'zeebe:AssignmentDefinition')?.candidateGroups;
    if (!groups?.startsWith('=')) return;
    let value;
    try {
      value = evaluate(groups.slice(1), SAMPLE).value;
    } catch (e) {
      reporter.report(node.id, `Candidate groups expression does not evaluate: ${e.message}`);
      return;
    }
    if (!Array.isArray(value) || !value.every((g) => typeof g === 'string')) {
      reporter.report(node.id, `Candidate groups expression does not give a list of strings: ${groups}`);
    }
  }
  return { check };
};
