// GKE cluster (`cloud: gcp`) under Pulumi mocks: what it asks GCP for, what it hands the platform.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import {
    controlPlaneSourceRange,
    gkeMaintenanceWindow,
    GkeGpuNodePoolSpec,
    gpuNodePoolArgs,
    gpuPoolNameFor,
    legacyReplaceForcing,
    nodeConfigReplaceOn,
    maintenanceAvailabilityHours,
    requiredServices,
    zonesOffering,
} from "../components/gke";
import { createCluster, gkeGpuNodePool } from "../stacks/gcp";
import { Settings } from "../stacks/config/settings";
import { UNKNOWN } from "../harness/evaluate";
import { stackConfig } from "../harness/stackFiles";
import { cloudCall } from "../harness/cloudMocks";
import {
    autoName,
    cloudComputed,
    fakeGkeCaCertificate,
    fakeGkeEndpoint,
    fakeGkePrivateEndpoint,
} from "../harness/cloudComputed";
import { configFor, runProgram } from "../harness/program";
import { ClusterRun, runCluster } from "../harness/cluster";
import { rulesFor } from "../harness/transitions/rules";
import { all, one } from "./support/match";
import { fromStackFile, idOf, inspect, Taint, tolerates } from "./support/resources";
import { kubernetesObjects, validateKubernetesObject } from "./support/schema";
import { gpuSettings, testSettings } from "./support/settings";

const project = "my-gcp-project";

function gkeSettings(
    gpu: { spot?: boolean; minNodes?: number; maxNodes?: number; gpuType?: string } | false = {},
    deletionProtection = true,
): Settings {
    const location = { gcpProject: project, gcpRegion: "us-central1" };
    const cluster = {
        name: "torchserve-gke",
        deletionProtection,
        systemNodePool: { minNodes: 1, maxNodes: 3 },
        apiAllowedCidrs: ["203.0.113.0/24", "198.51.100.0/24"],
    };
    if (gpu === false) return testSettings({ cloud: "gcp", location, cluster });
    return gpuSettings({
        cloud: "gcp",
        location,
        cluster,
        gpuNodePool: {
            instanceType: "n1-standard-8",
            gpuType: "gpuType" in gpu ? gpu.gpuType : "nvidia-tesla-t4",
            gpusPerNode: 2,
            minNodes: gpu.minNodes ?? 1,
            maxNodes: gpu.maxNodes ?? 3,
            spot: gpu.spot ?? false,
            diskSizeGb: 150,
        },
    });
}

/** createCluster under mocks; GCP computes the network's name and the cluster's endpoint and CA (harness/cloudComputed.ts). */
function run(
    settings: Settings | (() => Settings),
    preview: boolean,
    config: Record<string, unknown> = { "gcp:project": project, "gcp:region": "us-central1" },
): Promise<ClusterRun> {
    return runCluster(createCluster, settings, { stack: "gke", config, preview });
}

/** A GKE node taint ({key, value, effect: NO_SCHEDULE…}) in Kubernetes terms. */
function gkeTaint(taint: { key: string; value: string; effect: string }): Taint {
    const effect = { NO_SCHEDULE: "NoSchedule", PREFER_NO_SCHEDULE: "PreferNoSchedule", NO_EXECUTE: "NoExecute" }[
        taint.effect
    ]!;
    return { key: taint.key, value: taint.value, effect };
}

const types = {
    network: "gcp:compute/network:Network",
    router: "gcp:compute/router:Router",
    nat: "gcp:compute/routerNat:RouterNat",
    serviceAccount: "gcp:serviceaccount/account:Account",
    iamMember: "gcp:projects/iAMMember:IAMMember",
    subnetwork: "gcp:compute/subnetwork:Subnetwork",
    cluster: "gcp:container/cluster:Cluster",
    nodePool: "gcp:container/nodePool:NodePool",
    storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
    provider: "pulumi:providers:kubernetes",
};

describe("GKE cluster (cloud: gcp)", function () {
    this.timeout(60000);

    describe("update", () => {
        let onDemand: ClusterRun;
        let spot: ClusterRun;
        before(async () => {
            onDemand = await run(gkeSettings({}), false);
            spot = await run(gkeSettings({ spot: true, minNodes: 0, maxNodes: 4 }, false), false);
        });

        it("builds a VPC-native regional cluster on its own network with Workload Identity and Filestore CSI", () => {
            const net = one(onDemand.ev, types.network).inputs;
            assert.strictEqual(net.autoCreateSubnetworks, false);
            const subnet = one(onDemand.ev, types.subnetwork).inputs;
            assert.strictEqual(subnet.region, "us-central1");
            const c = one(onDemand.ev, types.cluster).inputs;
            assert.strictEqual(c.name, "torchserve-gke");
            assert.strictEqual(c.location, "us-central1");
            assert.strictEqual(c.project, project);
            assert.strictEqual(c.networkingMode, "VPC_NATIVE");
            // The pod and Service ranges the cluster uses exist on its subnetwork.
            const ranges = subnet.secondaryIpRanges.map((r: any) => r.rangeName);
            assert.ok(ranges.includes(c.ipAllocationPolicy.clusterSecondaryRangeName));
            assert.ok(ranges.includes(c.ipAllocationPolicy.servicesSecondaryRangeName));
            assert.notStrictEqual(
                c.ipAllocationPolicy.clusterSecondaryRangeName,
                c.ipAllocationPolicy.servicesSecondaryRangeName,
            );
            assert.deepStrictEqual([c.removeDefaultNodePool, c.initialNodeCount], [true, 1]);
            assert.strictEqual(c.workloadIdentityConfig.workloadPool, "my-gcp-project.svc.id.goog");
            assert.strictEqual(c.addonsConfig.gcpFilestoreCsiDriverConfig.enabled, true);
            assert.strictEqual(c.minMasterVersion, "1.35");
            assert.strictEqual(c.releaseChannel.channel, "REGULAR");
        });

        it("the GKE cluster enforces NetworkPolicy: Calico network policy with its add-on on", () => {
            const c = one(onDemand.ev, types.cluster).inputs;
            assert.deepStrictEqual(c.networkPolicy, { enabled: true, provider: "CALICO" });
            assert.deepStrictEqual(c.addonsConfig.networkPolicyConfig, { disabled: false });
            // Dataplane V2 is ForceNew (a new cluster): left to GKE's default here.
            assert.strictEqual(c.datapathProvider, undefined);
        });

        it("the API server answers only apiAllowedCidrs (not all of Google Cloud); nodes have no external IPs", () => {
            const c = one(onDemand.ev, types.cluster).inputs;
            assert.deepStrictEqual(c.masterAuthorizedNetworksConfig, {
                cidrBlocks: [
                    { cidrBlock: "203.0.113.0/24", displayName: "cluster.apiAllowedCidrs" },
                    { cidrBlock: "198.51.100.0/24", displayName: "cluster.apiAllowedCidrs" },
                ],
                gcpPublicCidrsAccessEnabled: false,
            });
            assert.deepStrictEqual(c.privateClusterConfig, { enablePrivateNodes: true, enablePrivateEndpoint: false });
            for (const pool of [
                one(onDemand.ev, types.nodePool, "torchserve-gke-system"),
                one(onDemand.ev, types.nodePool, "torchserve-gke-gpu"),
            ])
                assert.deepStrictEqual(pool.inputs.networkConfig, { enablePrivateNodes: true }, pool.name);
        });

        it("private nodes reach the internet through Cloud NAT on the cluster's network; pools wait for it", () => {
            const router = one(onDemand.ev, types.router);
            assert.strictEqual(router.inputs.network, idOf(one(onDemand.ev, types.network)));
            assert.strictEqual(router.inputs.region, "us-central1");
            const nat = one(onDemand.ev, types.nat);
            assert.strictEqual(nat.inputs.router, autoName("torchserve-gke"));
            assert.strictEqual(nat.inputs.region, "us-central1");
            assert.strictEqual(nat.inputs.natIpAllocateOption, "AUTO_ONLY");
            assert.strictEqual(nat.inputs.sourceSubnetworkIpRangesToNat, "ALL_SUBNETWORKS_ALL_IP_RANGES");
            for (const pool of all(onDemand.ev, types.nodePool)) assert.ok(pool.dependencies.includes(nat.urn));
        });

        it("GKE node pools use the dedicated service account, which has only GKE's node role", () => {
            const sa = one(onDemand.ev, types.serviceAccount);
            assert.strictEqual(sa.inputs.accountId, "torchserve-gke-nodes");
            const email = `torchserve-gke-nodes@${project}.iam.gserviceaccount.com`;
            const members = all(onDemand.ev, types.iamMember);
            assert.deepStrictEqual(
                members.map((m) => [m.inputs.role, m.inputs.member]),
                [["roles/container.defaultNodeServiceAccount", `serviceAccount:${email}`]],
            );
            for (const pool of all(onDemand.ev, types.nodePool)) {
                assert.strictEqual(pool.inputs.nodeConfig.serviceAccount, email, pool.name);
                for (const m of members)
                    assert.ok(pool.dependencies.includes(m.urn), `${pool.name} waits for ${m.name}`);
            }
        });

        it("GKE's throwaway default pool runs as the dedicated account, shielded, not as the Compute Engine default account", () => {
            // With removeDefaultNodePool and no cluster nodeConfig GKE creates that pool with the default
            // account (hashicorp/terraform-provider-google#4435): refused where it is disabled, Editor elsewhere.
            const cluster = one(onDemand.ev, types.cluster);
            const email = `torchserve-gke-nodes@${project}.iam.gserviceaccount.com`;
            assert.deepStrictEqual(cluster.inputs.nodeConfig, {
                serviceAccount: email,
                oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
                shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
            });
            // Its nodes start with the account's role in place.
            for (const m of all(onDemand.ev, types.iamMember)) assert.ok(cluster.dependencies.includes(m.urn));
            // ForceNew on an existing cluster: ignored after creation (day2:gke-default-pool-account-existing).
            assert.deepStrictEqual(cluster.options.ignoreChanges, ["nodeConfig"]);
        });

        it("shielded nodes with Secure Boot and integrity monitoring, GPU pool included", () => {
            assert.strictEqual(one(onDemand.ev, types.cluster).inputs.enableShieldedNodes, true);
            for (const pool of all(onDemand.ev, types.nodePool))
                assert.deepStrictEqual(
                    pool.inputs.nodeConfig.shieldedInstanceConfig,
                    { enableSecureBoot: true, enableIntegrityMonitoring: true },
                    pool.name,
                );
        });

        it("turns on GKE deletion protection only when asked", () => {
            assert.strictEqual(one(onDemand.ev, types.cluster).inputs.deletionProtection, true);
            assert.strictEqual(one(spot.ev, types.cluster).inputs.deletionProtection, false);
        });

        it("sizes the system pool by region-wide totals, with Workload Identity metadata", () => {
            const pool = one(onDemand.ev, types.nodePool, "torchserve-gke-system").inputs;
            assert.strictEqual(pool.name, "system");
            assert.strictEqual(pool.cluster, "torchserve-gke");
            assert.strictEqual(pool.location, "us-central1");
            assert.strictEqual(pool.autoscaling.totalMinNodeCount, 1);
            assert.strictEqual(pool.autoscaling.totalMaxNodeCount, 3);
            assert.strictEqual(
                pool.autoscaling.minNodeCount,
                undefined,
                "per-zone limits would multiply by the zone count",
            );
            assert.strictEqual(pool.nodeConfig.machineType, "e2-standard-4");
            assert.strictEqual(pool.nodeConfig.workloadMetadataConfig.mode, "GKE_METADATA");
            assert.deepStrictEqual(pool.nodeConfig.oauthScopes, ["https://www.googleapis.com/auth/cloud-platform"]);
            assert.deepStrictEqual(onDemand.target.systemPlacement.nodeSelector, {
                "cloud.google.com/gke-nodepool": "system",
            });
        });

        it("uses the stack's Kubernetes version and system machine type when given", async () => {
            const s = gkeSettings(false);
            s.cluster.kubernetesVersion = "1.33";
            s.cluster.systemNodePool = { instanceType: "e2-standard-8", minNodes: 2, maxNodes: 6 };
            const r = await run(s, false);
            assert.strictEqual(one(r.ev, types.cluster).inputs.minMasterVersion, "1.33");
            const pool = one(r.ev, types.nodePool).inputs;
            assert.deepStrictEqual(
                [pool.nodeConfig.machineType, pool.autoscaling.totalMinNodeCount, pool.autoscaling.totalMaxNodeCount],
                ["e2-standard-8", 2, 6],
            );
            assert.deepStrictEqual(r.target.gpuPoolReady, []);
        });

        it("attaches the GPUs with a GKE-installed driver and taints and labels the GPU pool", () => {
            const pool = one(onDemand.ev, types.nodePool, "torchserve-gke-gpu").inputs;
            // Named by its create-only settings (blue/green on a change), selected by that name.
            assert.match(pool.name, /^gpu-[0-9a-f]{8}$/);
            assert.strictEqual(onDemand.target.gpuPlacement.nodeSelector["cloud.google.com/gke-nodepool"], pool.name);
            assert.strictEqual(pool.nodeConfig.machineType, "n1-standard-8");
            assert.deepStrictEqual(pool.nodeConfig.guestAccelerators, [
                { type: "nvidia-tesla-t4", count: 2, gpuDriverInstallationConfig: { gpuDriverVersion: "DEFAULT" } },
            ]);
            assert.deepStrictEqual(
                [
                    pool.autoscaling.totalMinNodeCount,
                    pool.autoscaling.totalMaxNodeCount,
                    pool.autoscaling.locationPolicy,
                ],
                [1, 3, "ANY"],
            );
            assert.strictEqual(pool.nodeConfig.diskSizeGb, 150);
            assert.strictEqual(pool.nodeConfig.spot, false);
            assert.deepStrictEqual(pool.nodeConfig.taints, [
                { key: "nvidia.com/gpu", value: "present", effect: "NO_SCHEDULE" },
            ]);
            assert.strictEqual(pool.nodeConfig.workloadMetadataConfig.mode, "GKE_METADATA");
            for (const [k, v] of Object.entries(onDemand.target.gpuPlacement.nodeSelector))
                if (k !== "cloud.google.com/gke-nodepool") assert.strictEqual(pool.nodeConfig.labels[k], v);
            for (const taint of pool.nodeConfig.taints) {
                assert.ok(
                    onDemand.target.gpuPlacement.tolerations.some((t) => tolerates(t, gkeTaint(taint))),
                    `nothing tolerates ${taint.key}`,
                );
            }
        });

        it("enables the APIs it uses before creating anything that needs them, and leaves them on at destroy", () => {
            const services = all(onDemand.ev, "gcp:projects/service:Service");
            assert.deepStrictEqual(services.map((x) => x.inputs.service).sort(), [...requiredServices].sort());
            for (const x of services) {
                assert.strictEqual(x.inputs.project, project);
                // Other things in the project may use them: a destroy must not turn them off.
                assert.deepStrictEqual([x.inputs.disableOnDestroy, x.inputs.disableDependentServices], [false, false]);
            }
            // On a fresh project every call to a disabled API answers SERVICE_DISABLED: the network, the
            // cluster, the nodes' account and its role bindings wait for every API.
            for (const r of [
                one(onDemand.ev, types.network),
                one(onDemand.ev, types.cluster),
                one(onDemand.ev, types.serviceAccount),
                ...all(onDemand.ev, types.iamMember),
            ])
                for (const x of services)
                    assert.ok(r.dependencies.includes(x.urn), `${r.type} ${r.name} waits for ${x.inputs.service}`);
            const filestoreApi = services.find((x) => x.inputs.service === "file.googleapis.com")!;
            assert.ok(one(onDemand.ev, "gcp:filestore/instance:Instance").dependencies.includes(filestoreApi.urn));
            // The Filestore zone lookup calls the Compute Engine API: sent only once that API is enabled.
            const events = onDemand.ev.events!;
            const lookup = events.indexOf("call gcp:compute/getZones:getZones");
            const computeApi = events.indexOf("created gcp:projects/service:Service torchserve-gke-compute");
            assert.ok(lookup > computeApi && computeApi >= 0, events.join("\n"));
        });

        it("enables IAM Service Account Credentials and Cloud Storage: Workload Identity's tokens and the bucket's IAM", () => {
            const enabled = all(onDemand.ev, "gcp:projects/service:Service").map((x) => x.inputs.service);
            for (const api of ["iamcredentials.googleapis.com", "storage.googleapis.com", "iam.googleapis.com"])
                assert.ok(enabled.includes(api), api);
        });

        it("a weekly maintenance window GKE accepts (default Saturday 03:00 UTC, 12 hours); pools surge one node and take none down", () => {
            const c = one(onDemand.ev, types.cluster).inputs;
            assert.deepStrictEqual(c.maintenancePolicy.recurringWindow, {
                startTime: "2024-01-06T03:00:00Z",
                endTime: "2024-01-06T15:00:00Z",
                recurrence: "FREQ=WEEKLY;BYDAY=SA",
            });
            // 48 hours in every 32 days (test/gkeMaintenance.test.ts).
            assert.strictEqual(maintenanceAvailabilityHours(c.maintenancePolicy.recurringWindow), 48);
            assert.deepStrictEqual(gkeMaintenanceWindow({ day: "Monday", startHour: 22, durationHours: 4 }), {
                startTime: "2024-01-01T22:00:00Z",
                endTime: "2024-01-02T02:00:00Z",
                recurrence: "FREQ=WEEKLY;BYDAY=MO",
            });
            // One surge node: the README's GPU quota counts it (maxNodes + maxSurge).
            const gpu = one(onDemand.ev, types.nodePool, "torchserve-gke-gpu").inputs;
            assert.deepStrictEqual(gpu.upgradeSettings, { strategy: "SURGE", maxSurge: 1, maxUnavailable: 0 });
        });

        it("the control plane reaches istiod's and KEDA's webhooks on private nodes (15017, 9443, 6443), only with them", async () => {
            // GKE opens 443 and 10250 only (https://cloud.google.com/service-mesh/docs/private-cluster-open-port).
            assert.deepStrictEqual(all(onDemand.ev, "gcp:compute/firewall:Firewall"), []);
            const s = gkeSettings({});
            s.istio = { ...s.istio, enabled: true };
            s.autoscaling = { ...s.autoscaling, enabled: true };
            const r = await run(s, false);
            const rule = one(r.ev, "gcp:compute/firewall:Firewall");
            assert.strictEqual(rule.inputs.direction, "INGRESS");
            assert.deepStrictEqual(rule.inputs.allows, [{ protocol: "tcp", ports: ["6443", "9443", "15017"] }]);
            assert.strictEqual(rule.inputs.network, idOf(one(r.ev, types.network)));
            // From the control plane as the cluster reports it (its PSC endpoint), to every node of the cluster.
            assert.deepStrictEqual(rule.inputs.sourceRanges, [`${fakeGkePrivateEndpoint}/32`]);
            assert.deepStrictEqual(rule.inputs.targetServiceAccounts, [
                `torchserve-gke-nodes@${project}.iam.gserviceaccount.com`,
            ]);
            assert.ok(rule.dependencies.includes(one(r.ev, types.cluster).urn));
            // The platform (istiod, KEDA) waits for it: a webhook installed first would time out admissions.
            const ready = await Promise.all(r.target.clusterReady.map(async (x) => (await inspect(x.urn)).value));
            assert.ok(ready.includes(rule.urn));
            // Istio alone opens its injector's port only.
            const meshOnly = gkeSettings(false);
            meshOnly.istio = { ...meshOnly.istio, enabled: true };
            const m = await run(meshOnly, false);
            assert.deepStrictEqual(one(m.ev, "gcp:compute/firewall:Firewall").inputs.allows[0].ports, ["15017"]);
            // A cluster with a control-plane range: that range.
            assert.deepStrictEqual(controlPlaneSourceRange({ masterIpv4CidrBlock: "172.16.0.0/28" }), [
                "172.16.0.0/28",
            ]);
        });

        it("makes Spot GPU pools on request", () => {
            const pool = one(spot.ev, types.nodePool, "torchserve-gke-gpu").inputs;
            assert.strictEqual(pool.nodeConfig.spot, true);
            assert.deepStrictEqual([pool.autoscaling.totalMinNodeCount, pool.autoscaling.totalMaxNodeCount], [0, 4]);
        });

        it("relies on GKE's own device plugin and waits for the GPU pool, the system pool and the storage class", async () => {
            assert.strictEqual(onDemand.target.needsDevicePlugin, false);
            const urns = async (rs: pulumi.Resource[]) =>
                Promise.all(rs.map(async (r) => (await inspect(r.urn)).value));
            assert.deepStrictEqual(await urns(onDemand.target.gpuPoolReady), [
                one(onDemand.ev, types.nodePool, "torchserve-gke-gpu").urn,
            ]);
            assert.deepStrictEqual(
                (await urns(onDemand.target.clusterReady)).sort(),
                [
                    one(onDemand.ev, types.nodePool, "torchserve-gke-system").urn,
                    one(onDemand.ev, types.storageClass).urn,
                    // The model server's volume on its Filestore instance.
                    one(onDemand.ev, "kubernetes:core/v1:PersistentVolume").urn,
                ].sort(),
            );
        });

        it("tells GPU-metrics exporters where GKE's driver installer puts the NVIDIA driver", () => {
            assert.strictEqual(onDemand.target.nvidiaDriverHostPath, "/home/kubernetes/bin/nvidia");
        });

        it("offers a ReadWriteMany Filestore class on the cluster's network", async () => {
            const sc = one(onDemand.ev, types.storageClass);
            await validateKubernetesObject(sc);
            assert.strictEqual(sc.inputs.provisioner, "filestore.csi.storage.gke.io");
            assert.strictEqual(sc.inputs.parameters.tier, "standard");
            assert.strictEqual(sc.inputs.parameters.network, autoName("torchserve-gke"));
            assert.strictEqual(sc.inputs.allowVolumeExpansion, true);
            assert.strictEqual(sc.inputs.reclaimPolicy, "Retain");
            assert.strictEqual(one(spot.ev, types.storageClass).inputs.reclaimPolicy, "Delete");
            assert.strictEqual(
                (await inspect(pulumi.output(onDemand.target.modelStoreClassName!))).value,
                sc.inputs.metadata.name,
            );
        });

        it("writes a secret kubeconfig that authenticates through gke-gcloud-auth-plugin", async () => {
            const { value, secret } = await inspect(onDemand.target.kubeconfig);
            assert.strictEqual(secret, true);
            const kc = JSON.parse(value as string);
            const context = "gke_my-gcp-project_us-central1_torchserve-gke";
            assert.strictEqual(kc["current-context"], context);
            assert.deepStrictEqual(kc.clusters[0].cluster, {
                server: `https://${fakeGkeEndpoint}`,
                "certificate-authority-data": fakeGkeCaCertificate,
            });
            const exec = kc.users[0].user.exec;
            assert.strictEqual(exec.command, "gke-gcloud-auth-plugin");
            assert.strictEqual(exec.apiVersion, "client.authentication.k8s.io/v1beta1");
            assert.strictEqual(exec.provideClusterInfo, true);
            assert.strictEqual(kc.users[0].user.token, undefined, "no long-lived credential in the kubeconfig");
            const provider = one(onDemand.ev, types.provider);
            assert.strictEqual(provider.inputs.kubeconfig.value, value);
            assert.strictEqual(
                provider.inputs.kubeconfig[pulumi.runtime.specialSigKey],
                pulumi.runtime.specialSecretSig,
            );
        });

        it("creates every Kubernetes object through the cluster's provider", () => {
            for (const r of [onDemand, spot]) {
                const provider = one(r.ev, types.provider);
                const objects = kubernetesObjects(r.ev.resources);
                assert.ok(objects.length > 0);
                for (const o of objects)
                    assert.ok(o.provider.startsWith(provider.urn + "::"), `${o.type} ${o.name} uses ${o.provider}`);
            }
        });

        it("attaches the stack's gpuType; a GPU pool without an accelerator does not compile", () => {
            const pool = { instanceType: "n1-standard-8", gpusPerNode: 2, minNodes: 0, maxNodes: 3, spot: false };
            const spec = gkeGpuNodePool({ ...pool, diskSizeGb: 150, gpuType: "nvidia-l4" });
            assert.strictEqual(spec.accelerator, "nvidia-l4");
            // The config parser refuses gcp without gpuType (test/config.test.ts "GKE without gpuType").
            // @ts-expect-error -- GkeGpuNodePoolSpec requires the accelerator
            const withoutAccelerator: GkeGpuNodePoolSpec = { ...pool, diskSizeGb: 150 };
            assert.strictEqual(withoutAccelerator.accelerator, undefined);
        });
    });

    describe("preview", () => {
        it("registers the same resources with the kubeconfig still unknown", async () => {
            const r = await run(gkeSettings({ spot: true }), true);
            assert.deepStrictEqual(
                r.ev.resources
                    .filter((x) => x.custom)
                    .map((x) => x.type)
                    .sort(),
                [
                    types.cluster,
                    types.nodePool,
                    types.nodePool,
                    types.router,
                    types.nat,
                    types.serviceAccount,
                    types.iamMember,
                    types.network,
                    types.subnetwork,
                    types.provider,
                    types.storageClass,
                    "gcp:filestore/instance:Instance",
                    "kubernetes:core/v1:PersistentVolume",
                    ...Array(6).fill("gcp:projects/service:Service"),
                ].sort(),
            );
            assert.deepStrictEqual(await inspect(r.target.kubeconfig), { value: UNKNOWN, secret: true });
            const provider = one(r.ev, types.provider);
            for (const o of kubernetesObjects(r.ev.resources)) assert.ok(o.provider.startsWith(provider.urn + "::"));
        });
    });

    it("builds the example stack Pulumi.gke.yaml as the config parser reads it", async () => {
        const r = await run(fromStackFile, false, stackConfig("gke"));
        const c = one(r.ev, types.cluster).inputs;
        assert.deepStrictEqual([c.project, c.location, c.name], ["my-gcp-project", "us-central1", "torchserve-gke"]);
        const pool = one(r.ev, types.nodePool, "torchserve-gke-gpu").inputs;
        assert.strictEqual(pool.nodeConfig.machineType, "n1-standard-8");
        assert.deepStrictEqual(
            pool.nodeConfig.guestAccelerators.map((g: any) => [g.type, g.count]),
            [["nvidia-tesla-t4", 1]],
        );
        // No gpuNodePool.zones in the stack: the pool's zones are where T4s are offered in us-central1
        // (components/gke/acceleratorZones.ts), not every zone of the region.
        assert.deepStrictEqual(pool.nodeLocations, zonesOffering("nvidia-tesla-t4", "us-central1"));
        assert.deepStrictEqual(pool.nodeLocations, [
            "us-central1-a",
            "us-central1-b",
            "us-central1-c",
            "us-central1-f",
        ]);
        // The example mounts its models' bucket (README "Model store"): no Filestore class or instance.
        assert.deepStrictEqual(c.addonsConfig.gcsFuseCsiDriverConfig, { enabled: true });
        assert.deepStrictEqual(all(r.ev, types.storageClass), []);
        assert.deepStrictEqual(all(r.ev, "gcp:filestore/instance:Instance"), []);
        assert.strictEqual(
            // TorchServe's (the example's Triton has a volume of its own, test/triton.test.ts).
            one(r.ev, "kubernetes:core/v1:PersistentVolume", "torchserve-gke-model-bucket").inputs.spec.csi
                .volumeHandle,
            "my-gcp-project-torchserve-models",
        );
    });

    it("with Prometheus on, dcgm-exporter on the example stack loads NVML from GKE's driver directory", async () => {
        const config = configFor("gke", { prometheus: { enabled: true } });
        const ev = await runProgram({
            stack: "gke",
            override: { prometheus: { enabled: true } },
            preview: false,
            call: cloudCall(config),
            computed: cloudComputed,
        });
        const dcgm = ev.resources.find(
            (r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "dcgm-exporter",
        );
        assert.ok(dcgm, "dcgm-exporter release");
        assert.deepStrictEqual(dcgm.inputs.values.extraHostVolumes, [
            { name: "nvidia-driver", hostPath: "/home/kubernetes/bin/nvidia" },
        ]);
        assert.deepStrictEqual(dcgm.inputs.values.extraEnv, [
            { name: "LD_LIBRARY_PATH", value: "/usr/local/nvidia/lib64" },
        ]);
    });

    it("logs to Cloud Logging (backend cloud): system components and workloads, nodes' account may write logs", async () => {
        const s = gkeSettings({});
        s.logging = { ...s.logging, enabled: true, backend: "cloud" };
        const r = await run(s, false);
        assert.deepStrictEqual(one(r.ev, types.cluster).inputs.loggingConfig, {
            enableComponents: ["SYSTEM_COMPONENTS", "WORKLOADS"],
        });
        // The nodes' own account (GKE's node role already covers logs; the binding says so explicitly).
        const email = `torchserve-gke-nodes@${project}.iam.gserviceaccount.com`;
        const writer = all(r.ev, "gcp:projects/iAMMember:IAMMember").filter(
            (m) => m.inputs.role === "roles/logging.logWriter",
        );
        assert.deepStrictEqual(
            writer.map((m) => [m.inputs.project, m.inputs.member]),
            [[project, `serviceAccount:${email}`]],
        );
        assert.ok(all(r.ev, types.nodePool).every((p) => p.inputs.nodeConfig.serviceAccount === email));
    });

    it("logging on Loki or off: workloads' logs stay out of Cloud Logging, no IAM binding", async () => {
        const s = gkeSettings(false);
        s.logging = { ...s.logging, enabled: true, backend: "loki" };
        const r = await run(s, false);
        assert.deepStrictEqual(one(r.ev, types.cluster).inputs.loggingConfig, {
            enableComponents: ["SYSTEM_COMPONENTS"],
        });
        assert.deepStrictEqual(
            all(r.ev, "gcp:projects/iAMMember:IAMMember").filter((m) => m.inputs.role === "roles/logging.logWriter"),
            [],
        );
    });
});

describe("GKE prerequisites: docs/clouds/gke.md and Pulumi.gke.yaml say the same thing", () => {
    const root = path.join(__dirname, "..");
    const guide = fs.readFileSync(path.join(root, "docs", "clouds", "gke.md"), "utf8");
    const section = guide.split("## Deploy")[0];
    const header = fs
        .readFileSync(path.join(root, "Pulumi.gke.yaml"), "utf8")
        .split("\n")
        .filter((l) => l.startsWith("#"))
        .join("\n");
    /** The APIs a `gcloud services enable` line names, and the ones "the stack enables ... itself". */
    const byHand = (text: string) =>
        [...(/gcloud services enable ([a-z. ]+)/.exec(text)?.[1].matchAll(/([a-z]+)\.googleapis\.com/g) ?? [])]
            .map((m) => m[1])
            .sort();
    const byStack = (text: string) =>
        (/the stack enables ([a-z, ]+) itself/.exec(text.replace(/\n#?\s*/g, " "))?.[1] ?? "").split(/, | and /).sort();

    it("both enable Service Usage and Cloud Resource Manager by hand, and name what the stack enables", () => {
        assert.deepStrictEqual(byHand(section), ["cloudresourcemanager", "serviceusage"]);
        assert.deepStrictEqual(byHand(header), byHand(section));
        const enabled = requiredServices.map((x) => x.split(".")[0]).sort();
        assert.deepStrictEqual(byStack(section), enabled);
        assert.deepStrictEqual(byStack(header), enabled);
    });
});

describe("GKE GPU pool name: every replace-forcing node setting is fingerprinted", () => {
    const account = `torchserve-gke-nodes@${project}.iam.gserviceaccount.com`;
    const spec: GkeGpuNodePoolSpec = {
        instanceType: "n1-standard-8",
        accelerator: "nvidia-tesla-t4",
        gpusPerNode: 1,
        minNodes: 1,
        maxNodes: 2,
        spot: false,
        diskSizeGb: 100,
    };
    const nodeConfig = gpuNodePoolArgs(spec, account).nodeConfig as Record<string, unknown>;
    const legacy = legacyReplaceForcing(account);
    const name = gpuPoolNameFor(nodeConfig, legacy);

    it("the pool's own name is its node config's", () => assert.strictEqual(gpuNodePoolArgs(spec, account).name, name));

    // A setting the provider replaces the pool for, under an unchanged name, would be created while the
    // old pool still holds the name (409). Each row: the setting changed (or added) → another name.
    for (const key of nodeConfigReplaceOn)
        it(`nodeConfig.${key}`, () => {
            const before = nodeConfig[key];
            const changed = { ...nodeConfig, [key]: before === undefined ? { set: true } : { changed: before } };
            assert.notStrictEqual(gpuPoolNameFor(changed, legacy), name);
        });

    it("the provider's rules plan every one of them as a replacement (harness/transitions/rules.ts)", () => {
        const replaceOn = rulesFor("gcp:container/nodePool:NodePool")!.replaceOn.map((f) => f.path);
        for (const key of nodeConfigReplaceOn) assert.ok(replaceOn.includes(`nodeConfig.${key}`), key);
    });

    it("in-place settings (machine type, disk, labels, taints) keep the name", () => {
        for (const [key, value] of [
            ["machineType", "n1-standard-16"],
            ["diskSizeGb", 200],
            ["labels", { a: "b" }],
            ["taints", []],
        ] as const)
            assert.strictEqual(gpuPoolNameFor({ ...nodeConfig, [key]: value }, legacy), name, key);
    });

    it("a stack created by the previous version keeps its GPU pool: the example's name is unchanged", async () => {
        // plans/gke.json at 8a4328f (accelerators and Spot only) named the example's pool gpu-b173b5ff.
        const r = await runCluster(createCluster, fromStackFile, {
            stack: "gke",
            config: stackConfig("gke"),
            preview: true,
        });
        assert.strictEqual(one(r.ev, types.nodePool, "torchserve-gke-gpu").inputs.name, "gpu-b173b5ff");
    });
});

describe("components/gke/CONTRACT.md: every Google Cloud rule ends in a refusal, a program change or a README sentence", () => {
    const text = fs.readFileSync(path.join(__dirname, "..", "components", "gke", "CONTRACT.md"), "utf8");
    const rows = text.split("\n").filter((l) => /^\| \d+ \|/.test(l));

    it("rows are numbered in order, each with a source and one outcome", () => {
        assert.ok(rows.length >= 60, `${rows.length} rows`);
        rows.forEach((row, i) => {
            const cells = row
                .split(/(?<!\\)\|/)
                .slice(1, -1)
                .map((c) => c.trim());
            assert.strictEqual(cells[0], String(i + 1), row);
            assert.strictEqual(cells.length, 5, row);
            assert.match(cells[4], /^(refused|program|README|not done)\b/, row);
        });
    });

    it("the day-2 rows and tests it names exist", () => {
        const day2 = fs.readFileSync(path.join(__dirname, "day2.test.ts"), "utf8");
        for (const [, id] of text.matchAll(/day2:([a-z0-9-]+)/g)) assert.ok(day2.includes(`id: "${id}"`), id);
        for (const [, file] of text.matchAll(/test\/([A-Za-z]+\.test\.ts)/g))
            assert.ok(fs.existsSync(path.join(__dirname, file)), file);
    });
});
