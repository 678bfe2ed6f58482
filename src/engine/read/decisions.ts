// Read side of deployed decisions beyond the definition search (queries.ts): one decision definition, the
// decision requirements graphs (DRGs) and the DMN XML they were deployed as.
import { notFound } from '../errors.ts';
import { searchDecisionDefinitions } from '../queries.ts';
import type { Interpreter } from '../runtime/interpreter.ts';
import { runSearch, type SearchRequest, type SearchResult } from '../search-sql.ts';

export interface DecisionRequirementsItem {
  decisionRequirementsName: string;
  version: number;
  decisionRequirementsId: string;
  resourceName: string;
  tenantId: string;
  decisionRequirementsKey: string;
}

interface DrgRow {
  key: number;
  drg_id: string;
  version: number;
  name: string | null;
  resource_name: string;
  tenant_id: string;
}

export function searchDecisionRequirements(
  it: Interpreter,
  req?: SearchRequest<Record<string, unknown>>,
): SearchResult<DecisionRequirementsItem> {
  return runSearch(
    it,
    'decision_requirements',
    {
      decisionRequirementsKey: { column: 'key', kind: 'key' },
      decisionRequirementsId: { column: 'drg_id' },
      decisionRequirementsName: { column: 'coalesce(name, drg_id)' },
      version: { column: 'version' },
      resourceName: { column: 'resource_name' },
      tenantId: { column: 'tenant_id' },
    },
    req,
    (r: DrgRow) => ({
      // Camunda names a DRG without a name by its id, as it does decisions and processes
      decisionRequirementsName: r.name ?? r.drg_id,
      version: r.version,
      decisionRequirementsId: r.drg_id,
      resourceName: r.resource_name,
      tenantId: r.tenant_id,
      decisionRequirementsKey: String(r.key),
    }),
  );
}

export function decisionRequirements(it: Interpreter, key: number): DecisionRequirementsItem {
  const [item] = searchDecisionRequirements(it, { filter: { decisionRequirementsKey: String(key) } }).items;
  if (!item) throw notFound(`Decision requirements with key '${key}' not found`);
  return item;
}

export function decisionDefinition(it: Interpreter, key: number) {
  const [item] = searchDecisionDefinitions(it, { filter: { decisionDefinitionKey: String(key) } }).items;
  if (!item) throw notFound(`Decision definition with key '${key}' not found`);
  return { ...item, name: item.name ?? item.decisionDefinitionId };
}

/** The DMN a DRG was deployed as. */
export function decisionRequirementsXml(it: Interpreter, key: number): string {
  const row = it.db
    .q(
      'SELECT r.content FROM decision_requirements g JOIN resources r ON r.key = g.resource_key WHERE g.key = ?',
    )
    .get(key) as { content: string } | undefined;
  if (!row) throw notFound(`Decision requirements with key '${key}' not found`);
  return row.content;
}

/** A decision's XML is the DMN of its DRG, all its decisions (as Camunda returns it). */
export function decisionDefinitionXml(it: Interpreter, key: number): string {
  const row = it.db.q('SELECT drg_key FROM decision_definitions WHERE key = ?').get(key) as
    | { drg_key: number }
    | undefined;
  if (!row) throw notFound(`Decision definition with key '${key}' not found`);
  return decisionRequirementsXml(it, row.drg_key);
}
