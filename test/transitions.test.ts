// The transition harness itself (harness/transitions): the engine emulation on hand-made states,
// each day-2 rule shown failing on a broken transition, and the rules table covering every type
// the program registers.
import * as assert from "assert";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { Evaluation, RegisteredResource } from "../harness/evaluate";
import { runProgram } from "../harness/program";
import { projectName } from "../harness/stackFiles";
import {
    invalidInputs,
    nameCollisions,
    protectedChanges,
    podReferences,
    referenceGaps,
    boundVolumes,
    refusedUpdates,
    servingCapacity,
    unpinnedAddons,
    versionReach,
} from "../harness/transitions/checks";
import { diffPaths, formatPath, parsePath, touches } from "../harness/transitions/paths";
import { planTransition, Step, Transition } from "../harness/transitions/plan";
import { refreshedInputs } from "../harness/transitions/refresh";
import { isLocalComponent, rules } from "../harness/transitions/rules";
import { poolGeneration } from "../components/cluster/nodePool";
import { checkTeardown } from "../harness/transitions/teardown";

const stack = "t";
const urnOf = (type: string, name: string) => `urn:pulumi:${stack}::${projectName}::${type}::${name}`;

/** A registration as the recording monitor would make it (no parent: directly under the stack). */
function res(type: string, name: string, inputs: Record<string, any>, extra: Partial<RegisteredResource> = {}) {
    return {
        urn: urnOf(type, name),
        type,
        name,
        custom: true,
        parent: "",
        provider: "",
        dependencies: [],
        options: {},
        inputs,
        serializedInputs: inputs,
        ...extra,
    } as RegisteredResource;
}

const ev = (...resources: RegisteredResource[]): Evaluation => ({
    resources,
    outputs: {},
    secretOutputs: [],
    calls: [],
    logs: [],
});
const plan = (a: RegisteredResource[], b: RegisteredResource[], replace: string[] = []): Transition =>
    planTransition(ev(...a), ev(...b), stack, projectName, replace);
const step = (t: Transition, name: string): Step => t.steps.find((s) => s.name === name)!;

const sc = "kubernetes:storage.k8s.io/v1:StorageClass";
const storageClass = (reclaimPolicy: string, options = {}) =>
    res(
        sc,
        "store",
        { metadata: { name: "efs-sc" }, provisioner: "efs.csi.aws.com", parameters: { a: "1" }, reclaimPolicy },
        { options },
    );
const nodeGroup = (min: number, desired: number, extra: Record<string, unknown> = {}, options = {}) =>
    res(
        "aws:eks/nodeGroup:NodeGroup",
        "gpu",
        {
            labels: { "torchserve.pytorch.org/pool": "gpu" },
            instanceTypes: ["g5.xlarge"],
            scalingConfig: { minSize: min, maxSize: 2, desiredSize: desired },
            version: "1.35",
            ...extra,
        },
        { options },
    );

describe("transition harness: property paths", () => {
    it("parses and prints Pulumi's path syntax", () => {
        for (const p of ["scalingConfig.desiredSize", "agentPoolProfiles[0].count", 'labels["a.b/c"]', "a[*].b"])
            assert.strictEqual(formatPath(parsePath(p)), p);
    });
    it("finds leaf changes and matches them against fields", () => {
        const changed = diffPaths({ a: { b: 1, c: [1, 2] } }, { a: { b: 2, c: [1] } }).map(formatPath);
        assert.deepStrictEqual(changed, ["a.b", "a.c[1]"]);
        assert.ok(touches(parsePath("spec.selector.matchLabels.x"), parsePath("spec.selector")));
        assert.ok(touches(parsePath("spec"), parsePath("spec.selector")), "a whole object replaced touches its fields");
        assert.ok(touches(parsePath("p[3].vmSize"), parsePath("p[*].vmSize")));
        assert.ok(!touches(parsePath("metadata.labels"), parsePath("metadata.name")));
    });
});

describe("transition harness: what the engine does", () => {
    it("same, update (changed paths), replace (and why), create and delete", () => {
        const a = [
            storageClass("Delete"),
            res("aws:iam/role:Role", "r", { path: "/" }),
            res("aws:ec2/vpc:Vpc", "v", {}),
        ];
        const b = [
            { ...storageClass("Delete"), inputs: { ...storageClass("Delete").inputs, allowVolumeExpansion: true } },
            res("aws:iam/role:Role", "r", { path: "/x/" }),
            res("aws:ec2/eip:Eip", "e", {}),
        ];
        const t = plan(a, b);
        assert.deepStrictEqual(
            t.steps.map((s) => [s.name, s.action, s.changed.join(",")]),
            [
                ["store", "update", "allowVolumeExpansion"],
                ["r", "replace", "path"],
                ["e", "create", ""],
                ["v", "delete", ""],
            ],
        );
        assert.match(step(t, "r").replaceBecause[0].source, /terraform-provider-aws .*role\.go/);
        assert.strictEqual(plan(a, a).steps.filter((s) => s.action !== "same").length, 0);
    });

    it("ignoreChanges keeps the old value (and says so), replaceOnChanges replaces", () => {
        const t = plan([nodeGroup(0, 0)], [nodeGroup(1, 1, {}, { ignoreChanges: ["scalingConfig.desiredSize"] })]);
        assert.deepStrictEqual(step(t, "gpu").kept, [{ path: "scalingConfig.desiredSize", value: 0 }]);
        assert.strictEqual(step(t, "gpu").inputs.scalingConfig.desiredSize, 0);
        assert.deepStrictEqual(step(t, "gpu").changed, ["scalingConfig.minSize"]);
        const r = plan([storageClass("Retain")], [storageClass("Delete", { replaceOnChanges: ["reclaimPolicy"] })]);
        assert.strictEqual(step(r, "store").action, "replace");
        // pulumi-kubernetes does not delete first for a replacement only the engine asked for: collision.
        assert.strictEqual(step(r, "store").nameCollision, "/efs-sc");
        const dbr = plan(
            [storageClass("Retain")],
            [storageClass("Delete", { replaceOnChanges: ["reclaimPolicy"], deleteBeforeReplace: true })],
        );
        assert.deepStrictEqual(
            [step(dbr, "store").deleteBeforeReplace, step(dbr, "store").nameCollision],
            [true, undefined],
        );
    });

    it("ignoreChanges on a key the old inputs lack removes it, as the engine's PropertyPath.Reset does", () => {
        const mc = "azure-native:containerservice:ManagedCluster";
        const old = res(mc, "aks", { networkProfile: { networkPlugin: "azure" } });
        const next = (options = {}) =>
            res(mc, "aks", { networkProfile: { networkPlugin: "azure", networkDataplane: "cilium" } }, { options });
        const ignored = step(plan([old], [next({ ignoreChanges: ["networkProfile.networkDataplane"] })]), "aks");
        assert.deepStrictEqual([ignored.action, ignored.changed], ["same", []]);
        assert.deepStrictEqual(ignored.kept, [{ path: "networkProfile.networkDataplane", value: undefined }]);
        // Without it the added force-new key replaces the cluster (azure-native forceNewMap).
        const added = step(plan([old], [next()]), "aks");
        assert.deepStrictEqual([added.action, added.changed], ["replace", ["networkProfile.networkDataplane"]]);
        // A parent the old inputs lack is left alone (Reset stops there).
        const noParent = step(
            plan([res(mc, "aks", {})], [next({ ignoreChanges: ["networkProfile.networkDataplane"] })]),
            "aks",
        );
        assert.strictEqual(noParent.action, "replace");
    });

    it("azure-native refresh copies into the inputs only what changed in Azure", () => {
        const inputs = { location: "eastus", networkProfile: { networkPlugin: "azure" }, tags: { a: "1" } };
        const before = {
            location: "eastus",
            networkProfile: { networkPlugin: "azure", networkDataplane: "azure" },
            tags: { a: "1" },
            sku: "Base",
        };
        const after = {
            location: "eastus",
            networkProfile: { networkPlugin: "azure", networkDataplane: "cilium", networkPolicy: "cilium" },
            sku: "Base",
        };
        assert.deepStrictEqual(refreshedInputs(inputs, before, after), {
            location: "eastus",
            networkProfile: { networkPlugin: "azure", networkDataplane: "cilium", networkPolicy: "cilium" },
        });
        // Nothing changed in Azure: the inputs stay as they are (service defaults are not copied in).
        assert.deepStrictEqual(refreshedInputs(inputs, before, before), inputs);
    });

    it("azure-native deletes first unless it named the resource; the program's deleteBeforeReplace: false wins", () => {
        const pool = (vmSize: string, inputs: Record<string, unknown>, options = {}) =>
            res("azure-native:containerservice:AgentPool", "gpu", { vmSize, ...inputs }, { options });
        const dbr = (a: RegisteredResource, b: RegisteredResource) => step(plan([a], [b]), "gpu").deleteBeforeReplace;
        // Named by the program, even under a new name: delete first (provider.go Diff).
        assert.strictEqual(dbr(pool("a", { agentPoolName: "gpu1" }), pool("b", { agentPoolName: "gpu2" })), true);
        // Named by the provider (random autoname, __createBeforeDelete): create first.
        assert.strictEqual(dbr(pool("a", {}), pool("b", {})), false);
        // The resource option overrides the provider (the engine prefers goal.DeleteBeforeReplace).
        const kept = { deleteBeforeReplace: false };
        assert.strictEqual(
            dbr(pool("a", { agentPoolName: "gpu1" }), pool("b", { agentPoolName: "gpu2" }, kept)),
            false,
        );
    });

    it("a named Kubernetes object replaced by its provider goes delete-first; a Helm release does not", () => {
        const a = storageClass("Delete");
        const t = plan([a], [{ ...a, inputs: { ...a.inputs, parameters: { a: "2" } } }]);
        assert.deepStrictEqual([step(t, "store").action, step(t, "store").deleteBeforeReplace], ["replace", true]);
        const rel = (ns: string) =>
            res("kubernetes:helm.sh/v3:Release", "rel", { name: "x", namespace: ns, values: {} });
        const moved = plan(
            [rel("a")],
            [
                {
                    ...rel("a"),
                    options: { replaceOnChanges: ["values"] },
                    inputs: { ...rel("a").inputs, values: { v: 1 } },
                },
            ],
        );
        assert.strictEqual(step(moved, "rel").nameCollision, "a/x");
    });

    it("aliases carry a renamed resource over; without one it is created and the old one deleted", () => {
        const old = res("aws:ec2/vpc:Vpc", "old", { cidrBlock: "10.0.0.0/16" });
        const renamed = res("aws:ec2/vpc:Vpc", "new", { cidrBlock: "10.0.0.0/16" });
        assert.deepStrictEqual(
            plan([old], [renamed]).steps.map((s) => s.action),
            ["create", "delete"],
        );
        const aliased = { ...renamed, aliases: [{ urn: old.urn }] };
        assert.deepStrictEqual(
            plan([old], [aliased]).steps.map((s) => s.action),
            ["same"],
        );
    });

    it("an input that reads a pending resource's output is unknown, so it counts as changed", () => {
        const tag = (asg: unknown) =>
            res(
                "aws:autoscaling/tag:Tag",
                "t",
                { autoscalingGroupName: "asg-1", tag: {} },
                {
                    serializedInputs: { autoscalingGroupName: asg, tag: {} },
                },
            );
        const t = plan([tag("asg-1")], [{ ...tag(unknownValue), inputs: { tag: {} } }]);
        assert.deepStrictEqual([step(t, "t").action, step(t, "t").unknown], ["replace", ["autoscalingGroupName"]]);
    });

    it("pulumi up --replace replaces what did not change", () => {
        const p = res("random:index/randomPassword:RandomPassword", "pw", { length: 24 });
        assert.strictEqual(
            step(plan([p], [p], ["random:index/randomPassword:RandomPassword::pw"]), "pw").action,
            "replace",
        );
    });
});

describe("transition harness: each rule fails on a broken transition", () => {
    it("bound volume: a PersistentVolume replaced or deleted while its claim stays; none when the claim goes too", () => {
        const pvType = "kubernetes:core/v1:PersistentVolume";
        const pvcType = "kubernetes:core/v1:PersistentVolumeClaim";
        const pv = (name: string, bucket: string, claim: string) =>
            res(pvType, "pv", {
                metadata: { name },
                spec: { claimRef: { namespace: "ts", name: claim }, csi: { driver: "d", volumeHandle: bucket } },
            });
        const pvc = (name: string, volumeName: string) =>
            res(pvcType, "claim", { metadata: { name, namespace: "ts" }, spec: { volumeName } });
        // The bucket changes under fixed names: the volume is replaced (delete-first), the claim stays.
        const fixed = plan([pv("ts-m", "a", "m"), pvc("m", "ts-m")], [pv("ts-m", "b", "m"), pvc("m", "ts-m")]);
        assert.deepStrictEqual([step(fixed, "pv").action, step(fixed, "claim").action], ["replace", "same"]);
        const v = boundVolumes(fixed);
        assert.deepStrictEqual(
            v.map((x) => x.rule),
            ["bound-volume"],
        );
        assert.match(v[0].message, /while claim stays bound to it/);
        // Deleted outright, its claim kept (bound through claimRef only): the same.
        const ref = res(pvcType, "claim", { metadata: { name: "m", namespace: "ts" }, spec: {} });
        assert.deepStrictEqual(
            boundVolumes(plan([pv("ts-m", "a", "m"), ref], [ref])).map((x) => x.rule),
            ["bound-volume"],
        );
        // Both named after what they mount: both replaced (the claim's volumeName is immutable), no violation.
        const named = plan(
            [pv("ts-m-a", "a", "m-a"), pvc("m-a", "ts-m-a")],
            [pv("ts-m-b", "b", "m-b"), pvc("m-b", "ts-m-b")],
        );
        assert.deepStrictEqual([step(named, "pv").action, step(named, "claim").action], ["replace", "replace"]);
        assert.deepStrictEqual(boundVolumes(named), []);
    });

    it("reference gap: a mounted ConfigMap replaced delete-first under its fixed name; none when autonamed", () => {
        const cm = "kubernetes:core/v1:ConfigMap";
        const config = (name: string | undefined, data: string) =>
            res(cm, "config", { metadata: { ...(name ? { name } : {}), namespace: "ts" }, data: { a: data } });
        const deployment = (configName: string) =>
            res("kubernetes:apps/v1:Deployment", "ts", {
                metadata: { name: "ts", namespace: "ts" },
                spec: { template: { spec: { volumes: [{ name: "config", configMap: { name: configName } }] } } },
            });
        const fixed = plan(
            [config("ts-config", "1"), deployment("ts-config")],
            [config("ts-config", "2"), deployment("ts-config")],
        );
        assert.deepStrictEqual(
            [step(fixed, "config").action, step(fixed, "config").deleteBeforeReplace],
            ["replace", true],
        );
        const v = referenceGaps(fixed);
        assert.deepStrictEqual(
            v.map((x) => x.rule),
            ["reference-gap"],
        );
        assert.match(v[0].message, /fixed name ts-config, which ts mount/);
        // Autonamed (the provider's name in the pod template): created first under a new name, no gap.
        const auto = plan(
            [config(undefined, "1"), deployment("config-0000aaaa")],
            [config(undefined, "2"), deployment("config-1111bbbb")],
        );
        assert.deepStrictEqual(
            [step(auto, "config").action, step(auto, "config").deleteBeforeReplace],
            ["replace", false],
        );
        assert.deepStrictEqual(step(auto, "ts").changed, ["spec.template.spec.volumes[0].configMap.name"]);
        assert.deepStrictEqual(referenceGaps(auto), []);
        // Env and projected references count too.
        assert.deepStrictEqual(
            podReferences({
                containers: [
                    {
                        envFrom: [{ secretRef: { name: "s" } }],
                        env: [{ valueFrom: { configMapKeyRef: { name: "c" } } }],
                    },
                ],
                volumes: [{ projected: { sources: [{ configMap: { name: "p" } }] } }],
            }).sort(),
            ["ConfigMap/c", "ConfigMap/p", "Secret/s"],
        );
    });

    it("refused update: a StorageClass's reclaimPolicy changed in place", () => {
        const v = refusedUpdates(plan([storageClass("Retain")], [storageClass("Delete")]));
        assert.strictEqual(v.length, 1);
        assert.match(v[0].message, /updates to reclaimPolicy are forbidden/);
        assert.deepStrictEqual(
            refusedUpdates(
                plan(
                    [storageClass("Retain")],
                    [storageClass("Delete", { replaceOnChanges: ["reclaimPolicy"], deleteBeforeReplace: true })],
                ),
            ),
            [],
        );
    });

    it("refused update: a Kubernetes minor skipped or downgraded", () => {
        const cluster = (version: string) => res("eks:index:Cluster", "c", { version });
        assert.strictEqual(refusedUpdates(plan([cluster("1.34")], [cluster("1.36")])).length, 1);
        assert.strictEqual(refusedUpdates(plan([cluster("1.35")], [cluster("1.34")])).length, 1);
        assert.deepStrictEqual(refusedUpdates(plan([cluster("1.34")], [cluster("1.35")])), []);
    });

    it("protected: a protected file system deleted, or replaced", () => {
        const fs = res("aws:efs/fileSystem:FileSystem", "fs", { encrypted: true }, { options: { protect: true } });
        assert.strictEqual(protectedChanges(plan([fs], [])).length, 1);
        assert.strictEqual(protectedChanges(plan([fs], [{ ...fs, inputs: { encrypted: false } }])).length, 1);
        assert.deepStrictEqual(protectedChanges(plan([fs], [fs])), []);
    });

    it("name collision: a release replaced create-first under its own name", () => {
        const rel = res(
            "kubernetes:helm.sh/v3:Release",
            "rel",
            { name: "x", namespace: "a", chart: "c" },
            { options: { replaceOnChanges: ["chart"] } },
        );
        assert.strictEqual(nameCollisions(plan([rel], [{ ...rel, inputs: { ...rel.inputs, chart: "d" } }])).length, 1);
    });

    it("invalid input: a desired size kept by ignoreChanges below the new minimum", () => {
        const v = invalidInputs(
            plan([nodeGroup(0, 0)], [nodeGroup(1, 1, {}, { ignoreChanges: ["scalingConfig.desiredSize"] })]),
        );
        assert.strictEqual(v.length, 1);
        assert.match(v[0].message, /Minimum capacity 1 can't be greater than desired size 0/);
        assert.deepStrictEqual(invalidInputs(plan([nodeGroup(0, 0)], [nodeGroup(1, 1)])), []);
    });

    it("serving capacity: a GPU pool deleted first, or swapped while the workload stays on it", () => {
        const gpuPod = (selector: string, deps: string[] = []) =>
            res(
                "kubernetes:apps/v1:Deployment",
                "ts",
                {
                    metadata: { name: "ts" },
                    spec: {
                        replicas: 1,
                        strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
                        template: {
                            spec: {
                                nodeSelector: { pool: selector },
                                containers: [{ resources: { limits: { "nvidia.com/gpu": 1 } } }],
                            },
                        },
                    },
                },
                { dependencies: deps },
            );
        const oldPool = nodeGroup(1, 1, { nodeGroupName: "gpu-a" });
        const newPool = nodeGroup(1, 1, { nodeGroupName: "gpu-b", instanceTypes: ["g6.xlarge"] });
        // Swapped properly: create-first, the workload rolls onto the new pool and waits for it.
        const good = plan([oldPool, gpuPod("gpu-a")], [newPool, gpuPod("gpu-b", [newPool.urn])]);
        assert.strictEqual(step(good, "gpu").action, "replace");
        assert.deepStrictEqual(servingCapacity(good), []);
        // The workload does not move: evicted only when the old pool is drained.
        const stays = servingCapacity(plan([oldPool, gpuPod("gpu-a")], [newPool, gpuPod("gpu-a", [newPool.urn])]));
        assert.match(stays[0].message, /pod template does not change/);
        // Rolled onto the new pool, but registered without waiting for it: its pods go Pending.
        const early = servingCapacity(plan([oldPool, gpuPod("gpu-a")], [newPool, gpuPod("gpu-b")]));
        assert.strictEqual(early.length, 1);
        assert.match(early[0].message, /does not wait for the new pool/);
        // Delete first.
        const dbr = servingCapacity(
            plan(
                [oldPool, gpuPod("gpu-a")],
                [{ ...newPool, options: { deleteBeforeReplace: true } }, gpuPod("gpu-b", [newPool.urn])],
            ),
        );
        assert.match(dbr[0].message, /deleted before its replacement exists/);
    });

    it("a replaced Kubernetes provider replaces every object it manages (the engine's providerChanged)", () => {
        const provider = (kubeconfig: unknown) =>
            res("pulumi:providers:kubernetes", "k8s", kubeconfig === undefined ? {} : { kubeconfig }, {
                serializedInputs: { kubeconfig: kubeconfig ?? unknownValue },
            });
        const known = provider(JSON.stringify({ clusters: [], contexts: [] }));
        const managed = res(
            "kubernetes:core/v1:ConfigMap",
            "cm",
            { metadata: { name: "cm" }, data: { a: "1" } },
            { provider: `${known.urn}::id-1` },
        );
        const other = res("aws:iam/role:Role", "role", { name: "r" });
        // The cluster is being replaced: its kubeconfig is unknown at preview.
        const t = plan([known, managed, other], [provider(undefined), managed, other]);
        assert.strictEqual(step(t, "k8s").action, "replace");
        assert.strictEqual(step(t, "cm").action, "replace");
        assert.deepStrictEqual(
            step(t, "cm").replaceBecause.map((b) => b.path),
            ["provider"],
        );
        assert.strictEqual(step(t, "cm").deleteBeforeReplace, false);
        assert.strictEqual(step(t, "role").action, "same");
        // The same kubeconfig: nothing moves.
        const same = plan([known, managed], [known, managed]);
        assert.deepStrictEqual(
            same.steps.map((s) => s.action),
            ["same", "same"],
        );
    });

    it("version reach: a pool or kube-proxy left behind by a control-plane upgrade", () => {
        const cluster = (version: string, proxy: string) =>
            res("eks:index:Cluster", "c", {
                version,
                kubeProxyAddonOptions: { version: proxy },
                vpcCniOptions: { addonVersion: "v1.20.1-eksbuild.3" },
                corednsAddonOptions: { enabled: false },
            });
        const a = [cluster("1.34", "v1.34.6-eksbuild.13"), nodeGroup(1, 1, { version: "1.34" })];
        const v = versionReach(plan(a, [cluster("1.35", "v1.34.6-eksbuild.13"), nodeGroup(1, 1, { version: "1.34" })]));
        assert.deepStrictEqual(
            v.map((x) => x.rule),
            ["version-reach", "version-reach"],
        );
        assert.deepStrictEqual(
            versionReach(plan(a, [cluster("1.35", "v1.35.3-eksbuild.13"), nodeGroup(1, 1, { version: "1.35" })])),
            [],
        );
    });

    it("unpinned add-on: a version left to the cloud, or looked up at run time", () => {
        const addon = (version?: string) =>
            res("aws:eks/addon:Addon", "a", { addonName: "aws-ebs-csi-driver", addonVersion: version });
        assert.strictEqual(unpinnedAddons(ev(addon("v0.0.0-mock"))).length, 1);
        assert.strictEqual(unpinnedAddons(ev(addon())).length, 1);
        assert.deepStrictEqual(unpinnedAddons(ev(addon("v1.44.0-eksbuild.1"))), []);
    });

    it("teardown: protection, a retained or racing dynamic volume, a deletion out of order", () => {
        const claim = res("kubernetes:core/v1:PersistentVolumeClaim", "c", {
            metadata: { name: "c", namespace: "n" },
            spec: { storageClassName: "efs-sc" },
        });
        const fs = res("aws:efs/fileSystem:FileSystem", "fs", {});
        assert.match(
            checkTeardown(ev(storageClass("Retain"), claim)).violations[0],
            /Retain.*leaves an EFS access point/,
        );
        assert.match(
            checkTeardown(ev(storageClass("Delete"), claim, fs)).violations[0],
            /deleted by the efs.csi.aws.com driver after the claim/,
        );
        assert.match(checkTeardown(ev({ ...fs, options: { protect: true } })).violations[0], /protected/);
        const ap = res("aws:efs/accessPoint:AccessPoint", "ap", {});
        assert.match(checkTeardown(ev(fs, ap)).violations[0], /does not depend on aws:efs\/fileSystem/);
        assert.deepStrictEqual(checkTeardown(ev(fs, { ...ap, dependencies: [fs.urn] })).violations, []);
    });

    it("teardown leftovers: a chart's StatefulSet claim template, generic or known to this table (Loki)", () => {
        const release = (chart: string, values: Record<string, unknown>) =>
            res("kubernetes:helm.sh/v3:Release", chart, { chart, values });
        const prometheus = release("kube-prometheus-stack", {
            prometheus: { prometheusSpec: { storageSpec: { volumeClaimTemplate: { spec: {} } } } },
        });
        const loki = (persistence: Record<string, unknown>) => release("loki", { singleBinary: { persistence } });
        assert.deepStrictEqual(checkTeardown(ev(prometheus)).leftovers, [
            "kube-prometheus-stack: the volumes of its StatefulSet claim template (prometheus.prometheusSpec.storageSpec.volumeClaimTemplate), which neither Helm nor Pulumi deletes",
        ]);
        assert.deepStrictEqual(checkTeardown(ev(loki({ enabled: true, size: "10Gi" }))).leftovers, [
            "loki: the volumes of its StatefulSet claim template (singleBinary.persistence), which neither Helm nor Pulumi deletes",
        ]);
        assert.deepStrictEqual(checkTeardown(ev(loki({ enabled: false }))).leftovers, []);
        // Claims that go with the StatefulSet still leave their volumes: the driver deletes them later,
        // while Pulumi goes on deleting the driver and the cluster.
        assert.deepStrictEqual(
            checkTeardown(ev(loki({ enabled: true, enableStatefulSetAutoDeletePVC: true }))).leftovers,
            [
                "loki: the volumes of its StatefulSet claim template (singleBinary.persistence), deleted by the CSI driver after their claims while Pulumi goes on to delete the driver and the cluster",
            ],
        );
        // A volume the program owns, selected by the claim, deleted after the release: nothing is left.
        const disk = res("aws:ebs/volume:Volume", "disk", {});
        const selector = { "torchserve.pytorch.org/volume": "logging-loki" };
        const pv = {
            ...res("kubernetes:core/v1:PersistentVolume", "logging-loki", { metadata: { labels: selector } }),
            dependencies: [disk.urn],
        };
        const owned = (p: Record<string, unknown>) => ({
            ...loki({ enabled: true, selector: { matchLabels: selector }, ...p }),
            dependencies: [pv.urn],
        });
        const deleted = { enableStatefulSetAutoDeletePVC: true, whenDeleted: "Delete" };
        assert.deepStrictEqual(checkTeardown(ev(disk, pv, owned(deleted))), { violations: [], leftovers: [] });
        // ... but not when the claim outlives the StatefulSet (the volume's deletion would wait for it),
        assert.match(checkTeardown(ev(disk, pv, owned({}))).violations[0], /outlives the StatefulSet/);
        // when the release does not wait for the volume, or when nothing Pulumi owns backs it.
        const unordered = { ...owned(deleted), dependencies: [] };
        assert.match(checkTeardown(ev(disk, pv, unordered)).violations[0], /does not depend on PersistentVolume/);
        assert.match(
            checkTeardown(ev({ ...pv, dependencies: [] }, owned(deleted))).violations[0],
            /backed by nothing Pulumi owns/,
        );
        // On AKS the disks live in the node resource group, deleted with the cluster.
        const aks = res("azure-native:containerservice:ManagedCluster", "aks", {});
        assert.deepStrictEqual(checkTeardown(ev(aks, prometheus, loki({ enabled: true }))).leftovers, []);
    });

    it("teardown: a cloud load balancer whose deletion Pulumi does not await may outlive the cluster", () => {
        const release = (inputs: Record<string, unknown>) =>
            res("kubernetes:helm.sh/v3:Release", "gateway", { chart: "gateway", ...inputs });
        assert.deepStrictEqual(checkTeardown(ev(release({}))).violations, []);
        assert.match(checkTeardown(ev(release({ skipAwait: true }))).violations[0], /does not wait for its Services/);
        // atomic makes the provider wait at uninstall even with skipAwait
        assert.deepStrictEqual(checkTeardown(ev(release({ skipAwait: true, atomic: true }))).violations, []);
        const service = (annotations: Record<string, string>, type = "LoadBalancer") =>
            res("kubernetes:core/v1:Service", "public", { metadata: { annotations }, spec: { type } });
        assert.deepStrictEqual(checkTeardown(ev(service({}))).violations, []);
        assert.match(
            checkTeardown(ev(service({ "pulumi.com/skipAwait": "true" }))).violations[0],
            /may outlive the cluster/,
        );
        assert.deepStrictEqual(
            checkTeardown(ev(service({ "pulumi.com/skipAwait": "true" }, "ClusterIP"))).violations,
            [],
        );
    });

    it("teardown on GKE: a Filestore instance the network may outlive, or one the driver deletes late", () => {
        const network = res("gcp:compute/network:Network", "net", {});
        const instance = res("gcp:filestore/instance:Instance", "models", {});
        assert.match(
            checkTeardown(ev(network, instance)).violations[0],
            /filestore\/instance:Instance models does not depend on gcp:compute\/network:Network net/,
        );
        assert.deepStrictEqual(checkTeardown(ev(network, { ...instance, dependencies: [network.urn] })).violations, []);
        // A claim the CSI driver provisions: its instance goes after the claim, racing the network's deletion.
        const filestoreClass = res(sc, "fs", {
            metadata: { name: "torchserve-filestore" },
            provisioner: "filestore.csi.storage.gke.io",
            reclaimPolicy: "Delete",
        });
        const claim = res("kubernetes:core/v1:PersistentVolumeClaim", "c", {
            metadata: { name: "c", namespace: "n" },
            spec: { storageClassName: "torchserve-filestore" },
        });
        assert.match(
            checkTeardown(ev(network, filestoreClass, claim)).violations[0],
            /deleted by the filestore.csi.storage.gke.io driver after the claim, while Pulumi goes on to delete the gcp:compute\/network:Network/,
        );
    });

    it("teardown: a static volume must be backed by Pulumi's storage unless it mounts the user's bucket (Retain)", () => {
        const claim = res("kubernetes:core/v1:PersistentVolumeClaim", "c", {
            metadata: { name: "c", namespace: "n" },
            spec: { storageClassName: "", volumeName: "v" },
        });
        const pv = (driver: string, reclaim: string) =>
            res("kubernetes:core/v1:PersistentVolume", "v", {
                metadata: { name: "v" },
                spec: {
                    claimRef: { name: "c", namespace: "n" },
                    persistentVolumeReclaimPolicy: reclaim,
                    csi: { driver },
                },
            });
        for (const driver of ["s3.csi.aws.com", "gcsfuse.csi.storage.gke.io", "blob.csi.azure.com"])
            assert.deepStrictEqual(checkTeardown(ev(claim, pv(driver, "Retain"))), { violations: [], leftovers: [] });
        // Anything else, or a bucket volume a driver may delete, still needs a backing Pulumi owns.
        assert.match(
            checkTeardown(ev(claim, pv("efs.csi.aws.com", "Retain"))).violations[0],
            /backed by nothing Pulumi owns/,
        );
        assert.match(
            checkTeardown(ev(claim, pv("blob.csi.azure.com", "Delete"))).violations[0],
            /backed by nothing Pulumi owns/,
        );
    });
});

describe("transition harness: the rules table", function () {
    this.timeout(60000);
    it("has an entry, with sources, for every type the program registers on every cloud with every add-on", async () => {
        // Triton (the gke example's) is not combined with istio and autoscaling yet (refused); its types
        // are registered with the example as it is.
        const everything = { prometheus: true, grafana: true, autoscaling: true, istio: true, triton: false };
        const types = new Set<string>();
        for (const s of ["eks", "aks", "gke", "dev"]) {
            const e = await runProgram({ stack: s, override: s === "dev" ? {} : everything, preview: true });
            for (const r of e.resources) if (!isLocalComponent(r.type)) types.add(r.type);
        }
        const missing = [...types].filter((t) => !rules[t]).sort();
        assert.deepStrictEqual(missing, []);
        for (const [type, r] of Object.entries(rules))
            for (const f of [...r.replaceOn, ...(r.refused ?? [])])
                assert.ok(f.source.length > 10, `${type} ${f.path} cites a source`);
    });
});

describe("pool generation (blue/green names)", () => {
    it("changes with any create-only setting, nested ones included, and not with key order", () => {
        const a = poolGeneration({ accelerators: [{ type: "nvidia-tesla-t4", count: 1 }], spot: false });
        assert.match(a, /^[0-9a-f]{8}$/);
        assert.notStrictEqual(a, poolGeneration({ accelerators: [{ type: "nvidia-l4", count: 1 }], spot: false }));
        assert.notStrictEqual(
            a,
            poolGeneration({ accelerators: [{ type: "nvidia-tesla-t4", count: 2 }], spot: false }),
        );
        assert.notStrictEqual(a, poolGeneration({ accelerators: [{ type: "nvidia-tesla-t4", count: 1 }], spot: true }));
        assert.strictEqual(a, poolGeneration({ spot: false, accelerators: [{ count: 1, type: "nvidia-tesla-t4" }] }));
    });
});
