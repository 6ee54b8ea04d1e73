// `npm run plan`: the plan of a small stand-in program (identities, dependencies, masking, manifests,
// provisioning order), the committed plans/*.json against the program as it is now, and the
// provisioning-time bound of the cloud stacks.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import { describeFailure } from "../tools/plan/cli";
import { chainEndingAt, transitiveWaits, waitsFor } from "../tools/plan/graph";
import { kubernetesKind, kubernetesManifests } from "../tools/plan/manifests";
import { Plan, PlanResource } from "../tools/plan/model";
import { planProgram, planStack } from "../tools/plan/planner";
import { planPath, renderPlan } from "../tools/plan/render";
import { renderSummary, summaryPath } from "../tools/plan/summary";
import { COMPUTED, SECRET } from "../tools/plan/wire";
import { exampleStacks, projectRoot, stackConfig } from "../harness/stackFiles";

// ------------------------------------------------------------------------------------------------
// A stand-in program: network → cluster → (component "addons" dependsOn cluster) → children.
// ------------------------------------------------------------------------------------------------

const clusterPassword = "standin-cluster-password-7f3a";
const nestedToken = "standin-nested-token-91c2";
const outputSecret = "standin-output-secret-d4e8";

class Addons extends pulumi.ComponentResource {
    constructor(name: string, opts: pulumi.ComponentResourceOptions) {
        super("standin:index:Addons", name, {}, opts);
        this.registerOutputs({});
    }
}

class StandIn extends pulumi.CustomResource {
    constructor(type: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
        super(`standin:index:${type}`, name, props, opts);
    }
}
const thing = (type: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) =>
    new StandIn(type, name, props, opts);

async function standIn(): Promise<Record<string, any>> {
    const network = thing("Network", "net", { cidr: "10.0.0.0/16" });
    const cluster = thing("Cluster", "cluster", {
        networkId: network.id,
        adminPassword: pulumi.secret(clusterPassword),
    });
    const provider = new k8s.Provider("k8s", { kubeconfig: pulumi.secret(pulumi.interpolate`server: ${cluster.id}`) });
    const addons = new Addons("addons", { dependsOn: [cluster] });
    // Waits for the cluster only through its parent.
    const addon = thing(
        "Addon",
        "addon",
        { settings: { plain: "visible", nested: { token: pulumi.secret(nestedToken) } } },
        { parent: addons },
    );
    new k8s.core.v1.ConfigMap(
        "settings",
        { metadata: { name: "settings", namespace: "apps" }, data: { mode: "fast" } },
        { parent: addons, provider },
    );
    new k8s.helm.v3.Release(
        "chart",
        { chart: "example", version: "1.2.3", repositoryOpts: { repo: "https://charts.example.invalid" } },
        { provider },
    );
    // A child of a custom resource waits for that resource.
    const leaf = thing("Leaf", "leaf", { size: 1 }, { parent: addon });
    const last = thing("Last", "last", { leafId: leaf.id });
    return { password: pulumi.secret(outputSecret), plain: "hello", lastId: last.id };
}

const planStandIn = () => planProgram({ project: "standin", stack: "test", config: {}, program: standIn });
const find = (plan: Plan, type: string, name: string): PlanResource => {
    const r = plan.resources.find((x) => x.type === type && x.name === name);
    assert.ok(r, `${type} ${name} in the plan`);
    return r!;
};

describe("plan of a stand-in program", () => {
    let plan: Plan;
    let text: string;
    before(async () => {
        plan = await planStandIn();
        text = renderPlan(plan);
    });

    it("names resources by type, name and parent type, without stack, project or random parts", () => {
        const addon = find(plan, "standin:index:Addon", "addon");
        assert.strictEqual(addon.id, "standin:index:Addons$standin:index:Addon::addon");
        assert.strictEqual(addon.parent, "standin:index:Addons::addons");
        assert.strictEqual(find(plan, "standin:index:Cluster", "cluster").id, "standin:index:Cluster::cluster");
        // Every ancestor's type, as the engine writes URNs.
        assert.strictEqual(
            find(plan, "standin:index:Leaf", "leaf").id,
            "standin:index:Addons$standin:index:Addon$standin:index:Leaf::leaf",
        );
        assert.strictEqual(find(plan, "standin:index:Leaf", "leaf").parent, addon.id);
        assert.ok(!text.includes("urn:pulumi"), "no URNs");
        assert.ok(!text.includes(process.cwd()), "no absolute paths");
    });

    it("records dependencies through inputs and providers by id", () => {
        assert.deepStrictEqual(find(plan, "standin:index:Cluster", "cluster").dependencies, [
            "standin:index:Network::net",
        ]);
        assert.deepStrictEqual(find(plan, "standin:index:Last", "last").dependencies, [
            "standin:index:Addons$standin:index:Addon$standin:index:Leaf::leaf",
        ]);
        const cm = find(plan, "kubernetes:core/v1:ConfigMap", "settings");
        assert.strictEqual(cm.provider, "pulumi:providers:kubernetes::k8s");
        assert.strictEqual(find(plan, "standin:index:Network", "net").provider, "default");
        assert.strictEqual(
            find(plan, "standin:index:Addons", "addons").provider,
            undefined,
            "components have no provider",
        );
    });

    it("masks secrets where they are nested and marks what a preview cannot know", () => {
        for (const secret of [clusterPassword, nestedToken, outputSecret])
            assert.ok(!text.includes(secret), `${secret} in clear`);
        assert.strictEqual(find(plan, "standin:index:Cluster", "cluster").inputs.adminPassword, SECRET);
        // Only the secret leaf is masked: the rest of the object stays reviewable.
        assert.deepStrictEqual(find(plan, "standin:index:Addon", "addon").inputs.settings, {
            plain: "visible",
            nested: { token: SECRET },
        });
        assert.strictEqual(find(plan, "standin:index:Cluster", "cluster").inputs.networkId, COMPUTED);
        assert.strictEqual(find(plan, "pulumi:providers:kubernetes", "k8s").inputs.kubeconfig, SECRET);
        assert.deepStrictEqual(plan.outputs, { password: SECRET, plain: "hello", lastId: COMPUTED });
    });

    it("is byte-identical from run to run", async () => {
        assert.strictEqual(renderPlan(await planStandIn()), text);
    });

    it("counts resources per type", () => {
        assert.strictEqual(plan.counts["standin:index:Addon"], 1);
        assert.strictEqual(plan.total, plan.resources.length);
        assert.strictEqual(
            Object.values(plan.counts).reduce((a, b) => a + b, 0),
            plan.total,
        );
    });

    it("a child of a component waits for what the component depends on; providers and components take no step", () => {
        const addon = find(plan, "standin:index:Addon", "addon");
        assert.ok(!addon.dependencies.includes("standin:index:Cluster::cluster"), "not among its own dependencies");
        assert.ok(
            waitsFor(plan.resources).get(addon.id)!.has("standin:index:Cluster::cluster"),
            "but waits for it through its parent",
        );
        const cm = find(plan, "kubernetes:core/v1:ConfigMap", "settings");
        assert.ok(
            transitiveWaits(plan.resources, cm.id).has("standin:index:Cluster::cluster"),
            "through the provider's kubeconfig",
        );
        assert.deepStrictEqual(plan.longestChain.path, [
            "standin:index:Network::net",
            "standin:index:Cluster::cluster",
            "standin:index:Addons$standin:index:Addon::addon",
            "standin:index:Addons$standin:index:Addon$standin:index:Leaf::leaf",
            "standin:index:Last::last",
        ]);
        assert.strictEqual(plan.longestChain.length, 5);
    });

    it("writes Kubernetes objects, not Helm releases or providers, as YAML manifests", () => {
        const manifests = kubernetesManifests(plan);
        assert.deepStrictEqual(
            manifests.map((m) => m.file),
            ["apps/configmap.core-settings.yaml"],
        );
        const doc = yaml.load(manifests[0].text) as any;
        assert.deepStrictEqual(doc, {
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: { name: "settings", namespace: "apps" },
            data: { mode: "fast" },
        });
        assert.deepStrictEqual(kubernetesKind("kubernetes:networking.k8s.io/v1:NetworkPolicy"), {
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
        });
        assert.strictEqual(kubernetesKind("kubernetes:helm.sh/v3:Release"), undefined);
    });
});

// ------------------------------------------------------------------------------------------------
// The example stacks: committed plans match the program.
// ------------------------------------------------------------------------------------------------

const regenerate = "run `npm run plan -- --all` and commit plans/";

/** Fails with the first differing line when a committed file is not what the program produces now. */
function assertCommitted(file: string, fresh: string): void {
    const committed = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    if (fresh === committed) return;
    const a = fresh.split("\n");
    const b = committed.split("\n");
    const line = a.findIndex((l, i) => l !== b[i]);
    assert.fail(
        `plans/${file.split(/[\\/]/).pop()} is out of date (first difference at line ${line + 1}: ${JSON.stringify(b[line])} → ${JSON.stringify(a[line])}): ${regenerate}`,
    );
}

describe("committed plans (plans/<stack>.json and .md)", function () {
    this.timeout(120000);
    const stacks = exampleStacks();

    for (const ext of ["json", "md"]) {
        it(`exist for exactly the example stacks (.${ext})`, () => {
            const committed = fs
                .readdirSync(planPath("x").replace(/x\.json$/, ""))
                .filter((f) => f.endsWith(`.${ext}`))
                .map((f) => f.slice(0, -ext.length - 1))
                .sort();
            assert.deepStrictEqual(
                committed,
                stacks,
                `plans/ does not match the Pulumi.<stack>.yaml files: ${regenerate}`,
            );
        });
    }

    for (const stack of stacks) {
        it(`${stack}: the program still produces the committed plan and summary, kubeconfig masked`, async () => {
            const plan = await planStack(stack);
            const fresh = renderPlan(plan);
            assertCommitted(planPath(stack), fresh);
            assertCommitted(summaryPath(stack), renderSummary(plan));
            assert.ok(!fresh.includes(projectRoot), "no absolute paths");
            assert.strictEqual(plan.outputs.kubeconfig, SECRET);
            for (const r of plan.resources.filter((x) => x.type === "pulumi:providers:kubernetes")) {
                assert.ok([undefined, SECRET].includes(r.inputs.kubeconfig as string), `${r.id} kubeconfig is masked`);
            }
        });
    }
});

describe("plan of an invalid configuration", () => {
    it("fails with the config problems, one per line, and no stack trace", async () => {
        const error = await planStack("dev", { torchserve: { nGpu: 0, replicas: -1, inferencePort: 99999 } }).then(
            () => undefined,
            (e) => e,
        );
        assert.ok(error, "planning must fail");
        const text = describeFailure("dev", error);
        const lines = text.split("\n");
        assert.strictEqual(lines[0], "Stack dev: invalid configuration in Pulumi.dev.yaml:");
        assert.deepStrictEqual(
            lines
                .slice(1)
                .map((l) => l.trim().split(":").slice(0, 2).join(":"))
                .sort(),
            ["torchserve-platform:torchserve.inferencePort", "torchserve-platform:torchserve.replicas"],
        );
        assert.ok(!/\bat .+:\d+:\d+\)?$/m.test(text), "no stack trace");
    });
});

describe("plan of the largest example stack", function () {
    this.timeout(60000);
    it("is byte-identical from run to run in one process", async function () {
        const stack = exampleStacks().includes("eks") ? "eks" : exampleStacks()[0];
        if (!stack) this.skip();
        assert.strictEqual(renderPlan(await planStack(stack)), renderPlan(await planStack(stack)));
    });
});

// ------------------------------------------------------------------------------------------------
// Provisioning order of the cloud stacks with every add-on on.
// ------------------------------------------------------------------------------------------------

const allAddons = { prometheus: true, grafana: true, autoscaling: true, istio: true };
const clusterTypes = new Set([
    "eks:index:Cluster",
    "azure-native:containerservice:ManagedCluster",
    "gcp:container/cluster:Cluster",
]);
const poolTypes = new Set([
    "aws:eks/nodeGroup:NodeGroup",
    "azure-native:containerservice:AgentPool",
    "gcp:container/nodePool:NodePool",
]);
const meshCharts = new Set(["base", "istiod", "gateway"]);

const releases = (plan: Plan) => plan.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release");
const underTorchServe = (plan: Plan): Set<string> => {
    const roots = plan.resources.filter((r) => r.type === "torchserve-platform:index:TorchServe").map((r) => r.id);
    const inside = new Set<string>(roots);
    let grew = true;
    while (grew) {
        grew = false;
        for (const r of plan.resources)
            if (inside.has(r.parent) && !inside.has(r.id)) {
                inside.add(r.id);
                grew = true;
            }
    }
    return inside;
};
const depth = (plan: Plan, r: PlanResource | undefined) => (r ? chainEndingAt(plan.resources, r.id).length : 0);

/**
 * The bound, in resources created one after another. TorchServe serves once its Deployment is up;
 * the Deployment inherently waits for the last of:
 *  - GPUs: the GPU pool (after whatever the cloud needs first: VPC, subnets, NAT, cluster) and the
 *    device plugin where the cloud ships none;
 *  - the model store: its StorageClass (on EKS after the EFS CSI add-on, which needs nodes), the
 *    PersistentVolume where the cluster provisions the model server's volume itself, then the claim;
 *  - its own objects: the cluster's system nodes (or the cluster) and whatever the Kubernetes provider
 *    waits for to be let in (AKS: the admins' Azure RBAC role assignments), then Namespace → ConfigMap;
 *  - with a mesh, istiod's injector: system nodes, then istio-system Namespace → istio-base → istiod.
 * Then the Deployment itself, then at most one object that waits for TorchServe by design (HPA,
 * inference routes). Prometheus, Grafana, the DCGM exporter and the mesh must run beside this path,
 * never after it.
 */
function bound(plan: Plan): { limit: number; terms: Record<string, number> } {
    const cluster = plan.resources.find((r) => clusterTypes.has(r.type));
    const pools = plan.resources.filter((r) => poolTypes.has(r.type));
    const gpuPool = pools.find((r) => /gpu/.test(r.name));
    const systemPool = pools.find((r) => /system/.test(r.name));
    const devicePlugin = releases(plan).find((r) => r.inputs.chart === "nvidia-device-plugin");
    const storeClass = plan.resources.find((r) => r.type === "kubernetes:storage.k8s.io/v1:StorageClass");
    const storeVolume = plan.resources.find((r) => r.type === "kubernetes:core/v1:PersistentVolume");
    const providerAccess = plan.resources
        .filter((r) => r.type === "pulumi:providers:kubernetes")
        .flatMap((p) => p.dependencies)
        .map((id) =>
            depth(
                plan,
                plan.resources.find((r) => r.id === id),
            ),
        );
    const systemReady = Math.max(depth(plan, cluster), depth(plan, systemPool), ...providerAccess);
    const terms: Record<string, number> = {
        gpu: depth(plan, gpuPool) + (devicePlugin ? 1 : 0),
        modelStore: storeVolume ? depth(plan, storeVolume) + 1 : storeClass ? depth(plan, storeClass) + 1 : 0,
        ownObjects: systemReady + 2,
        mesh: releases(plan).some((r) => r.inputs.chart === "istiod") ? systemReady + 3 : 0,
    };
    return { limit: Math.max(...Object.values(terms)) + 2, terms };
}

/**
 * Stacks whose composition breaks the bound today, each with the edges that do it (reported to the
 * lead). Their bound test is pending while the violation stands and fails once it is gone, so this
 * list cannot go stale.
 */
const knownViolations: Record<string, string> = {};

/** Whether every Kubernetes provider of a stack that creates a cluster waits for that cluster. */
function providersWaitForCluster(plan: Plan): boolean {
    const cluster = plan.resources.find((r) => clusterTypes.has(r.type));
    if (!cluster) return true;
    return plan.resources
        .filter((r) => r.type === "pulumi:providers:kubernetes")
        .every((p) => transitiveWaits(plan.resources, p.id).has(cluster.id));
}

describe("provisioning order of the cloud stacks, every add-on on", function () {
    this.timeout(120000);
    for (const stack of ["eks", "aks", "gke"].filter((s) => exampleStacks().includes(s))) {
        describe(stack, () => {
            let plan: Plan;
            before(async () => {
                // Triton (the gke example's) is not yet combined with istio and autoscaling (refused).
                plan = await planStack(stack, { ...allAddons, triton: false });
            });

            it("monitoring and mesh releases do not wait for anything of TorchServe's", () => {
                const ts = underTorchServe(plan);
                const addOnReleases = releases(plan).filter(
                    (r) =>
                        !ts.has(r.id) &&
                        r.inputs.chart !== "nvidia-device-plugin" &&
                        !/autoscaler/.test(String(r.inputs.chart)),
                );
                assert.ok(
                    addOnReleases.some((r) => meshCharts.has(String(r.inputs.chart))),
                    "the mesh is on",
                );
                assert.ok(
                    addOnReleases.some((r) => r.inputs.chart === "kube-prometheus-stack"),
                    "monitoring is on",
                );
                for (const r of addOnReleases) {
                    const waits = [...transitiveWaits(plan.resources, r.id)].filter((d) => ts.has(d));
                    assert.deepStrictEqual(waits, [], `${r.name} (${r.inputs.chart}) waits for TorchServe`);
                }
            });

            it("the longest chain stays within GPU pool → device plugin → TorchServe plus what is inherent", function () {
                const { limit, terms } = bound(plan);
                const chain = plan.longestChain;
                const holds = chain.length <= limit && providersWaitForCluster(plan);
                const detail = `providers wait for the cluster: ${providersWaitForCluster(plan)}; longest chain ${chain.length} > bound ${limit} (${JSON.stringify(terms)} + Deployment + one dependant):\n  ${chain.path.join("\n  ")}`;
                if (knownViolations[stack]) {
                    assert.ok(!holds, `${stack} now meets the bound: remove it from knownViolations`);
                    console.log(
                        `      known violation (${stack}): ${knownViolations[stack]}\n      ${detail.replace(/\n/g, "\n      ")}`,
                    );
                    this.skip();
                }
                assert.ok(holds, detail);
            });
        });
    }
});

describe("plans show what is protected from deletion", function () {
    this.timeout(60000);
    const protectedTypes = (plan: Plan) =>
        plan.resources
            .filter((r) => r.options?.protect)
            .map((r) => r.type)
            .sort();

    it("the EKS cluster and a file-share model store (EFS, its access point, volume and claim) are protected by default, the dev stack's are not", async () => {
        const torchserve = {
            ...(stackConfig("eks")["torchserve-platform:torchserve"] as object),
            modelStore: "fileShare",
        };
        assert.deepStrictEqual(protectedTypes(await planStack("eks", { torchserve })), [
            "aws:efs/accessPoint:AccessPoint",
            "aws:efs/fileSystem:FileSystem",
            // pulumi destroy fails at its preview, before deleting anything (README: Destroy).
            "eks:index:Cluster",
            "kubernetes:core/v1:PersistentVolume",
            "kubernetes:core/v1:PersistentVolumeClaim",
        ]);
        assert.deepStrictEqual(protectedTypes(await planStack("dev")), []);
        // The example mounts its bucket: the volume and claim hold nothing of the stack's, the bucket is
        // yours; only the cluster is protected.
        assert.deepStrictEqual(protectedTypes(await planStack("eks")), ["eks:index:Cluster"]);
    });

    it("cluster.deletionProtection: false lifts it", async () => {
        const config = stackConfig("eks");
        const cluster = { ...(config["torchserve-platform:cluster"] as object), deletionProtection: false };
        assert.deepStrictEqual(protectedTypes(await planStack("eks", { cluster })), []);
    });
});
