export { API_KEY_PATTERN, bootstrapEnvSchema } from './api-key.ts';
export { cliEnvSchema, DEFAULT_CLI_URL, DEMO_ON_VALUES } from './cli-env.ts';
export { type CollectorEnv, collectorEnvSchema } from './collector-env.ts';
export {
  ConfigError,
  type ConfigIssue,
  type ConfigResult,
  formatIssue,
  issuesFromZod,
  keyOf,
  throwIfAny,
} from './config-error.ts';
export {
  envRows,
  renderConfigTable,
  replaceConfigTable,
  type SettingRow,
  TABLE_END,
  TABLE_START,
  tomlRows,
} from './config-table.ts';
export {
  type ExportEnv,
  type ExportTarget,
  exportEnvSchema,
  type ForwardSettings,
  forwardSettings,
} from './export-env.ts';
export { type ExportSection, exportTomlSchema } from './export-toml.ts';
export {
  BOOLEAN_FLAGS,
  flagIsOn,
  GATEWAY_DEFAULTS,
  type GatewayEnv,
  gatewayEnvSchema,
  MAX_GATEWAY_WORKERS,
} from './gateway-env.ts';
export {
  cacheSchema,
  GUARDRAIL_ACTIONS,
  type GuardrailAction,
  guardrailsSchema,
  PII_DETECTORS,
  type PiiDetector,
  SEMANTIC_SCOPES,
  SEMANTIC_STORES,
  type SemanticScope,
  type SemanticStoreChoice,
} from './guardrails-cache-schema.ts';
export { LIMIT_FAILURE_MODES, type LimitDefaultsSection } from './limits-toml.ts';
export { LOG_LEVELS, type LogLevel, loggingEnvSchema } from './logging-env.ts';
export { type Env, parseEnv, presentEnv } from './parse-env.ts';
export { parseConfigFile, readConfigFile } from './read-config-file.ts';
export {
  closeTimedOutConnectionsAfterPoll,
  DEFAULT_SERVER_SETTINGS,
  nodeServerOptions,
  SERVER_DEFAULTS,
  type ServerEnv,
  type ServerSettings,
  serverEnvSchema,
  serverSettings,
} from './server-env.ts';
export {
  type RedisTarget,
  redisTargetOf,
  type SharedStateEnv,
  sharedStateEnvSchema,
} from './shared-state-env.ts';
export {
  DEFAULT_DATA_DIR,
  EMBEDDED_ENGINES,
  type StoreEnv,
  storeEnvSchema,
} from './store-env.ts';
export {
  type ConfigFile,
  configFileSchema,
  ENDPOINT_KINDS,
  type EndpointKind,
  type EnvironmentSection,
  type FunctionSection,
  type ProviderSection,
  ROUTING_STRATEGIES,
  type RouteSection,
  type RoutingStrategy,
  type TargetSection,
} from './toml-schema.ts';
