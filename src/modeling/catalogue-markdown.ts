// Renders the process catalogue (docs/processes.md, between its markers) from the models themselves, so the
// document cannot drift from processes/: a test compares the two, `npm run docs:processes` rewrites it.
import type { Catalogue, ProcessInfo } from './catalogue.ts';

export const BEGIN =
  '<!-- catalogue:begin (generated from processes/ by `npm run docs:processes`; do not edit by hand) -->';
export const END = '<!-- catalogue:end -->';

const code = (s: string | undefined) => (s ? `\`${s.replaceAll('|', '\\|')}\`` : '—');
const cell = (s: string | undefined) => (s ?? '').replaceAll('|', '\\|').replaceAll('\n', ' ');

function startEvents(p: ProcessInfo): string {
  return p.startEvents
    .map((s) => {
      const timer = p.timers.find((t) => t.id === s.id);
      const message = p.messages.find((m) => m.usedBy.includes(s.id));
      const how = timer
        ? `timer ${timer.kind} ${code(timer.value)}`
        : message
          ? `message ${code(message.name)}`
          : 'none';
      return `${cell(s.name)} (${how})`;
    })
    .join('; ');
}

function groups(p: ProcessInfo): string[] {
  return [...new Set(p.userTasks.map((t) => t.candidateGroups ?? t.assignee ?? ''))].filter(Boolean);
}

export function renderProcess(p: ProcessInfo): string {
  const lines: string[] = [];
  lines.push(`### ${p.name ?? p.id} — \`${p.id}\``, '');
  lines.push(`File \`processes/${p.file}\`. Clauses: ${p.clauses.join(', ') || '—'}.`, '');
  lines.push(`- **Start:** ${startEvents(p) || '—'}`);
  lines.push(`- **Roles (candidate groups):** ${groups(p).map(code).join(', ') || '—'}`);
  const jobTypes = [...new Set(p.jobTasks.map((t) => t.jobType))];
  lines.push(`- **Job types:** ${jobTypes.map(code).join(', ') || '—'}`);
  const messages = p.messages.map((m) => `${code(m.name)} (key ${code(m.correlationKey)})`);
  lines.push(`- **Messages:** ${messages.join(', ') || '—'}`);
  const called = [
    ...p.calledProcesses.map((c) => `process ${code(c.processId)}`),
    ...p.calledDecisions.map((d) => `decision ${code(d.decisionId)}`),
  ];
  lines.push(`- **Calls:** ${called.join(', ') || '—'}`);
  lines.push('');
  if (p.userTasks.length > 0) {
    lines.push('| user task | name | candidate groups | form | due |', '|---|---|---|---|---|');
    for (const t of p.userTasks) {
      lines.push(
        `| \`${t.id}\` | ${cell(t.name)} | ${code(t.candidateGroups ?? t.assignee)} | ${code(t.formId)} | ${code(t.dueDate)} |`,
      );
    }
    lines.push('');
  }
  if (p.timers.length > 0) {
    lines.push('| timer | name | on | kind | value | interrupting |', '|---|---|---|---|---|---|');
    for (const t of p.timers) {
      lines.push(
        `| \`${t.id}\` | ${cell(t.name)} | ${t.attachedTo ? `\`${t.attachedTo}\`` : 'start / event'} | ${t.kind ?? '—'} | ${code(t.value)} | ${t.interrupting ? 'yes' : 'no'} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

export function renderCatalogue(catalogue: Catalogue): string {
  const parts = [BEGIN, ''];
  parts.push(
    '| process id | name | file | user tasks | service tasks | timers | clauses |',
    '|---|---|---|---|---|---|---|',
  );
  for (const p of catalogue.processes) {
    parts.push(
      `| \`${p.id}\` | ${cell(p.name)} | \`${p.file}\` | ${p.userTasks.length} | ${p.jobTasks.length} | ${p.timers.length} | ${p.clauses.join(', ')} |`,
    );
  }
  parts.push('');
  for (const p of catalogue.processes) parts.push(renderProcess(p));
  parts.push('#### Decisions', '');
  for (const d of catalogue.decisions)
    parts.push(
      `- \`${d.file}\`: ${d.ids.map((id, i) => `\`${id}\` ${d.names[i] ?? ''}`).join(', ')} (${d.clauses.join(', ')})`,
    );
  parts.push('', '#### Forms', '');
  for (const f of catalogue.forms)
    parts.push(
      `- \`${f.file}\`: ${f.keys.map((k) => (f.requiredKeys.includes(k) ? `\`${k}\`*` : `\`${k}\``)).join(', ')}`,
    );
  parts.push('', '(* required)', '', END);
  return parts.join('\n');
}

/** Replaces the generated part of a document, keeping what is written around it. */
export function spliceCatalogue(document: string, generated: string): string {
  const begin = document.indexOf(BEGIN);
  const end = document.indexOf(END);
  if (begin < 0 || end < 0) throw new Error('docs/processes.md lacks the catalogue markers');
  return document.slice(0, begin) + generated + document.slice(end + END.length);
}
