// AC-2 at acceptance, by a person on evidence: the Bureau verifies the data resources registered in the city's
// data-resource catalogue and the IPv6 test report (Task_VerifyAc2). These steps give it the project's documents
// to choose the report from, and record the verified catalogue entries in the 项目库 — never a placeholder: the
// entries are the ones the Bureau verified, one registration each.
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { WorkerDefinition } from '../src/camunda/worker-runtime.ts';
import { complete, fail } from '../src/camunda/worker-runtime.ts';
import { ZONE } from '../src/domain/index.ts';
import { canonicalJson } from '../src/store/canonical-json.ts';
import { DOCUMENT_KINDS, ISSUED_DOCUMENT_KINDS, listDocuments } from '../src/store/documents.ts';
import type { StoreWorkerDeps } from './deps.ts';
import { once, tenantOf } from './effects.ts';
import { optionalString, requireList, requireString } from './variables.ts';

/** yunfu.list-project-documents — the project's documents as the options of a form's select (`projectDocuments`). */
export function listProjectDocumentsWorker(deps: StoreWorkerDeps): WorkerDefinition {
  return {
    type: 'yunfu.list-project-documents',
    fetchVariables: ['tenantId', 'projectId'],
    handler: async (vars) => {
      const projectId = requireString(vars, 'projectId');
      // what the Bureau issued (the 立项审批意见) is never the Unit's test report
      const documents = (await listDocuments(deps.store.db, tenantOf(vars), projectId)).filter(
        (d) => !ISSUED_DOCUMENT_KINDS.includes(d.kind),
      );
      return complete({
        projectDocuments: documents.map((d) => ({
          label: `${DOCUMENT_KINDS[d.kind] ?? d.kind}：${d.fileName}（${DateTime.fromISO(d.uploadedAt, {
            zone: ZONE,
          }).toFormat('yyyy-MM-dd HH:mm')} 上传）`,
          value: d.id,
        })),
      });
    },
  };
}

interface CatalogueEntry {
  resourceName: string;
  catalogueNumber: string;
}

/** The verified entries of `dataResources`, or the reason they cannot be registered. */
function catalogueEntries(list: unknown[]): CatalogueEntry[] | string {
  const entries: CatalogueEntry[] = [];
  for (const [i, e] of list.entries()) {
    const entry = (e ?? {}) as Record<string, unknown>;
    const name = typeof entry.resourceName === 'string' ? entry.resourceName.trim() : '';
    const number = typeof entry.catalogueNumber === 'string' ? entry.catalogueNumber.trim() : '';
    if (!name || !number) return `dataResources[${i}] 缺少数据资源名称或目录编号`;
    entries.push({ resourceName: name, catalogueNumber: number });
  }
  return entries.length > 0 ? entries : 'dataResources 没有任何已核验的数据资源';
}

/** yunfu.register-data-resources — AC-2: each data resource the Bureau verified, registered with its number. */
export function registerDataResourcesWorker(deps: StoreWorkerDeps): WorkerDefinition {
  return {
    type: 'yunfu.register-data-resources',
    fetchVariables: [
      'tenantId',
      'projectId',
      'unitId',
      'projectName',
      'dataResources',
      'ipv6TestReportDocumentId',
      'ipv6TestReportNumber',
    ],
    handler: async (vars, job) => {
      const projectId = requireString(vars, 'projectId');
      const entries = catalogueEntries(requireList(vars, 'dataResources'));
      if (typeof entries === 'string') return fail(`无法登记数据资源（AC-2）：${entries}`, 0);
      const tenantId = tenantOf(vars);
      const at = new Date(deps.now()).toISOString();
      const result = await once(deps.store, job, tenantId, at, async (tx) => {
        const ids: string[] = [];
        for (const e of entries) {
          const id = randomUUID();
          ids.push(id);
          await tx.db
            .insertInto('dataResources')
            .values({
              id,
              tenantId,
              projectId,
              unitId: optionalString(vars, 'unitId'),
              catalogueRef: e.catalogueNumber,
              registeredAt: at,
              payload: canonicalJson({
                resourceName: e.resourceName,
                projectName: vars.projectName ?? null,
                ipv6TestReportDocumentId: vars.ipv6TestReportDocumentId ?? null,
                ipv6TestReportNumber: vars.ipv6TestReportNumber ?? null,
              }),
            })
            .execute();
        }
        return { dataResourceRegistrationIds: ids };
      });
      return complete(result);
    },
  };
}
