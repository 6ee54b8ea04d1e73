// Composition in stacks/ (platform.ts, addons/): which add-ons a stack's settings turn on, what each waits for,
// and that turning one off removes exactly its resources and outputs. (The components themselves
// are tested from their own Args in monitoring.test.ts, istio.test.ts, torchserve.test.ts.)
import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { servingEndpoints } from "../components/torchserve/endpoints";
import { Settings } from "../stacks/config/settings";
import { createInferenceRoutes, createMesh } from "../stacks/addons/mesh";
import { createMonitoringStack, grafanaDatasourceUrl } from "../stacks/addons/monitoring";
import { evaluate, Evaluation, RegisteredResource } from "../harness/evaluate";
import { gpuSettings, testSettings } from "./support/settings";
import { gpuPlacement, systemPlacement } from "./support/specs";

/** A bare custom resource standing in for the cluster's readiness and for TorchServe. */
class Marker extends pulumi.CustomResource {
    constructor(type: string, name: string) {
        super(type, name, {});
    }
}

const allOn = { prometheus: { enabled: true }, grafana: { enabled: true }, autoscaling: { enabled: true } };
const key = (r: RegisteredResource) => `${r.type}::${r.name}`;
const release = (ev: Evaluation, chart: string) =>
    ev.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === chart);
const urnOf = (ev: Evaluation, type: string) => ev.resources.find((r) => r.type === type)!.urn;

/** createMonitoringStack on a mock cluster (update mode): a provider, a "cluster ready" marker, TorchServe. */
function runMonitoringStack(settings: Settings): Promise<Evaluation> {
    return evaluate({ project: "torchserve-platform", stack: "test", config: {}, preview: false }, async () => {
        const provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
        const ready = new Marker("test:index:ClusterReady", "cluster-ready");
        const torchServe = new Marker("test:index:TorchServe", "torchserve");
        const { outputs } = createMonitoringStack({
            settings,
            cluster: { provider, systemPlacement, gpuPlacement, systemReady: [ready] },
            serving: servingEndpoints(settings.torchserve),
            torchServe,
        });
        return { ...outputs };
    });
}

describe("monitoring composition", () => {
    it("installs Prometheus, Grafana and KEDA after the system nodes, side by side with TorchServe; the ScaledObject after it", async () => {
        const ev = await runMonitoringStack(gpuSettings(allOn));
        const ready = urnOf(ev, "test:index:ClusterReady");
        const ts = urnOf(ev, "test:index:TorchServe");
        for (const chart of ["kube-prometheus-stack", "grafana", "keda"]) {
            assert.ok(release(ev, chart)!.dependencies.includes(ready), `${chart} does not wait for the cluster`);
            assert.ok(!release(ev, chart)!.dependencies.includes(ts), `${chart} waits for TorchServe`);
        }
        const keda = release(ev, "keda")!;
        assert.ok(keda.dependencies.includes(release(ev, "kube-prometheus-stack")!.urn));
        const so = ev.resources.find((r) => r.type === "kubernetes:keda.sh/v1alpha1:ScaledObject")!;
        assert.ok(so.dependencies.includes(ts), "ScaledObject must wait for TorchServe");
    });

    it("points Grafana at the stack's Prometheus, else at grafana.prometheusUrl", async () => {
        const on = gpuSettings(allOn);
        assert.strictEqual(
            grafanaDatasourceUrl(on.prometheus, on.grafana),
            "http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090",
        );
        const ev = await runMonitoringStack(
            testSettings({ grafana: { enabled: true, prometheusUrl: "http://prom.example:9090" } }),
        );
        assert.strictEqual(
            release(ev, "grafana")!.inputs.values.datasources["datasources.yaml"].datasources[0].url,
            "http://prom.example:9090",
        );
        assert.strictEqual(release(ev, "kube-prometheus-stack"), undefined);
        // Alone in its namespace, Grafana creates it, and its admin Secret waits for it.
        const ns = ev.resources.find((r) => r.type === "kubernetes:core/v1:Namespace")!;
        assert.strictEqual(ns.inputs.metadata.name, "monitoring");
        const secret = ev.resources.find((r) => r.type === "kubernetes:core/v1:Secret" && r.name === "grafana-admin")!;
        assert.ok(secret.dependencies.includes(ns.urn));
        assert.ok(release(ev, "grafana")!.dependencies.includes(secret.urn));
        assert.throws(() => grafanaDatasourceUrl(testSettings().prometheus, testSettings().grafana), /prometheusUrl/);
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
        full = await runMonitoringStack(gpuSettings(allOn));
    });

    const cases: { toggle: string; settings: Settings; component: string; outputs: string[]; added?: string[] }[] = [
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
            // Prometheus's release created the namespace Grafana's admin Secret lives in; now Grafana does.
            added: ["kubernetes:core/v1:Namespace::grafana-namespace"],
        },
    ];
    for (const c of cases) {
        it(`turning ${c.toggle} off removes exactly its resources and outputs`, async () => {
            const off = await runMonitoringStack(c.settings);
            const a = summary(full);
            const b = summary(off);
            let expected = subtree(full, c.component);
            if (c.toggle === "prometheus")
                expected = new Set([...expected, ...subtree(full, "torchserve-platform:index:Autoscaling")]);
            assert.deepStrictEqual([...minus(a.resources, b.resources)].sort(), [...expected].sort());
            assert.deepStrictEqual(
                [...minus(b.resources, a.resources)],
                c.added ?? [],
                "turning a toggle off added resources",
            );
            assert.deepStrictEqual([...minus(a.outputs, b.outputs)].sort(), [...c.outputs].sort());
        });
    }

    it("with everything off registers nothing", async () => {
        const ev = await runMonitoringStack(gpuSettings());
        assert.deepStrictEqual([...summary(ev).resources], []);
        assert.deepStrictEqual(Object.keys(ev.outputs), []);
    });

    it("refuses autoscaling without Prometheus", async () => {
        await assert.rejects(
            runMonitoringStack(gpuSettings({ autoscaling: { enabled: true } })),
            /requires prometheus/,
        );
    });
});

describe("mesh composition", () => {
    /** createMesh + createInferenceRoutes as the platform calls them, next to a TorchServe namespace. */
    function runMesh(settings: Settings): Promise<Evaluation> {
        return evaluate({ project: "torchserve-platform", stack: "test", config: {}, preview: false }, async () => {
            const provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
            const ready = new Marker("test:index:ClusterReady", "cluster-ready");
            const mesh = createMesh(settings.istio, { provider, systemPlacement, systemReady: [ready] });
            const ns = new k8s.core.v1.Namespace("torchserve", { metadata: { name: "torchserve" } }, { provider });
            createInferenceRoutes(settings.istio, mesh, servingEndpoints(settings.torchserve), {
                provider,
                torchServeReady: [ns],
            });
            return mesh ? { ingressUrl: mesh.ingressUrl } : {};
        });
    }
    const meshy = (ev: Evaluation) =>
        ev.resources.filter(
            (r) =>
                r.type === "kubernetes:helm.sh/v3:Release" ||
                /^kubernetes:(networking|security)\.istio\.io\//.test(r.type) ||
                r.type.startsWith("torchserve-platform:index:"),
        );

    it("istio enabled: the mesh waits for the system nodes, the routes for the mesh and TorchServe's namespace", async () => {
        const ev = await runMesh(testSettings({ istio: { enabled: true } }));
        const ready = urnOf(ev, "test:index:ClusterReady");
        const systemNs = ev.resources.find(
            (r) => r.type === "kubernetes:core/v1:Namespace" && r.name === "istio-system",
        )!;
        assert.ok(systemNs.dependencies.includes(ready));
        const tsNs = ev.resources.find((r) => r.type === "kubernetes:core/v1:Namespace" && r.name === "torchserve")!;
        const releases = ev.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release");
        const routes = ev.resources.filter((r) => /^kubernetes:networking\.istio\.io\//.test(r.type));
        assert.strictEqual(routes.length, 3);
        for (const o of routes)
            for (const dep of [...releases, tsNs])
                assert.ok(o.dependencies.includes(dep.urn), `${o.name} waits for ${dep.name}`);
        assert.ok(ev.outputs.ingressUrl);
    });

    it("istio disabled: createMesh/createInferenceRoutes register nothing", async () => {
        const settings = testSettings();
        assert.strictEqual(settings.istio.enabled, false);
        const ev = await runMesh(settings);
        assert.deepStrictEqual(meshy(ev), []);
        assert.strictEqual(ev.outputs.ingressUrl, undefined);
    });
});
