// AKS cluster (`cloud: azure`) under Pulumi mocks: what it asks Azure for, what it hands the platform.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { createCluster } from "../stacks/azure";
import { parseStackConfig } from "../stacks/config/parse";
import { readRawConfig } from "../stacks/config/read";
import { Settings } from "../stacks/config/settings";
import { Evaluation, evaluate, RegisteredResource, UNKNOWN } from "../tools/evaluate";
import { kubernetesObjects, validateKubernetesObject } from "./support/schema";
import { gpuSettings, testSettings } from "./support/settings";
import type { ClusterTarget, Toleration } from "../components/cluster/target";

const repoRoot = path.resolve(__dirname, "..");

function aksSettings(gpu: { spot?: boolean; minNodes?: number; maxNodes?: number } | false = {}, deletionProtection = true): Settings {
    const location = { azureLocation: "eastus" };
    const cluster = { name: "torchserve-aks", deletionProtection, systemNodePool: { minNodes: 1, maxNodes: 3 } };
    if (gpu === false) return testSettings({ cloud: "azure", location, cluster });
    return gpuSettings({
        cloud: "azure",
        location,
        cluster,
        gpuNodePool: {
            instanceType: "Standard_NC4as_T4_v3",
            gpusPerNode: 1,
            minNodes: gpu.minNodes ?? 1,
            maxNodes: gpu.maxNodes ?? 3,
            spot: gpu.spot ?? false,
            diskSizeGb: 128,
        },
    });
}

/** Kubeconfig text the mocked Azure API returns, base64-encoded as the real API does. */
const adminKubeconfig = "apiVersion: v1\nkind: Config\nclusters:\n- name: torchserve-aks\n  cluster:\n    server: https://torchserve-aks-dns.hcp.eastus.azmk8s.io:443\n";

/** How a secret input value reaches the engine: pulumi.runtime's secret signature. */
const secretSig = pulumi.runtime.specialSigKey;
const secretSigValue = pulumi.runtime.specialSecretSig;

/** An output's value (UNKNOWN where a preview cannot know it) and whether it is a secret. */
async function inspect<T>(o: pulumi.Output<T>): Promise<{ value: T | typeof UNKNOWN; secret: boolean }> {
    const value = await (o as any).promise(true);
    return { value: pulumi.isUnknown(value) ? UNKNOWN : value, secret: await pulumi.isSecret(o) };
}

const defaultConfig: Record<string, unknown> = { "azure-native:location": "eastus" };

/** A stack file's config, flat (`namespace:key` → value) as Pulumi hands it to the program. */
function stackFileConfig(stack: string): Record<string, unknown> {
    const doc = yaml.load(fs.readFileSync(path.join(repoRoot, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
    return doc.config;
}

/** Settings through the real config path: pulumi.Config → parser (defaults, validation). */
function fromStackFile(): Settings {
    return parseStackConfig(readRawConfig()).settings;
}

interface Run {
    ev: Evaluation;
    target: ClusterTarget;
    protectedResources: string[];
    /** ignoreChanges per resource type. */
    ignored: Record<string, string[]>;
    invokeArgs: Record<string, any>[];
}

async function run(settings: Settings | (() => Settings), preview: boolean, config: Record<string, unknown> = defaultConfig): Promise<Run> {
    let target: ClusterTarget | undefined;
    const protectedResources: string[] = [];
    const ignored: Record<string, string[]> = {};
    const invokeArgs: Record<string, any>[] = [];
    const ev = await evaluate(
        {
            project: "torchserve-platform",
            stack: "aks",
            config,
            preview,
            // Azure reports a resource's name as `name`; the mock echoes inputs only.
            computed: (args) => {
                if (args.type === "azure-native:resources:ResourceGroup") return { name: args.inputs.resourceGroupName };
                if (args.type === "azure-native:containerservice:ManagedCluster") return { name: args.inputs.resourceName };
                return undefined;
            },
            call: (args) => {
                if (args.token !== "azure-native:containerservice:listManagedClusterAdminCredentials") return {};
                invokeArgs.push(args.inputs);
                return { kubeconfigs: [{ name: "clusterAdmin", value: Buffer.from(adminKubeconfig).toString("base64") }] };
            },
        },
        async () => {
            pulumi.runtime.registerStackTransformation((a) => {
                if (a.opts.protect) protectedResources.push(a.type);
                if (a.opts.ignoreChanges) ignored[a.type] = a.opts.ignoreChanges;
                return undefined;
            });
            target = createCluster(typeof settings === "function" ? settings() : settings);
        },
    );
    return { ev, target: target!, protectedResources, ignored, invokeArgs };
}

function one(ev: Evaluation, type: string): RegisteredResource {
    const found = ev.resources.filter((r) => r.type === type);
    assert.strictEqual(found.length, 1, `expected one ${type}, got ${found.length}`);
    return found[0];
}

/** Whether `t` (pod toleration) tolerates the AKS taint string `key=value:Effect`. */
function tolerates(t: Toleration, taint: string): boolean {
    const m = /^([^=]+)=([^:]*):(\w+)$/.exec(taint)!;
    const [, key, value, effect] = m;
    if (t.key !== key || t.effect !== effect) return false;
    return t.operator === "Exists" || t.value === value;
}

describe("AKS cluster (cloud: azure)", function () {
    this.timeout(60000);

    describe("update", () => {
        let onDemand: Run;
        let spot: Run;
        before(async () => {
            onDemand = await run(aksSettings({}), false);
            spot = await run(aksSettings({ spot: true, minNodes: 0, maxNodes: 4 }, false), false);
        });

        it("creates the managed cluster with workload identity, the file CSI driver and an autoscaling system pool", () => {
            const mc = one(onDemand.ev, "azure-native:containerservice:ManagedCluster").inputs;
            assert.strictEqual(mc.resourceName, "torchserve-aks");
            assert.strictEqual(mc.kubernetesVersion, "1.35");
            assert.strictEqual(mc.identity.type, "SystemAssigned");
            assert.strictEqual(mc.oidcIssuerProfile.enabled, true);
            assert.strictEqual(mc.securityProfile.workloadIdentity.enabled, true);
            assert.strictEqual(mc.storageProfile.fileCSIDriver.enabled, true);
            assert.strictEqual(mc.networkProfile.networkPlugin, "azure");
            assert.strictEqual(mc.networkProfile.networkPluginMode, "overlay");
            assert.strictEqual(mc.dnsPrefix, "torchserve-aks");
            assert.strictEqual(mc.agentPoolProfiles.length, 1);
            const sys = mc.agentPoolProfiles[0];
            assert.deepStrictEqual(
                { mode: sys.mode, auto: sys.enableAutoScaling, min: sys.minCount, max: sys.maxCount, vm: sys.vmSize },
                { mode: "System", auto: true, min: 1, max: 3, vm: "Standard_D4s_v5" },
            );
        });

        it("uses the stack's Kubernetes version and system VM size when given", async () => {
            const s = aksSettings(false);
            s.cluster.kubernetesVersion = "1.33";
            s.cluster.systemNodePool = { instanceType: "Standard_D8s_v5", minNodes: 2, maxNodes: 5 };
            const r = await run(s, false);
            const mc = one(r.ev, "azure-native:containerservice:ManagedCluster").inputs;
            assert.strictEqual(mc.kubernetesVersion, "1.33");
            assert.deepStrictEqual(
                [mc.agentPoolProfiles[0].vmSize, mc.agentPoolProfiles[0].minCount, mc.agentPoolProfiles[0].maxCount],
                ["Standard_D8s_v5", 2, 5],
            );
        });

        it("adds an autoscaling GPU user pool with the GPU taint, label, disk and AKS-installed driver", () => {
            const pool = one(onDemand.ev, "azure-native:containerservice:AgentPool").inputs;
            assert.strictEqual(pool.resourceName, "torchserve-aks");
            assert.strictEqual(pool.vmSize, "Standard_NC4as_T4_v3");
            assert.strictEqual(pool.mode, "User");
            assert.deepStrictEqual([pool.enableAutoScaling, pool.count, pool.minCount, pool.maxCount], [true, 1, 1, 3]);
            assert.strictEqual(pool.osDiskSizeGB, 128);
            assert.deepStrictEqual(pool.nodeTaints, ["nvidia.com/gpu=true:NoSchedule"]);
            assert.deepStrictEqual(pool.gpuProfile, { driver: "Install" });
            assert.strictEqual(pool.scaleSetPriority, undefined);
            // GPU pods select the pool's label and tolerate every taint it has.
            for (const [k, v] of Object.entries(onDemand.target.gpuPlacement.nodeSelector)) assert.strictEqual(pool.nodeLabels[k], v);
            for (const taint of pool.nodeTaints) {
                assert.ok(onDemand.target.gpuPlacement.tolerations.some((t) => tolerates(t, taint)), `nothing tolerates ${taint}`);
            }
        });

        it("makes a Spot GPU pool evict-to-delete at up to the on-demand price, and GPU pods tolerate the Spot taint", () => {
            const pool = one(spot.ev, "azure-native:containerservice:AgentPool").inputs;
            assert.deepStrictEqual(
                [pool.scaleSetPriority, pool.scaleSetEvictionPolicy, pool.spotMaxPrice],
                ["Spot", "Delete", -1],
            );
            assert.deepStrictEqual([pool.count, pool.minCount, pool.maxCount], [0, 0, 4]);
            assert.ok(pool.nodeTaints.includes("kubernetes.azure.com/scalesetpriority=spot:NoSchedule"));
            for (const taint of pool.nodeTaints) {
                assert.ok(spot.target.gpuPlacement.tolerations.some((t) => tolerates(t, taint)), `nothing tolerates ${taint}`);
            }
            // The on-demand placement does not carry the Spot toleration.
            assert.ok(!onDemand.target.gpuPlacement.tolerations.some((t) => t.key === "kubernetes.azure.com/scalesetpriority"));
        });

        it("offers a ReadWriteMany Azure Files class the non-root TorchServe user can write", async () => {
            const sc = one(onDemand.ev, "kubernetes:storage.k8s.io/v1:StorageClass");
            await validateKubernetesObject(sc);
            assert.strictEqual(sc.inputs.provisioner, "file.csi.azure.com");
            assert.strictEqual(sc.inputs.parameters.skuName, "Standard_LRS");
            for (const opt of ["uid=1000", "gid=1000", "dir_mode=0775", "file_mode=0664"]) {
                assert.ok(sc.inputs.mountOptions.includes(opt), `mountOptions lack ${opt}`);
            }
            assert.strictEqual(sc.inputs.allowVolumeExpansion, true);
            assert.strictEqual(onDemand.target.modelStoreSupportsRwx, true);
            assert.strictEqual((await inspect(pulumi.output(onDemand.target.modelStoreClassName!))).value, sc.inputs.metadata.name);
        });

        it("retains model shares and protects the cluster only under deletion protection", () => {
            assert.strictEqual(one(onDemand.ev, "kubernetes:storage.k8s.io/v1:StorageClass").inputs.reclaimPolicy, "Retain");
            assert.deepStrictEqual(onDemand.protectedResources, ["azure-native:containerservice:ManagedCluster"]);
            assert.strictEqual(one(spot.ev, "kubernetes:storage.k8s.io/v1:StorageClass").inputs.reclaimPolicy, "Delete");
            assert.deepStrictEqual(spot.protectedResources, []);
        });

        it("decodes the admin kubeconfig Azure returns and keeps it secret", async () => {
            assert.deepStrictEqual(onDemand.invokeArgs, [{ resourceGroupName: "torchserve-aks-rg", resourceName: "torchserve-aks" }]);
            const rg = one(onDemand.ev, "azure-native:resources:ResourceGroup");
            assert.strictEqual(rg.inputs.location, "eastus");
            assert.deepStrictEqual(await inspect(onDemand.target.kubeconfig), { value: adminKubeconfig, secret: true });
            assert.deepStrictEqual(await inspect(onDemand.target.name), { value: "torchserve-aks", secret: false });
            const provider = one(onDemand.ev, "pulumi:providers:kubernetes");
            // The provider receives it as a secret (the engine's secret signature wraps the value).
            assert.deepStrictEqual(provider.inputs.kubeconfig, { [secretSig]: secretSigValue, value: adminKubeconfig });
            assert.strictEqual(provider.inputs.enableServerSideApply, "true");
        });

        it("creates every Kubernetes object through the cluster's provider", () => {
            for (const r of [onDemand, spot]) {
                const provider = one(r.ev, "pulumi:providers:kubernetes");
                const objects = kubernetesObjects(r.ev.resources);
                assert.ok(objects.length > 0);
                for (const o of objects) assert.ok(o.provider.startsWith(provider.urn + "::"), `${o.type} ${o.name} uses ${o.provider}`);
                assert.strictEqual(r.target.provider.constructor.name, "Provider");
            }
        });

        it("leaves node counts to the autoscaler after creation", () => {
            assert.deepStrictEqual(onDemand.ignored["azure-native:containerservice:AgentPool"], ["count"]);
            assert.deepStrictEqual(onDemand.ignored["azure-native:containerservice:ManagedCluster"], ["agentPoolProfiles[0].count"]);
        });

        it("asks the platform for the device plugin and waits for the GPU pool, the cluster and the storage class", async () => {
            assert.strictEqual(onDemand.target.needsDevicePlugin, true);
            const urns = async (rs: pulumi.Resource[]) => Promise.all(rs.map(async (r) => (await inspect(r.urn)).value));
            assert.deepStrictEqual(await urns(onDemand.target.gpuPoolReady), [one(onDemand.ev, "azure-native:containerservice:AgentPool").urn]);
            const managedCluster = one(onDemand.ev, "azure-native:containerservice:ManagedCluster").urn;
            assert.deepStrictEqual(await urns(onDemand.target.clusterReady), [managedCluster, one(onDemand.ev, "kubernetes:storage.k8s.io/v1:StorageClass").urn]);
            // System add-ons wait for the system pool (inline in the cluster), not for the model store.
            assert.deepStrictEqual(await urns(onDemand.target.systemReady), [managedCluster]);
            assert.deepStrictEqual(onDemand.target.systemPlacement.nodeSelector, { "kubernetes.azure.com/agentpool": "system" });
        });

        it("creates no GPU pool without gpuNodePool", async () => {
            const r = await run(aksSettings(false), false);
            assert.strictEqual(r.ev.resources.filter((x) => x.type === "azure-native:containerservice:AgentPool").length, 0);
            assert.deepStrictEqual(r.target.gpuPoolReady, []);
        });
    });

    describe("preview", () => {
        it("registers the same resources with the kubeconfig still unknown", async () => {
            const r = await run(aksSettings({ spot: true }), true);
            assert.deepStrictEqual(
                r.ev.resources.filter((x) => x.custom).map((x) => x.type).sort(),
                [
                    "azure-native:containerservice:AgentPool",
                    "azure-native:containerservice:ManagedCluster",
                    "azure-native:resources:ResourceGroup",
                    "kubernetes:storage.k8s.io/v1:StorageClass",
                    "pulumi:providers:kubernetes",
                ],
            );
            assert.deepStrictEqual(await inspect(r.target.kubeconfig), { value: UNKNOWN, secret: true });
            assert.deepStrictEqual(r.invokeArgs, [], "no credentials are fetched for a cluster that does not exist yet");
            const provider = one(r.ev, "pulumi:providers:kubernetes");
            for (const o of kubernetesObjects(r.ev.resources)) assert.ok(o.provider.startsWith(provider.urn + "::"));
        });
    });

    it("builds the example stack Pulumi.aks.yaml as the config parser reads it", async () => {
        const r = await run(fromStackFile, false, stackFileConfig("aks"));
        const mc = one(r.ev, "azure-native:containerservice:ManagedCluster").inputs;
        assert.strictEqual(mc.location, "eastus");
        assert.strictEqual(mc.resourceName, "torchserve-aks");
        const pool = one(r.ev, "azure-native:containerservice:AgentPool").inputs;
        assert.deepStrictEqual([pool.vmSize, pool.minCount, pool.maxCount], ["Standard_NC4as_T4_v3", 1, 2]);
        assert.strictEqual(one(r.ev, "kubernetes:storage.k8s.io/v1:StorageClass").inputs.provisioner, "file.csi.azure.com");
    });

    it("loads neither @pulumi/gcp nor @pulumi/aws", () => {
        const script = [
            "require('./stacks/azure');",
            "const mods = Object.keys(require.cache).map((k) => k.split(require('path').sep).join('/'));",
            "console.log(JSON.stringify({",
            "  foreign: mods.filter((k) => /node_modules\\/@pulumi\\/(gcp|aws|eks)\\//.test(k)),",
            "  azure: mods.filter((k) => k.includes('node_modules/@pulumi/azure-native/')).length,",
            "}));",
        ].join("\n");
        const out = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], { cwd: repoRoot, encoding: "utf8" });
        assert.strictEqual(out.status, 0, out.stderr);
        const loaded = JSON.parse(out.stdout.trim().split("\n").pop()!);
        assert.deepStrictEqual(loaded.foreign, []);
        assert.ok(loaded.azure > 0, "stacks/azure.ts should load azure-native");
        // The containerservice and resources submodules only, not the thousands behind the package root.
        assert.ok(loaded.azure < 50, `${loaded.azure} azure-native modules loaded`);
    });
});
