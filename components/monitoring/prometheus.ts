// Monitoring: kube-prometheus-stack (Prometheus, operator, Alertmanager, kube-state-metrics), the
// TorchServe PodMonitor, alert rules, and dcgm-exporter where there are GPUs.
import {
    AlertReceiversSpec,
    alertmanagerConfig,
    alertmanagerConfigKey,
    alertmanagerConfigSecretName,
    hasReceivers,
} from "./alerting";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Placement } from "../cluster/kubernetes";
import { allDependsOn, splitDependsOn } from "../cluster/options";
import type { ServingEndpoints } from "../torchserve/endpoints";
import { charts, podMonitorJob, prometheusUrl, releaseNames, torchServePodMonitorName } from "./charts";
import { alertRules, AlertRule, trackMetricLabel } from "./queries";
import { pinnedRelease } from "./release";
import { PrometheusSpec } from "./spec";
import { dcgmExporterValues, kubePrometheusStackValues } from "./values";
import { aliasPreviousType } from "../cluster/typeToken";
import { ClusterDns } from "../cluster/target";
import type { OwnedBlockVolume } from "../cluster/storage";

/** The GPU pool, whose GPUs dcgm-exporter reports. */
export interface MonitoredGpuPool {
    /** Where dcgm-exporter runs: the GPU pool, its taint tolerated. */
    placement: Placement;
    /** GPU nodes the pool keeps at least (its minimum); fewer reporting GPUs raises an alert. */
    minNodes: number;
    /** ClusterTarget.nvidiaDriverHostPath: host driver directory dcgm-exporter mounts (GKE); absent = none. */
    nvidiaDriverHostPath?: string;
}

export interface MonitoringArgs {
    /** Retention, storage size and the namespace of the stack. */
    prometheus: PrometheusSpec;
    /** TorchServe's endpoints: scraped (PodMonitor) and alerted on. */
    serving: ServingEndpoints;
    /** Where Prometheus, the operator, Alertmanager and kube-state-metrics run (system pool). */
    systemPlacement: Placement;
    /** StorageClass of Prometheus's volume (ClusterTarget.blockStorageClassName); undefined = the cluster's default. */
    storageClassName?: pulumi.Input<string>;
    /**
     * A volume the program owns for Prometheus (ClusterTarget.blockVolume): its claim selects it and is
     * deleted with the StatefulSet, and the release waits for it, so `pulumi destroy` deletes the
     * release, then the volume. Absent = a claim provisioned from `storageClassName`, which outlives
     * the destroy.
     */
    volume?: OwnedBlockVolume;
    /** The GPU pool; absent = none: no dcgm-exporter and no GPU alerts. */
    gpuPool?: MonitoredGpuPool;
    /** The cluster's DNS server, whose metrics Prometheus scrapes (ClusterTarget.clusterDns). @default coredns */
    clusterDns?: ClusterDns;
    /**
     * Alert when mean queue latency per request stays above this many ms.
     * @default 1000
     */
    queueLatencyAlertMs?: number;
    /** Where alerts go; absent or empty = Alertmanager keeps the chart's receiver-less configuration. */
    alertReceivers?: AlertReceiversSpec;
}

/** Prometheus (kube-prometheus-stack), TorchServe's PodMonitor and alerts, GPU metrics. */
export class Monitoring extends pulumi.ComponentResource {
    /** Namespace of the monitoring stack. */
    readonly namespace: pulumi.Output<string>;
    /** In-cluster URL of Prometheus (for Grafana, KEDA). */
    readonly prometheusUrl: pulumi.Output<string>;
    /** kube-prometheus-stack (with the CRDs); what Prometheus's clients wait for. */
    readonly release: k8s.helm.v3.Release;
    /** dcgm-exporter; only when the cluster has a GPU pool. */
    readonly dcgmExporter?: k8s.helm.v3.Release;

    /**
     * `opts.provider` is the target cluster's Kubernetes provider; `opts.dependsOn` is what the
     * releases wait for (the cluster being usable: ClusterTarget.systemReady).
     */
    constructor(name: string, args: MonitoringArgs, options?: pulumi.ComponentResourceOptions) {
        const { own: opts, dependsOn } = splitDependsOn(options);
        super(
            "torchserve-platform:index:Monitoring",
            name,
            {},
            aliasPreviousType(opts, "torchserve-platform:monitoring:Monitoring"),
        );
        const ns = args.prometheus.namespace;
        const childOpts = { parent: this };

        this.release = pinnedRelease(
            releaseNames.kubePrometheusStack,
            charts.kubePrometheusStack,
            ns,
            kubePrometheusStackValues(
                args.prometheus,
                args.systemPlacement,
                args.storageClassName,
                hasReceivers(args.alertReceivers),
                args.clusterDns,
                args.volume,
            ),
            { ...childOpts, dependsOn: allDependsOn(dependsOn, args.volume ? [args.volume.volume] : []) },
        );
        // Custom resources need the CRDs the release installs.
        const crdOpts = { ...childOpts, dependsOn: [this.release] };

        if (hasReceivers(args.alertReceivers)) {
            // The receivers' URLs and keys are credentials: a Secret only, its data a Pulumi secret.
            new k8s.core.v1.Secret(
                `${name}-alertmanager-config`,
                {
                    metadata: { name: alertmanagerConfigSecretName, namespace: ns },
                    stringData: {
                        // JSON is YAML: no YAML library in the program's dependencies.
                        [alertmanagerConfigKey]: pulumi.secret(
                            JSON.stringify(alertmanagerConfig(args.alertReceivers), null, 2),
                        ),
                    },
                },
                // The release creates the namespace.
                crdOpts,
            );
        }

        // The PodMonitor and PrometheusRule are children only: their class (CustomResource) has no
        // fixed type token, so the component analyzer cannot describe them as outputs.
        new k8s.apiextensions.CustomResource(
            `${name}-torchserve-podmonitor`,
            {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "PodMonitor",
                ...torchServePodMonitor(ns, args.serving),
            },
            crdOpts,
        );

        new k8s.apiextensions.CustomResource(
            `${name}-alert-rules`,
            {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "PrometheusRule",
                ...prometheusRule(ns, monitoringAlertRules(args)),
            },
            crdOpts,
        );

        if (args.gpuPool) {
            this.dcgmExporter = pinnedRelease(
                releaseNames.dcgmExporter,
                charts.dcgmExporter,
                ns,
                dcgmExporterValues(args.gpuPool.placement, args.gpuPool.nvidiaDriverHostPath),
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
export function torchServePodMonitor(monitorNamespace: string, serving: ServingEndpoints) {
    return {
        metadata: { name: torchServePodMonitorName, namespace: monitorNamespace },
        spec: {
            namespaceSelector: { matchNames: [serving.namespace] },
            selector: { matchLabels: { ...serving.podLabels } },
            podMetricsEndpoints: [
                {
                    port: serving.portNames.metrics,
                    path: "/metrics",
                    interval: "15s",
                    // Every series gets the pod's track, so stable and canary can be told apart.
                    relabelings: [
                        {
                            sourceLabels: [podLabelMetaName(serving.trackLabel)],
                            targetLabel: trackMetricLabel,
                            action: "replace",
                        },
                    ],
                },
            ],
        },
    };
}

/** Prometheus's Kubernetes discovery label for pod label `key` (non-alphanumerics become `_`). */
export function podLabelMetaName(key: string): string {
    return `__meta_kubernetes_pod_label_${key.replace(/[^a-zA-Z0-9_]/g, "_")}`;
}

/** The alerts Monitoring ships: TorchServe's, and the GPU pool's when there is one. */
export function monitoringAlertRules(
    args: Pick<MonitoringArgs, "prometheus" | "serving" | "gpuPool" | "queueLatencyAlertMs">,
): AlertRule[] {
    return alertRules({
        torchServeNamespace: args.serving.namespace,
        deploymentName: args.serving.stable.deploymentName,
        scrapeJob: podMonitorJob(args.prometheus.namespace),
        queueLatencyAlertMs: args.queueLatencyAlertMs ?? 1000,
        errorRatio: 0.05,
        expectedGpuNodes: args.gpuPool?.minNodes,
        gpuMemoryRatio: 0.95,
        startupBudgetSeconds: args.serving.startupBudgetSeconds,
        progressDeadlineSeconds: args.serving.progressDeadlineSeconds,
    });
}

/** metadata + spec of the PrometheusRule holding the alerts. */
export function prometheusRule(namespace: string, rules: AlertRule[]) {
    return {
        metadata: { name: "torchserve-alerts", namespace },
        spec: { groups: [{ name: "torchserve", rules }] },
    };
}
