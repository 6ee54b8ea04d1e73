// Every Helm release of every example stack (and of each with every add-on on), rendered by a
// real helm 3 from the vendored chart packages exactly as the Kubernetes provider would install
// it, then: every object valid against its schema, and the cross-checks on what the objects do.
// The checks themselves are proven to fail on broken input in renderChecks.test.ts.
import * as assert from "assert";
import { exampleStacks } from "../harness/stackFiles";
import { renderStack, RenderedStack } from "./support/render";
import { programResources, stackSetting } from "./support/render/evaluation";
import { crdOrderProblems } from "./support/render/checks/crdOrder";
import { monitorProblems } from "./support/render/checks/monitors";
import { SchedulingExpectations, schedulingProblems } from "./support/render/checks/scheduling";
import { serviceReferenceProblems, serviceReferences } from "./support/render/checks/serviceRefs";
import { vendoredCharts } from "./support/render/charts";
import { describe as describeObject, Placed } from "./support/render/manifest";
import { allSchemaProblems } from "./support/render/validate";

/** Every add-on on: Prometheus (and dcgm-exporter where there are GPUs), Grafana, autoscaling, Istio. */
function everyAddOn(stack: string): Record<string, unknown> {
    const torchserve = stackSetting(stack, "torchserve") as Record<string, unknown>;
    return {
        // Autoscaling runs up to two pods, which share the model store only on a ReadWriteMany class.
        torchserve:
            stack === "dev"
                ? { ...torchserve, storageAccessMode: "ReadWriteMany", storageClass: "nfs-client" }
                : torchserve,
        prometheus: true,
        grafana: true,
        autoscaling: true,
        // Loki and its shipper on every stack (cloud stacks log to the cloud by default).
        logging: { enabled: true, backend: "loki" },
        // Triton (the gke example's) is not combined with istio and autoscaling yet (refused).
        triton: false,
        istio: {
            enabled: true,
            strictMtls: true,
            jwt: { issuer: "https://issuer.example.com", jwksUri: "https://issuer.example.com/jwks" },
        },
    };
}

const cases = exampleStacks().flatMap((stack) => [
    { label: stack, stack, override: undefined as Record<string, unknown> | undefined },
    { label: `${stack}, every add-on on`, stack, override: everyAddOn(stack) },
]);

/** The chart a release-rendered object comes from. */
function chartOf(s: RenderedStack, p: Placed): string | undefined {
    return s.releases.find((r) => r.release.urn === p.urn)?.release.chart;
}

function expectations(s: RenderedStack): SchedulingExpectations {
    return {
        mustCover: (p) => {
            const chart = chartOf(s, p);
            if (
                chart === "dcgm-exporter" ||
                (chart === "nvidia-device-plugin" && !p.object.metadata.name.endsWith("-mps-control-daemon"))
            ) {
                return { pool: (pool) => pool.gpu, because: "a GPU agent" };
            }
            if (
                chart === "kube-prometheus-stack" &&
                p.object.metadata.labels?.["app.kubernetes.io/name"] === "prometheus-node-exporter"
            ) {
                return { pool: () => true, because: "node metrics come from every node" };
            }
            if (chart === "alloy" && p.object.kind === "DaemonSet") {
                return { pool: () => true, because: "every node's container logs are shipped" };
            }
            return undefined;
        },
        // templates/daemonset-mps-control-daemon.yml: "We only deploy this pod if the following sharing
        // label is applied" (nvidia.com/mps.capable=true, set only when MPS sharing is configured).
        idleByDesign: (p) =>
            chartOf(s, p) === "nvidia-device-plugin" && p.object.metadata.name.endsWith("-mps-control-daemon")
                ? "the MPS control daemon waits for nvidia.com/mps.capable=true; the program configures no MPS sharing"
                : undefined,
    };
}

describe("Helm releases rendered by helm", function () {
    const stacks = new Map<string, RenderedStack>();

    before(async function () {
        // Several program evaluations and helm renders: beside the policy-pack suite's evaluations
        // (the other parallel job) on a busy machine they take longer than mocha's default minute.
        this.timeout(300000);
        const pending: Promise<void>[] = [];
        for (const c of cases) {
            // Evaluations share the Pulumi runtime, so they run one at a time; renders (child
            // processes) overlap with the next evaluation.
            await programResources(c.stack, c.override);
            pending.push(renderStack(c.stack, c.override).then((s) => void stacks.set(c.label, s)));
        }
        await Promise.all(pending);
    });

    it("renders every vendored chart in some case", () => {
        const rendered = new Set(
            [...stacks.values()].flatMap((s) => s.releases.map((r) => `${r.release.chart}-${r.release.version}.tgz`)),
        );
        assert.deepStrictEqual(
            Object.keys(vendoredCharts()).filter((f) => !rendered.has(f)),
            [],
        );
    });

    for (const c of cases) {
        describe(c.label, () => {
            const s = () => stacks.get(c.label)!;

            it("renders objects for every release", () => {
                for (const r of s().releases) assert.ok(r.objects.length > 0, `${r.release.name} rendered nothing`);
            });

            it("every object passes its schema (Kubernetes' own kinds, custom resources against the stack's CRDs)", async () => {
                assert.deepStrictEqual(await allSchemaProblems(s().objects, s().crds), []);
            });

            it("every workload fits a node pool; GPU agents fit every GPU pool, node agents every pool", () => {
                assert.deepStrictEqual(schedulingProblems(s().objects, s().pools, expectations(s())), []);
            });

            it("every ServiceMonitor/PodMonitor selects a Service/pod with its port, and a Prometheus selects it", () => {
                assert.deepStrictEqual(monitorProblems(s().objects, s().clusterObjects), []);
            });

            it("every in-cluster address and service reference points at an existing Service and port", () => {
                assert.deepStrictEqual(serviceReferenceProblems(s().objects, s().clusterObjects), []);
            });

            it("every custom resource waits for the release that installs its CRD", () => {
                assert.deepStrictEqual(crdOrderProblems(s().objects, s().closure), []);
            });

            if (c.override) {
                it("the checks see what they are meant to: Prometheus URLs, monitors, GPU agents, the program's custom resources", () => {
                    const objects = s().objects;
                    const refs = objects.flatMap((p) =>
                        serviceReferences(p.object).map(
                            (r) => `${describeObject(p.object)} -> ${r.namespace}/${r.name}:${r.port}`,
                        ),
                    );
                    for (const from of ["ConfigMap monitoring/grafana", "ConfigMap logging/alloy"]) {
                        assert.ok(refs.includes(`${from} -> logging/loki:3100`), `${from} in ${refs.join("; ")}`);
                    }
                    for (const from of ["ConfigMap monitoring/grafana", "ScaledObject torchserve/torchserve"]) {
                        assert.ok(
                            refs.includes(`${from} -> monitoring/kube-prometheus-stack-prometheus:9090`),
                            `${from} in ${refs.join("; ")}`,
                        );
                    }
                    const kinds = (kind: string) =>
                        objects.filter((p) => p.object.kind === kind).map((p) => describeObject(p.object));
                    assert.ok(kinds("PodMonitor").includes("PodMonitor monitoring/torchserve"));
                    assert.ok(kinds("ServiceMonitor").length > 5, kinds("ServiceMonitor").join(", "));
                    assert.ok(kinds("Deployment").includes("Deployment torchserve/torchserve"));
                    for (const kind of [
                        "PrometheusRule",
                        "Gateway",
                        "VirtualService",
                        "DestinationRule",
                        "RequestAuthentication",
                        "AuthorizationPolicy",
                    ]) {
                        assert.ok(
                            objects.some((p) => p.object.kind === kind && p.origin.startsWith("program ")),
                            `program registers a ${kind}`,
                        );
                    }
                    if (s().pools.some((p) => p.gpu) && c.stack !== "dev")
                        assert.ok(
                            kinds("DaemonSet").some((d) => d.includes("dcgm-exporter")),
                            kinds("DaemonSet").join(", "),
                        );
                });
            }
        });
    }
});
