/** Every table of the store, for drizzle's query builder. */
export { apiKeys } from './api-keys.ts';
export { organizations } from './organizations.ts';
export { projects } from './projects.ts';
export { spans } from './spans.ts';
export { usageLimits } from './usage-limits.ts';
