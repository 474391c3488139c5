/**
 * The IPC messages between the gateway's cluster primary and its workers (`main.ts` with
 * `TO11_GATEWAY_WORKERS` above 1). Metrics: a scrape of `/metrics` lands on one worker, which
 * asks the primary for the sum of every worker's metrics. Reloads: the primary validates a new
 * `to11.toml` (SIGHUP or file change) and tells every worker to load it. Failed authentications
 * (without Redis): a worker sends the addresses of its failures, the primary passes them to the
 * other workers, so the limit per address holds for the whole cluster.
 */
import type { AuthFailureCounts } from '@to11/store/auth-failure-sharing';
import type { MetricSnapshot } from '../telemetry/prometheus.ts';

/** Worker → primary: "send me the cluster's metrics" (a scrape arrived on this worker). */
export interface CollectRequest {
  to11: 'metrics:collect';
  id: number;
}

/** Primary → every worker: "send me your metrics"; worker → primary: the answer. */
export interface SnapshotRequest {
  to11: 'metrics:snapshot';
  id: number;
}
export interface SnapshotReply {
  to11: 'metrics:snapshot';
  id: number;
  metrics: MetricSnapshot[];
}

/** Primary → the asking worker: the merged metrics of the workers that answered in time. */
export interface CollectReply {
  to11: 'metrics:merged';
  id: number;
  metrics: MetricSnapshot[];
}

/** Primary → every worker: "load to11.toml again"; `id` is the generation it becomes. */
export interface ConfigReload {
  to11: 'config:reload';
  id: number;
}

/** Worker → primary → every other worker: failed authentications per address (`id` unused). */
export interface AuthFailures {
  to11: 'auth:failures';
  id: number;
  failures: AuthFailureCounts;
}

export type ClusterMessage =
  | CollectRequest
  | SnapshotRequest
  | SnapshotReply
  | CollectReply
  | ConfigReload
  | AuthFailures;

/** Whether `message` is one of ours (cluster and other libraries send their own). */
export function isClusterMessage(message: unknown): message is ClusterMessage {
  return (
    typeof message === 'object' &&
    message !== null &&
    'to11' in message &&
    typeof message.to11 === 'string' &&
    (message.to11.startsWith('metrics:') ||
      message.to11 === 'config:reload' ||
      message.to11 === 'auth:failures') &&
    'id' in message &&
    typeof message.id === 'number'
  );
}
