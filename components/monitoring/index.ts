// Metrics, dashboards and autoscaling for TorchServe: three components the platform composes
// according to settings.prometheus / settings.grafana / settings.autoscaling.
//
//   Monitoring   kube-prometheus-stack (Prometheus, operator, Alertmanager, kube-state-metrics),
//                the TorchServe PodMonitor, alert rules, and dcgm-exporter where there are GPUs.
//   Grafana      Grafana with the Prometheus datasource and the TorchServe dashboard.
//   Autoscaling  prometheus-adapter serving queue latency per request, and the HPA on it.
//
// One file per component (prometheus.ts, grafana.ts, autoscaling.ts); this module re-exports them
// with the pure builders and composes them from settings.
import * as pulumi from "@pulumi/pulumi";
import { ClusterTarget } from "../cluster/target";
import { Settings } from "../../stacks/config/settings";
import { Autoscaling } from "./autoscaling";
import { Grafana, grafanaDatasourceUrl } from "./grafana";
import { Monitoring } from "./prometheus";

export * from "./charts";
export * from "./queries";
export * from "./values";
export * from "./dashboard";
export * from "./prometheus";
export * from "./grafana";
export * from "./autoscaling";

/** Outputs the monitoring add-ons contribute to the stack (names from DESIGN.md). */
export interface MonitoringOutputs {
    grafanaUrl?: pulumi.Output<string>;
    grafanaAdminPassword?: pulumi.Output<string>;
}

export interface MonitoringStackArgs {
    /** Validated settings; reads prometheus, grafana, autoscaling, gpuNodePool, torchserve.namespace. */
    settings: Settings;
    /** The cluster: provider, placements and what workloads wait for. */
    cluster: Pick<
        ClusterTarget,
        | "provider"
        | "systemPlacement"
        | "gpuPlacement"
        | "systemReady"
        | "blockStorageClassName"
        | "nvidiaDriverHostPath"
    >;
    /** The TorchServe component (the HPA waits for its namespace and Deployment). */
    torchServe?: pulumi.Resource;
    /** Parent of the components (e.g. a platform component); the stack when absent. */
    parent?: pulumi.Resource;
}

/**
 * Creates what settings enable: Monitoring when `prometheus.enabled`, Grafana when
 * `grafana.enabled`, Autoscaling when `autoscaling.enabled` (requires Prometheus, which the config
 * parser validates). Turning one off removes exactly its resources and outputs.
 */
export function createMonitoringStack(a: MonitoringStackArgs): {
    monitoring?: Monitoring;
    grafana?: Grafana;
    autoscaling?: Autoscaling;
    outputs: MonitoringOutputs;
} {
    const { settings: s, cluster } = a;
    const opts = a.parent ? { parent: a.parent } : undefined;
    const torchServeNamespace = s.torchserve.namespace;
    const monitoring = s.prometheus.enabled
        ? new Monitoring(
              "monitoring",
              {
                  provider: cluster.provider,
                  prometheus: s.prometheus,
                  gpuNodePool: s.gpuNodePool,
                  systemPlacement: cluster.systemPlacement,
                  gpuPlacement: cluster.gpuPlacement,
                  nvidiaDriverHostPath: cluster.nvidiaDriverHostPath,
                  storageClassName: cluster.blockStorageClassName,
                  torchServeNamespace,
                  dependsOn: cluster.systemReady,
              },
              opts,
          )
        : undefined;
    const grafana = s.grafana.enabled
        ? new Grafana(
              "grafana",
              {
                  provider: cluster.provider,
                  grafana: s.grafana,
                  namespace: s.prometheus.namespace,
                  prometheusUrl: grafanaDatasourceUrl(s.prometheus, s.grafana),
                  torchServeNamespace,
                  systemPlacement: cluster.systemPlacement,
                  dependsOn: cluster.systemReady,
              },
              opts,
          )
        : undefined;
    let autoscaling: Autoscaling | undefined;
    if (s.autoscaling.enabled) {
        if (!monitoring)
            throw new Error(
                "autoscaling.enabled requires prometheus.enabled (the adapter reads the in-cluster Prometheus)",
            );
        autoscaling = new Autoscaling(
            "autoscaling",
            {
                provider: cluster.provider,
                autoscaling: s.autoscaling,
                prometheusNamespace: s.prometheus.namespace,
                torchServeNamespace,
                systemPlacement: cluster.systemPlacement,
                // Prometheus's release only: the adapter needs nothing of dcgm-exporter or the rules.
                dependsOn: [...cluster.systemReady, monitoring.release],
                workloadDependsOn: a.torchServe ? [a.torchServe] : [],
            },
            opts,
        );
    }
    const outputs: MonitoringOutputs = {};
    if (grafana) {
        outputs.grafanaUrl = grafana.url;
        outputs.grafanaAdminPassword = grafana.adminPassword;
    }
    return { monitoring, grafana, autoscaling, outputs };
}
