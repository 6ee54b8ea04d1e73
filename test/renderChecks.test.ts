// The render tests' building blocks on crafted input: each cross-check passes on a sound cluster
// and fails, naming the object, on a broken one; schema validation, selectors, release reading
// and pool reading likewise.
import * as assert from "assert";
import * as yaml from "js-yaml";
import { separateDocuments } from "./support/helm";
import { NodePool, nodePools } from "./support/render/cluster";
import { crdOrderProblems } from "./support/render/checks/crdOrder";
import { monitorProblems } from "./support/render/checks/monitors";
import { schedulingProblems } from "./support/render/checks/scheduling";
import { addressesIn, serviceReferenceProblems } from "./support/render/checks/serviceRefs";
import type { ProgramResource } from "./support/render/evaluation";
import { K8sObject, parseManifest, Placed } from "./support/render/manifest";
import { autoName, dependencyClosure, helmReleases } from "./support/render/releases";
import { providedApiVersions } from "./support/render/render";
import { matchesRequirement, selects, tolerationMatches } from "./support/render/selectors";
import { schemaProblems } from "./support/render/validate";

const obj = (
    apiVersion: string,
    kind: string,
    name: string,
    namespace: string | undefined,
    rest: Record<string, any> = {},
    labels?: Record<string, string>,
): K8sObject => ({
    apiVersion,
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}) },
    ...rest,
});
const placed = (object: K8sObject, urn = "urn:release:a"): Placed => ({ object, origin: `test ${urn}`, urn });

/** Runs `check` on the sound input and on each broken variant: [] for the first, a message matching `expect` for each other. */
function table<T>(check: (input: T) => string[], sound: T, broken: Record<string, { input: T; expect: RegExp }>) {
    it("passes on the sound input", () => assert.deepStrictEqual(check(sound), []));
    for (const [name, row] of Object.entries(broken)) {
        it(`fails: ${name}`, () => {
            const problems = check(row.input);
            assert.ok(
                problems.some((p) => row.expect.test(p)),
                `expected a problem matching ${row.expect}, got ${JSON.stringify(problems)}`,
            );
        });
    }
}

describe("render check: scheduling", () => {
    const pools: NodePool[] = [
        { name: "system", gpu: false, labels: { "kubernetes.io/os": "linux", pool: "system" }, taints: [] },
        {
            name: "gpu",
            gpu: true,
            labels: { "kubernetes.io/os": "linux", pool: "gpu" },
            taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }],
        },
    ];
    const deployment = (spec: Record<string, any>, name = "web") =>
        obj("apps/v1", "Deployment", name, "ns", { spec: { template: { spec: { containers: [], ...spec } } } });
    const daemonSet = (spec: Record<string, any>, name = "agent") =>
        obj("apps/v1", "DaemonSet", name, "ns", { spec: { template: { spec: { containers: [], ...spec } } } });
    const gpuToleration = { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" };
    const expect = {
        mustCover: (p: Placed) =>
            p.object.metadata.name === "gpu-agent"
                ? { pool: (pool: NodePool) => pool.gpu, because: "GPU agent" }
                : undefined,
        idleByDesign: (p: Placed) => (p.object.metadata.name === "idle" ? "waits for a label" : undefined),
    };
    const check = (objects: K8sObject[]) =>
        schedulingProblems(
            objects.map((o) => placed(o)),
            pools,
            expect,
        );
    table(
        check,
        [
            deployment({ nodeSelector: { pool: "system" } }),
            deployment({ nodeSelector: { pool: "gpu" }, tolerations: [gpuToleration] }),
            daemonSet({ tolerations: [{ operator: "Exists" }] }, "gpu-agent"),
            daemonSet(
                {
                    affinity: {
                        nodeAffinity: {
                            requiredDuringSchedulingIgnoredDuringExecution: {
                                nodeSelectorTerms: [
                                    { matchExpressions: [{ key: "pool", operator: "In", values: ["gpu"] }] },
                                ],
                            },
                        },
                    },
                    tolerations: [gpuToleration],
                },
                "gpu-agent",
            ),
            daemonSet({ nodeSelector: { "nvidia.com/mps.capable": "true" } }, "idle"),
            obj("monitoring.coreos.com/v1", "Prometheus", "p", "ns", { spec: { nodeSelector: { pool: "system" } } }),
        ],
        {
            "a nodeSelector no pool's labels satisfy": {
                input: [deployment({ nodeSelector: { pool: "sytem" } })],
                expect: /Deployment ns\/web fits no node pool.*nodeSelector/,
            },
            "a GPU pod without the GPU toleration": {
                input: [deployment({ nodeSelector: { pool: "gpu" } })],
                expect: /fits no node pool.*taint nvidia.com\/gpu=true:NoSchedule not tolerated/,
            },
            "a toleration with the wrong value": {
                input: [
                    deployment({
                        nodeSelector: { pool: "gpu" },
                        tolerations: [
                            { key: "nvidia.com/gpu", operator: "Equal", value: "present", effect: "NoSchedule" },
                        ],
                    }),
                ],
                expect: /fits no node pool/,
            },
            "required affinity no pool satisfies": {
                input: [
                    deployment({
                        affinity: {
                            nodeAffinity: {
                                requiredDuringSchedulingIgnoredDuringExecution: {
                                    nodeSelectorTerms: [
                                        {
                                            matchExpressions: [
                                                {
                                                    key: "feature.node.kubernetes.io/pci-10de.present",
                                                    operator: "In",
                                                    values: ["true"],
                                                },
                                            ],
                                        },
                                    ],
                                },
                            },
                        },
                    }),
                ],
                expect: /required node affinity/,
            },
            "a GPU DaemonSet that only fits the system pool": {
                input: [daemonSet({}, "gpu-agent")],
                expect: /DaemonSet ns\/gpu-agent must run on gpu \(GPU agent\) but cannot: taint/,
            },
            "an idle-by-design DaemonSet that would run after all": {
                input: [daemonSet({}, "idle")],
                expect: /should run nowhere .* but fits system/,
            },
            "a Prometheus whose pods fit nowhere": {
                input: [
                    obj("monitoring.coreos.com/v1", "Prometheus", "p", "ns", {
                        spec: { nodeSelector: { pool: "none" } },
                    }),
                ],
                expect: /Prometheus ns\/p fits no node pool/,
            },
            "a CronJob whose pods fit nowhere": {
                input: [
                    obj("batch/v1", "CronJob", "c", "ns", {
                        spec: { jobTemplate: { spec: { template: { spec: { nodeSelector: { pool: "none" } } } } } },
                    }),
                ],
                expect: /CronJob ns\/c fits no node pool/,
            },
        },
    );
    it("fails when the cluster has no pools", () =>
        assert.deepStrictEqual(schedulingProblems([], [], {}), ["the cluster has no node pools"]));
});

describe("render check: monitors", () => {
    const svc = (labels: Record<string, string>, ports: any[], ns = "apps", name = "svc") =>
        obj("v1", "Service", name, ns, { spec: { ports } }, labels);
    const sm = (spec: Record<string, any>, ns = "monitoring") =>
        obj("monitoring.coreos.com/v1", "ServiceMonitor", "sm", ns, { spec });
    const pm = (spec: Record<string, any>) =>
        obj("monitoring.coreos.com/v1", "PodMonitor", "pm", "monitoring", { spec });
    const prometheus = (spec: Record<string, any>) =>
        obj("monitoring.coreos.com/v1", "Prometheus", "prom", "monitoring", { spec });
    const allSelectors = {
        serviceMonitorSelector: {},
        serviceMonitorNamespaceSelector: {},
        podMonitorSelector: {},
        podMonitorNamespaceSelector: {},
        ruleSelector: {},
        ruleNamespaceSelector: {},
    };
    const pods = obj("apps/v1", "Deployment", "ts", "apps", {
        spec: {
            template: {
                metadata: { labels: { app: "ts" } },
                spec: { containers: [{ name: "c", ports: [{ name: "metrics", containerPort: 8082 }] }] },
            },
        },
    });
    const sound = [
        prometheus(allSelectors),
        svc({ app: "x" }, [{ name: "metrics", port: 9400 }]),
        sm({
            selector: { matchLabels: { app: "x" } },
            namespaceSelector: { matchNames: ["apps"] },
            endpoints: [{ port: "metrics" }],
        }),
        svc({ app: "local" }, [{ name: "http", port: 80 }], "monitoring", "local"),
        sm({
            selector: { matchExpressions: [{ key: "app", operator: "In", values: ["local"] }] },
            endpoints: [{ port: "http" }],
        }),
        pods,
        pm({
            selector: { matchLabels: { app: "ts" } },
            namespaceSelector: { any: true },
            podMetricsEndpoints: [{ port: "metrics" }],
        }),
        obj("monitoring.coreos.com/v1", "PrometheusRule", "rules", "monitoring", { spec: { groups: [] } }),
    ];
    const replace = (i: number, o: K8sObject) => sound.map((s, j) => (j === i ? o : s));
    table((objects: K8sObject[]) => monitorProblems(objects.map((o) => placed(o))), sound, {
        "a ServiceMonitor selecting labels no Service has": {
            input: replace(
                2,
                sm({
                    selector: { matchLabels: { app: "y" } },
                    namespaceSelector: { matchNames: ["apps"] },
                    endpoints: [{ port: "metrics" }],
                }),
            ),
            expect: /ServiceMonitor monitoring\/sm selects no Service/,
        },
        "a ServiceMonitor looking in its own namespace for a Service elsewhere": {
            input: replace(2, sm({ selector: { matchLabels: { app: "x" } }, endpoints: [{ port: "metrics" }] })),
            expect: /selects no Service/,
        },
        "a ServiceMonitor scraping a port the Service does not name": {
            input: replace(
                2,
                sm({
                    selector: { matchLabels: { app: "x" } },
                    namespaceSelector: { matchNames: ["apps"] },
                    endpoints: [{ port: "http-metrics" }],
                }),
            ),
            expect: /scrapes port "http-metrics", which no selected Service \(Service apps\/svc\) has/,
        },
        "a PodMonitor selecting no pod": {
            input: replace(
                6,
                pm({
                    selector: { matchLabels: { app: "other" } },
                    namespaceSelector: { any: true },
                    podMetricsEndpoints: [{ port: "metrics" }],
                }),
            ),
            expect: /PodMonitor monitoring\/pm selects no pods/,
        },
        "a PodMonitor scraping a port the pods do not declare": {
            input: replace(
                6,
                pm({
                    selector: { matchLabels: { app: "ts" } },
                    namespaceSelector: { any: true },
                    podMetricsEndpoints: [{ port: "metric" }],
                }),
            ),
            expect: /scrapes port "metric", which no selected pod \(Deployment apps\/ts\) declares/,
        },
        "a Prometheus that selects no ServiceMonitor (absent selector)": {
            input: replace(0, prometheus({ ...allSelectors, serviceMonitorSelector: undefined })),
            expect: /ServiceMonitor monitoring\/sm is selected by no Prometheus/,
        },
        "a Prometheus whose rule selector wants a label the rule lacks": {
            input: replace(
                0,
                prometheus({ ...allSelectors, ruleSelector: { matchLabels: { release: "kube-prometheus-stack" } } }),
            ),
            expect: /PrometheusRule monitoring\/rules is selected by no Prometheus/,
        },
        "a Prometheus looking only in its own namespace for PodMonitors elsewhere": {
            input: [
                prometheus({ ...allSelectors, podMonitorNamespaceSelector: undefined }),
                pods,
                {
                    ...pm({ selector: { matchLabels: { app: "ts" } }, podMetricsEndpoints: [{ port: "metrics" }] }),
                    metadata: { name: "pm", namespace: "apps" },
                },
            ],
            expect: /PodMonitor apps\/pm is selected by no Prometheus/,
        },
    });
});

describe("render check: in-cluster addresses", () => {
    it("reads service addresses out of text", () => {
        assert.deepStrictEqual(addressesIn("url: http://prom.monitoring.svc.cluster.local:9090/api"), [
            {
                name: "prom",
                namespace: "monitoring",
                port: 9090,
                text: "http://prom.monitoring.svc.cluster.local:9090",
            },
        ]);
        assert.deepStrictEqual(addressesIn("https://grafana.monitoring.svc"), [
            { name: "grafana", namespace: "monitoring", port: 443, text: "https://grafana.monitoring.svc" },
        ]);
        assert.deepStrictEqual(addressesIn("discoveryAddress: istiod.istio-system.svc:15012"), [
            { name: "istiod", namespace: "istio-system", port: 15012, text: "istiod.istio-system.svc:15012" },
        ]);
        assert.deepStrictEqual(addressesIn("--host=op,op.monitoring.svc"), [
            { name: "op", namespace: "monitoring", text: "op.monitoring.svc" },
        ]);
        // Not service addresses: a third label in front, a workload-identity pool, a wildcard.
        assert.deepStrictEqual(addressesIn("a.b.c.svc project.svc.id.goog *.istio-system.svc"), []);
    });
    const prom = obj("v1", "Service", "prom", "monitoring", { spec: { ports: [{ name: "http-web", port: 9090 }] } });
    const datasource = (url: string) =>
        obj("v1", "ConfigMap", "grafana", "monitoring", {
            data: { "datasources.yaml": `datasources:\n- url: ${url}\n` },
        });
    const adapter = (url: string) =>
        obj("apps/v1", "Deployment", "adapter", "monitoring", {
            spec: { template: { spec: { containers: [{ name: "a", args: [`--prometheus-url=${url}`] }] } } },
        });
    const webhook = (port?: number) =>
        obj("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "wh", undefined, {
            webhooks: [
                {
                    name: "v.example.com",
                    clientConfig: { service: { name: "prom", namespace: "monitoring", ...(port ? { port } : {}) } },
                },
            ],
        });
    table(
        (objects: K8sObject[]) => serviceReferenceProblems(objects.map((o) => placed(o))),
        [
            prom,
            datasource("http://prom.monitoring.svc.cluster.local:9090"),
            adapter("http://prom.monitoring.svc:9090/"),
            webhook(9090),
            obj("apiregistration.k8s.io/v1", "APIService", "v1beta1.custom.metrics.k8s.io", undefined, {
                spec: { service: { name: "prom", namespace: "monitoring", port: 9090 } },
            }),
        ],
        {
            "a datasource URL naming a Service that does not exist": {
                input: [prom, datasource("http://prometheus.monitoring.svc.cluster.local:9090")],
                expect: /ConfigMap monitoring\/grafana refers to .*but there is no Service monitoring\/prometheus/,
            },
            "an adapter URL on the wrong port": {
                input: [prom, adapter("http://prom.monitoring.svc:9091/")],
                expect: /Deployment monitoring\/adapter .* has no port 9091 \(ports 9090\)/,
            },
            "an http URL without a port (80) to a Service on 9090": {
                input: [prom, datasource("http://prom.monitoring.svc")],
                expect: /has no port 80/,
            },
            "the right Service name in the wrong namespace": {
                input: [prom, datasource("http://prom.default.svc:9090")],
                expect: /no Service default\/prom/,
            },
            "a webhook defaulting to port 443 on a Service without it": {
                input: [prom, webhook()],
                expect: /webhook v.example.com, but Service monitoring\/prom has no port 443/,
            },
            "an address inside Secret data": {
                input: [
                    prom,
                    obj("v1", "Secret", "s", "monitoring", {
                        data: { url: Buffer.from("http://gone.monitoring.svc:80").toString("base64") },
                    }),
                ],
                expect: /Secret monitoring\/s .*no Service monitoring\/gone/,
            },
        },
    );
});

describe("render check: custom resources wait for their CRD's release", () => {
    const crd = obj(
        "apiextensions.k8s.io/v1",
        "CustomResourceDefinition",
        "podmonitors.monitoring.coreos.com",
        undefined,
        {
            spec: {
                group: "monitoring.coreos.com",
                scope: "Namespaced",
                names: { kind: "PodMonitor" },
                versions: [{ name: "v1", served: true }],
            },
        },
    );
    const pmObj = obj("monitoring.coreos.com/v1", "PodMonitor", "pm", "monitoring", { spec: {} });
    const closure = (deps: Record<string, string[]>) =>
        dependencyClosure(Object.entries(deps).map(([urn, dependencies]) => ({ urn, dependencies })));
    const input = (pmUrn: string, deps: Record<string, string[]>, withCrd = true) => ({
        placed: [
            ...(withCrd ? [placed(crd, "kps")] : []),
            placed(pmObj, pmUrn),
            placed(obj("apps/v1", "Deployment", "d", "x"), "other"),
        ],
        closure: closure(deps),
    });
    table(
        ({ placed: p, closure: c }: ReturnType<typeof input>) => crdOrderProblems(p, c),
        input("program-pm", { "program-pm": ["mid"], mid: ["kps"], kps: [] }),
        {
            "a custom resource that does not wait for the release": {
                input: input("program-pm", { "program-pm": ["ns"], kps: [] }),
                expect: /PodMonitor monitoring\/pm does not wait for test kps, which installs its CRD/,
            },
            "a custom resource whose CRD no release installs": {
                input: input("program-pm", { "program-pm": [] }, false),
                expect: /no release of the stack installs the CRD for monitoring.coreos.com\/v1 PodMonitor/,
            },
            "a custom resource of a version the CRD does not serve": {
                input: {
                    ...input("program-pm", { "program-pm": ["kps"] }),
                    placed: [
                        placed(crd, "kps"),
                        placed({ ...pmObj, apiVersion: "monitoring.coreos.com/v2" }, "program-pm"),
                    ],
                },
                expect: /no release of the stack installs the CRD for monitoring.coreos.com\/v2/,
            },
        },
    );
    it("accepts a custom resource rendered by the release that installs its CRD", () => {
        assert.deepStrictEqual(crdOrderProblems([placed(crd, "kps"), placed(pmObj, "kps")], closure({ kps: [] })), []);
    });
});

describe("render: schema validation", () => {
    const crd = parseManifest(`
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets}
  versions:
  - name: v1
    served: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer}
              mode: {type: string, pattern: '^(?i)(fast|slow)?$'}
              note: {type: string, nullable: true}
              extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
              port: {x-kubernetes-int-or-string: true}
`)[0].object;
    const widget = (spec: Record<string, unknown>) => obj("example.com/v1", "Widget", "w", "ns", { spec });
    const cases: [string, K8sObject, RegExp | null][] = [
        [
            "a valid custom resource",
            widget({ size: 3, mode: "FAST", note: null, extra: { any: 1 }, port: "http" }),
            null,
        ],
        ["a field of the wrong type", widget({ size: "3" }), /Widget ns\/w: \/spec\/size must be integer/],
        [
            "a field the CRD does not declare (pruned by the API server)",
            widget({ sise: 3 }),
            /must NOT have additional properties \(sise\)/,
        ],
        ["a value the pattern rejects", widget({ mode: "medium" }), /\/spec\/mode must match pattern/],
        [
            "a valid Deployment",
            obj("apps/v1", "Deployment", "d", "ns", {
                spec: { selector: {}, template: { spec: { containers: [{ name: "c", image: "i:1" }] } } },
            }),
            null,
        ],
        [
            "a Deployment with a string container port",
            obj("apps/v1", "Deployment", "d", "ns", {
                spec: {
                    selector: {},
                    template: { spec: { containers: [{ name: "c", ports: [{ containerPort: "80" }] }] } },
                },
            }),
            /Deployment ns\/d: .*containerPort must be integer/,
        ],
        [
            "a custom kind no CRD of the stack serves",
            obj("example.com/v1", "Gadget", "g", "ns"),
            /no CRD the stack installs serves example.com\/v1 Gadget/,
        ],
        [
            "a Kubernetes kind kubernetes-models does not know",
            obj("apps/v1", "Deploymnet", "d", "ns"),
            /kubernetes-models has no schema for apps\/v1 Deploymnet/,
        ],
    ];
    for (const [name, o, expect] of cases) {
        it(`${expect ? "fails" : "passes"}: ${name}`, async () => {
            const problems = await schemaProblems(o, [crd]);
            if (!expect) assert.deepStrictEqual(problems, []);
            else
                assert.ok(
                    problems.some((p) => expect.test(p)),
                    JSON.stringify(problems),
                );
        });
    }
    it("offers the CRD's served versions as API versions to later releases", () => {
        assert.deepStrictEqual(
            providedApiVersions([
                crd,
                obj("apiregistration.k8s.io/v1", "APIService", "x", undefined, {
                    spec: { group: "custom.metrics.k8s.io", version: "v1beta1" },
                }),
            ]),
            ["custom.metrics.k8s.io/v1beta1", "example.com/v1", "example.com/v1/Widget"],
        );
    });
});

describe("render: selectors", () => {
    const labels = { app: "x", tier: "web", n: "5" };
    const rows: [string, Parameters<typeof matchesRequirement>[1], boolean][] = [
        ["In", { key: "app", operator: "In", values: ["x", "y"] }, true],
        ["In, other value", { key: "app", operator: "In", values: ["y"] }, false],
        ["NotIn, absent key", { key: "zone", operator: "NotIn", values: ["a"] }, true],
        ["NotIn, listed value", { key: "app", operator: "NotIn", values: ["x"] }, false],
        ["Exists", { key: "tier", operator: "Exists" }, true],
        ["DoesNotExist", { key: "tier", operator: "DoesNotExist" }, false],
        ["Gt", { key: "n", operator: "Gt", values: ["4"] }, true],
        ["Lt", { key: "n", operator: "Lt", values: ["4"] }, false],
    ];
    for (const [name, r, want] of rows)
        it(`${name} → ${want}`, () => assert.strictEqual(matchesRequirement(labels, r), want));
    it("an empty selector selects everything, an absent one nothing", () => {
        assert.strictEqual(selects({}, labels), true);
        assert.strictEqual(selects(undefined, labels), false);
        assert.strictEqual(
            selects(
                { matchLabels: { app: "x" }, matchExpressions: [{ key: "tier", operator: "In", values: ["db"] }] },
                labels,
            ),
            false,
        );
    });
    it("tolerations: empty key with Exists tolerates all; value and effect must match otherwise", () => {
        const taint = { key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" as const };
        assert.strictEqual(tolerationMatches({ operator: "Exists" }, taint), true);
        assert.strictEqual(tolerationMatches({ key: "nvidia.com/gpu", operator: "Exists" }, taint), true);
        assert.strictEqual(
            tolerationMatches(
                { key: "nvidia.com/gpu", operator: "Equal", value: "present", effect: "NoSchedule" },
                taint,
            ),
            false,
        );
        assert.strictEqual(
            tolerationMatches({ key: "nvidia.com/gpu", operator: "Exists", effect: "NoExecute" }, taint),
            false,
        );
    });
});

describe("render: reading releases and pools from registrations", () => {
    const res = (
        type: string,
        name: string,
        inputs: Record<string, any>,
        dependencies: string[] = [],
    ): ProgramResource => ({ urn: `urn:${name}`, type, name, inputs, dependencies });
    it("reads a release as the provider would: auto-name, default namespace, nulls dropped", () => {
        const [r] = helmReleases([
            res("kubernetes:helm.sh/v3:Release", "plugin", {
                chart: "c",
                version: "1.0.0",
                values: { a: null, b: { c: null, d: 1 }, l: [1, null] },
            }),
        ]);
        assert.match(r.name, /^plugin-[0-9a-f]{8}$/);
        assert.strictEqual(r.name, autoName("plugin", "urn:plugin"));
        assert.strictEqual(r.namespace, "default");
        assert.deepStrictEqual(r.values, { b: { d: 1 }, l: [1] });
        assert.throws(
            () => helmReleases([res("kubernetes:helm.sh/v3:Release", "x", { chart: "c" })]),
            /chart and version must be set/,
        );
    });
    it("follows dependencies transitively", () => {
        const c = dependencyClosure([
            { urn: "a", dependencies: ["b"] },
            { urn: "b", dependencies: ["c"] },
            { urn: "c", dependencies: [] },
        ]);
        assert.deepStrictEqual([...c.get("a")!].sort(), ["b", "c"]);
    });
    it("reads pools, with cloud-added labels and taints in Kubernetes spelling", () => {
        const pools = nodePools([
            res("aws:eks/nodeGroup:NodeGroup", "gpu", {
                amiType: "AL2023_x86_64_NVIDIA",
                labels: { pool: "gpu" },
                taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }],
            }),
            res("azure-native:containerservice:AgentPool", "aks-gpu", {
                agentPoolName: "gpu",
                vmSize: "Standard_NC4as_T4_v3",
                nodeTaints: ["nvidia.com/gpu=true:NoSchedule"],
            }),
            res("gcp:container/nodePool:NodePool", "gke-sys", {
                name: "system",
                nodeConfig: { machineType: "t2a-standard-4" },
            }),
        ]);
        assert.deepStrictEqual(
            pools.map((p) => [p.name, p.gpu, p.taints]),
            [
                ["eks gpu", true, [{ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }]],
                ["aks gpu", true, [{ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }]],
                ["gke system", false, []],
            ],
        );
        assert.strictEqual(pools[1].labels["kubernetes.azure.com/agentpool"], "gpu");
        assert.strictEqual(pools[2].labels["kubernetes.io/arch"], "arm64");
        assert.strictEqual(pools[2].labels["cloud.google.com/gke-nodepool"], "system");
    });
});

describe("render: CRD files joined by helm show crds", () => {
    it("each top-level apiVersion starts a document, separators already there are kept", () => {
        const joined =
            "apiVersion: v1\nkind: A\nspec:\n  apiVersion: nested\n\napiVersion: v1\nkind: B\n---\n# c\napiVersion: v1\nkind: C\n";
        assert.deepStrictEqual(
            yaml.loadAll(separateDocuments(joined)).map((d) => (d as { kind: string }).kind),
            ["A", "B", "C"],
        );
        assert.throws(() => yaml.loadAll(joined), /duplicated mapping key/);
    });
});
