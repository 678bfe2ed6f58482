// The benchmark process shared by bench/engine.ts and bench/workers.ts: ten service tasks of job type `bench` in a
// row, as a BPMN file.
export function bpmn(id: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://bpmn.io/schema/bpmn">
<bpmn:process id="${id}" isExecutable="true">${body}</bpmn:process></bpmn:definitions>`;
}

export function tenTasks(): string {
  let body = '<bpmn:startEvent id="s"/>';
  let prev = 's';
  for (let i = 1; i <= 10; i++) {
    body += `<bpmn:sequenceFlow id="f${i}" sourceRef="${prev}" targetRef="t${i}"/><bpmn:serviceTask id="t${i}"><bpmn:extensionElements><zeebe:taskDefinition type="bench"/></bpmn:extensionElements></bpmn:serviceTask>`;
    prev = `t${i}`;
  }
  body += `<bpmn:sequenceFlow id="fe" sourceRef="${prev}" targetRef="e"/><bpmn:endEvent id="e"/>`;
  return bpmn('ten-tasks', body);
}
