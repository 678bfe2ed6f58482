import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('configuration from the environment', () => {
  it('has defaults that run the embedded engine on SQLite on loopback', () => {
    expect(loadConfig({})).toEqual({
      port: 8080,
      host: '127.0.0.1',
      dataDir: resolve('./data'),
      databaseUrl: null,
      camundaRestAddress: null,
      logLevel: 'info',
      smtpUrl: null,
      mailFrom: '云浮市政务信息化项目管理 <noreply@localhost>',
      auditKeyDir: resolve('./data/audit-keys'),
      auditAnchorDir: resolve('./data/audit-anchors'),
      auditCheckpointSeconds: 60,
      publicUrl: null,
      trustProxy: false,
      engineHistoryTtlDays: null,
      jobWorkers: 'event-loop',
    });
  });

  it('reads every variable', () => {
    const c = loadConfig({
      PORT: '9090',
      HOST: '0.0.0.0',
      DATA_DIR: '/tmp/yunfu',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      CAMUNDA_REST_ADDRESS: 'http://localhost:8088/',
      LOG_LEVEL: 'debug',
    });
    expect(c).toMatchObject({
      port: 9090,
      host: '0.0.0.0',
      dataDir: '/tmp/yunfu',
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/test',
      camundaRestAddress: 'http://localhost:8088',
      logLevel: 'debug',
    });
  });

  it('names every bad value at once, without echoing a database password', () => {
    try {
      loadConfig({
        PORT: '80a',
        DATABASE_URL: 'mysql://root:secret@db/x',
        CAMUNDA_REST_ADDRESS: 'ftp://x',
        LOG_LEVEL: 'loud',
      });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems;
      expect(problems).toHaveLength(4);
      expect(problems[0]).toMatch(/^PORT='80a' is not a TCP port/);
      expect(problems[1]).toMatch(/^DATABASE_URL is not a PostgreSQL URL/);
      expect(problems.join('\n')).not.toContain('secret');
      expect(problems[2]).toMatch(/^CAMUNDA_REST_ADDRESS='ftp:\/\/x'/);
      expect(problems[3]).toMatch(/^LOG_LEVEL='loud'/);
    }
  });

  it('refuses an SMTP URL of another scheme without echoing it', () => {
    expect(() => loadConfig({ SMTP_URL: 'http://user:pw@mail' })).toThrow(
      /^[\s\S]*SMTP_URL is not an SMTP URL/,
    );
    expect(() => loadConfig({ SMTP_URL: 'http://user:pw@mail' })).not.toThrow(/pw/);
    expect(loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525' }).smtpUrl).toBe('smtp://127.0.0.1:2525');
  });

  it('refuses a port out of range', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT='70000'/);
    expect(() => loadConfig({ PORT: '0' })).toThrow(/PORT='0'/);
  });

  it('reads the engine history time to live in whole days, and refuses anything else', () => {
    expect(loadConfig({ ENGINE_HISTORY_TTL_DAYS: '30' }).engineHistoryTtlDays).toBe(30);
    for (const bad of ['0', '30d', 'P30D', '-1', '36501'])
      expect(() => loadConfig({ ENGINE_HISTORY_TTL_DAYS: bad })).toThrow(
        new RegExp(`ENGINE_HISTORY_TTL_DAYS='${bad}' is not a time to live`),
      );
  });

  it('reads where the job workers run, the event loop by default, and refuses anything else', () => {
    expect(loadConfig({}).jobWorkers).toBe('event-loop');
    for (const where of ['thread', 'event-loop', 'off'] as const)
      expect(loadConfig({ JOB_WORKERS: where }).jobWorkers).toBe(where);
    expect(() => loadConfig({ JOB_WORKERS: 'process' })).toThrow(
      /JOB_WORKERS='process' is not where the job workers run: expected one of thread, event-loop, off/,
    );
  });
});
