// Camunda 8 client configuration from the environment, with Camunda's own variable names
// (CAMUNDA_REST_ADDRESS, CAMUNDA_AUTH_STRATEGY, CAMUNDA_CLIENT_ID, …), validated at start-up: every bad or
// missing value gets its own message naming the variable; secrets are never echoed.

export type CamundaAuthStrategy = 'NONE' | 'BASIC' | 'OAUTH';

export interface CamundaClientConfig {
  /** Base address of the REST API, without the /v2 suffix, e.g. http://localhost:8080 */
  restAddress: string;
  auth:
    | { strategy: 'NONE' }
    | { strategy: 'BASIC'; username: string; password: string }
    | {
        strategy: 'OAUTH';
        clientId: string;
        clientSecret: string;
        oauthUrl: string;
        audience: string | null;
      };
  /** CAMUNDA_DEFAULT_TENANT_ID, or null for Camunda's default tenant. */
  tenantId: string | null;
}

export class CamundaConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid Camunda client configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CamundaConfigError';
  }
}

const STRATEGIES: readonly CamundaAuthStrategy[] = ['NONE', 'BASIC', 'OAUTH'];

function httpUrl(raw: string): URL | null {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/**
 * Reads the Camunda client configuration. `requireAddress` is true for `npm run workers`, which has no
 * embedded engine to fall back on.
 */
export function loadCamundaConfig(
  env: NodeJS.ProcessEnv = process.env,
  options: { requireAddress?: boolean; defaultAddress?: string } = {},
): CamundaClientConfig {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const required = (name: string, why: string): string => {
    const v = value(name);
    if (v === undefined) problems.push(`${name} is not set: ${why}`);
    return v ?? '';
  };

  let restAddress = options.defaultAddress ?? '';
  const rawAddress = value('CAMUNDA_REST_ADDRESS');
  if (rawAddress === undefined) {
    if (options.requireAddress || !options.defaultAddress) {
      problems.push(
        'CAMUNDA_REST_ADDRESS is not set: expected the Camunda 8 REST address, e.g. http://localhost:8080 (the workers have no engine of their own)',
      );
    }
  } else if (!httpUrl(rawAddress)) {
    problems.push(
      `CAMUNDA_REST_ADDRESS='${rawAddress}' is not an http(s) URL: expected e.g. http://localhost:8080`,
    );
  } else {
    // The client appends /v2 itself; accept either form.
    restAddress = rawAddress.replace(/\/+$/, '').replace(/\/v2$/, '');
  }

  const rawStrategy = (value('CAMUNDA_AUTH_STRATEGY') ?? 'NONE').toUpperCase();
  let auth: CamundaClientConfig['auth'] = { strategy: 'NONE' };
  if (!(STRATEGIES as readonly string[]).includes(rawStrategy)) {
    problems.push(
      `CAMUNDA_AUTH_STRATEGY='${rawStrategy}' is not supported: expected one of ${STRATEGIES.join(', ')}`,
    );
  } else if (rawStrategy === 'BASIC') {
    const username = required('CAMUNDA_BASIC_AUTH_USERNAME', 'CAMUNDA_AUTH_STRATEGY=BASIC needs a user name');
    const password = required('CAMUNDA_BASIC_AUTH_PASSWORD', 'CAMUNDA_AUTH_STRATEGY=BASIC needs a password');
    auth = { strategy: 'BASIC', username, password };
  } else if (rawStrategy === 'OAUTH') {
    const clientId = required('CAMUNDA_CLIENT_ID', 'CAMUNDA_AUTH_STRATEGY=OAUTH needs a client id');
    const clientSecret = required(
      'CAMUNDA_CLIENT_SECRET',
      'CAMUNDA_AUTH_STRATEGY=OAUTH needs a client secret',
    );
    const oauthUrl = required('CAMUNDA_OAUTH_URL', 'CAMUNDA_AUTH_STRATEGY=OAUTH needs the token endpoint');
    if (oauthUrl && !httpUrl(oauthUrl)) {
      problems.push(`CAMUNDA_OAUTH_URL='${oauthUrl}' is not an http(s) URL`);
    }
    auth = {
      strategy: 'OAUTH',
      clientId,
      clientSecret,
      oauthUrl,
      audience: value('CAMUNDA_TOKEN_AUDIENCE') ?? null,
    };
  }

  const validation = value('CAMUNDA_SDK_VALIDATION');
  if (validation !== undefined && !isValidationSetting(validation)) {
    problems.push(
      `CAMUNDA_SDK_VALIDATION='${validation}' is not a validation setting: expected none, warn, strict, fanatical or req:<mode>,res:<mode>`,
    );
  }

  if (problems.length > 0) throw new CamundaConfigError(problems);
  return { restAddress, auth, tenantId: value('CAMUNDA_DEFAULT_TENANT_ID') ?? null };
}

function isValidationSetting(raw: string): boolean {
  const mode = /^(none|warn|strict|fanatical)$/;
  if (mode.test(raw)) return true;
  const parts = raw.split(',').map((p) => p.trim());
  return parts.every((p) => /^(req|res):(none|warn|strict|fanatical)$/.test(p));
}
