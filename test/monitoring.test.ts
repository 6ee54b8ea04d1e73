// The monitoring components under Pulumi mocks (preview and update), built from their own Args:
// what they register, where it runs, what it scrapes and scales on. Which of them a stack gets is
// tested with the composition (test/platform.test.ts).
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import * as yaml from "js-yaml";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
    alertmanagerConfig,
    alertmanagerConfigSecretName,
    Autoscaling,
    AutoscalingSpec,
    charts,
    Grafana,
    GrafanaSpec,
    kubePrometheusStackValues,
    MonitoredGpuPool,
    Monitoring,
    monitoringAlertRules,
    PrometheusSpec,
    prometheusRule,
    prometheusUrl,
    servingRequestRateQuery,
    torchServeDashboard,
    torchServeScaledObject,
} from "../components/monitoring";
import { dashboardExpressions } from "./support/dashboards";
import { grafanaLoadBalancerUrl } from "../components/monitoring/grafana";
import { servingEndpoints } from "../components/torchserve/endpoints";
import { evaluate, Evaluation, RegisteredResource } from "../harness/evaluate";
import { all, one } from "./support/match";
import { kubernetesObjects, validateKubernetesObject } from "./support/schema";
import { gpuPlacement, systemPlacement, torchServeSpec } from "./support/specs";

/** A bare custom resource standing in for the cluster's readiness and for TorchServe. */
class Marker extends pulumi.CustomResource {
    constructor(type: string, name: string) {
        super(type, name, {});
    }
}

const serving = servingEndpoints(torchServeSpec());
const prometheus: PrometheusSpec = { retention: "7d", storageSize: "20Gi", namespace: "monitoring" };
const autoscaling: AutoscalingSpec = {
    minReplicas: 1,
    maxReplicas: 3,
    targetRequestsPerSecond: 5,
    scaleDownStabilizationSeconds: 300,
};
const gpuPool: MonitoredGpuPool = { placement: gpuPlacement, minNodes: 1 };

interface RunOptions {
    preview: boolean;
    /** The GPU pool; `null` = the cluster has none. */
    gpuPool?: MonitoredGpuPool | null;
    grafana?: GrafanaSpec;
    /** Hostname the cloud gives LoadBalancer Services (update only). */
    lbHostname?: string;
}

/** Monitoring, Grafana and Autoscaling on a mock cluster: a provider, a "cluster ready" marker, TorchServe. */
async function run(o: RunOptions): Promise<Evaluation> {
    return evaluate(
        {
            project: "torchserve-platform",
            stack: "test",
            config: {},
            preview: o.preview,
            computed: (args) =>
                args.type === "kubernetes:core/v1:Service" && o.lbHostname
                    ? { status: { loadBalancer: { ingress: [{ hostname: o.lbHostname }] } } }
                    : undefined,
        },
        async () => {
            const provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
            // Custom resources: a dependsOn on them is recorded as their URN.
            const ready = new Marker("test:index:ClusterReady", "cluster-ready");
            const torchServe = new Marker("test:index:TorchServe", "torchserve");
            const opts = { provider, dependsOn: [ready] };
            const monitoring = new Monitoring(
                "monitoring",
                {
                    prometheus,
                    serving,
                    systemPlacement,
                    gpuPool: o.gpuPool === null ? undefined : (o.gpuPool ?? gpuPool),
                },
                opts,
            );
            const grafana = new Grafana(
                "grafana",
                {
                    grafana: o.grafana ?? { serviceType: "ClusterIP" },
                    namespace: prometheus.namespace,
                    prometheusUrl: prometheusUrl(prometheus.namespace),
                    serving,
                    systemPlacement,
                    namespaceCreator: monitoring.release,
                },
                opts,
            );
            new Autoscaling(
                "autoscaling",
                { autoscaling, prometheusNamespace: prometheus.namespace, serving, systemPlacement },
                { provider, dependsOn: [ready, monitoring.release], workloadDependsOn: [torchServe] },
            );
            return { grafanaUrl: grafana.url, grafanaAdminPassword: grafana.adminPassword };
        },
    );
}

const release = (ev: Evaluation, chart: string) => {
    const r = all(ev, "kubernetes:helm.sh/v3:Release").find((x) => x.inputs.chart === chart);
    assert.ok(r, `no release of ${chart}; registered: ${ev.resources.map((x) => x.type + " " + x.name).join(", ")}`);
    return r;
};
const urnOf = (ev: Evaluation, type: string, name: string) => one(ev, type, name).urn;

for (const preview of [true, false]) {
    describe(`monitoring (${preview ? "preview" : "update"})`, () => {
        let ev: Evaluation;
        before(async () => {
            ev = await run({ preview });
        });

        it("installs every chart pinned, from its repository, with a fixed release name", () => {
            for (const pin of Object.values(charts)) {
                const r = release(ev, pin.chart);
                assert.strictEqual(r.inputs.version, pin.version);
                assert.strictEqual(r.inputs.repositoryOpts.repo, pin.repo);
                assert.ok(r.inputs.name, `${pin.chart} release has no fixed name`);
            }
            assert.strictEqual(
                release(ev, "grafana").inputs.repositoryOpts.repo,
                "https://grafana-community.github.io/helm-charts",
            );
        });

        it("creates every Kubernetes object and release through the cluster's provider", () => {
            const providerUrn = ev.resources.find((r) => r.type === "pulumi:providers:kubernetes")!.urn;
            const k8sResources = ev.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
            assert.ok(k8sResources.length >= 7);
            for (const r of k8sResources) {
                assert.ok(
                    r.provider.startsWith(providerUrn + "::"),
                    `${r.type} ${r.name} uses provider "${r.provider}"`,
                );
            }
        });

        it("puts Prometheus, operator, Alertmanager, kube-state-metrics, Grafana and KEDA on the system pool", () => {
            const kps = release(ev, "kube-prometheus-stack").inputs.values;
            const placed = [
                kps.prometheus.prometheusSpec,
                kps.prometheusOperator,
                kps.prometheusOperator.admissionWebhooks.patch,
                kps.alertmanager.alertmanagerSpec,
                kps["kube-state-metrics"],
                release(ev, "grafana").inputs.values,
                release(ev, "keda").inputs.values,
            ];
            for (const v of placed) {
                assert.deepStrictEqual(v.nodeSelector, systemPlacement.nodeSelector);
                assert.deepStrictEqual(v.tolerations, systemPlacement.tolerations);
                assert.ok(
                    !v.tolerations.some((t: any) => t.key === "nvidia.com/gpu"),
                    "system add-on tolerates the GPU taint",
                );
            }
        });

        it("configures Prometheus from its spec and lets it select monitors and rules of other releases", () => {
            const kps = release(ev, "kube-prometheus-stack").inputs.values;
            const spec = kps.prometheus.prometheusSpec;
            assert.strictEqual(spec.retention, prometheus.retention);
            assert.strictEqual(
                spec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage,
                prometheus.storageSize,
            );
            assert.strictEqual(spec.podMonitorSelectorNilUsesHelmValues, false);
            assert.strictEqual(spec.serviceMonitorSelectorNilUsesHelmValues, false);
            assert.strictEqual(spec.ruleSelectorNilUsesHelmValues, false);
            assert.strictEqual(kps.grafana.enabled, false, "the chart's bundled Grafana must be off");
            assert.strictEqual(release(ev, "kube-prometheus-stack").inputs.namespace, prometheus.namespace);
        });

        it("runs dcgm-exporter only on GPU nodes, tolerating the GPU taint, scraped by its ServiceMonitor", () => {
            const v = release(ev, "dcgm-exporter").inputs.values;
            assert.deepStrictEqual(v.nodeSelector, gpuPlacement.nodeSelector);
            assert.deepStrictEqual(v.tolerations, gpuPlacement.tolerations);
            assert.strictEqual(v.serviceMonitor.enabled, true);
            // No host driver path: the chart's own volumes, mounts, env and security context.
            for (const k of ["extraHostVolumes", "extraVolumeMounts", "extraEnv", "securityContext"])
                assert.ok(!(k in v), `sets ${k}`);
            // The ServiceMonitor CRD comes with kube-prometheus-stack.
            const dcgm = release(ev, "dcgm-exporter");
            assert.ok(dcgm.dependencies.includes(release(ev, "kube-prometheus-stack").urn));
        });

        it("scrapes TorchServe's metrics port by name on its pod labels with a PodMonitor", () => {
            const [pm] = all(ev, "kubernetes:monitoring.coreos.com/v1:PodMonitor");
            assert.ok(pm);
            assert.deepStrictEqual(pm.inputs.spec.selector.matchLabels, serving.podLabels);
            assert.deepStrictEqual(pm.inputs.spec.namespaceSelector.matchNames, [serving.namespace]);
            assert.strictEqual(pm.inputs.spec.podMetricsEndpoints[0].port, serving.portNames.metrics);
            assert.ok(
                pm.dependencies.includes(release(ev, "kube-prometheus-stack").urn),
                "PodMonitor must wait for the CRDs",
            );
        });

        it("ships the alerts as a PrometheusRule, GPU alerts included on a GPU cluster", () => {
            const [rule] = all(ev, "kubernetes:monitoring.coreos.com/v1:PrometheusRule");
            const alerts = rule.inputs.spec.groups.flatMap((g: any) => g.rules.map((r: any) => r.alert));
            for (const a of [
                "TorchServeDown",
                "TorchServeNoReadyPods",
                "TorchServeHigh5xxRatio",
                "TorchServeQueueLatencyHigh",
                "TorchServeNoHealthyWorkers",
                "GpuNodeMissing",
                "GpuMemoryNearFull",
            ]) {
                assert.ok(alerts.includes(a), `missing alert ${a}`);
            }
            assert.ok(rule.dependencies.includes(release(ev, "kube-prometheus-stack").urn));
            const args = { prometheus, serving, gpuPool };
            assert.deepStrictEqual(
                rule.inputs.spec,
                prometheusRule(prometheus.namespace, monitoringAlertRules(args)).spec,
            );
        });

        it("makes the releases wait for what dependsOn names, and not for TorchServe", () => {
            const ts = urnOf(ev, "test:index:TorchServe", "torchserve");
            const ready = urnOf(ev, "test:index:ClusterReady", "cluster-ready");
            for (const chart of ["kube-prometheus-stack", "grafana", "dcgm-exporter", "keda"]) {
                assert.ok(!release(ev, chart).dependencies.includes(ts), `${chart} waits for TorchServe`);
            }
            for (const chart of ["kube-prometheus-stack", "grafana", "keda"]) {
                assert.ok(release(ev, chart).dependencies.includes(ready), `${chart} does not wait for the cluster`);
            }
            // The components hand dependsOn to their children and register without it themselves.
            for (const c of ev.resources.filter((r) => r.type.startsWith("torchserve-platform:index:")))
                assert.deepStrictEqual(c.dependencies, [], c.type);
        });

        it("installs KEDA with its CRDs, next to Prometheus", () => {
            const keda = release(ev, "keda");
            assert.strictEqual(keda.inputs.namespace, prometheus.namespace);
            assert.strictEqual(keda.inputs.version, charts.keda.version);
            assert.strictEqual(keda.inputs.values.crds.install, true);
        });

        it("scales the stable TorchServe Deployment with a KEDA ScaledObject on its REST+gRPC request rate", () => {
            const so = one(ev, "ScaledObject", serving.stable.deploymentName);
            const spec = so.inputs.spec;
            assert.strictEqual(so.inputs.apiVersion, "keda.sh/v1alpha1");
            assert.deepStrictEqual(spec.scaleTargetRef, {
                apiVersion: "apps/v1",
                kind: "Deployment",
                name: serving.stable.deploymentName,
            });
            assert.strictEqual(so.inputs.metadata.namespace, serving.namespace);
            assert.strictEqual(spec.minReplicaCount, autoscaling.minReplicas);
            assert.strictEqual(spec.maxReplicaCount, autoscaling.maxReplicas);
            assert.strictEqual(spec.triggers.length, 1, "no gateway trigger without the mesh");
            const [t] = spec.triggers;
            assert.strictEqual(t.type, "prometheus");
            assert.strictEqual(t.metricType, "AverageValue");
            assert.strictEqual(t.metadata.serverAddress, prometheusUrl(prometheus.namespace));
            assert.strictEqual(t.metadata.query, servingRequestRateQuery(serving));
            assert.match(t.metadata.query, /rate\(ts_inference_requests_total\{[^}]*track="stable"[^}]*\}\[2m\]\)/);
            assert.strictEqual(t.metadata.threshold, String(autoscaling.targetRequestsPerSecond));
            assert.strictEqual(
                spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.stabilizationWindowSeconds,
                autoscaling.scaleDownStabilizationSeconds,
            );
            assert.ok(
                so.dependencies.includes(urnOf(ev, "test:index:TorchServe", "torchserve")),
                "ScaledObject must wait for TorchServe",
            );
            assert.ok(so.dependencies.includes(release(ev, "keda").urn), "ScaledObject must wait for KEDA");
        });

        it("passes the upstream schemas for every Kubernetes object (PodMonitor, PrometheusRule; the ScaledObject in the render tests)", async () => {
            const objects = kubernetesObjects(ev.resources);
            assert.deepStrictEqual(
                objects.map((o) => o.type).sort(),
                [
                    // Grafana's admin Secret.
                    "kubernetes:core/v1:Secret",
                    "kubernetes:keda.sh/v1alpha1:ScaledObject",
                    "kubernetes:monitoring.coreos.com/v1:PodMonitor",
                    "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
                ].sort(),
            );
            // KEDA's CRD is no kubernetes-models package: the render tests validate the ScaledObject
            // against the CRD in the vendored chart. A preview cannot know the generated admin
            // password, so the Secret's data is checked in the update run.
            const known = (x: (typeof objects)[number]) => !(preview && x.type === "kubernetes:core/v1:Secret");
            for (const o of objects.filter((x) => !x.type.includes("keda.sh") && known(x)))
                await validateKubernetesObject(o);
        });

        it("provisions the Prometheus datasource and the TorchServe dashboard in Grafana", () => {
            const v = release(ev, "grafana").inputs.values;
            const [ds] = v.datasources["datasources.yaml"].datasources;
            assert.strictEqual(ds.type, "prometheus");
            assert.strictEqual(ds.url, prometheusUrl(prometheus.namespace));
            const [provider] = v.dashboardProviders["dashboardproviders.yaml"].providers;
            assert.strictEqual(provider.options.path, `/var/lib/grafana/dashboards/${provider.name}`);
            const dashboard = JSON.parse(v.dashboards[provider.name].torchserve.json);
            assert.strictEqual(dashboard.title, "TorchServe");
            const exprs = JSON.stringify(dashboard.panels);
            // Panels and variables query the provisioned datasource by uid.
            const uids = new Set(
                [...exprs.matchAll(/"uid":"([^"]+)"/g)]
                    .map((m) => m[1])
                    .concat(dashboard.templating.list.map((v: any) => v.datasource.uid)),
            );
            assert.deepStrictEqual([...uids], [ds.uid]);
            const nsVar = dashboard.templating.list.find((v: any) => v.name === "namespace");
            assert.strictEqual(nsVar.current.value, serving.namespace);
            for (const m of [
                "ts_inference_requests_total",
                "ts_queue_latency_microseconds",
                "Requests5XX",
                "DCGM_FI_DEV_GPU_UTIL",
                "DCGM_FI_DEV_FB_USED",
            ]) {
                assert.ok(exprs.includes(m), `dashboard lacks ${m}`);
            }
        });

        it("exports grafanaUrl and a secret grafanaAdminPassword", () => {
            assert.ok(ev.secretOutputs.includes("grafanaAdminPassword"));
            assert.ok(!ev.secretOutputs.includes("grafanaUrl"));
            if (!preview) {
                assert.strictEqual(ev.outputs.grafanaUrl, `http://grafana.${prometheus.namespace}.svc.cluster.local`);
                const pw = all(ev, "random:index/randomPassword:RandomPassword");
                assert.strictEqual(pw.length, 1);
                assert.strictEqual(release(ev, "grafana").inputs.values.service.type, "ClusterIP");
            }
        });
    });
}

describe("monitoring variants", () => {
    it("installs no dcgm-exporter and no GPU alerts without a GPU pool", async () => {
        const ev = await run({ preview: false, gpuPool: null });
        assert.ok(!all(ev, "kubernetes:helm.sh/v3:Release").some((r) => r.inputs.chart === "dcgm-exporter"));
        const [rule] = all(ev, "kubernetes:monitoring.coreos.com/v1:PrometheusRule");
        const alerts = rule.inputs.spec.groups.flatMap((g: any) => g.rules.map((r: any) => r.alert));
        assert.ok(!alerts.some((a: string) => a.startsWith("Gpu")), alerts.join(","));
    });

    it("mounts the host's NVIDIA driver into dcgm-exporter where the cluster names its directory (GKE)", async () => {
        const ev = await run({
            preview: false,
            gpuPool: { ...gpuPool, nvidiaDriverHostPath: "/home/kubernetes/bin/nvidia" },
        });
        const v = release(ev, "dcgm-exporter").inputs.values;
        assert.deepStrictEqual(v.extraHostVolumes, [
            { name: "nvidia-driver", hostPath: "/home/kubernetes/bin/nvidia" },
        ]);
        const mount = v.extraVolumeMounts.find((m: any) => m.name === "nvidia-driver");
        assert.deepStrictEqual(mount, { name: "nvidia-driver", mountPath: "/usr/local/nvidia", readOnly: true });
        // Setting the list replaces the chart's default, which mounts its counters ConfigMap.
        assert.ok(
            v.extraVolumeMounts.some(
                (m: any) =>
                    m.name === "exporter-metrics-volume" &&
                    m.mountPath === "/etc/dcgm-exporter/default-counters.csv" &&
                    m.subPath === "default-counters.csv",
            ),
        );
        assert.deepStrictEqual(v.extraEnv, [{ name: "LD_LIBRARY_PATH", value: "/usr/local/nvidia/lib64" }]);
        // No GPU is requested, so nothing else exposes the GPU devices; the API server rejects
        // privileged with allowPrivilegeEscalation false (the chart's default).
        assert.strictEqual(v.securityContext.privileged, true);
        assert.strictEqual(v.securityContext.allowPrivilegeEscalation, true);
        // Still on the GPU pool only.
        assert.deepStrictEqual(v.nodeSelector, gpuPlacement.nodeSelector);
        // The pod the chart's template makes of these values passes the Pod schema.
        const volumes = [
            { name: "exporter-metrics-volume", configMap: { name: "exporter-metrics-config-map" } },
            ...v.extraHostVolumes.map((h: any) => ({ name: h.name, hostPath: { path: h.hostPath } })),
        ];
        const container = {
            name: "exporter",
            image: "nvcr.io/nvidia/k8s/dcgm-exporter:4.5.3-4.8.2-distroless",
            env: v.extraEnv,
            volumeMounts: v.extraVolumeMounts,
            securityContext: v.securityContext,
        };
        const pod: RegisteredResource = {
            urn: "",
            type: "kubernetes:core/v1:Pod",
            name: "dcgm-exporter",
            custom: true,
            parent: "",
            provider: "",
            dependencies: [],
            options: {},
            inputs: { metadata: { name: "dcgm-exporter" }, spec: { volumes, containers: [container] } },
        } as RegisteredResource;
        await validateKubernetesObject(pod);
    });

    it("exposes Grafana through a LoadBalancer and reports its address", async () => {
        const grafana: GrafanaSpec = { serviceType: "LoadBalancer" };
        const ev = await run({ preview: false, grafana, lbHostname: "grafana-123.elb.example.com" });
        assert.strictEqual(release(ev, "grafana").inputs.values.service.type, "LoadBalancer");
        assert.strictEqual(ev.outputs.grafanaUrl, "http://grafana-123.elb.example.com");
        const pv = await run({ preview: true, grafana });
        assert.ok(pv.resources.some((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "grafana"));
    });

    it("builds the LoadBalancer URL from a hostname or an IP", () => {
        assert.strictEqual(grafanaLoadBalancerUrl([{ ip: "20.1.2.3" }]), "http://20.1.2.3");
        assert.strictEqual(grafanaLoadBalancerUrl([]), undefined);
        assert.strictEqual(grafanaLoadBalancerUrl(undefined), undefined);
    });

    it("scales to zero only with the gateway trigger, whose target carries the canary's share (pure)", () => {
        const canarySpec = torchServeSpec({
            canary: { image: "pytorch/torchserve:0.12.0-cpu", weight: 20, replicas: 1 },
        });
        const withCanary = servingEndpoints(canarySpec);
        const zero = { ...autoscaling, minReplicas: 0, targetRequestsPerSecond: 2.5 };
        const wakeUp = { namespace: "istio-ingress", podLabels: { istio: "ingress" } };
        const so = torchServeScaledObject({
            autoscaling: zero,
            serving: withCanary,
            prometheusNamespace: "monitoring",
            wakeUp,
        });
        assert.strictEqual(so.spec.minReplicaCount, 0);
        assert.strictEqual(so.spec.cooldownPeriod, autoscaling.scaleDownStabilizationSeconds);
        const [own, gateway] = so.spec.triggers;
        assert.strictEqual(own.metadata.threshold, "2.5");
        // 80 % of gateway traffic reaches the stable pods: 2.5 per pod there = 3.125 gateway requests.
        assert.strictEqual(gateway.metadata.threshold, "3.125");
        assert.match(
            gateway.metadata.query,
            /istio_requests_total\{reporter="source",source_workload_namespace="istio-ingress"/,
        );
        assert.match(gateway.metadata.query, /destination_service_name="torchserve"/);
        for (const t of so.spec.triggers) assert.strictEqual(t.metadata.activationThreshold, "0");
        assert.throws(
            () => new Autoscaling("a", { autoscaling: zero, serving, prometheusNamespace: "m", systemPlacement }),
            /minReplicas 0 needs a wake-up signal/,
        );
    });
});

describe("Prometheus's volume", () => {
    const claimSpec = (v: Record<string, any>) => v.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec;

    it("is claimed from the cluster's block storage class when it names one (EKS: gp3)", () => {
        const spec = claimSpec(kubePrometheusStackValues(prometheus, systemPlacement, "gp3"));
        assert.strictEqual(spec.storageClassName, "gp3");
        assert.deepStrictEqual(spec.accessModes, ["ReadWriteOnce"]);
    });

    it("names no class otherwise, so the cluster's default class serves it", () => {
        const spec = claimSpec(kubePrometheusStackValues(prometheus, systemPlacement));
        assert.ok(!("storageClassName" in spec), JSON.stringify(spec));
        assert.strictEqual(spec.resources.requests.storage, prometheus.storageSize);
    });
});

describe("TorchServe dashboard (pure)", () => {
    const dashboard = torchServeDashboard("serving");
    const exprs = dashboardExpressions(dashboard);

    it("offers the namespace before the first request: the variable reads the scrape's up series", () => {
        const ns = dashboard.templating.list.find((v: any) => v.name === "namespace");
        assert.strictEqual(ns.definition, 'label_values(up{track=~".+"}, namespace)');
        assert.deepStrictEqual(ns.current, { text: "serving", value: "serving" });
    });

    it("counts ready pods, not WorkerLoadTime series (renamed on every worker restart)", () => {
        assert.ok(!exprs.some((e) => e.expr.includes("WorkerLoadTime")), "WorkerLoadTime still charted");
        assert.ok(exprs.some((e) => /kube_pod_status_ready\{[^}]*condition="true"/.test(e.expr)));
    });

    it("labels every latency panel, and the queue-latency alert, REST only (TorchServe records latency for REST jobs alone)", () => {
        const latency = /ts_(inference|queue)_latency_microseconds/;
        const panels = new Set(exprs.filter((e) => latency.test(e.expr)).map((e) => e.panel));
        assert.ok(panels.size >= 3);
        for (const title of panels) assert.match(title, /\(REST only\)$/, title);
        const rules = monitoringAlertRules({ prometheus, serving });
        for (const r of rules.filter((x) => latency.test(x.expr))) {
            assert.match(r.annotations.summary, /REST/, r.alert);
            assert.match(r.annotations.description, /REST only/, r.alert);
        }
    });

    it("compares stable and canary: a row whose panels split by the PodMonitor's track label", () => {
        const row = dashboard.panels.findIndex((p: any) => p.type === "row" && p.title === "Stable vs canary");
        assert.ok(row >= 0);
        const after = dashboard.panels.slice(row + 1).filter((p: any) => p.type !== "row");
        assert.strictEqual(after.length, 3);
        for (const p of after) for (const t of p.targets) assert.match(t.expr, /sum by \(track\)/, p.title);
    });
});

describe("Alertmanager receivers (pure)", () => {
    it("routes every alert to the configured integrations, Watchdog nowhere", () => {
        const c = alertmanagerConfig({ webhookUrl: "https://hooks.example.com/a" }) as any;
        assert.strictEqual(c.route.receiver, "platform");
        assert.deepStrictEqual(
            c.route.routes.map((r: any) => [r.receiver, r.matchers[0]]),
            [
                ["null", 'alertname = "Watchdog"'],
                ["null", 'alertname = "InfoInhibitor"'],
            ],
        );
        const platform = c.receivers.find((r: any) => r.name === "platform");
        assert.deepStrictEqual(platform.webhook_configs, [{ url: "https://hooks.example.com/a", send_resolved: true }]);
        assert.strictEqual(platform.slack_configs, undefined);
        assert.strictEqual(alertmanagerConfigSecretName, "alertmanager-kube-prometheus-stack-alertmanager");
    });

    it("keeps the chart's inhibit rules (critical silences warning/info, InfoInhibitor), as the vendored chart writes them", () => {
        // The chart's default alertmanager.yaml, from the vendored kube-prometheus-stack archive.
        const archive = path.join(
            __dirname,
            "data",
            "charts",
            `kube-prometheus-stack-${charts.kubePrometheusStack.version}.tgz`,
        );
        const r = spawnSync("tar", ["-xzOf", archive, "kube-prometheus-stack/values.yaml"], { encoding: "utf8" });
        assert.strictEqual(r.status, 0, r.stderr);
        const chartDefault = (yaml.load(r.stdout) as any).alertmanager.config;
        assert.ok(chartDefault.inhibit_rules.length >= 4);
        for (const receivers of [
            { webhookUrl: "https://hooks.example.com/a" },
            { slackWebhookUrl: "https://hooks.slack.com/services/T/B/X", pagerDutyRoutingKey: "k".repeat(32) },
        ]) {
            const c = alertmanagerConfig(receivers) as any;
            assert.deepStrictEqual(c.inhibit_rules, chartDefault.inhibit_rules);
        }
    });

    it("leaves the chart's own Alertmanager Secret alone unless the program writes one", () => {
        const without = kubePrometheusStackValues(prometheus, systemPlacement) as any;
        assert.strictEqual(without.alertmanager.alertmanagerSpec.useExistingSecret, undefined);
        const withOwn = kubePrometheusStackValues(prometheus, systemPlacement, undefined, true) as any;
        assert.strictEqual(withOwn.alertmanager.alertmanagerSpec.useExistingSecret, true);
    });
});
