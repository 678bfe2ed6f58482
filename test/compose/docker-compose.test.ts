// docker-compose.yml cannot be started here (no container engine). This proves what can be proved without
// one: it parses, it is valid under the Compose Specification schema, and what it references exists —
// build context, Dockerfile, the files the image copies, the services it depends on, and the environment
// variable names the app and the workers actually read.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = join(import.meta.dirname, '..', '..');
const SCHEMA = join(ROOT, 'docs', 'reference', 'compose-spec.schema.json');

interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string };
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};

/** Every source file of the app and the workers, to find which variables they read. */
function sources(): string {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) out.push(readFileSync(path, 'utf8'));
    }
  };
  walk(join(ROOT, 'src'));
  walk(join(ROOT, 'workers'));
  return out.join('\n');
}

describe('docker-compose.yml', () => {
  it('is valid under the Compose Specification schema', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    // ajv-formats is CommonJS: its function is the default export's `default` under NodeNext
    const addFormats = (formats as unknown as { default: (a: Ajv) => void }).default ?? formats;
    addFormats(ajv);
    // The schema names draft-07 by its https URL, which Ajv's built-in draft-07 meta-schema is not keyed by.
    const { $schema: _draft, ...schema } = JSON.parse(readFileSync(SCHEMA, 'utf8')) as Record<
      string,
      unknown
    >;
    const validate = ajv.compile(schema);
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('runs Camunda 8.8 with Elasticsearch, PostgreSQL, the app and the workers, each with a health check or a healthy dependency', () => {
    const s = compose.services;
    expect(s.camunda?.image).toMatch(/^camunda\/camunda:8\.8\.\d+$/);
    expect(s.elasticsearch?.image).toMatch(/elasticsearch:8\./);
    expect(s.postgres?.image).toMatch(/^postgres:/);
    for (const name of ['elasticsearch', 'camunda', 'postgres', 'app'])
      expect(s[name]?.healthcheck, name).toBeDefined();
    for (const [name, service] of Object.entries(s)) {
      for (const dep of Object.keys(service.depends_on ?? {}))
        expect(s[dep], `${name} depends on ${dep}`).toBeDefined();
    }
  });

  it('builds the app from a Dockerfile that exists, copying folders that exist', () => {
    const build = compose.services.app?.build;
    expect(build).toBeDefined();
    const dockerfile = join(ROOT, build!.context, build!.dockerfile ?? 'Dockerfile');
    expect(existsSync(dockerfile)).toBe(true);
    const copied = [...readFileSync(dockerfile, 'utf8').matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap(
      (m) => m[1]!.trim().split(/\s+/),
    );
    expect(copied.length).toBeGreaterThan(0);
    for (const path of copied) expect(existsSync(join(ROOT, build!.context, path)), path).toBe(true);
    expect(compose.services.workers?.image).toBe(compose.services.app?.image);
    const command = compose.services.workers?.command ?? [];
    expect(existsSync(join(ROOT, command[command.length - 1] ?? ''))).toBe(true);
  });

  it('sets only environment variables that the app or the workers read, and points them at the camunda service', () => {
    const code = sources();
    for (const name of ['app', 'workers']) {
      const env = compose.services[name]?.environment ?? {};
      for (const variable of Object.keys(env)) {
        expect(
          code.includes(`'${variable}'`) || code.includes(`.${variable}`),
          `${name}: ${variable} is read somewhere`,
        ).toBe(true);
      }
      const address = new URL(env.CAMUNDA_REST_ADDRESS ?? '');
      expect(
        compose.services[address.hostname],
        `${name}: CAMUNDA_REST_ADDRESS names a service`,
      ).toBeDefined();
    }
  });

  it("gives the workers the business API's store, and checks the app's health on /ready", () => {
    const s = compose.services;
    const env = (name: string) => s[name]?.environment as Record<string, string>;
    expect(env('workers').DATABASE_URL).toBe(env('app').DATABASE_URL);
    expect(env('workers').DATA_DIR).toBe(env('app').DATA_DIR);
    expect(JSON.stringify(s.app?.healthcheck?.test)).toContain('/ready');
  });
});
