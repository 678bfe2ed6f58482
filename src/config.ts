// Configuration from the environment, validated at start-up. Every bad value gets its own message naming the
// variable, the value's problem and what is expected; nothing starts on a bad configuration.
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';

export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL connection string; when unset the business store is SQLite in `dataDir`. */
  databaseUrl: string | null;
  /** A real Camunda 8 REST address; when unset the embedded engine runs in-process. */
  camundaRestAddress: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** SMTP server for e-mailed notifications (smtp:// or smtps://); null: in-app notifications only. */
  smtpUrl: string | null;
  /** Sender of e-mailed notifications. */
  mailFrom: string;
  /** SV-4: the audit trail's HMAC and Ed25519 keys; default DATA_DIR/audit-keys (move it off the data volume). */
  auditKeyDir?: string;
  /** SV-4: where signed checkpoints of the audit chains are appended; default DATA_DIR/audit-anchors. */
  auditAnchorDir?: string;
  /** SV-4: how often the chain heads are checkpointed, in seconds (also at start and shutdown). */
  auditCheckpointSeconds?: number;
  /**
   * The origin browsers use to reach the app (e.g. https://govit.yunfu.gov.cn), checked against every
   * state-changing request's Origin; null: the origin the request was addressed to (http://HOST:PORT directly).
   */
  // publicUrl and trustProxy are optional in the type only so that hand-built configurations (tests) need not
  // spell them out; loadConfig always sets both.
  publicUrl?: string | null;
  /** Which proxies' X-Forwarded-For to believe, as fastify's trustProxy takes it; false: none. */
  trustProxy?: TrustProxy;
  /**
   * History retention of the embedded engine (ENGINE_HISTORY_TTL_DAYS): days after which an ended process instance's
   * history is removed from engine.sqlite; null or absent: kept for ever (the default, as in Camunda 8.8).
   */
  engineHistoryTtlDays?: number | null;
  /**
   * Where `npm start` runs the job workers (JOB_WORKERS): 'event-loop' (the default) on the engine's and the HTTP
   * server's event loop, 'thread' on a worker thread of their own, 'off' not at all (the workers run elsewhere,
   * `npm run workers`). Each way through an official client of their own. On this project's 2-core machines the
   * thread gives the main thread a third of its work back but costs the journeys people walk time (docs/performance.md).
   */
  jobWorkers?: JobWorkers;
}

export const JOB_WORKERS = ['thread', 'event-loop', 'off'] as const;
export type JobWorkers = (typeof JOB_WORKERS)[number];

/** false (no proxy), a hop count, or the proxies' addresses and CIDR ranges. */
export type TrustProxy = false | number | string[];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

type Env = (name: string) => string | undefined;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const value: Env = (name) => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const server = parseServer(value, problems);
  const dataDir = resolve(value('DATA_DIR') ?? './data');
  const databaseUrl = parseDatabaseUrl(value('DATABASE_URL'), problems);
  const camundaRestAddress = parseCamundaAddress(value('CAMUNDA_REST_ADDRESS'), problems);
  const rawLevel = value('LOG_LEVEL') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(rawLevel)) {
    problems.push(`LOG_LEVEL='${rawLevel}' is not a log level: expected one of ${LOG_LEVELS.join(', ')}`);
  }
  const smtpUrl = parseSmtpUrl(value('SMTP_URL'), problems);
  const mailFrom = value('MAIL_FROM') ?? '云浮市政务信息化项目管理 <noreply@localhost>';
  const audit = parseAudit(value, dataDir, problems);
  const publicUrl = parsePublicUrl(value('PUBLIC_URL'), problems);
  const trustProxy = parseTrustProxy(value('TRUST_PROXY'), problems);
  const engineHistoryTtlDays = parseHistoryTtl(value('ENGINE_HISTORY_TTL_DAYS'), problems);
  const jobWorkers = (value('JOB_WORKERS') ?? 'event-loop') as JobWorkers;
  if (!JOB_WORKERS.includes(jobWorkers)) {
    problems.push(
      `JOB_WORKERS='${jobWorkers}' is not where the job workers run: expected one of ${JOB_WORKERS.join(', ')}`,
    );
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    ...audit,
    ...server,
    dataDir,
    databaseUrl,
    camundaRestAddress,
    logLevel: rawLevel as AppConfig['logLevel'],
    smtpUrl,
    mailFrom,
    publicUrl,
    trustProxy,
    engineHistoryTtlDays,
    jobWorkers,
  };
}

function parseHistoryTtl(raw: string | undefined, problems: string[]): number | null {
  if (raw === undefined) return null;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 36_500) {
    problems.push(
      `ENGINE_HISTORY_TTL_DAYS='${raw}' is not a time to live: expected whole days from 1 to 36500 (unset: keep the history)`,
    );
    return null;
  }
  return Number(raw);
}

function parseServer(value: Env, problems: string[]): { port: number; host: string } {
  let port = 8080;
  const rawPort = value('PORT');
  if (rawPort !== undefined) {
    if (!/^\d+$/.test(rawPort) || Number(rawPort) < 1 || Number(rawPort) > 65535) {
      problems.push(`PORT='${rawPort}' is not a TCP port: expected an integer from 1 to 65535`);
    } else port = Number(rawPort);
  }
  const host = value('HOST') ?? '127.0.0.1';
  if (!/^[A-Za-z0-9.:[\]-]+$/.test(host)) {
    problems.push(`HOST='${host}' is not a host name or IP address`);
  }
  return { port, host };
}

function urlOrNull(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

function parseDatabaseUrl(raw: string | undefined, problems: string[]): string | null {
  if (raw === undefined) return null;
  const url = urlOrNull(raw);
  if (!url || !['postgres:', 'postgresql:'].includes(url.protocol)) {
    // without echoing the value: it may hold a password
    problems.push(
      'DATABASE_URL is not a PostgreSQL URL: expected postgres://user@host:5432/database (unset it to use SQLite in DATA_DIR)',
    );
    return null;
  }
  return raw;
}

function parseCamundaAddress(raw: string | undefined, problems: string[]): string | null {
  if (raw === undefined) return null;
  const url = urlOrNull(raw);
  if (!url || !['http:', 'https:'].includes(url.protocol)) {
    problems.push(
      `CAMUNDA_REST_ADDRESS='${raw}' is not an http(s) URL: expected e.g. http://localhost:8088 (unset it to use the embedded engine)`,
    );
    return null;
  }
  return raw.replace(/\/+$/, '');
}

function parseSmtpUrl(raw: string | undefined, problems: string[]): string | null {
  if (raw === undefined) return null;
  const url = urlOrNull(raw);
  if (!url || !['smtp:', 'smtps:'].includes(url.protocol)) {
    // without echoing the value: it may hold a password
    problems.push('SMTP_URL is not an SMTP URL: expected smtp://user:password@host:587 or smtps://host:465');
    return null;
  }
  return raw;
}

function parseAudit(
  value: Env,
  dataDir: string,
  problems: string[],
): { auditKeyDir: string; auditAnchorDir: string; auditCheckpointSeconds: number } {
  // Defaults that work on a bare machine; production points AUDIT_KEY_DIR off the data volume (docs/security.md §6).
  const auditKeyDir = resolve(value('AUDIT_KEY_DIR') ?? join(dataDir, 'audit-keys'));
  const auditAnchorDir = resolve(value('AUDIT_ANCHOR_DIR') ?? join(dataDir, 'audit-anchors'));
  if (auditAnchorDir === auditKeyDir) {
    problems.push(
      'AUDIT_ANCHOR_DIR is AUDIT_KEY_DIR: the checkpoints are published, the keys are secret; use two directories',
    );
  }
  let auditCheckpointSeconds = 60;
  const rawCheckpoint = value('AUDIT_CHECKPOINT_SECONDS');
  if (rawCheckpoint !== undefined) {
    if (!/^\d+$/.test(rawCheckpoint) || Number(rawCheckpoint) < 1 || Number(rawCheckpoint) > 86_400) {
      problems.push(
        `AUDIT_CHECKPOINT_SECONDS='${rawCheckpoint}' is not a checkpoint interval: expected whole seconds from 1 to 86400`,
      );
    } else auditCheckpointSeconds = Number(rawCheckpoint);
  }
  return { auditKeyDir, auditAnchorDir, auditCheckpointSeconds };
}

/** The store's audit-trail options from the configuration (SV-4). */
export function auditTrailConfig(config: AppConfig): {
  keyDir: string;
  anchorDir: string;
  checkpointIntervalMs: number;
} {
  return {
    keyDir: config.auditKeyDir ?? resolve(config.dataDir, 'audit-keys'),
    anchorDir: config.auditAnchorDir ?? resolve(config.dataDir, 'audit-anchors'),
    checkpointIntervalMs: (config.auditCheckpointSeconds ?? 60) * 1000,
  };
}

function parsePublicUrl(raw: string | undefined, problems: string[]): string | null {
  if (raw === undefined) return null;
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    // reported below
  }
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.username || url.password) {
    problems.push(`PUBLIC_URL='${raw}' is not an http(s) origin: expected e.g. https://govit.yunfu.gov.cn`);
    return null;
  }
  if (url.pathname !== '/' || url.search || url.hash) {
    problems.push(
      `PUBLIC_URL='${raw}' has a path, query or fragment: expected only scheme, host and port (the app is served at the root)`,
    );
    return null;
  }
  return url.origin;
}

// The forms fastify's trustProxy takes, minus `true` (trusting every sender would let any client pick its address).
function parseTrustProxy(raw: string | undefined, problems: string[]): TrustProxy {
  if (raw === undefined || ['false', 'off', 'no', '0'].includes(raw.toLowerCase())) return false;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops <= 32) return hops;
  }
  const entries = raw.split(',').map((e) => e.trim());
  const bad = entries.filter((e) => !isAddressOrRange(e));
  if (bad.length > 0 || entries.length === 0) {
    problems.push(
      `TRUST_PROXY='${raw}' is not a hop count (1-32) or a comma-separated list of proxy addresses and CIDR ranges (e.g. 10.0.0.5,172.16.0.0/12)${bad.length > 0 ? `: not an address or range: ${bad.join(', ')}` : ''}`,
    );
    return false;
  }
  return entries;
}

function isAddressOrRange(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  if (rest.length > 0 || !address) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}
