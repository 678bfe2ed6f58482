// docker-compose.yml sets Camunda up as Camunda's own 8.8 compose does (camunda/camunda-distributions,
// docker-compose/versions/camunda-8.8; what it sets is in test/fixtures/camunda-compose/camunda-8.8.json with its
// source and licence). Key by key: every setting we give the orchestration service is one Camunda's uses, or is
// listed below with why; every setting Camunda's uses that we leave out is listed below with why. Neither list may
// name a key that is not there, so they cannot rot.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = join(import.meta.dirname, '..', '..');
const camunda = JSON.parse(
  readFileSync(join(ROOT, 'test', 'fixtures', 'camunda-compose', 'camunda-8.8.json'), 'utf8'),
) as {
  images: Record<string, string>;
  healthcheck: { port: number; path: string };
  orchestration: { applicationProperties: string[]; composeEnvironment: string[] };
};
const ours = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    { image?: string; environment?: Record<string, string>; healthcheck?: { test: string[] } }
  >;
};
const env = ours.services.camunda?.environment ?? {};

/** Spring Boot's relaxed binding: camunda.data.secondaryStorage.type -> CAMUNDA_DATA_SECONDARYSTORAGE_TYPE. */
const envName = (property: string) =>
  property
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/-/g, '')
    .replace(/\./g, '_')
    .toUpperCase();

const theirs = new Set([
  ...camunda.orchestration.applicationProperties.map(envName),
  ...camunda.orchestration.composeEnvironment,
]);

/** Keys we set that Camunda's compose does not, and why. */
const OURS_ONLY: Record<string, string> = {
  CAMUNDA_SECURITY_INITIALIZATION_USERS_0_USERNAME:
    'Basic authentication instead of Keycloak: the user the app and its workers log in as is created here',
  CAMUNDA_SECURITY_INITIALIZATION_USERS_0_PASSWORD: 'the same user’s password',
  CAMUNDA_SECURITY_INITIALIZATION_USERS_0_NAME: 'the same user’s display name',
  CAMUNDA_SECURITY_INITIALIZATION_USERS_0_EMAIL: 'the same user’s e-mail',
};

/** Keys (or key prefixes) Camunda's compose sets that we leave out, and why. */
const NOT_TAKEN: Array<[RegExp, string]> = [
  [/^CAMUNDA_DATABASE_/, '8.7-style; 8.8 configures secondary storage under CAMUNDA_DATA_SECONDARYSTORAGE_*'],
  [
    /^CAMUNDA_(OPERATE|TASKLIST)_/,
    '8.7-style per-application settings, superseded by CAMUNDA_DATA_SECONDARYSTORAGE_*',
  ],
  [
    /^ZEEBE_BROKER_EXPORTERS_CAMUNDAEXPORTER_/,
    '8.8 configures the Camunda exporter from the secondary storage itself (autoconfigure-camunda-exporter)',
  ],
  [
    /^ZEEBE_BROKER_EXPORTERS_ELASTICSEARCH_/,
    'the zeebe-record exporter feeds Optimize, which this setup does not run',
  ],
  [
    /^(CAMUNDA_SECURITY_AUTHENTICATION_OIDC_|CAMUNDA_IDENTITY_|ZEEBE_BROKER_GATEWAY_SECURITY_AUTHENTICATION_IDENTITY_|CAMUNDA_SECURITY_AUTHENTICATION_MODE$)/,
    'OIDC through Keycloak and the separate Identity; this setup uses Basic authentication and runs neither',
  ],
  [
    /^CAMUNDA_SECURITY_INITIALIZATION_DEFAULTROLES_ADMIN_CLIENTS_/,
    'the Web Modeler client of Keycloak, not run here',
  ],
  [
    /^CAMUNDA_MULTITENANCY_/,
    'counties are tenants of the business store; Camunda runs its default tenant only (docs/deployment.md, "Tenants")',
  ],
  [
    /^(SERVER_|ZEEBE_HOST$|ZEEBE_LOG_|ZEEBE_BROKER_GATEWAY_|ZEEBE_BROKER_NETWORK_|ZEEBE_BROKER_THREADS_|ZEEBE_BROKER_DATA_SNAPSHOTPERIOD$|ZEEBE_BROKER_DATA_FREESPACE_)/,
    'the image’s own defaults for a single node (addresses, ports, threads, snapshot period, disk headroom)',
  ],
  [
    /^MANAGEMENT_ENDPOINT(S_WEB_EXPOSURE_INCLUDE|_CONFIGPROPS_SHOW_VALUES)$/,
    'Prometheus and configprops exposure for Camunda’s own tooling; the health endpoint is exposed by default',
  ],
];

describe('docker-compose.yml against Camunda’s own 8.8 compose', () => {
  it('gives the orchestration service only settings Camunda’s uses, or ones listed with why', () => {
    const extra = Object.keys(env).filter((k) => !theirs.has(k));
    expect(extra.sort()).toEqual(Object.keys(OURS_ONLY).sort());
  });

  it('leaves out only settings listed with why', () => {
    const missing = [...theirs].filter((k) => !(k in env));
    const unexplained = missing.filter((k) => !NOT_TAKEN.some(([pattern]) => pattern.test(k)));
    expect(unexplained).toEqual([]);
    for (const [pattern] of NOT_TAKEN)
      expect(
        missing.some((k) => pattern.test(k)),
        `${pattern} explains a key Camunda's compose sets`,
      ).toBe(true);
  });

  it('configures secondary storage the 8.8 way, and none the 8.7 way', () => {
    expect(env.CAMUNDA_DATA_SECONDARYSTORAGE_TYPE).toBe('elasticsearch');
    const url = new URL(env.CAMUNDA_DATA_SECONDARYSTORAGE_ELASTICSEARCH_URL ?? '');
    expect(ours.services[url.hostname], 'the secondary storage URL names a service').toBeDefined();
    expect(Object.keys(env).filter((k) => k.startsWith('CAMUNDA_DATABASE_'))).toEqual([]);
    expect(env.CAMUNDA_REST_QUERY_ENABLED).toBe('true');
  });

  it('pins the patch versions Camunda’s compose pins', () => {
    expect(ours.services.camunda?.image).toBe(`camunda/camunda:${camunda.images['camunda/camunda']}`);
    const elastic = 'docker.elastic.co/elasticsearch/elasticsearch';
    expect(ours.services.elasticsearch?.image).toBe(`${elastic}:${camunda.images[elastic]}`);
  });

  it('asks Camunda for its health status on the management port, not merely whether the port is open', () => {
    expect(env.MANAGEMENT_SERVER_PORT).toBe(String(camunda.healthcheck.port));
    const test = (ours.services.camunda?.healthcheck?.test ?? []).join(' ');
    expect(test).toContain(`/dev/tcp/127.0.0.1/${camunda.healthcheck.port}`);
    expect(test).toContain(`GET ${camunda.healthcheck.path}`);
    expect(test).toMatch(/grep -q UP/);
  });
});
