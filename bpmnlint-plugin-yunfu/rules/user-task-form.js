/**
 * Every user task is a Camunda user task (zeebe:userTask) that links a Camunda form by id (zeebe:formId) and says
 * who works on it (candidate groups or an assignee). The task list renders that form; without candidate groups
 * nobody sees the task. That the linked form exists in processes/ is checked by test/models/resources.test.ts.
 */
const { is } = require('bpmnlint-utils');
const { extension } = require('../lib/zeebe');

module.exports = () => {
  function check(node, reporter) {
    if (!is(node, 'bpmn:UserTask')) return;
    if (!extension(node, 'zeebe:UserTask')) reporter.report(node.id, 'User task is not a Camunda user task');
    const form = extension(node, 'zeebe:FormDefinition');
    if (!form?.formId) reporter.report(node.id, 'User task links no form (zeebe:formId)');
    const assignment = extension(node, 'zeebe:AssignmentDefinition');
    if (!assignment || !(assignment.candidateGroups || assignment.assignee)) {
      reporter.report(node.id, 'User task has neither candidate groups nor an assignee');
    }
  }
  return { check };
};
