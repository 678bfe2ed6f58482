// The pages for people (issue 7): one HTML shell and hand-written ES modules under public/, plus the two vendor
// bundles they need (bpmn-js NavigatedViewer, form-js Form viewer) served from node_modules — everything from this
// server, nothing from a CDN. The pages talk only to /api. A strict Content-Security-Policy keeps every request on
// this origin, so a page cannot reach another machine even by mistake.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { loadRegulation, type Regulation } from '../../domain/index.ts';
import { ROLES } from '../../domain/roles.ts';
import { FUNDING_SOURCES, needsRelatedTo, RELATED_TO, SERVICE_TYPES } from '../../domain/service-types.ts';
import { organisationGroup, THIRD_PARTY_ORGANISATIONS } from '../../domain/third-parties.ts';
import { DOCUMENT_KINDS, DOCUMENT_TYPES } from '../../store/documents.ts';
import { FILING_KINDS } from '../../store/filings.ts';
import { PROJECT_STAGES } from '../../store/projects.ts';

const PUBLIC_DIR = join(import.meta.dirname, 'public');
const PROCESSES_DIR = join(import.meta.dirname, '../../../processes');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
};

// Scripts and styles only from this origin; the inline styles are bpmn-js's and form-js's SVG/element styles.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

/** The directory of an installed package, found by walking up to a node_modules that holds it. */
function packageDir(name: string): string {
  let dir = import.meta.dirname;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package ${name} is not installed`);
    dir = parent;
  }
}

/** The vendor files the pages may load: an allow-list, so no other path under node_modules is ever served. */
function vendorFiles(): Map<string, string> {
  const bpmn = join(packageDir('bpmn-js'), 'dist');
  const form = join(packageDir('@bpmn-io/form-js'), 'dist');
  return new Map([
    ['bpmn-js/bpmn-navigated-viewer.js', join(bpmn, 'bpmn-navigated-viewer.production.min.js')],
    ['bpmn-js/diagram-js.css', join(bpmn, 'assets/diagram-js.css')],
    ['bpmn-js/bpmn-js.css', join(bpmn, 'assets/bpmn-js.css')],
    ['form-js/form-viewer.js', join(form, 'form-viewer.umd.js')],
    ['form-js/form-js.css', join(form, 'assets/form-js.css')],
  ]);
}

/** Every file under public/ by its path relative to it (read once: the set of pages is fixed at start). */
function publicFiles(dir = PUBLIC_DIR, prefix = ''): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) for (const [k, v] of publicFiles(join(dir, entry.name), rel)) files.set(k, v);
    else if (TYPES[extname(entry.name)]) files.set(rel, join(dir, entry.name));
  }
  return files;
}

/** Process id → its name in the models (`<bpmn:process id name>`), for lists that show a process. */
function processNames(): Record<string, string> {
  const names: Record<string, string> = {};
  if (!existsSync(PROCESSES_DIR)) return names;
  for (const file of readdirSync(PROCESSES_DIR).filter((f) => f.endsWith('.bpmn'))) {
    const xml = readFileSync(join(PROCESSES_DIR, file), 'utf8');
    for (const m of xml.matchAll(/<bpmn:process\b[^>]*>/g)) {
      const id = /\sid="([^"]+)"/.exec(m[0])?.[1];
      const name = /\sname="([^"]+)"/.exec(m[0])?.[1];
      if (id && name) names[id] = name;
    }
  }
  return names;
}

/** The closed vocabularies the forms offer and the labels the pages show, from the one place that defines them. */
/** The upload limit when the server is given none (50 MB). */
export const DEFAULT_MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;

function vocabulary(maxDocumentBytes: number, regulation: Regulation) {
  // The lines whose category depends on the system they serve, so the form asks `relatedTo` exactly there.
  const relatedNeeded = Object.fromEntries(
    Object.entries(SERVICE_TYPES).map(([serviceType, t]) => [
      serviceType,
      Object.keys(t.subTypes).filter((subType) =>
        needsRelatedTo({ serviceType: serviceType as keyof typeof SERVICE_TYPES, subType }),
      ),
    ]),
  );
  return {
    serviceTypes: SERVICE_TYPES,
    relatedNeeded,
    relatedTo: RELATED_TO,
    fundingSources: FUNDING_SOURCES,
    stages: PROJECT_STAGES,
    documentKinds: DOCUMENT_KINDS,
    // What an upload may be (issue 16): the page states it beside the input and refuses an oversize file unsent.
    upload: {
      maxBytes: maxDocumentBytes,
      extensions: Object.values(DOCUMENT_TYPES).flatMap((t) => t.extensions),
      typeNames: [...new Set(Object.values(DOCUMENT_TYPES).map((t) => t.name))],
    },
    filingKinds: FILING_KINDS,
    processes: processNames(),
    // the roles' groups, and each third party's own group by its name (`org-<id>`, IM-3, IM-4, AC-3)
    roles: Object.fromEntries([
      ...Object.entries(ROLES).map(([id, r]) => [id, r.name]),
      ...Object.entries(THIRD_PARTY_ORGANISATIONS).map(([id, o]) => [organisationGroup(id), o.name]),
    ]),
    // A project's rule edition as people cite the measures: 云府办〔2020〕2号《云浮市市级政务信息化服务项目管理办法》.
    ruleEditions: Object.fromEntries(
      regulation.rules.all().map((e) => [e.id, `${e.document ?? ''}《${e.name}》`]),
    ),
  };
}

function send(reply: FastifyReply, file: string, cache: string) {
  const type = TYPES[extname(file)] ?? 'application/octet-stream';
  return reply
    .header('content-type', type)
    .header('cache-control', cache)
    .header('x-content-type-options', 'nosniff')
    .send(readFileSync(file));
}

export async function pagesPlugin(
  app: FastifyInstance,
  options: { maxDocumentBytes?: number; regulation?: Regulation } = {},
): Promise<void> {
  const vendor = vendorFiles();
  const own = publicFiles();
  // The editions the server runs with (a county's own included, SU-3), as the pages name them.
  const vocab = JSON.stringify(
    vocabulary(
      options.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES,
      options.regulation ?? loadRegulation(),
    ),
  );

  // Encapsulated: these headers go on this plugin's responses only, not on /api, /v2 or /docs.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', CSP);
    reply.header('referrer-policy', 'no-referrer');
  });

  const shell = (_req: unknown, reply: FastifyReply) =>
    send(reply, join(PUBLIC_DIR, 'index.html'), 'no-cache');
  app.get('/', { schema: { hide: true } }, shell);
  app.get('/index.html', { schema: { hide: true } }, shell);

  app.get('/assets/app/vocabulary.json', { schema: { hide: true } }, async (_req, reply) =>
    reply.header('content-type', TYPES['.json']).header('cache-control', 'no-cache').send(vocab),
  );

  app.get('/assets/app/*', { schema: { hide: true } }, async (request, reply) => {
    const path = (request.params as { '*': string })['*'];
    const file = own.get(path);
    if (!file || path === 'index.html') return reply.callNotFound();
    return send(reply, file, 'no-cache');
  });

  app.get('/assets/vendor/*', { schema: { hide: true } }, async (request, reply) => {
    const file = vendor.get((request.params as { '*': string })['*']);
    if (!file) return reply.callNotFound();
    return send(reply, file, 'public, max-age=86400');
  });
}
