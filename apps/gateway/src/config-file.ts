/** The route endpoint kind, for gateway modules that import it from here (`invoke/`). */
export type { EndpointKind } from '@to11/config';
