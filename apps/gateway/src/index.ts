export { createApp, createAppDeps } from './app.ts';
export { loadGatewayConfig } from './config.ts';
export type {
  GatewayConfig,
  ProviderSettings,
  RetryPolicy,
  RouteSettings,
  TargetSettings,
} from './config-types.ts';
export type { AppDeps, AppEnv } from './env.ts';
export { type ErrorCode, GatewayError, statusFor } from './errors.ts';
export { createGatewayLogger } from './logger.ts';
export { type StartedGateway, startGateway } from './start-gateway.ts';
