// Which monitoring add-ons a stack gets and what each waits for: Monitoring when
// `prometheus.enabled`, Grafana when `grafana.enabled`, Autoscaling when `autoscaling.enabled`.
// Turning one off removes exactly its resources and outputs.
import * as pulumi from "@pulumi/pulumi";
import { ClusterTarget } from "../../components/cluster/target";
import { Autoscaling, Grafana, Monitoring, prometheusUrl } from "../../components/monitoring";
import { gatewayNamespace, gatewaySelectorLabels } from "../../components/mesh/charts";
import { ServingEndpoints } from "../../components/torchserve/endpoints";
import { GrafanaSettings, PrometheusSettings, Settings } from "../config/settings";

/** Outputs the monitoring add-ons contribute to the stack (names from docs/architecture.md, Stack outputs). */
export interface MonitoringOutputs {
    grafanaUrl?: pulumi.Output<string>;
    grafanaAdminPassword?: pulumi.Output<string>;
}

export interface MonitoringStackArgs {
    /** Validated settings; reads prometheus, grafana, autoscaling and gpuNodePool. */
    settings: Pick<Settings, "prometheus" | "grafana" | "autoscaling" | "gpuNodePool" | "istio" | "alertReceivers">;
    /** The cluster: provider, placements and what workloads wait for. */
    cluster: Pick<
        ClusterTarget,
        | "provider"
        | "systemPlacement"
        | "gpuPlacement"
        | "systemReady"
        | "blockStorageClassName"
        | "blockVolume"
        | "nvidiaDriverHostPath"
        | "clusterDns"
    >;
    /** TorchServe's endpoints (servingEndpoints(settings.torchserve)): scraped, charted and scaled. */
    serving: ServingEndpoints;
    /** The TorchServe component (the ScaledObject waits for its namespace and Deployment). */
    torchServe?: pulumi.Resource;
    /** In-cluster URL of the stack's Loki, when it has one (Grafana's logs datasource). */
    lokiUrl?: string;
    /** The cloud's annotations of LoadBalancer Services (ClusterTarget.loadBalancerAnnotations). */
    loadBalancerAnnotations?: Record<string, string>;
    /** Parent of the components (e.g. a platform component); the stack when absent. */
    parent?: pulumi.Resource;
}

/** Datasource URL for Grafana: the stack's Prometheus when on, else the configured one. */
export function grafanaDatasourceUrl(prometheus: PrometheusSettings, grafana: GrafanaSettings): string {
    if (prometheus.enabled) return prometheusUrl(prometheus.namespace);
    if (!grafana.prometheusUrl) throw new Error("grafana.prometheusUrl is required when prometheus is disabled");
    return grafana.prometheusUrl;
}

/**
 * Creates what settings enable. Prometheus and Grafana wait for the system nodes only, so they
 * install while TorchServe does; Autoscaling requires Prometheus (which the config parser
 * validates) and its ScaledObject waits for TorchServe.
 */
export function createMonitoringStack(a: MonitoringStackArgs): {
    monitoring?: Monitoring;
    grafana?: Grafana;
    autoscaling?: Autoscaling;
    outputs: MonitoringOutputs;
} {
    const { settings: s, cluster, serving } = a;
    const opts = { ...(a.parent ? { parent: a.parent } : {}), provider: cluster.provider };
    const pool = s.gpuNodePool;
    const monitoring = s.prometheus.enabled
        ? new Monitoring(
              "monitoring",
              {
                  prometheus: s.prometheus,
                  serving,
                  systemPlacement: cluster.systemPlacement,
                  storageClassName: cluster.blockStorageClassName,
                  volume: cluster.blockVolume?.(`${s.prometheus.namespace}-prometheus`, s.prometheus.storageSize),
                  alertReceivers: s.alertReceivers,
                  clusterDns: cluster.clusterDns,
                  gpuPool: pool
                      ? {
                            placement: cluster.gpuPlacement,
                            minNodes: pool.minNodes,
                            nvidiaDriverHostPath: cluster.nvidiaDriverHostPath,
                        }
                      : undefined,
              },
              { ...opts, dependsOn: cluster.systemReady },
          )
        : undefined;
    const grafana = s.grafana.enabled
        ? new Grafana(
              "grafana",
              {
                  grafana: s.grafana,
                  namespace: s.prometheus.namespace,
                  prometheusUrl: grafanaDatasourceUrl(s.prometheus, s.grafana),
                  lokiUrl: a.lokiUrl,
                  serving,
                  systemPlacement: cluster.systemPlacement,
                  // Prometheus's release creates the namespace they share.
                  namespaceCreator: monitoring?.release,
                  loadBalancerAnnotations: a.loadBalancerAnnotations,
              },
              { ...opts, dependsOn: cluster.systemReady },
          )
        : undefined;
    let autoscaling: Autoscaling | undefined;
    if (s.autoscaling.enabled) {
        if (!monitoring)
            throw new Error(
                "autoscaling.enabled requires prometheus.enabled (KEDA's triggers read the in-cluster Prometheus)",
            );
        autoscaling = new Autoscaling(
            "autoscaling",
            {
                autoscaling: s.autoscaling,
                prometheusNamespace: s.prometheus.namespace,
                serving,
                systemPlacement: cluster.systemPlacement,
                // The mesh gateway counts requests even while no TorchServe pod runs.
                wakeUp: s.istio.enabled
                    ? { namespace: gatewayNamespace, podLabels: gatewaySelectorLabels() }
                    : undefined,
            },
            {
                ...opts,
                // Prometheus's release only: KEDA needs nothing of dcgm-exporter or the rules.
                dependsOn: [...cluster.systemReady, monitoring.release],
                workloadDependsOn: a.torchServe ? [a.torchServe] : [],
            },
        );
    }
    const outputs: MonitoringOutputs = {};
    if (grafana) {
        outputs.grafanaUrl = grafana.url;
        outputs.grafanaAdminPassword = grafana.adminPassword;
    }
    return { monitoring, grafana, autoscaling, outputs };
}
