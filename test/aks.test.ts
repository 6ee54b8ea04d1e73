// AKS cluster (`cloud: azure`) under Pulumi mocks: what it asks Azure for, what it hands the platform.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import {
    aksEndpoint,
    aksEntraServerId,
    agentPoolLabel,
    aksKubeconfig,
    aksNetworkProfile,
    AksNetworkDataplane,
    dataplaneIgnoreChanges,
    azureFileStorageClassArgs,
    AksClusterAdmin,
    clusterAdminRoleDefinitionId,
    clusterSecurity,
    kubeloginCiModes,
} from "../components/aks";
import { createCluster } from "../stacks/azure";
import { Settings } from "../stacks/config/settings";
import { fakeAksCaData, fakeAksUserKubeconfig, fakeAzureSubscriptionId } from "../harness/cloudMocks";
import { UNKNOWN } from "../harness/evaluate";
import { stackConfig } from "../harness/stackFiles";
import { ClusterRun, runCluster } from "../harness/cluster";
import { all, one } from "./support/match";
import { fromStackFile, idOf, inspect, Taint, tolerates } from "./support/resources";
import { kubernetesObjects, validateKubernetesObject } from "./support/schema";
import { gpuSettings, testSettings } from "./support/settings";
import { previousNetworkProfile } from "./support/previousAks";

function aksSettings(
    gpu: { spot?: boolean; minNodes?: number; maxNodes?: number } | false = {},
    deletionProtection = true,
): Settings {
    const location = { azureLocation: "eastus" };
    const cluster = {
        name: "torchserve-aks",
        deletionProtection,
        systemNodePool: { minNodes: 1, maxNodes: 3 },
        apiAllowedCidrs: ["203.0.113.0/24"],
        admins: { aks: admins },
    };
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

/** The admins of aksSettings: neither is the identity the mocks run as (…0003). */
const admins: AksClusterAdmin[] = [
    { objectId: "8a1b2c3d-0000-4000-8000-1234567890ab", principalType: "User" },
    { objectId: "11111111-2222-4333-8444-555555555555", principalType: "ServicePrincipal" },
];

/** How a secret input value reaches the engine: pulumi.runtime's secret signature. */
const secretSig = pulumi.runtime.specialSigKey;
const secretSigValue = pulumi.runtime.specialSecretSig;

const credentialsToken = "azure-native:containerservice:listManagedClusterUserCredentials";

/** createCluster under mocks; the Azure API (harness/cloudMocks.ts) returns the user kubeconfig base64-encoded. */
function run(
    settings: Settings | (() => Settings),
    preview: boolean,
    config: Record<string, unknown> = { "azure-native:location": "eastus" },
): Promise<ClusterRun> {
    return runCluster(createCluster, settings, { stack: "aks", config, preview });
}

/** The arguments of every user-credentials invoke. */
const credentialRequests = (r: ClusterRun) =>
    r.invokes.filter((i) => i.token === credentialsToken).map((i) => i.inputs);

/** An AKS taint string `key=value:Effect` in Kubernetes terms. */
function aksTaint(taint: string): Taint {
    const [, key, value, effect] = /^([^=]+)=([^:]*):(\w+)$/.exec(taint)!;
    return { key, value, effect };
}

describe("Azure Files StorageClass", () => {
    it("mounts shares as the given owner, retained only when asked", () => {
        const sc = azureFileStorageClassArgs({ retain: true, owner: { uid: 1000, gid: 2000 } });
        assert.ok(Array.isArray(sc.mountOptions));
        assert.deepStrictEqual(
            sc.mountOptions.filter((o) => /^(uid|gid)=/.test(String(o))),
            ["uid=1000", "gid=2000"],
        );
        assert.strictEqual(sc.reclaimPolicy, "Retain");
        assert.strictEqual(
            azureFileStorageClassArgs({ retain: false, owner: { uid: 1, gid: 1 } }).reclaimPolicy,
            "Delete",
        );
    });
});

describe("AKS contract (components/aks/CONTRACT.md)", () => {
    it("numbers every row, ends each in a refusal, a program change or a README sentence, and counts them right", () => {
        const text = fs.readFileSync(path.join(__dirname, "..", "components", "aks", "CONTRACT.md"), "utf8");
        const rows = text.split("\n").filter((l) => /^\| \d+ \|/.test(l));
        assert.deepStrictEqual(
            rows.map((l) => Number(/^\| (\d+) \|/.exec(l)![1])),
            rows.map((_, i) => i + 1),
        );
        const outcome = (l: string) =>
            /^(refusal|program|README)\b/.exec(
                l
                    .replace(/\|\s*$/, "")
                    .split("|")
                    .pop()!
                    .trim(),
            )?.[1];
        for (const l of rows) assert.ok(outcome(l), `no outcome: ${l}`);
        const count = (o: string) => rows.filter((l) => outcome(l) === o).length;
        const summary =
            /^(\d+) rows \(counted by their first outcome\): (\d+) end in a refusal.*?, (\d+) in a program change, (\d+) in a README sentence/m.exec(
                text,
            );
        assert.ok(summary, "the summary line");
        assert.deepStrictEqual(summary.slice(1).map(Number), [
            rows.length,
            count("refusal"),
            count("program"),
            count("README"),
        ]);
    });
});

describe("AKS Entra ID kubeconfig", () => {
    it("keeps the server and CA AKS states, and authenticates with kubelogin through the Azure CLI", () => {
        const endpoint = aksEndpoint(fakeAksUserKubeconfig("c1"));
        assert.deepStrictEqual(endpoint, { server: "https://c1.mock.invalid:443", caData: fakeAksCaData });
        const kc = JSON.parse(aksKubeconfig("c1", endpoint));
        assert.deepStrictEqual(kc.clusters, [
            { name: "c1", cluster: { server: endpoint.server, "certificate-authority-data": endpoint.caData } },
        ]);
        const user = kc.users.find((u: any) => u.name === kc.contexts[0].context.user).user;
        assert.strictEqual(user.exec.command, "kubelogin");
        assert.deepStrictEqual(user.exec.args, ["get-token", "--login", "azurecli", "--server-id", aksEntraServerId]);
        assert.strictEqual(kc["current-context"], "c1");
        assert.ok(!JSON.stringify(kc).includes("client-key"), "no credential in it");
    });

    it("the preview workflow signs kubelogin in with workloadidentity and a GitHub token it keeps fresh, not the CLI login", () => {
        const wf = yaml.load(
            fs.readFileSync(path.join(__dirname, "..", ".github", "workflows", "preview.yml"), "utf8"),
        ) as any;
        const steps: any[] = wf.jobs.preview.steps;
        const script = steps
            .filter((s) => s.if === "matrix.cloud == 'azure'" && typeof s.run === "string")
            .map((s) => s.run)
            .join("\n");
        // Every variable kubelogin's workloadidentity mode reads is set for the later steps.
        for (const v of kubeloginCiModes.workloadidentity)
            assert.match(script, new RegExp(`echo "${v}=`), `${v} is not set for kubelogin`);
        assert.match(script, /echo "AAD_LOGIN_METHOD=workloadidentity"/);
        // The token file is refetched while the job runs (a GitHub OIDC token lives 5 minutes).
        assert.match(script, /audience=api:\/\/AzureADTokenExchange/);
        assert.match(script, /while sleep \d+; do fetch; done/);
        const sleep = Number(/while sleep (\d+)/.exec(script)![1]);
        assert.ok(sleep < 300, `refreshed every ${sleep}s, after the token expires`);
        const order = (name: RegExp) => steps.findIndex((s) => name.test(s.name ?? s.uses ?? ""));
        assert.ok(order(/workloadidentity/) < order(/pulumi preview/));
    });

    it("refuses a kubeconfig without server or CA rather than writing one that cannot connect", () => {
        assert.throws(() => aksEndpoint("apiVersion: v1\nclusters: []\n"), /no cluster server or CA/);
        const noCa = fakeAksUserKubeconfig("c1").replace(/certificate-authority-data:.*\n/, "");
        assert.throws(() => aksEndpoint(noCa), /no cluster server or CA/);
    });
});

describe("AKS cluster (cloud: azure)", function () {
    this.timeout(60000);

    describe("update", () => {
        let onDemand: ClusterRun;
        let spot: ClusterRun;
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
            // GPU pods select the pool's label and its name (AKS labels nodes with it), and tolerate every taint it has.
            for (const [k, v] of Object.entries(onDemand.target.gpuPlacement.nodeSelector))
                assert.strictEqual(k === agentPoolLabel ? pool.agentPoolName : pool.nodeLabels[k], v);
            assert.match(pool.agentPoolName, /^gpu[0-9a-f]{8}$/);
            for (const taint of pool.nodeTaints) {
                assert.ok(
                    onDemand.target.gpuPlacement.tolerations.some((t) => tolerates(t, aksTaint(taint))),
                    `nothing tolerates ${taint}`,
                );
            }
        });

        it("Kubernetes patch and node-image upgrades only in the weekly window; the GPU pool surges one node, takes none down", () => {
            const c = one(onDemand.ev, "azure-native:containerservice:ManagedCluster").inputs;
            assert.deepStrictEqual(c.autoUpgradeProfile, {
                upgradeChannel: "patch",
                nodeOSUpgradeChannel: "NodeImage",
            });
            const configs = all(onDemand.ev, "azure-native:containerservice:MaintenanceConfiguration");
            // AKS reads these two names for the auto-upgrade and node-OS channels' schedules.
            assert.deepStrictEqual(configs.map((m) => m.inputs.configName).sort(), [
                "aksManagedAutoUpgradeSchedule",
                "aksManagedNodeOSUpgradeSchedule",
            ]);
            for (const m of configs) {
                assert.strictEqual(m.inputs.resourceName, "torchserve-aks");
                assert.deepStrictEqual(m.inputs.maintenanceWindow, {
                    schedule: { weekly: { dayOfWeek: "Saturday", intervalWeeks: 1 } },
                    durationHours: 4,
                    startTime: "03:00",
                    utcOffset: "+00:00",
                });
            }
            // One surge node: the README's GPU quota counts it (maxNodes + maxSurge).
            const pool = one(onDemand.ev, "azure-native:containerservice:AgentPool").inputs;
            assert.deepStrictEqual(pool.upgradeSettings, { maxSurge: "1", maxUnavailable: "0" });
        });

        it("makes a Spot GPU pool evict-to-delete at up to the on-demand price, and GPU pods tolerate the Spot taint", () => {
            const pool = one(spot.ev, "azure-native:containerservice:AgentPool").inputs;
            assert.deepStrictEqual(
                [pool.scaleSetPriority, pool.scaleSetEvictionPolicy, pool.spotMaxPrice],
                ["Spot", "Delete", -1],
            );
            assert.deepStrictEqual([pool.count, pool.minCount, pool.maxCount], [0, 0, 4]);
            // AKS refuses maxSurge and maxUnavailable on a Spot pool: none is sent.
            assert.strictEqual(pool.upgradeSettings, undefined);
            assert.ok(pool.nodeTaints.includes("kubernetes.azure.com/scalesetpriority=spot:NoSchedule"));
            for (const taint of pool.nodeTaints) {
                assert.ok(
                    spot.target.gpuPlacement.tolerations.some((t) => tolerates(t, aksTaint(taint))),
                    `nothing tolerates ${taint}`,
                );
            }
            // The on-demand placement does not carry the Spot toleration.
            assert.ok(
                !onDemand.target.gpuPlacement.tolerations.some(
                    (t) => t.key === "kubernetes.azure.com/scalesetpriority",
                ),
            );
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
            assert.strictEqual(
                (await inspect(pulumi.output(onDemand.target.modelStoreClassName!))).value,
                sc.inputs.metadata.name,
            );
        });

        it("retains model shares and protects the cluster only under deletion protection", () => {
            assert.strictEqual(
                one(onDemand.ev, "kubernetes:storage.k8s.io/v1:StorageClass").inputs.reclaimPolicy,
                "Retain",
            );
            assert.deepStrictEqual(onDemand.protectedTypes, ["azure-native:containerservice:ManagedCluster"]);
            assert.strictEqual(
                one(spot.ev, "kubernetes:storage.k8s.io/v1:StorageClass").inputs.reclaimPolicy,
                "Delete",
            );
            assert.deepStrictEqual(spot.protectedTypes, []);
        });

        it("the AKS cluster enforces NetworkPolicy: Cilium dataplane and policy engine on Azure CNI overlay", () => {
            const net = one(onDemand.ev, "azure-native:containerservice:ManagedCluster").inputs.networkProfile;
            assert.deepStrictEqual(
                [net.networkPlugin, net.networkPluginMode, net.networkDataplane, net.networkPolicy],
                ["azure", "overlay", "cilium", "cilium"],
            );
        });

        it("a cluster created before Cilium keeps its network profile: aksNetworkDataplane azure registers what earlier versions did", () => {
            assert.deepStrictEqual(aksNetworkProfile(AksNetworkDataplane.Azure), previousNetworkProfile);
            // ...and leaves the dataplane to the cluster (migrated outside Pulumi), so neither state replaces it.
            assert.deepStrictEqual(dataplaneIgnoreChanges(AksNetworkDataplane.Azure), [
                "networkProfile.networkDataplane",
                "networkProfile.networkPolicy",
            ]);
            assert.deepStrictEqual(dataplaneIgnoreChanges(AksNetworkDataplane.Cilium), []);
            const mc = one(onDemand.ev, "azure-native:containerservice:ManagedCluster");
            assert.deepStrictEqual(mc.inputs.networkProfile, aksNetworkProfile(AksNetworkDataplane.Cilium));
            assert.deepStrictEqual(mc.options.ignoreChanges, ["agentPoolProfiles[0].count"]);
        });

        it("Entra ID with Azure RBAC is the only way in: no local accounts; API server only from apiAllowedCidrs", () => {
            const mc = one(onDemand.ev, "azure-native:containerservice:ManagedCluster").inputs;
            assert.deepStrictEqual(mc.aadProfile, { managed: true, enableAzureRBAC: true });
            assert.strictEqual(mc.disableLocalAccounts, true);
            assert.strictEqual(mc.enableRBAC, true);
            assert.deepStrictEqual(mc.apiServerAccessProfile, { authorizedIPRanges: ["203.0.113.0/24"] });
            // Any address, in AKS's terms: no ranges.
            assert.deepStrictEqual(clusterSecurity(["203.0.113.0/24", "0.0.0.0/0"]).apiServerAccessProfile, {
                authorizedIPRanges: [],
            });
        });

        it("never lists admin credentials: the kubeconfig is kubelogin's, from the user credential's server and CA, secret", async () => {
            assert.deepStrictEqual(
                onDemand.invokes.filter((i) => /listManagedClusterAdminCredentials/.test(i.token)),
                [],
            );
            assert.deepStrictEqual(credentialRequests(onDemand), [
                { resourceGroupName: "torchserve-aks-rg", resourceName: "torchserve-aks", format: "exec" },
            ]);
            const expected = aksKubeconfig("torchserve-aks", aksEndpoint(fakeAksUserKubeconfig("torchserve-aks")));
            assert.deepStrictEqual(await inspect(onDemand.target.kubeconfig), { value: expected, secret: true });
            assert.deepStrictEqual(await inspect(onDemand.target.name), { value: "torchserve-aks", secret: false });
            const provider = one(onDemand.ev, "pulumi:providers:kubernetes");
            // The provider receives it as a secret (the engine's secret signature wraps the value).
            assert.deepStrictEqual(provider.inputs.kubeconfig, { [secretSig]: secretSigValue, value: expected });
            assert.strictEqual(provider.inputs.enableServerSideApply, "true");
        });

        it("makes cluster.admins AKS RBAC Cluster Admin with their principal types, none keyed on the caller", () => {
            const rg = one(onDemand.ev, "azure-native:resources:ResourceGroup");
            const assignments = all(onDemand.ev, "azure-native:authorization:RoleAssignment");
            assert.deepStrictEqual(
                assignments.map((ra) => [ra.name, ra.inputs.principalId, ra.inputs.principalType]),
                admins.map((a) => [`torchserve-aks-admin-${a.objectId}`, a.objectId, a.principalType]),
            );
            for (const ra of assignments) {
                // On the resource group (which holds only this cluster): it exists before the cluster does.
                assert.strictEqual(ra.inputs.scope, idOf(rg));
                assert.strictEqual(
                    ra.inputs.roleDefinitionId,
                    `/subscriptions/${fakeAzureSubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${clusterAdminRoleDefinitionId}`,
                );
                assert.notStrictEqual(ra.inputs.principalId, "00000000-0000-0000-0000-000000000003");
            }
        });

        it("assigns the admins before creating the cluster, so Azure RBAC honours them by the first Kubernetes call", () => {
            const mc = one(onDemand.ev, "azure-native:containerservice:ManagedCluster");
            const provider = one(onDemand.ev, "pulumi:providers:kubernetes");
            for (const ra of all(onDemand.ev, "azure-native:authorization:RoleAssignment")) {
                assert.ok(mc.dependencies.includes(ra.urn), `the cluster does not wait for ${ra.name}`);
                assert.ok(provider.dependencies.includes(ra.urn), `the provider does not wait for ${ra.name}`);
                assert.ok(!ra.dependencies.includes(mc.urn), `${ra.name} waits for the cluster`);
            }
        });

        it("creates every Kubernetes object through the cluster's provider", () => {
            for (const r of [onDemand, spot]) {
                const provider = one(r.ev, "pulumi:providers:kubernetes");
                const objects = kubernetesObjects(r.ev.resources);
                assert.ok(objects.length > 0);
                for (const o of objects)
                    assert.ok(o.provider.startsWith(provider.urn + "::"), `${o.type} ${o.name} uses ${o.provider}`);
                assert.strictEqual(r.target.provider.constructor.name, "Provider");
            }
        });

        it("leaves node counts to the autoscaler after creation", () => {
            assert.deepStrictEqual(onDemand.ignored["azure-native:containerservice:AgentPool"], ["count"]);
            assert.deepStrictEqual(onDemand.ignored["azure-native:containerservice:ManagedCluster"], [
                "agentPoolProfiles[0].count",
            ]);
        });

        it("replaces the GPU pool create-first (a new fingerprinted name), overriding azure-native's delete-first", () => {
            const pool = one(onDemand.ev, "azure-native:containerservice:AgentPool");
            assert.strictEqual(pool.options.deleteBeforeReplace, false);
            assert.strictEqual(
                one(onDemand.ev, "azure-native:containerservice:ManagedCluster").options.deleteBeforeReplace,
                undefined,
            );
        });

        it("asks the platform for the device plugin and waits for the GPU pool, the cluster and the storage class", async () => {
            assert.strictEqual(onDemand.target.needsDevicePlugin, true);
            const urns = async (rs: pulumi.Resource[]) =>
                Promise.all(rs.map(async (r) => (await inspect(r.urn)).value));
            assert.deepStrictEqual(await urns(onDemand.target.gpuPoolReady), [
                one(onDemand.ev, "azure-native:containerservice:AgentPool").urn,
            ]);
            const managedCluster = one(onDemand.ev, "azure-native:containerservice:ManagedCluster").urn;
            assert.deepStrictEqual(await urns(onDemand.target.clusterReady), [
                managedCluster,
                one(onDemand.ev, "kubernetes:storage.k8s.io/v1:StorageClass").urn,
            ]);
            // System add-ons wait for the system pool (inline in the cluster), not for the model store.
            assert.deepStrictEqual(await urns(onDemand.target.systemReady), [managedCluster]);
            assert.deepStrictEqual(onDemand.target.systemPlacement.nodeSelector, {
                "kubernetes.azure.com/agentpool": "system",
            });
        });

        it("creates no GPU pool without gpuNodePool", async () => {
            const r = await run(aksSettings(false), false);
            assert.strictEqual(
                r.ev.resources.filter((x) => x.type === "azure-native:containerservice:AgentPool").length,
                0,
            );
            assert.deepStrictEqual(r.target.gpuPoolReady, []);
        });
    });

    describe("preview", () => {
        it("registers the same resources with the kubeconfig still unknown", async () => {
            const r = await run(aksSettings({ spot: true }), true);
            assert.deepStrictEqual(
                r.ev.resources
                    .filter((x) => x.custom)
                    .map((x) => x.type)
                    .sort(),
                [
                    "azure-native:authorization:RoleAssignment",
                    "azure-native:authorization:RoleAssignment",
                    "azure-native:containerservice:AgentPool",
                    "azure-native:containerservice:MaintenanceConfiguration",
                    "azure-native:containerservice:MaintenanceConfiguration",
                    "azure-native:containerservice:ManagedCluster",
                    "azure-native:resources:ResourceGroup",
                    "kubernetes:storage.k8s.io/v1:StorageClass",
                    "pulumi:providers:kubernetes",
                ],
            );
            assert.deepStrictEqual(await inspect(r.target.kubeconfig), { value: UNKNOWN, secret: true });
            assert.deepStrictEqual(
                credentialRequests(r),
                [],
                "no credentials are fetched for a cluster that does not exist yet",
            );
            const provider = one(r.ev, "pulumi:providers:kubernetes");
            for (const o of kubernetesObjects(r.ev.resources)) assert.ok(o.provider.startsWith(provider.urn + "::"));
        });
    });

    it("builds the example stack Pulumi.aks.yaml as the config parser reads it", async () => {
        const r = await run(fromStackFile, false, stackConfig("aks"));
        const mc = one(r.ev, "azure-native:containerservice:ManagedCluster").inputs;
        assert.strictEqual(mc.location, "eastus");
        assert.strictEqual(mc.resourceName, "torchserve-aks");
        const pool = one(r.ev, "azure-native:containerservice:AgentPool").inputs;
        assert.deepStrictEqual([pool.vmSize, pool.minCount, pool.maxCount], ["Standard_NC4as_T4_v3", 1, 2]);
        assert.strictEqual(
            one(r.ev, "kubernetes:storage.k8s.io/v1:StorageClass").inputs.provisioner,
            "file.csi.azure.com",
        );
    });

    it("logs to Azure Monitor (backend cloud): workspace with retention, managed-identity Container Insights, its rule, kube-audit-admin and guard (not kube-audit's every get and list)", async () => {
        const s = aksSettings({});
        s.logging = { ...s.logging, enabled: true, backend: "cloud", retentionDays: 90 };
        const r = await run(s, false);
        const ws = one(r.ev, "azure-native:operationalinsights:Workspace");
        assert.deepStrictEqual(
            [ws.inputs.workspaceName, ws.inputs.retentionInDays, ws.inputs.sku.name],
            ["torchserve-aks-logs", 90, "PerGB2018"],
        );
        const wsId = idOf(ws);
        const mc = one(r.ev, "azure-native:containerservice:ManagedCluster");
        assert.deepStrictEqual(mc.inputs.addonProfiles, {
            omsagent: { enabled: true, config: { logAnalyticsWorkspaceResourceID: wsId, useAADAuth: "true" } },
        });
        const rule = one(r.ev, "azure-native:monitor:DataCollectionRule").inputs;
        assert.deepStrictEqual(rule.destinations.logAnalytics, [{ name: "workspace", workspaceResourceId: wsId }]);
        assert.deepStrictEqual(rule.dataFlows, [
            { streams: ["Microsoft-ContainerInsights-Group-Default"], destinations: ["workspace"] },
        ]);
        const ext = rule.dataSources.extensions[0];
        assert.deepStrictEqual(
            [ext.extensionName, ext.extensionSettings.dataCollectionSettings.enableContainerLogV2],
            ["ContainerInsights", true],
        );
        const assoc = one(r.ev, "azure-native:monitor:DataCollectionRuleAssociation").inputs;
        assert.deepStrictEqual(
            [assoc.resourceUri, assoc.dataCollectionRuleId, assoc.associationName],
            [idOf(mc), idOf(one(r.ev, "azure-native:monitor:DataCollectionRule")), "ContainerInsightsExtension"],
        );
        const diag = one(r.ev, "azure-native:monitor:DiagnosticSetting").inputs;
        assert.deepStrictEqual(
            [diag.resourceUri, diag.workspaceId, diag.logs],
            [
                idOf(mc),
                wsId,
                [
                    { category: "kube-audit-admin", enabled: true },
                    { category: "guard", enabled: true },
                ],
            ],
        );
    });

    it("logging off or on Loki: no workspace, the monitoring add-on sent disabled", async () => {
        const s = aksSettings(false);
        s.logging = { ...s.logging, enabled: true, backend: "loki" };
        const r = await run(s, false);
        assert.deepStrictEqual(all(r.ev, "azure-native:operationalinsights:Workspace"), []);
        // Sent off, not left out: a missing profile may leave an enabled add-on on.
        assert.deepStrictEqual(one(r.ev, "azure-native:containerservice:ManagedCluster").inputs.addonProfiles, {
            omsagent: { enabled: false },
        });
        assert.deepStrictEqual(all(r.ev, "azure-native:monitor:DiagnosticSetting"), []);
    });
});
