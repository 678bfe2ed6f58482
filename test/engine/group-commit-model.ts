// The model of the group commit tests: three service tasks of type `step` in a row.
export const THREE_TASKS = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://bpmn.io/schema/bpmn">
<bpmn:process id="three" isExecutable="true"><bpmn:startEvent id="s"/>
<bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t1"/><bpmn:serviceTask id="t1"><bpmn:extensionElements><zeebe:taskDefinition type="step"/></bpmn:extensionElements></bpmn:serviceTask>
<bpmn:sequenceFlow id="f2" sourceRef="t1" targetRef="t2"/><bpmn:serviceTask id="t2"><bpmn:extensionElements><zeebe:taskDefinition type="step"/></bpmn:extensionElements></bpmn:serviceTask>
<bpmn:sequenceFlow id="f3" sourceRef="t2" targetRef="t3"/><bpmn:serviceTask id="t3"><bpmn:extensionElements><zeebe:taskDefinition type="step"/></bpmn:extensionElements></bpmn:serviceTask>
<bpmn:sequenceFlow id="f4" sourceRef="t3" targetRef="e"/><bpmn:endEvent id="e"/></bpmn:process></bpmn:definitions>`;
