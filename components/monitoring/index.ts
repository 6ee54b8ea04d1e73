// Metrics, dashboards and autoscaling for TorchServe: three components the stack installs side by
// side (which of them, and what each waits for, is the stack's decision: stacks/addons/monitoring.ts).
//
//   Monitoring   kube-prometheus-stack (Prometheus, operator, Alertmanager, kube-state-metrics),
//                the TorchServe PodMonitor, alert rules, and dcgm-exporter where there are GPUs.
//   Grafana      Grafana with the Prometheus datasource and the TorchServe dashboard.
//   Autoscaling  KEDA and a ScaledObject on TorchServe's request rate (REST and gRPC).
//
// One file per component (prometheus.ts, grafana.ts, autoscaling.ts); this module re-exports them
// with their specs and pure builders.
export * from "./spec";
export * from "./charts";
export * from "./queries";
export * from "./values";
export * from "./dashboard";
export * from "./prometheus";
export * from "./grafana";
export * from "./autoscaling";
export * from "./alerting";
