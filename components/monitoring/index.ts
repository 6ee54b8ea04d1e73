// Metrics, dashboards and autoscaling for TorchServe: three components the platform composes
// according to settings.prometheus / settings.grafana / settings.autoscaling.
//
//   Monitoring   kube-prometheus-stack (Prometheus, operator, Alertmanager, kube-state-metrics),
//                the TorchServe PodMonitor, alert rules, and dcgm-exporter where there are GPUs.
//   Grafana      Grafana with the Prometheus datasource and the TorchServe dashboard.
//   Autoscaling  prometheus-adapter serving queue latency per request, and the HPA on it.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ClusterTarget, Placement } from "../cluster/target";
import * as conventions from "../torchserve/conventions";
import {
    AutoscalingSettings,
    GpuNodePoolSettings,
    GrafanaSettings,
    PrometheusSettings,
    Settings,
} from "../../stacks/config/settings";
import {
    charts,
    grafanaServiceName,
    PinnedChart,
    podMonitorJob,
    prometheusUrl,
    releaseNames,
    torchServePodMonitorName,
} from "./charts";
import { torchServeDashboard } from "./dashboard";
import {
    alertRules,
    AlertRule,
    latencyTargetQuantity,
    queueLatencyAdapterRule,
    queueLatencyMetricName,
} from "./queries";
import { dcgmExporterValues, grafanaValues, kubePrometheusStackValues, prometheusAdapterValues } from "./values";

export * from "./charts";
export * from "./queries";
export * from "./values";
export * from "./dashboard";

/** A Helm release of a pinned chart, in `namespace` (created if missing). */
function pinnedRelease(
    name: string,
    pin: PinnedChart,
    namespace: string,
    values: pulumi.Input<Record<string, any>>,
    opts: pulumi.CustomResourceOptions,
): k8s.helm.v3.Release {
    return new k8s.helm.v3.Release(
        name,
        {
            name,
            chart: pin.chart,
            version: pin.version,
            repositoryOpts: { repo: pin.repo },
            namespace,
            createNamespace: true,
            values,
            // A failed install rolls back instead of leaving a half-installed release behind.
            atomic: true,
            timeout: 900,
        },
        opts,
    );
}

// ---------------------------------------------------------------------------------------------
// Monitoring

export interface MonitoringArgs {
    /** Provider of the target cluster; every object is created through it. */
    provider: k8s.Provider;
    /** `settings.prometheus`: retention, storage size and the namespace of the stack. */
    prometheus: PrometheusSettings;
    /** `settings.gpuNodePool`; absent = no GPU pool: no dcgm-exporter and no GPU alerts. */
    gpuNodePool?: GpuNodePoolSettings;
    /** Where Prometheus, the operator, Alertmanager and kube-state-metrics run (system pool). */
    systemPlacement: Placement;
    /** Where dcgm-exporter runs: the GPU pool, its taint tolerated. */
    gpuPlacement: Placement;
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
        super("torchserve-platform:monitoring:Monitoring", name, {}, opts);
        const ns = args.prometheus.namespace;
        const childOpts = { parent: this, provider: args.provider };

        this.release = pinnedRelease(
            releaseNames.kubePrometheusStack,
            charts.kubePrometheusStack,
            ns,
            kubePrometheusStackValues(args.prometheus, args.systemPlacement),
            { ...childOpts, dependsOn: args.dependsOn ?? [] },
        );
        // Custom resources need the CRDs the release installs.
        const crdOpts = { ...childOpts, dependsOn: [this.release] };

        this.podMonitor = new k8s.apiextensions.CustomResource(
            `${name}-torchserve-podmonitor`,
            { apiVersion: "monitoring.coreos.com/v1", kind: "PodMonitor", ...torchServePodMonitor(ns, args.torchServeNamespace) },
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
                dcgmExporterValues(args.gpuPlacement),
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

// ---------------------------------------------------------------------------------------------
// Grafana

export interface GrafanaArgs {
    /** Provider of the target cluster. */
    provider: k8s.Provider;
    /** `settings.grafana`: service type. */
    grafana: GrafanaSettings;
    /** Namespace to install into (`settings.prometheus.namespace`, also when Prometheus is off). */
    namespace: string;
    /**
     * Prometheus the datasource queries: `Monitoring.prometheusUrl` when Prometheus is on,
     * else `settings.grafana.prometheusUrl`.
     */
    prometheusUrl: pulumi.Input<string>;
    /** Namespace TorchServe runs in (the dashboard's default). */
    torchServeNamespace: string;
    /** Where Grafana runs (system pool). */
    systemPlacement: Placement;
    /** What the release waits for: the cluster being usable. */
    dependsOn?: pulumi.Resource[];
}

/** Grafana as its own release, with a generated admin password. */
export class Grafana extends pulumi.ComponentResource {
    /** Where to reach Grafana: cluster DNS for ClusterIP/NodePort, the load balancer for LoadBalancer. */
    readonly url: pulumi.Output<string>;
    /** Admin password of user `admin` (secret). */
    readonly adminPassword: pulumi.Output<string>;
    readonly release: k8s.helm.v3.Release;

    constructor(name: string, args: GrafanaArgs, opts?: pulumi.ComponentResourceOptions) {
        super("torchserve-platform:monitoring:Grafana", name, {}, opts);
        const childOpts = { parent: this, provider: args.provider };

        const password = new random.RandomPassword(`${name}-admin-password`, { length: 24, special: false }, { parent: this });
        this.adminPassword = pulumi.secret(password.result);

        const dashboard = JSON.stringify(torchServeDashboard(args.torchServeNamespace));
        this.release = pinnedRelease(
            releaseNames.grafana,
            charts.grafana,
            args.namespace,
            // Outputs nested in values stay outputs: only the password (and an unknown URL) are
            // unknown in a preview, the rest of the values diff is readable.
            grafanaValues({
                adminPassword: password.result,
                serviceType: args.grafana.serviceType,
                prometheusUrl: args.prometheusUrl,
                dashboards: { torchserve: dashboard },
                placement: args.systemPlacement,
            }),
            { ...childOpts, dependsOn: args.dependsOn ?? [] },
        );

        const clusterUrl = grafanaClusterUrl(args.namespace);
        if (args.grafana.serviceType === "LoadBalancer") {
            const service = k8s.core.v1.Service.get(
                `${name}-service`,
                pulumi.interpolate`${this.release.status.namespace}/${grafanaServiceName}`,
                { ...childOpts, dependsOn: [this.release] },
            );
            this.url = service.status.apply((s) => grafanaLoadBalancerUrl(s?.loadBalancer?.ingress) ?? clusterUrl);
        } else {
            this.url = this.release.status.apply(() => clusterUrl);
        }
        this.registerOutputs({ url: this.url, adminPassword: this.adminPassword });
    }
}

/** Grafana's in-cluster URL (Service port 80). */
export function grafanaClusterUrl(namespace: string): string {
    return `http://${grafanaServiceName}.${namespace}.svc.cluster.local`;
}

/** http://<hostname or IP> of the first load-balancer ingress, undefined while none is assigned. */
export function grafanaLoadBalancerUrl(ingress: { hostname?: string; ip?: string }[] | undefined): string | undefined {
    const first = ingress?.find((i) => i.hostname || i.ip);
    return first ? `http://${first.hostname || first.ip}` : undefined;
}

/** Datasource URL for Grafana: the stack's Prometheus when on, else the configured one. */
export function grafanaDatasourceUrl(prometheus: PrometheusSettings, grafana: GrafanaSettings): string {
    if (prometheus.enabled) return prometheusUrl(prometheus.namespace);
    if (!grafana.prometheusUrl) throw new Error("grafana.prometheusUrl is required when prometheus is disabled");
    return grafana.prometheusUrl;
}

// ---------------------------------------------------------------------------------------------
// Autoscaling

export interface AutoscalingArgs {
    /** Provider of the target cluster. */
    provider: k8s.Provider;
    /** `settings.autoscaling`: replica bounds, target queue latency, scale-down window. */
    autoscaling: AutoscalingSettings;
    /** Namespace of the in-cluster Prometheus (`settings.prometheus.namespace`); the adapter goes there too. */
    prometheusNamespace: string;
    /** Namespace of TorchServe; the HPA lives there. */
    torchServeNamespace: string;
    /** Where prometheus-adapter runs (system pool). */
    systemPlacement: Placement;
    /** What the adapter waits for: the cluster and the Monitoring component (Prometheus). */
    dependsOn?: pulumi.Resource[];
    /** What the HPA waits for: the TorchServe component (its namespace and Deployment). */
    workloadDependsOn?: pulumi.Resource[];
}

/** prometheus-adapter exposing queue latency per request, and an HPA on the stable Deployment. */
export class Autoscaling extends pulumi.ComponentResource {
    readonly adapter: k8s.helm.v3.Release;
    readonly hpa: k8s.autoscaling.v2.HorizontalPodAutoscaler;

    constructor(name: string, args: AutoscalingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("torchserve-platform:monitoring:Autoscaling", name, {}, opts);
        const childOpts = { parent: this, provider: args.provider };

        this.adapter = pinnedRelease(
            releaseNames.prometheusAdapter,
            charts.prometheusAdapter,
            args.prometheusNamespace,
            prometheusAdapterValues(args.prometheusNamespace, queueLatencyAdapterRule(args.torchServeNamespace), args.systemPlacement),
            { ...childOpts, dependsOn: args.dependsOn ?? [] },
        );
        this.hpa = new k8s.autoscaling.v2.HorizontalPodAutoscaler(
            `${name}-hpa`,
            torchServeHpa(args.torchServeNamespace, args.autoscaling),
            // The metric only exists once the adapter serves custom.metrics.k8s.io.
            { ...childOpts, dependsOn: [this.adapter, ...(args.workloadDependsOn ?? [])] },
        );
        this.registerOutputs({});
    }
}

/** The HPA: stable TorchServe Deployment, Pods metric = mean queue latency per request (ms). */
export function torchServeHpa(namespace: string, s: AutoscalingSettings) {
    return {
        metadata: { name: conventions.stableDeploymentName, namespace },
        spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: conventions.stableDeploymentName },
            minReplicas: s.minReplicas,
            maxReplicas: s.maxReplicas,
            metrics: [
                {
                    type: "Pods",
                    pods: {
                        metric: { name: queueLatencyMetricName },
                        target: { type: "AverageValue", averageValue: latencyTargetQuantity(s.targetQueueLatencyMs) },
                    },
                },
            ],
            behavior: { scaleDown: { stabilizationWindowSeconds: s.scaleDownStabilizationSeconds } },
        },
    };
}

// ---------------------------------------------------------------------------------------------
// Composition

/** Outputs the monitoring add-ons contribute to the stack (names from DESIGN.md). */
export interface MonitoringOutputs {
    grafanaUrl?: pulumi.Output<string>;
    grafanaAdminPassword?: pulumi.Output<string>;
}

export interface MonitoringStackArgs {
    /** Validated settings; reads prometheus, grafana, autoscaling, gpuNodePool, torchserve.namespace. */
    settings: Settings;
    /** The cluster: provider, placements and what workloads wait for. */
    cluster: Pick<ClusterTarget, "provider" | "systemPlacement" | "gpuPlacement" | "systemReady">;
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
        ? new Monitoring("monitoring", {
              provider: cluster.provider,
              prometheus: s.prometheus,
              gpuNodePool: s.gpuNodePool,
              systemPlacement: cluster.systemPlacement,
              gpuPlacement: cluster.gpuPlacement,
              torchServeNamespace,
              dependsOn: cluster.systemReady,
          }, opts)
        : undefined;
    const grafana = s.grafana.enabled
        ? new Grafana("grafana", {
              provider: cluster.provider,
              grafana: s.grafana,
              namespace: s.prometheus.namespace,
              prometheusUrl: grafanaDatasourceUrl(s.prometheus, s.grafana),
              torchServeNamespace,
              systemPlacement: cluster.systemPlacement,
              dependsOn: cluster.systemReady,
          }, opts)
        : undefined;
    let autoscaling: Autoscaling | undefined;
    if (s.autoscaling.enabled) {
        if (!monitoring) throw new Error("autoscaling.enabled requires prometheus.enabled (the adapter reads the in-cluster Prometheus)");
        autoscaling = new Autoscaling("autoscaling", {
            provider: cluster.provider,
            autoscaling: s.autoscaling,
            prometheusNamespace: s.prometheus.namespace,
            torchServeNamespace,
            systemPlacement: cluster.systemPlacement,
            dependsOn: [...cluster.systemReady, monitoring],
            workloadDependsOn: a.torchServe ? [a.torchServe] : [],
        }, opts);
    }
    const outputs: MonitoringOutputs = {};
    if (grafana) {
        outputs.grafanaUrl = grafana.url;
        outputs.grafanaAdminPassword = grafana.adminPassword;
    }
    return { monitoring, grafana, autoscaling, outputs };
}
