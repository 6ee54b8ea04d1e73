// Monitoring: kube-prometheus-stack (Prometheus, operator, Alertmanager, kube-state-metrics), the
// TorchServe PodMonitor, alert rules, and dcgm-exporter where there are GPUs.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Placement } from "../cluster/target";
import * as conventions from "../torchserve/conventions";
import { GpuNodePoolSettings, PrometheusSettings } from "../../stacks/config/settings";
import { charts, podMonitorJob, prometheusUrl, releaseNames, torchServePodMonitorName } from "./charts";
import { alertRules, AlertRule } from "./queries";
import { pinnedRelease } from "./release";
import { dcgmExporterValues, kubePrometheusStackValues } from "./values";
import { aliasPreviousType } from "../cluster/typeToken";

export interface MonitoringArgs {
    /** Provider of the target cluster; every object is created through it. */
    provider: k8s.Provider;
    /** `settings.prometheus`: retention, storage size and the namespace of the stack. */
    prometheus: PrometheusSettings;
    /** `settings.gpuNodePool`; absent = no GPU pool: no dcgm-exporter and no GPU alerts. */
    gpuNodePool?: GpuNodePoolSettings;
    /** Where Prometheus, the operator, Alertmanager and kube-state-metrics run (system pool). */
    systemPlacement: Placement;
    /** StorageClass of Prometheus's volume (ClusterTarget.blockStorageClassName); undefined = the cluster's default. */
    storageClassName?: pulumi.Input<string>;
    /** Where dcgm-exporter runs: the GPU pool, its taint tolerated. */
    gpuPlacement: Placement;
    /** ClusterTarget.nvidiaDriverHostPath: host driver directory dcgm-exporter mounts (GKE); absent = none. */
    nvidiaDriverHostPath?: string;
    /** Namespace TorchServe runs in; scraped and alerted on. */
    torchServeNamespace: string;
    /** Alert when mean queue latency per request stays above this many ms. Default 1000. */
    queueLatencyAlertMs?: number;
    /** What the releases wait for: the cluster being usable (ClusterTarget.systemReady). */
    dependsOn?: pulumi.Resource[];
}

/** Prometheus (kube-prometheus-stack), TorchServe's PodMonitor and alerts, GPU metrics. */
export class Monitoring extends pulumi.ComponentResource {
    /** Namespace of the monitoring stack. */
    readonly namespace: pulumi.Output<string>;
    /** In-cluster URL of Prometheus (for Grafana, prometheus-adapter). */
    readonly prometheusUrl: pulumi.Output<string>;
    readonly release: k8s.helm.v3.Release;
    readonly podMonitor: k8s.apiextensions.CustomResource;
    readonly alertRules: k8s.apiextensions.CustomResource;
    /** dcgm-exporter; only when the cluster has a GPU pool. */
    readonly dcgmExporter?: k8s.helm.v3.Release;

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super(
            "torchserve-platform:index:Monitoring",
            name,
            {},
            aliasPreviousType(opts, "torchserve-platform:monitoring:Monitoring"),
        );
        const ns = args.prometheus.namespace;
        const childOpts = { parent: this, provider: args.provider };

        this.release = pinnedRelease(
            releaseNames.kubePrometheusStack,
            charts.kubePrometheusStack,
            ns,
            kubePrometheusStackValues(args.prometheus, args.systemPlacement, args.storageClassName),
            { ...childOpts, dependsOn: args.dependsOn ?? [] },
        );
        // Custom resources need the CRDs the release installs.
        const crdOpts = { ...childOpts, dependsOn: [this.release] };

        this.podMonitor = new k8s.apiextensions.CustomResource(
            `${name}-torchserve-podmonitor`,
            {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "PodMonitor",
                ...torchServePodMonitor(ns, args.torchServeNamespace),
            },
            crdOpts,
        );

        const rules = alertRules({
            torchServeNamespace: args.torchServeNamespace,
            deploymentName: conventions.stableDeploymentName,
            scrapeJob: podMonitorJob(ns),
            queueLatencyAlertMs: args.queueLatencyAlertMs ?? 1000,
            errorRatio: 0.05,
            expectedGpuNodes: args.gpuNodePool?.minNodes,
            gpuMemoryRatio: 0.95,
        });
        this.alertRules = new k8s.apiextensions.CustomResource(
            `${name}-alert-rules`,
            { apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", ...prometheusRule(ns, rules) },
            crdOpts,
        );

        if (args.gpuNodePool) {
            this.dcgmExporter = pinnedRelease(
                releaseNames.dcgmExporter,
                charts.dcgmExporter,
                ns,
                dcgmExporterValues(args.gpuPlacement, args.nvidiaDriverHostPath),
                // Its ServiceMonitor needs the CRDs.
                crdOpts,
            );
        }

        this.namespace = pulumi.output(this.release.status).apply(() => ns);
        this.prometheusUrl = pulumi.output(this.release.status).apply(() => prometheusUrl(ns));
        this.registerOutputs({ namespace: this.namespace, prometheusUrl: this.prometheusUrl });
    }
}

/** metadata + spec of the PodMonitor scraping every TorchServe pod (stable and canary) on its metrics port. */
export function torchServePodMonitor(monitorNamespace: string, torchServeNamespace: string) {
    return {
        metadata: { name: torchServePodMonitorName, namespace: monitorNamespace },
        spec: {
            namespaceSelector: { matchNames: [torchServeNamespace] },
            selector: { matchLabels: { ...conventions.podLabels } },
            podMetricsEndpoints: [{ port: conventions.portNames.metrics, path: "/metrics", interval: "15s" }],
        },
    };
}

/** metadata + spec of the PrometheusRule holding the alerts. */
export function prometheusRule(namespace: string, rules: AlertRule[]) {
    return {
        metadata: { name: "torchserve-alerts", namespace },
        spec: { groups: [{ name: "torchserve", rules }] },
    };
}
