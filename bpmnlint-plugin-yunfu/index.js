// The Yunfu process conventions as bpmnlint rules, so a process owner sees them in the lint output and in Camunda
// Modeler. Plug-in layout (index.js exporting `configs`, rules under ./rules) as bpmnlint documents it:
// https://npmjs.com/package/bpmnlint-plugin-example and https://github.com/bpmn-io/bpmnlint#writing-a-plug-in
// Rules that need other files (a form or a called process exists, a name is in docs/process-contract.md) stay in
// test/models/: Modeler lints one diagram at a time, without the repository's files.
module.exports = {
  configs: {
    recommended: {
      rules: {
        'user-task-form': 'error',
        'candidate-groups': 'error',
        'message-correlation': 'error',
        'timer-definition': 'error',
        'job-type': 'error',
        'decision-result': 'error',
        'known-clause-ids': 'error',
        'inclusive-join-escape': 'error',
      },
    },
  },
};
