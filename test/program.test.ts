// The whole program (what `pulumi up -s dev` runs) under preview and update mocks: the dev stack and
// variants of it. Component details are tested next to each component; this checks composition.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { Evaluation, RegisteredResource, UNKNOWN } from "../harness/evaluate";
import { configFor, runProgram } from "../harness/program";
import { all, one } from "./support/match";
import { kubernetesObjects, validateKubernetesObject } from "./support/schema";

const cpuModel = (name: string) => ({ name, url: `https://torchserve.pytorch.org/mar_files/${name}.mar` });

const variants: Record<string, Record<string, unknown> | undefined> = {
    "dev as committed": undefined,
    "GPU on an existing cluster": {
        torchserve: {
            image: "pytorch/torchserve:0.12.0-gpu",
            nGpu: 1,
            nCpu: 2,
            memoryRequest: "4Gi",
            memoryLimit: "8Gi",
            models: [cpuModel("squeezenet1_1")],
        },
    },
    "two replicas on an RWX class": {
        torchserve: {
            image: "pytorch/torchserve:0.12.0-cpu",
            nGpu: 0,
            replicas: 2,
            storageClass: "nfs-client",
            models: [cpuModel("squeezenet1_1")],
        },
    },
    "several models, non-default ports and namespace": {
        torchserve: {
            image: "pytorch/torchserve:0.12.0-cpu",
            nGpu: 0,
            namespace: "serving",
            inferencePort: 9080,
            managementPort: 9081,
            metricsPort: 9082,
            grpcInferencePort: 9070,
            grpcManagementPort: 9071,
            models: [
                cpuModel("squeezenet1_1"),
                cpuModel("mnist_v2"),
                { ...cpuModel("resnet-18"), minWorkers: 2, maxWorkers: 4, batchSize: 8 },
            ],
        },
    },
};

for (const preview of [true, false]) {
    describe(`program (${preview ? "preview" : "update"} mocks)`, () => {
        for (const [name, override] of Object.entries(variants)) {
            describe(name, () => {
                let ev: Evaluation;
                before(async () => {
                    ev = await runProgram({ stack: "dev", override, preview });
                });

                it("exports the outputs of docs/architecture.md, kubeconfig as a secret", () => {
                    for (const k of [
                        "cloud",
                        "clusterName",
                        "namespace",
                        "inferenceUrl",
                        "managementUrl",
                        "metricsUrl",
                        "grpcUrl",
                        "kubeconfig",
                    ]) {
                        assert.ok(k in ev.outputs, `output ${k}`);
                    }
                    assert.strictEqual(ev.outputs.cloud, "existing");
                    assert.ok(ev.secretOutputs.includes("kubeconfig"));
                    for (const absent of ["grafanaUrl", "grafanaAdminPassword", "ingressUrl"])
                        assert.ok(!(absent in ev.outputs), absent);
                });

                it("creates no cluster and puts every Kubernetes object on the stack's provider", () => {
                    const providers = all(ev, "pulumi:providers:kubernetes");
                    assert.strictEqual(providers.length, 1);
                    const ref = `${providers[0].urn}::`;
                    for (const r of ev.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"))) {
                        assert.ok(
                            r.provider.startsWith(ref),
                            `${r.type} ${r.name} uses ${r.provider || "the default provider"}`,
                        );
                    }
                    assert.ok(!ev.resources.some((r) => /^(aws|eks|azure-native|gcp):/.test(r.type)));
                });

                it("serves on the configured ports in the configured namespace", () => {
                    const ts = (override?.torchserve ?? {}) as Record<string, any>;
                    const ns = ts.namespace ?? "torchserve";
                    const svc = one(ev, "kubernetes:core/v1:Service");
                    assert.strictEqual(svc.inputs.metadata.namespace, ns);
                    const ports = svc.inputs.spec.ports.map((p: any) => p.port).sort();
                    const expected = [
                        ts.inferencePort ?? 8080,
                        ts.managementPort ?? 8081,
                        ts.metricsPort ?? 8082,
                        ts.grpcInferencePort ?? 7070,
                        ts.grpcManagementPort ?? 7071,
                    ].sort();
                    assert.deepStrictEqual(ports, expected);
                    assert.strictEqual(ev.outputs.namespace, ns);
                    if (!preview) {
                        assert.strictEqual(
                            ev.outputs.inferenceUrl,
                            `http://torchserve.${ns}.svc.cluster.local:${ts.inferencePort ?? 8080}`,
                        );
                        assert.strictEqual(
                            ev.outputs.grpcUrl,
                            `torchserve.${ns}.svc.cluster.local:${ts.grpcInferencePort ?? 7070}`,
                        );
                    } else {
                        assert.ok(
                            [UNKNOWN, `http://torchserve.${ns}.svc.cluster.local:${ts.inferencePort ?? 8080}`].includes(
                                ev.outputs.inferenceUrl,
                            ),
                        );
                    }
                });

                it("requests GPUs only when nGpu > 0, and shares RWX storage across replicas", () => {
                    const ts = (override?.torchserve ?? {}) as Record<string, any>;
                    const dep = one(ev, "kubernetes:apps/v1:Deployment");
                    const container = dep.inputs.spec.template.spec.containers[0];
                    const gpus = container.resources.limits["nvidia.com/gpu"];
                    if ((ts.nGpu ?? 0) > 0) assert.strictEqual(String(gpus), String(ts.nGpu));
                    else assert.strictEqual(gpus, undefined);
                    const pvc = one(ev, "kubernetes:core/v1:PersistentVolumeClaim");
                    assert.deepStrictEqual(pvc.inputs.spec.accessModes, [
                        (ts.replicas ?? 1) > 1 ? "ReadWriteMany" : "ReadWriteOnce",
                    ]);
                    if (ts.storageClass) assert.strictEqual(pvc.inputs.spec.storageClassName, ts.storageClass);
                });

                it("loads every configured model", () => {
                    const models = ((override?.torchserve as any)?.models ?? [cpuModel("squeezenet1_1")]) as {
                        name: string;
                    }[];
                    const config = all(ev, "kubernetes:core/v1:ConfigMap").find(
                        (c) => c.inputs.data?.["config.properties"],
                    );
                    assert.ok(config, "config.properties ConfigMap");
                    const props: string = config!.inputs.data["config.properties"];
                    const loadModels = /^load_models=(.*)$/m.exec(props)?.[1] ?? "";
                    for (const m of models)
                        assert.ok(loadModels.includes(`${m.name}=${m.name}.mar`), `${m.name} in ${loadModels}`);
                });

                it("every Kubernetes object passes the upstream OpenAPI schema", async function () {
                    if (preview) this.skip(); // unknown inputs are absent in a preview; the update run checks full objects
                    for (const r of kubernetesObjects(ev.resources)) await validateKubernetesObject(r);
                });
            });
        }
    });
}

describe("program: invalid config", () => {
    const eksTorchserve = configFor("eks")["torchserve-platform:torchserve"] as Record<string, unknown>;
    // A plain mistake, and refusals of the security rules (issue 10: "every refused combination fails
    // preview with one line naming the key and nothing registered"), on an existing and a cloud stack.
    const cases: [string, string, Record<string, unknown>, string[]][] = [
        [
            "two plain mistakes",
            "dev",
            { torchserve: { nGpu: 0, replicas: -1, inferencePort: 99999 } },
            ["torchserve-platform:torchserve.inferencePort", "torchserve-platform:torchserve.replicas"],
        ],
        [
            "management at the gateway without jwt",
            "dev",
            { istio: { enabled: true, exposeManagement: true } },
            ["torchserve-platform:istio.exposeManagement"],
        ],
        [
            "a cloud stack's model without sha256, not opted out",
            "eks",
            { torchserve: { ...eksTorchserve, allowUnverifiedModels: false } },
            ["torchserve-platform:torchserve.models[0].sha256"],
        ],
    ];
    for (const [what, stack, override, keys] of cases)
        for (const preview of [true, false]) {
            it(`${what} (${stack}): fails with one line per problem and registers nothing (${preview ? "preview" : "update"})`, async () => {
                let error: Error | undefined;
                try {
                    await runProgram({ stack, override, preview });
                } catch (e) {
                    error = e as Error;
                }
                assert.ok(error, "the run must fail");
                assert.strictEqual(error!.constructor.name, "RunError", "a RunError prints without a stack trace");
                // Registrations are asynchronous: give any that were started time to land in the record.
                await new Promise((r) => setTimeout(r, 100));
                const registered = ((error as any).registered ?? []) as RegisteredResource[];
                assert.deepStrictEqual(
                    registered.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => r.type),
                    [],
                    "nothing but the stack itself",
                );
                const lines = error!.message.split("\n");
                assert.deepStrictEqual(lines.map((l) => l.split(":").slice(0, 2).join(":")).sort(), keys);
            });
        }
});

describe("program: secret config", () => {
    it("is refused with one line naming the key, before anything is registered", async () => {
        const error = await runProgram({
            stack: "dev",
            preview: true,
            secretKeys: ["torchserve-platform:torchserve"],
        }).then(
            () => undefined,
            (e) => e,
        );
        assert.ok(error, "the run must fail");
        assert.strictEqual(error.constructor.name, "RunError");
        assert.match(error.message, /^torchserve-platform:torchserve: is set as a secret/);
        assert.ok(!error.message.includes("\n"));
    });
});

describe("program: alertReceivers (the one secret config key)", () => {
    it("puts the receivers' credentials into Alertmanager's config Secret and nowhere else", async () => {
        const hook = "https://hooks.slack.com/services/T000/B000/SECRETVALUE";
        const key = "b".repeat(32);
        const ev = await runProgram({
            stack: "dev",
            preview: false,
            override: { prometheus: true, alertReceivers: { slackWebhookUrl: hook, pagerDutyRoutingKey: key } },
            secretKeys: ["torchserve-platform:alertReceivers"],
        });
        const [secret] = all(ev, "kubernetes:core/v1:Secret").filter(
            (r) => r.inputs.metadata.name === "alertmanager-kube-prometheus-stack-alertmanager",
        );
        assert.ok(secret, "Alertmanager's config Secret");
        assert.strictEqual(secret.inputs.metadata.namespace, "monitoring");
        // Recorded in Pulumi's wire form: a secret carries the SDK's secret signature.
        const secretSig = "4dabf18193072939515e22adb298388d";
        const stringData = secret.inputs.stringData;
        assert.strictEqual(stringData[secretSig], "1b47061264138c4ac30d75fd1eb44270", "stringData is a Pulumi secret");
        const config = JSON.parse(stringData.value["alertmanager.yaml"]);
        const platform = config.receivers.find((r: any) => r.name === "platform");
        assert.strictEqual(platform.slack_configs[0].api_url, hook);
        assert.strictEqual(platform.pagerduty_configs[0].routing_key, key);
        const release = ev.resources.find((r) => r.inputs.chart === "kube-prometheus-stack")!;
        assert.strictEqual(release.inputs.values.alertmanager.alertmanagerSpec.useExistingSecret, true);
        for (const r of ev.resources.filter((x) => x !== secret)) {
            const text = JSON.stringify(r.inputs);
            assert.ok(!text.includes("SECRETVALUE") && !text.includes(key), `${r.type} ${r.name} carries a credential`);
        }
        for (const [k, v] of Object.entries(ev.outputs))
            assert.ok(!JSON.stringify(v ?? "").includes("SECRETVALUE"), `output ${k} carries a credential`);
    });
});

describe("program: Istio toggle", () => {
    const meshTypes =
        /^(kubernetes:helm\.sh\/v3:Release|kubernetes:(networking|security)\.istio\.io\/v1:|torchserve-platform:index:(IstioMesh|InferenceRoutes)$)/;
    // Logging off: its releases are not the mesh's.
    const withIstio = {
        logging: false,
        istio: { enabled: true },
        torchserve: {
            image: "pytorch/torchserve:0.12.0-cpu",
            nGpu: 0,
            storageClass: "nfs-client",
            models: [cpuModel("squeezenet1_1")],
            canary: { image: "pytorch/torchserve:0.12.0-cpu", weight: 20 },
        },
    };

    it("istio on: mesh releases, routes, a canary Deployment, the ingressUrl output, and pods join the mesh", async () => {
        const ev = await runProgram({ stack: "dev", override: withIstio, preview: false });
        const releases = all(ev, "kubernetes:helm.sh/v3:Release")
            .map((r) => r.inputs.chart)
            .sort();
        assert.deepStrictEqual(releases, ["base", "gateway", "istiod"]);
        assert.ok(all(ev, "kubernetes:networking.istio.io/v1:VirtualService").length === 1);
        assert.strictEqual(all(ev, "kubernetes:apps/v1:Deployment").length, 2, "stable + canary");
        assert.ok("ingressUrl" in ev.outputs);
        const ns = all(ev, "kubernetes:core/v1:Namespace").find((n) => n.inputs.metadata.name === "torchserve");
        assert.strictEqual(ns?.inputs.metadata.labels?.["istio-injection"], "enabled");
        // TorchServe pods start only once istiod can inject their sidecar.
        const istiod = all(ev, "kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === "istiod")!;
        const stable = all(ev, "kubernetes:apps/v1:Deployment").find((d) => d.name === "torchserve")!;
        assert.ok(stable.dependencies.includes(istiod.urn), "Deployment waits for istiod");
    });

    it("istio off: none of it", async () => {
        const ev = await runProgram({ stack: "dev", override: { logging: false }, preview: false });
        assert.deepStrictEqual(
            ev.resources.filter((r) => meshTypes.test(r.type)).map((r) => r.type),
            [],
        );
        assert.ok(!("ingressUrl" in ev.outputs));
    });
});

describe("program: monitoring toggles", () => {
    const gpuFree = {
        image: "pytorch/torchserve:0.12.0-cpu",
        nGpu: 0,
        storageClass: "nfs-client",
        storageAccessMode: "ReadWriteMany",
        models: [cpuModel("squeezenet1_1")],
    };
    const everyAddon = {
        prometheus: true,
        grafana: true,
        autoscaling: { enabled: true, maxReplicas: 3 },
        torchserve: gpuFree,
    };
    const charts = (ev: Evaluation) =>
        all(ev, "kubernetes:helm.sh/v3:Release")
            .map((r) => r.inputs.chart as string)
            .sort();
    const kinds = (ev: Evaluation) =>
        ev.resources
            .filter((r) => r.custom)
            .map((r) => r.type.split(":").pop())
            .sort();

    let full: Evaluation;
    before(async () => {
        full = await runProgram({ stack: "dev", override: everyAddon, preview: false });
    });

    it("all on: Prometheus, Grafana, KEDA releases, a ScaledObject and the Grafana outputs (and Loki, on by default)", () => {
        assert.deepStrictEqual(charts(full), ["alloy", "grafana", "keda", "kube-prometheus-stack", "loki"]);
        assert.strictEqual(all(full, "kubernetes:keda.sh/v1alpha1:ScaledObject").length, 1);
        assert.strictEqual(all(full, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").length, 0);
        assert.ok("grafanaUrl" in full.outputs && "grafanaAdminPassword" in full.outputs);
        assert.ok(full.secretOutputs.includes("grafanaAdminPassword"));
        const policy = one(full, "kubernetes:networking.k8s.io/v1:NetworkPolicy");
        const metricsRule = policy.inputs.spec.ingress.find((rule: any) =>
            rule.ports.some((p: any) => p.port === 8082),
        );
        const namespaces = metricsRule.from
            .flatMap((f: any) => f.namespaceSelector?.matchExpressions ?? [])
            .filter((e: any) => e.key === "kubernetes.io/metadata.name" && e.operator === "In")
            .flatMap((e: any) => e.values);
        assert.deepStrictEqual(
            namespaces,
            ["monitoring"],
            "Prometheus's namespace may scrape TorchServe's metrics port",
        );
    });

    const toggles: [string, Record<string, unknown>, string[], string[]][] = [
        ["grafana off", { grafana: false }, ["grafana"], ["grafanaUrl", "grafanaAdminPassword"]],
        ["autoscaling off", { autoscaling: false }, ["keda"], []],
        ["logging off", { logging: false }, ["alloy", "loki"], []],
        [
            "prometheus off (and what needs it)",
            { prometheus: false, grafana: false, autoscaling: false },
            ["grafana", "kube-prometheus-stack", "keda"],
            ["grafanaUrl", "grafanaAdminPassword"],
        ],
    ];
    for (const [what, change, goneCharts, goneOutputs] of toggles) {
        it(`${what} removes exactly its resources and outputs`, async () => {
            const ev = await runProgram({ stack: "dev", override: { ...everyAddon, ...change }, preview: false });
            assert.deepStrictEqual(
                charts(ev),
                charts(full).filter((c) => !goneCharts.includes(c)),
            );
            for (const o of goneOutputs) assert.ok(!(o in ev.outputs), `output ${o} gone`);
            // Everything left is what the full run had, minus the toggled add-on's own objects.
            const left = kinds(ev);
            const before = kinds(full);
            for (const k of left) assert.ok(before.includes(k), `${k} appeared`);
            assert.strictEqual(all(ev, "kubernetes:apps/v1:Deployment").length, 1, "TorchServe stays");
        });
    }
});

describe("program: existing cluster kubeconfig", () => {
    const { specialSigKey, specialSecretSig } = pulumi.runtime;

    it("passes a configured kubeconfig (as a secret) and context to the provider, and exports it as a secret", async () => {
        const inline = "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n";
        const ev = await runProgram({
            stack: "dev",
            override: { cluster: { kubeconfig: inline, context: "kind-kind" } },
            preview: false,
        });
        const provider = one(ev, "pulumi:providers:kubernetes");
        assert.strictEqual(
            provider.serializedInputs?.kubeconfig?.[specialSigKey],
            specialSecretSig,
            "kubeconfig is a secret input",
        );
        assert.strictEqual(provider.serializedInputs?.kubeconfig?.value, inline);
        assert.strictEqual(provider.inputs.context, "kind-kind");
        assert.strictEqual(ev.outputs.kubeconfig, inline);
        assert.ok(ev.secretOutputs.includes("kubeconfig"));
    });

    it("reads a configured kubeconfig path", async () => {
        const file = path.join(os.tmpdir(), `kubeconfig-${process.pid}`);
        fs.writeFileSync(file, "apiVersion: v1\nkind: Config\n");
        const ev = await runProgram({ stack: "dev", override: { cluster: { kubeconfig: file } }, preview: true });
        assert.strictEqual(ev.outputs.kubeconfig, "apiVersion: v1\nkind: Config\n");
    });

    it("fails with one line naming the key when the configured path is no file, instead of using the current context", async () => {
        for (const bad of ["/nonexistent/kubeconfig", os.tmpdir()]) {
            const error = await runProgram({
                stack: "dev",
                override: { cluster: { kubeconfig: bad } },
                preview: true,
            }).then(
                () => undefined,
                (e) => e,
            );
            assert.ok(error, `${bad} must fail`);
            assert.strictEqual(error.constructor.name, "RunError");
            assert.match(error.message, /^torchserve-platform:cluster\.kubeconfig: ".*" is not a kubeconfig file/);
        }
    });

    it("leaves the provider to the ambient kubeconfig when none is configured, and exports none of it", async () => {
        const ev = await runProgram({ stack: "dev", preview: false });
        assert.strictEqual(one(ev, "pulumi:providers:kubernetes").inputs.kubeconfig, undefined);
        assert.strictEqual(ev.outputs.kubeconfig, "");
    });
});
