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
}

export function createCamundaClient(config: CamundaClientConfig, options: ClientOptions = {}): CamundaClient {
  const client = sdk(config, options).getOrchestrationClusterApiClient({}, { cached: false });
  if (options.validation) client.configure({ config: { CAMUNDA_SDK_VALIDATION: options.validation } });
  return client;
}

export function createLooseCamundaClient(
  config: CamundaClientConfig,
  options: ClientOptions = {},
): LooseCamundaClient {
  const client = sdk(config, options).getOrchestrationClusterApiClientLoose({}, { cached: false });
  if (options.validation) client.configure({ config: { CAMUNDA_SDK_VALIDATION: options.validation } });
  return client;
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
