// What Operate reads and does to one instance beyond the basics: per-element statistics, the sequence flows taken,
// the call hierarchy, the versions of its process, and the two changes an administrator makes — modification (move
// a token) and migration (to another version). Through the official client, so the same code drives the embedded
// engine's /v2 and real Camunda 8.8:
// https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/modify-process-instance/
// https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/migrate-process-instance/
import type { LooseCamundaClient } from '../camunda/client.ts';
import { call, NOW } from './camunda-calls.ts';

export interface ElementStatistics {
  elementId: string;
  active: number;
  incidents: number;
  completed: number;
  canceled: number;
}

export interface CallHierarchyEntry {
  processInstanceKey: string;
  processDefinitionKey: string;
  processDefinitionName: string;
}

export interface ProcessVersion {
  processDefinitionKey: string;
  processDefinitionId: string;
  version: number;
  name: string | null;
}

export interface Modification {
  activate: Array<{ elementId: string }>;
  /** Element instance keys. */
  terminate: string[];
}

export interface ProcessChanges {
  elementStatistics(processInstanceKey: string): Promise<ElementStatistics[]>;
  /** The ids of the sequence flows the instance took (each once). */
  sequenceFlows(processInstanceKey: string): Promise<string[]>;
  /** Root first, the instance last. */
  callHierarchy(processInstanceKey: string): Promise<CallHierarchyEntry[]>;
  /** Every deployed version of a process, newest first. */
  processVersions(processDefinitionId: string): Promise<ProcessVersion[]>;
  modify(processInstanceKey: string, modification: Modification): Promise<void>;
  migrate(
    processInstanceKey: string,
    targetProcessDefinitionKey: string,
    mappings: Array<{ sourceElementId: string; targetElementId: string }>,
  ): Promise<void>;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

export class CamundaProcessChanges implements ProcessChanges {
  constructor(private readonly client: LooseCamundaClient) {}

  async elementStatistics(processInstanceKey: string): Promise<ElementStatistics[]> {
    const r = await call(() => this.client.getProcessInstanceStatistics({ processInstanceKey }, NOW));
    return (r.items ?? []).map((i) => ({
      elementId: String(i.elementId),
      active: num(i.active),
      incidents: num(i.incidents),
      completed: num(i.completed),
      canceled: num(i.canceled),
    }));
  }

  async sequenceFlows(processInstanceKey: string): Promise<string[]> {
    const r = await call(() => this.client.getProcessInstanceSequenceFlows({ processInstanceKey }, NOW));
    // `elementId` is the flow's id in the BPMN; `sequenceFlowId` is the record's own id (`<instance>_<flow>`)
    return [...new Set((r.items ?? []).map((f) => String(f.elementId)))];
  }

  async callHierarchy(processInstanceKey: string): Promise<CallHierarchyEntry[]> {
    const r = await call(() => this.client.getProcessInstanceCallHierarchy({ processInstanceKey }, NOW));
    return (r as Array<Record<string, unknown>>).map((e) => ({
      processInstanceKey: String(e.processInstanceKey),
      processDefinitionKey: String(e.processDefinitionKey),
      processDefinitionName: String(e.processDefinitionName ?? ''),
    }));
  }

  async processVersions(processDefinitionId: string): Promise<ProcessVersion[]> {
    const r = await call(() =>
      this.client.searchProcessDefinitions(
        {
          filter: { processDefinitionId },
          sort: [{ field: 'version', order: 'DESC' }],
          page: { from: 0, limit: 100 },
        },
        NOW,
      ),
    );
    return (r.items ?? []).map((d) => ({
      processDefinitionKey: String(d.processDefinitionKey),
      processDefinitionId: String(d.processDefinitionId),
      version: num(d.version),
      name: d.name ? String(d.name) : null,
    }));
  }

  async modify(processInstanceKey: string, m: Modification): Promise<void> {
    await call(() =>
      this.client.modifyProcessInstance({
        processInstanceKey,
        activateInstructions: m.activate.map((a) => ({ elementId: a.elementId })),
        terminateInstructions: m.terminate.map((elementInstanceKey) => ({ elementInstanceKey })),
      }),
    );
  }

  async migrate(
    processInstanceKey: string,
    targetProcessDefinitionKey: string,
    mappingInstructions: Array<{ sourceElementId: string; targetElementId: string }>,
  ): Promise<void> {
    await call(() =>
      this.client.migrateProcessInstance({
        processInstanceKey,
        targetProcessDefinitionKey,
        mappingInstructions,
      }),
    );
  }
}
