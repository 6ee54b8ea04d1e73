// The monitoring add-ons under Pulumi mocks (preview and update): what they register, where it
// runs, what it scrapes and scales on, and that each toggle removes exactly its own resources.
import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Placement } from "../components/cluster/target";
import * as conventions from "../components/torchserve/conventions";
import {
    charts,
    createMonitoringStack,
    kubePrometheusStackValues,
    prometheusUrl,
    queueLatencyMetricName,
} from "../components/monitoring";
import { grafanaLoadBalancerUrl } from "../components/monitoring/grafana";
import { Settings } from "../stacks/config/settings";
import { evaluate, Evaluation, RegisteredResource } from "../harness/evaluate";
import { all, one } from "./support/match";
import { kubernetesObjects, validateKubernetesObject } from "./support/schema";
import { gpuSettings, testSettings } from "./support/settings";

const systemPlacement: Placement = {
    nodeSelector: { "torchserve.pytorch.org/pool": "system" },
    tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }],
};
const gpuPlacement: Placement = {
    nodeSelector: { "torchserve.pytorch.org/pool": "gpu" },
    tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
};

/** A bare custom resource standing in for the cluster's readiness and for TorchServe. */
class Marker extends pulumi.CustomResource {
    constructor(type: string, name: string) {
        super(type, name, {});
    }
}

const allOn = { prometheus: { enabled: true }, grafana: { enabled: true }, autoscaling: { enabled: true } };

/** Runs the monitoring composition on a mock cluster: a provider, a "cluster ready" marker, TorchServe. */
async function run(
    settings: Settings,
    preview: boolean,
    lbHostname?: string,
    nvidiaDriverHostPath?: string,
): Promise<Evaluation> {
    return evaluate(
        {
            project: "torchserve-platform",
            stack: "test",
            config: {},
            preview,
            computed: (args) =>
                args.type === "kubernetes:core/v1:Service" && lbHostname
                    ? { status: { loadBalancer: { ingress: [{ hostname: lbHostname }] } } }
                    : undefined,
        },
        async () => {
            const provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
            // Custom resources: a dependsOn on them is recorded as their URN.
            const ready = new Marker("test:index:ClusterReady", "cluster-ready");
            const torchServe = new Marker("test:index:TorchServe", "torchserve");
            const { outputs } = createMonitoringStack({
                settings,
                cluster: { provider, systemPlacement, gpuPlacement, systemReady: [ready], nvidiaDriverHostPath },
                torchServe,
            });
            return { ...outputs };
        },
    );
}

const release = (ev: Evaluation, chart: string) => {
    const r = all(ev, "kubernetes:helm.sh/v3:Release").find((x) => x.inputs.chart === chart);
    assert.ok(r, `no release of ${chart}; registered: ${ev.resources.map((x) => x.type + " " + x.name).join(", ")}`);
    return r;
};
const urnOf = (ev: Evaluation, type: string, name: string) => one(ev, type, name).urn;
const key = (r: RegisteredResource) => `${r.type}::${r.name}`;

for (const preview of [true, false]) {
    describe(`monitoring (${preview ? "preview" : "update"})`, () => {
        let ev: Evaluation;
        const settings = gpuSettings(allOn);
        before(async () => {
            ev = await run(settings, preview);
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

        it("puts Prometheus, operator, Alertmanager, kube-state-metrics, Grafana and the adapter on the system pool", () => {
            const kps = release(ev, "kube-prometheus-stack").inputs.values;
            const placed = [
                kps.prometheus.prometheusSpec,
                kps.prometheusOperator,
                kps.prometheusOperator.admissionWebhooks.patch,
                kps.alertmanager.alertmanagerSpec,
                kps["kube-state-metrics"],
                release(ev, "grafana").inputs.values,
                release(ev, "prometheus-adapter").inputs.values,
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

        it("configures Prometheus from settings and lets it select monitors and rules of other releases", () => {
            const kps = release(ev, "kube-prometheus-stack").inputs.values;
            const spec = kps.prometheus.prometheusSpec;
            assert.strictEqual(spec.retention, settings.prometheus.retention);
            assert.strictEqual(
                spec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage,
                settings.prometheus.storageSize,
            );
            assert.strictEqual(spec.podMonitorSelectorNilUsesHelmValues, false);
            assert.strictEqual(spec.serviceMonitorSelectorNilUsesHelmValues, false);
            assert.strictEqual(spec.ruleSelectorNilUsesHelmValues, false);
            assert.strictEqual(kps.grafana.enabled, false, "the chart's bundled Grafana must be off");
            assert.strictEqual(release(ev, "kube-prometheus-stack").inputs.namespace, settings.prometheus.namespace);
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
            assert.deepStrictEqual(pm.inputs.spec.selector.matchLabels, conventions.podLabels);
            assert.deepStrictEqual(pm.inputs.spec.namespaceSelector.matchNames, [settings.torchserve.namespace]);
            assert.strictEqual(pm.inputs.spec.podMetricsEndpoints[0].port, conventions.portNames.metrics);
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
        });

        it("does not make the monitoring releases wait for TorchServe", () => {
            const ts = urnOf(ev, "test:index:TorchServe", "torchserve");
            const ready = urnOf(ev, "test:index:ClusterReady", "cluster-ready");
            for (const chart of ["kube-prometheus-stack", "grafana", "dcgm-exporter", "prometheus-adapter"]) {
                assert.ok(!release(ev, chart).dependencies.includes(ts), `${chart} waits for TorchServe`);
            }
            for (const chart of ["kube-prometheus-stack", "grafana", "prometheus-adapter"]) {
                assert.ok(release(ev, chart).dependencies.includes(ready), `${chart} does not wait for the cluster`);
            }
        });

        it("points prometheus-adapter at the in-cluster Prometheus with a rate()-based rule", () => {
            const v = release(ev, "prometheus-adapter").inputs.values;
            assert.strictEqual(
                `${v.prometheus.url}:${v.prometheus.port}`,
                prometheusUrl(settings.prometheus.namespace),
            );
            assert.strictEqual(v.rules.default, false);
            const [rule] = v.rules.custom;
            assert.strictEqual(rule.name.as, queueLatencyMetricName);
            assert.match(rule.metricsQuery, /rate\(<<\.Series>>\{<<\.LabelMatchers>>\}\[2m\]\)/);
            assert.match(rule.metricsQuery, /rate\(ts_inference_requests_total\{<<\.LabelMatchers>>\}\[2m\]\)/);
            assert.deepStrictEqual(rule.resources.overrides.pod, { resource: "pod" });
        });

        it("scales the stable TorchServe Deployment on queue latency per request with an autoscaling/v2 HPA", () => {
            const [hpa] = all(ev, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
            const spec = hpa.inputs.spec;
            assert.deepStrictEqual(spec.scaleTargetRef, {
                apiVersion: "apps/v1",
                kind: "Deployment",
                name: conventions.stableDeploymentName,
            });
            assert.strictEqual(hpa.inputs.metadata.namespace, settings.torchserve.namespace);
            assert.strictEqual(spec.minReplicas, settings.autoscaling.minReplicas);
            assert.strictEqual(spec.maxReplicas, settings.autoscaling.maxReplicas);
            assert.strictEqual(spec.metrics[0].type, "Pods");
            assert.strictEqual(spec.metrics[0].pods.metric.name, queueLatencyMetricName);
            assert.notStrictEqual(spec.metrics[0].pods.metric.name, "ts_queue_latency_microseconds");
            assert.deepStrictEqual(spec.metrics[0].pods.target, {
                type: "AverageValue",
                averageValue: String(settings.autoscaling.targetQueueLatencyMs),
            });
            assert.strictEqual(
                spec.behavior.scaleDown.stabilizationWindowSeconds,
                settings.autoscaling.scaleDownStabilizationSeconds,
            );
            assert.ok(
                hpa.dependencies.includes(urnOf(ev, "test:index:TorchServe", "torchserve")),
                "HPA must wait for TorchServe",
            );
            assert.ok(
                hpa.dependencies.includes(release(ev, "prometheus-adapter").urn),
                "HPA must wait for the adapter",
            );
        });

        it("passes the upstream schemas for every Kubernetes object (HPA, PodMonitor, PrometheusRule)", async () => {
            const objects = kubernetesObjects(ev.resources);
            assert.deepStrictEqual(
                objects.map((o) => o.type).sort(),
                [
                    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
                    "kubernetes:monitoring.coreos.com/v1:PodMonitor",
                    "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
                ].sort(),
            );
            for (const o of objects) await validateKubernetesObject(o);
        });

        it("provisions the Prometheus datasource and the TorchServe dashboard in Grafana", () => {
            const v = release(ev, "grafana").inputs.values;
            const [ds] = v.datasources["datasources.yaml"].datasources;
            assert.strictEqual(ds.type, "prometheus");
            assert.strictEqual(ds.url, prometheusUrl(settings.prometheus.namespace));
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
            assert.strictEqual(nsVar.current.value, settings.torchserve.namespace);
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
                assert.strictEqual(
                    ev.outputs.grafanaUrl,
                    `http://grafana.${settings.prometheus.namespace}.svc.cluster.local`,
                );
                const pw = all(ev, "random:index/randomPassword:RandomPassword");
                assert.strictEqual(pw.length, 1);
                assert.strictEqual(release(ev, "grafana").inputs.values.service.type, "ClusterIP");
            }
        });
    });
}

describe("monitoring variants", () => {
    it("installs no dcgm-exporter and no GPU alerts without a GPU pool", async () => {
        const ev = await run(testSettings(allOn), false);
        assert.ok(!all(ev, "kubernetes:helm.sh/v3:Release").some((r) => r.inputs.chart === "dcgm-exporter"));
        const [rule] = all(ev, "kubernetes:monitoring.coreos.com/v1:PrometheusRule");
        const alerts = rule.inputs.spec.groups.flatMap((g: any) => g.rules.map((r: any) => r.alert));
        assert.ok(!alerts.some((a: string) => a.startsWith("Gpu")), alerts.join(","));
    });

    it("mounts the host's NVIDIA driver into dcgm-exporter where the cluster names its directory (GKE)", async () => {
        const ev = await run(gpuSettings(allOn), false, undefined, "/home/kubernetes/bin/nvidia");
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
        assert.ok(
            !(await run(testSettings(allOn), false, undefined, "/home/kubernetes/bin/nvidia")).resources.some(
                (r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "dcgm-exporter",
            ),
            "dcgm-exporter without a GPU pool",
        );
    });

    it("exposes Grafana through a LoadBalancer and reports its address", async () => {
        const s = gpuSettings({ ...allOn, grafana: { enabled: true, serviceType: "LoadBalancer" } });
        const ev = await run(s, false, "grafana-123.elb.example.com");
        assert.strictEqual(release(ev, "grafana").inputs.values.service.type, "LoadBalancer");
        assert.strictEqual(ev.outputs.grafanaUrl, "http://grafana-123.elb.example.com");
        const pv = await run(s, true);
        assert.ok(pv.resources.some((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "grafana"));
    });

    it("uses grafana.prometheusUrl as datasource when Prometheus is off", async () => {
        const ev = await run(
            testSettings({ grafana: { enabled: true, prometheusUrl: "http://prom.example:9090" } }),
            false,
        );
        assert.strictEqual(
            release(ev, "grafana").inputs.values.datasources["datasources.yaml"].datasources[0].url,
            "http://prom.example:9090",
        );
        assert.ok(!all(ev, "kubernetes:helm.sh/v3:Release").some((r) => r.inputs.chart === "kube-prometheus-stack"));
    });

    it("builds the LoadBalancer URL from a hostname or an IP", () => {
        assert.strictEqual(grafanaLoadBalancerUrl([{ ip: "20.1.2.3" }]), "http://20.1.2.3");
        assert.strictEqual(grafanaLoadBalancerUrl([]), undefined);
        assert.strictEqual(grafanaLoadBalancerUrl(undefined), undefined);
    });

    it("turns a fractional latency target into a milli-quantity", async () => {
        const ev = await run(
            gpuSettings({
                ...allOn,
                autoscaling: {
                    enabled: true,
                    targetQueueLatencyMs: 2.5,
                    minReplicas: 2,
                    maxReplicas: 6,
                    scaleDownStabilizationSeconds: 120,
                },
            }),
            false,
        );
        const [hpa] = all(ev, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
        assert.strictEqual(hpa.inputs.spec.metrics[0].pods.target.averageValue, "2500m");
        assert.strictEqual(hpa.inputs.spec.minReplicas, 2);
        assert.strictEqual(hpa.inputs.spec.maxReplicas, 6);
        assert.strictEqual(hpa.inputs.spec.behavior.scaleDown.stabilizationWindowSeconds, 120);
    });
});

describe("monitoring toggles", () => {
    /** Resources and outputs of a run, minus the test's own scaffolding. */
    const summary = (ev: Evaluation) => ({
        resources: new Set(
            ev.resources
                .filter(
                    (r) =>
                        !r.type.startsWith("test:") &&
                        r.type !== "pulumi:providers:kubernetes" &&
                        r.type !== "pulumi:pulumi:Stack",
                )
                .map(key),
        ),
        outputs: new Set(Object.keys(ev.outputs)),
    });
    /** Every resource under the component of `type` (itself included). */
    const subtree = (ev: Evaluation, type: string): Set<string> => {
        const root = ev.resources.find((r) => r.type === type);
        assert.ok(root, `no ${type}`);
        const urns = new Set([root.urn]);
        let grew = true;
        while (grew) {
            grew = false;
            for (const r of ev.resources)
                if (!urns.has(r.urn) && urns.has(r.parent)) {
                    urns.add(r.urn);
                    grew = true;
                }
        }
        return new Set(ev.resources.filter((r) => urns.has(r.urn)).map(key));
    };
    const minus = (a: Set<string>, b: Set<string>) => new Set([...a].filter((x) => !b.has(x)));

    let full: Evaluation;
    before(async () => {
        full = await run(gpuSettings(allOn), false);
    });

    const cases: { toggle: string; settings: Settings; component: string; outputs: string[] }[] = [
        {
            toggle: "grafana",
            settings: gpuSettings({ ...allOn, grafana: { enabled: false } }),
            component: "torchserve-platform:index:Grafana",
            outputs: ["grafanaUrl", "grafanaAdminPassword"],
        },
        {
            toggle: "autoscaling",
            settings: gpuSettings({ ...allOn, autoscaling: { enabled: false } }),
            component: "torchserve-platform:index:Autoscaling",
            outputs: [],
        },
        {
            // Grafana stays (with grafana.prometheusUrl); autoscaling needs Prometheus, so it is off too.
            toggle: "prometheus",
            settings: gpuSettings({
                ...allOn,
                prometheus: { enabled: false },
                autoscaling: { enabled: false },
                grafana: { enabled: true, prometheusUrl: "http://prom.example:9090" },
            }),
            component: "torchserve-platform:index:Monitoring",
            outputs: [],
        },
    ];
    for (const c of cases) {
        it(`turning ${c.toggle} off removes exactly its resources and outputs`, async () => {
            const off = await run(c.settings, false);
            const a = summary(full);
            const b = summary(off);
            let expected = subtree(full, c.component);
            if (c.toggle === "prometheus")
                expected = new Set([...expected, ...subtree(full, "torchserve-platform:index:Autoscaling")]);
            assert.deepStrictEqual([...minus(a.resources, b.resources)].sort(), [...expected].sort());
            assert.deepStrictEqual([...minus(b.resources, a.resources)], [], "turning a toggle off added resources");
            assert.deepStrictEqual([...minus(a.outputs, b.outputs)].sort(), [...c.outputs].sort());
        });
    }

    it("with everything off registers nothing", async () => {
        const ev = await run(gpuSettings(), false);
        assert.deepStrictEqual([...summary(ev).resources], []);
        assert.deepStrictEqual(Object.keys(ev.outputs), []);
    });

    it("refuses autoscaling without Prometheus", async () => {
        await assert.rejects(run(gpuSettings({ autoscaling: { enabled: true } }), false), /requires prometheus/);
    });
});

describe("Prometheus's volume", () => {
    const prometheus = testSettings(allOn).prometheus;
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
