// A notification to the Unit for every decision about its project (issue 16): when someone other than the Unit
// completes a task of a Unit's project — 初核, 造价审核, 资金审核, a filing's registration… — the Unit's accounts are
// told what was decided, in the words of the task's own form (the chosen option's label, the opinion, amounts,
// dates in Chinese), in the same transaction as the decision's audit entry. A return for correction also says by
// when: the deadline of config/deadlines.json that the model computes next (计算补正期限), from the same rules.
import { zhDatesIn } from '../../domain/date-text.ts';
import type { Regulation, RulesVariable } from '../../domain/index.ts';
import { notify } from '../../store/notifications.ts';
import type { Conn } from '../../store/store.ts';
import { unitGroup, unitSectionGroup } from '../authz.ts';
import { type FormField, formFields } from '../forms/submission.ts';
import type { MailNotices } from '../mail-sender.ts';
import type { TaskForm, UserTask, Variables } from '../process-gateway.ts';
import { tenantOfVariables } from './context.ts';

/**
 * Decisions that send the application back to the Unit with a deadline: the decision's variable and value, the
 * deadline's name in config/deadlines.json (the one the model's next service task computes) and what to do by then.
 */
const RETURNS: Record<string, Record<string, { deadline: string; ask: string }>> = {
  // professional-project-initiation: 退回补正 → 计算补正期限 (deadline "correction") → 补正申请材料
  initialCheckDecision: {
    return: {
      deadline: 'correction',
      ask: '请于{due}前补正申请材料，逾期未补正的，申请视为撤回（PRO-1、PRO-2）',
    },
  },
};

const CHOICE_TYPES = new Set(['radio', 'select']);
const MAX_TEXT = 300;

function optionLabel(field: FormField, value: unknown): string | null {
  const values = field.component.values;
  if (!Array.isArray(values)) return null;
  const found = (values as Array<{ label?: unknown; value?: unknown }>).find((v) => v.value === value);
  return typeof found?.label === 'string' ? found.label : null;
}

/** One submitted field as a person reads it, or null when it is not worth a line (lists, empty values). */
function fieldText(field: FormField, value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (CHOICE_TYPES.has(field.type)) return optionLabel(field, value) ?? String(value);
  if (field.type === 'checkbox') return value === true ? '是' : '否';
  if (typeof value === 'number') return value.toLocaleString('zh-CN');
  if (typeof value !== 'string') return null;
  const text = zhDatesIn(value.trim()).replace(/[。.；;]+$/, '');
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

/** The decision's lines (`label：value`) and the label of its first choice, from the form the task was done with. */
export function decisionLines(
  form: TaskForm | null,
  submitted: Variables,
): { lines: string[]; choice: string | null } {
  const lines: string[] = [];
  let choice: string | null = null;
  const fields = form ? formFields(form.schema) : [];
  for (const field of fields) {
    if (field.path.includes('[]') || field.path !== field.key) continue;
    const text = fieldText(field, submitted[field.key]);
    if (text === null) continue;
    if (choice === null && CHOICE_TYPES.has(field.type)) choice = text;
    lines.push(`${field.label.replace(/[：:]$/, '')}：${text}`);
  }
  if (form) lines.push(...listLines(form.schema, fields, submitted));
  return { lines, choice };
}

const bare = (label: string) => label.replace(/[：:]$/, '');

/**
 * A top-level repeating list (the service lines of a correction or a revision) as one line: each entry named by its
 * first option, its other values after their labels, e.g. `服务内容（G-4 服务类型）：软件开发服务／专业软件开发服务，
 * 金额（元） 800,000；第三方服务／监理，所服务的系统 专业软件，金额（元） 60,000`.
 */
function listLines(schema: Record<string, unknown>, fields: FormField[], submitted: Variables): string[] {
  const lists = new Map<string, FormField[]>();
  for (const f of fields) {
    const m = /^(\w+)\[\]\.(\w+)$/.exec(f.path);
    if (m) lists.set(m[1]!, [...(lists.get(m[1]!) ?? []), f]);
  }
  const out: string[] = [];
  for (const [name, itemFields] of lists) {
    const entries = submitted[name];
    if (!Array.isArray(entries) || entries.length === 0) continue;
    const texts = entries.map((entry) => {
      const row = (entry ?? {}) as Variables;
      const parts = itemFields
        .map((f) => ({ f, text: fieldText(f, row[f.key]) }))
        .filter((x): x is { f: FormField; text: string } => x.text !== null);
      // A subtype's name (软件开发服务／专业软件开发服务) already says its type: the type alone is left out.
      const kept = parts.filter((x) => !parts.some((y) => y.text.startsWith(`${x.text}／`)));
      // The entry's first option names it; every other value goes after its label.
      const first = kept.find((x) => CHOICE_TYPES.has(x.f.type));
      return kept.map((x) => (x === first ? x.text : `${bare(x.f.label)} ${x.text}`)).join('，');
    });
    out.push(`${bare(listLabel(schema, name) ?? name)}：${texts.join('；')}`);
  }
  return out;
}

/** The label of the dynamic list whose path is `name`. */
function listLabel(schema: Record<string, unknown>, name: string): string | null {
  const walk = (components: unknown): string | null => {
    for (const c of Array.isArray(components) ? (components as Record<string, unknown>[]) : []) {
      if (c.path === name && typeof c.label === 'string') return c.label;
      const inner = walk(c.components);
      if (inner) return inner;
    }
    return null;
  };
  return walk(schema.components);
}

function isRules(v: unknown): v is RulesVariable {
  return typeof v === 'object' && v !== null && typeof (v as RulesVariable).deadlines === 'object';
}

/** The return's request with its deadline in Chinese, or null when the decision does not return the application. */
function returnRequest(
  regulation: Regulation,
  now: Date,
  submitted: Variables,
  seen: Variables,
): string | null {
  for (const [variable, byValue] of Object.entries(RETURNS)) {
    const hit = byValue[String(submitted[variable])];
    if (!hit) continue;
    const edition = isRules(seen.rules)
      ? seen.rules
      : regulation.rules.editionAt(now, tenantOfVariables(seen));
    const due = regulation.calendar.addWorkingDays(now, regulation.rules.workingDays(edition, hit.deadline));
    return hit.ask.replace('{due}', zhDatesIn(due.iso));
  }
  return null;
}

/**
 * Notifies the project's Unit of a decision taken by someone else; returns how many accounts were told (0 when the
 * task is not about a Unit's project or is the Unit's own).
 */
export async function notifyDecision(
  tx: Conn,
  ctx: { regulation: Regulation; now: () => Date; mail?: MailNotices | null },
  d: { task: UserTask; form: TaskForm | null; submitted: Variables; seen: Variables },
): Promise<number> {
  const { unitId, projectId, projectName } = d.seen;
  if (typeof unitId !== 'string' || unitId === '' || typeof projectId !== 'string') return 0;
  const unitGroups = [unitGroup(unitId), unitSectionGroup(unitId)];
  // the Unit's own steps, its staff's and its 责任科室's sign-off (G-6), are not decisions taken by someone else
  if (d.task.candidateGroups.some((g) => unitGroups.includes(g))) return 0;
  const { lines, choice } = decisionLines(d.form, d.submitted);
  const ask = returnRequest(ctx.regulation, ctx.now(), d.submitted, d.seen);
  const name = typeof projectName === 'string' ? projectName : projectId;
  const body = [`项目“${name}”（${projectId}）的${d.task.name}已办理`, ...lines, ...(ask ? [ask] : [])];
  return notify(tx, {
    tenantId: tenantOfVariables(d.seen),
    groups: [unitGroup(unitId)],
    title: choice ? `${d.task.name}：${choice}` : `${d.task.name}已办理`,
    body: `${body.join('。\n')}。`,
    projectId,
    at: ctx.now().toISOString(),
    // issue 16: e-mailed too where SMTP is configured, with a link to the project's page where the app knows its URL
    mail: ctx.mail ? { link: ctx.mail.publicUrl ? projectPage(ctx.mail.publicUrl, projectId) : null } : null,
  });
}

/** The project's page in the app (the pages' hash router, src/app/pages/public/main.js). */
export function projectPage(publicUrl: string, projectId: string): string {
  return `${publicUrl}/#/projects/${encodeURIComponent(projectId)}`;
}
