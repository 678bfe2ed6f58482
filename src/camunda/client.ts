// The one way this project builds a Camunda 8 client: the official SDK's orchestration-cluster (REST v2)
// client, pointed at whatever Camunda the configuration names — real Camunda 8 or the embedded engine's /v2.
import { Camunda8 } from '@camunda8/sdk';
import type { CamundaClientConfig } from './config.ts';

export type CamundaClient = ReturnType<Camunda8['getOrchestrationClusterApiClient']>;
/** The same client with plain-string keys instead of branded ones (tests, scripts). */
export type LooseCamundaClient = ReturnType<Camunda8['getOrchestrationClusterApiClientLoose']>;

export interface ClientOptions {
  /** CAMUNDA_SDK_VALIDATION for this client (e.g. 'req:strict,res:strict'); default: the environment's. */
  validation?: string;
  /** SDK log level (CAMUNDA_LOG_LEVEL names: none, error, warn, info, debug). */
  logLevel?: 'none' | 'error' | 'warn' | 'info' | 'debug';
  /** The client's fetch (default: the global one): in-process-fetch.ts when the API is served by this process. */
  fetch?: typeof fetch;
}

/** The options that are set on a client after it is made (the SDK's factory takes neither). */
function configured<C extends { configure(next: object): void }>(client: C, options: ClientOptions): C {
  const next = {
    ...(options.validation ? { config: { CAMUNDA_SDK_VALIDATION: options.validation } } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  if (Object.keys(next).length > 0) client.configure(next);
  return client;
}

export function createCamundaClient(config: CamundaClientConfig, options: ClientOptions = {}): CamundaClient {
  return configured(sdk(config, options).getOrchestrationClusterApiClient({}, { cached: false }), options);
}

export function createLooseCamundaClient(
  config: CamundaClientConfig,
  options: ClientOptions = {},
): LooseCamundaClient {
  return configured(
    sdk(config, options).getOrchestrationClusterApiClientLoose({}, { cached: false }),
    options,
  );
}

function sdk(config: CamundaClientConfig, options: ClientOptions): Camunda8 {
  // @camunda8/sdk translates its own configuration names into the orchestration client's; the REST
  // address must be passed as ZEEBE_REST_ADDRESS or the SDK falls back to http://localhost:8080.
  const sdkConfig: Record<string, string> = {
    ZEEBE_REST_ADDRESS: config.restAddress,
    CAMUNDA_AUTH_STRATEGY: config.auth.strategy,
    CAMUNDA_LOG_LEVEL: options.logLevel ?? 'error',
  };
  if (config.auth.strategy === 'BASIC') {
    sdkConfig.CAMUNDA_BASIC_AUTH_USERNAME = config.auth.username;
    sdkConfig.CAMUNDA_BASIC_AUTH_PASSWORD = config.auth.password;
  } else if (config.auth.strategy === 'OAUTH') {
    sdkConfig.ZEEBE_CLIENT_ID = config.auth.clientId;
    sdkConfig.ZEEBE_CLIENT_SECRET = config.auth.clientSecret;
    sdkConfig.CAMUNDA_OAUTH_URL = config.auth.oauthUrl;
    if (config.auth.audience) sdkConfig.ZEEBE_TOKEN_AUDIENCE = config.auth.audience;
  }
  if (config.tenantId) sdkConfig.CAMUNDA_TENANT_ID = config.tenantId;
  return new Camunda8(sdkConfig as ConstructorParameters<typeof Camunda8>[0]);
}
