export { createApp, createAppDeps } from './app.ts';
export { loadGatewayConfig } from './config.ts';
export { ConfigReloader, type ReloadResult } from './config-reload.ts';
export type {
  GatewayConfig,
  ProviderSettings,
  RetryPolicy,
  RouteSettings,
  RoutingView,
  StepSettings,
  TargetSettings,
} from './config-types.ts';
export type { AppDeps, AppEnv } from './env.ts';
export { type ErrorCode, GatewayError, statusFor } from './errors.ts';
export { createGatewayLogger } from './logger.ts';
export { type StartedGateway, startGateway } from './start-gateway.ts';
