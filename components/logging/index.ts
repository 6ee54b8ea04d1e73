// Logs: Loki and its shipper in the cluster (loki.ts), the TorchServe access-log parser they share
// with the README's queries (accessLog.ts), and the cloud sinks' facts (components/{eks,aks}/logging.ts).
export * from "./spec";
export * from "./accessLog";
export * from "./alloy";
export * from "./charts";
export * from "./values";
export * from "./loki";
