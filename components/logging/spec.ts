// What the logging components are asked for. The stack's `logging` config section is this plus
// whether logs are collected at all and where (stacks/config).

/** Where a stack's logs go: the cloud's own sink, or Loki in the cluster. */
export const LoggingBackend = {
    /** CloudWatch (EKS), Azure Monitor Logs (AKS), Cloud Logging (GKE). */
    Cloud: "cloud",
    /** Loki and a log shipper DaemonSet in the cluster, queried from Grafana. */
    Loki: "loki",
} as const;
export type LoggingBackend = (typeof LoggingBackend)[keyof typeof LoggingBackend];

/** Loki in single-binary mode: how long it keeps logs and how much disk it gets. */
export interface LokiSpec {
    /** Days Loki keeps log lines; its compactor deletes older chunks. */
    retentionDays: number;
    /** PersistentVolume size for Loki's chunks and index. */
    storageSize: string;
    /** Namespace of Loki and the log shipper. */
    namespace: string;
}

/** Namespace Loki and the shipper run in. */
export const loggingNamespace = "logging";

/** The cloud's own log sink, as a cluster component sets it up (backend `cloud`). */
export interface CloudLogsSpec {
    /** Days the sink keeps log entries (CloudWatch log groups, the Log Analytics workspace). */
    retentionDays: number;
}
