// What every /api route shares: the store, the document storage, the regulation, the clock, and the helpers that
// tie a request to its principal, its authorisation decision and its audit entry.
import type {} from '@fastify/cookie';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyRequest,
  FastifyTypeProvider,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import type { Regulation } from '../../domain/index.ts';
import { type AuditEntry, appendAudit } from '../../store/audit.ts';
import type { DocumentStorage } from '../../store/documents.ts';
import type { Conn, Store } from '../../store/store.ts';
import type { LoginThrottle } from '../auth/login-throttle.ts';
import { type Action, auditRole, decide, type Principal, type Target } from '../authz.ts';
import { type Actor, type CommandContext, ensure, visibleProject as visibleTo } from '../commands/context.ts';
import { problem } from '../problem.ts';
import type { ProcessGateway } from '../process-gateway.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    /** Set when the request appended to the audit trail (checked for every state-changing request). */
    audited: boolean;
  }
  interface FastifyContextConfig {
    /** `public`: no session needed (login, health). Default: a live session is required. */
    auth?: 'public';
    /** A state-changing route that a read-only role (Audit) may still call: logout, marking a notification read. */
    allowReadOnly?: boolean;
  }
}

/**
 * The type provider of /api: a route's params, query string and body have the TypeScript type its JSON schema
 * describes (json-schema-to-ts), so what a handler reads cannot drift from what fastify validated. Replies are
 * left to the response schemas' run-time serialisation (fast-json-stringify drops what a schema does not name).
 */
export interface ApiTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends JSONSchema ? FromSchema<this['schema']> : unknown;
  serializer: unknown;
}

/** The /api instance the routes register on; the schemas are `as const` objects in `schemas.ts` and the routes. */
export type ApiApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ApiTypeProvider
>;

export interface ApiContext extends CommandContext {
  store: Store;
  documents: DocumentStorage;
  regulation: Regulation;
  now: () => Date;
  sessionTtlMs: number;
  maxDocumentBytes: number;
  throttle: LoginThrottle;
  secureCookies: boolean;
  /** Null when no engine is configured: the engine-backed routes are then not registered. */
  processes: ProcessGateway | null;
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw problem.unauthenticated();
  return request.principal;
}

export { ensure } from '../commands/context.ts';

/** The signed-in principal as a command's actor: the audit entry names the request, and the request knows it. */
export function actorOf(request: FastifyRequest): Actor {
  return {
    principal: principalOf(request),
    requestId: request.id,
    log: request.log,
    onAudit: () => {
      request.audited = true;
    },
  };
}

/** The project `projectId` as the request's principal may see it; 404 for another tenant's or an invisible one. */
export async function visibleProject(ctx: ApiContext, request: FastifyRequest, projectId: string) {
  const p = principalOf(request);
  return { p, project: await visibleTo(ctx, p, projectId) };
}

export function authorize(request: FastifyRequest, action: Action, target: Target): Principal {
  const p = principalOf(request);
  ensure(decide(p, action, target));
  return p;
}

/** Appends the request's audit entry inside its transaction: who, when, what, on which data (SV-4). */
export async function recordAudit(
  tx: Conn,
  request: FastifyRequest,
  ctx: ApiContext,
  e: {
    action: string;
    entityType: string;
    entityId: string;
    projectId?: string | null;
    payload: unknown;
    principal?: Principal;
  },
): Promise<AuditEntry> {
  const p = e.principal ?? principalOf(request);
  const entry = await appendAudit(tx, {
    tenantId: p.tenantId,
    accountId: p.accountId,
    role: auditRole(p),
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    projectId: e.projectId ?? null,
    requestId: request.id,
    payload: e.payload,
    at: ctx.now().toISOString(),
  });
  request.audited = true;
  return entry;
}
