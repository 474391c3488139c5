export type { CollectorConfig } from './config.ts';
export { loadCollectorConfig } from './config.ts';
export type { RunningCollector, StartCollectorOptions } from './start-collector.ts';
export { startCollector } from './start-collector.ts';
export type { TokenSecretOptions } from './token-secret.ts';
export { resolveTokenSecret } from './token-secret.ts';
