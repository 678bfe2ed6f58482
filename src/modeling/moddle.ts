// One place that knows how to read BPMN and DMN XML with Camunda 8's (zeebe) extensions.
import { BpmnModdle } from 'bpmn-moddle';
import { DmnModdle } from 'dmn-moddle';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };

// biome-ignore lint/suspicious/noExplicitAny: moddle elements are dynamically typed
export type ModdleElement = any;

export interface ParseResult {
  rootElement: ModdleElement;
  warnings: Array<{ message: string }>;
}

export function bpmnModdle(): ModdleElement {
  return new BpmnModdle({ zeebe });
}

export async function parseBpmn(xml: string): Promise<ParseResult> {
  const { rootElement, warnings } = await bpmnModdle().fromXML(xml, 'bpmn:Definitions');
  return { rootElement, warnings: warnings ?? [] };
}

export async function parseDmn(xml: string): Promise<ParseResult> {
  const { rootElement, warnings } = await new DmnModdle().fromXML(xml, 'dmn:Definitions');
  return { rootElement, warnings: warnings ?? [] };
}
