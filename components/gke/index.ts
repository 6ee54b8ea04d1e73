// A regional, VPC-native GKE cluster with a system pool, an optional GPU pool and a Filestore model
// store, handed to the platform as a ClusterTarget.
import * as compute from "@pulumi/gcp/compute";
import * as container from "@pulumi/gcp/container";
import * as filestore from "@pulumi/gcp/filestore";
import * as projects from "@pulumi/gcp/projects";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MaintenanceWindowSpec, SystemNodePoolSpec } from "../cluster/nodePool";
import {
    BlockVolumeFactory,
    ModelBucketMount,
    ModelBucketVolume,
    ModelStoreClaim,
    storageClassReplacement,
} from "../cluster/storage";
import { pdOwnedVolume } from "./blockVolume";
import { ClusterTarget, Placement } from "../cluster/target";
import { keepProvider, providerOf } from "../cluster/provider";
import {
    addressPlan,
    defaultKubernetesVersion,
    gpuPlacement,
    gpuPlacementOn,
    nodeOauthScopes,
    releaseChannel,
    requiredServices,
    systemPlacement,
} from "./defaults";
import { gkeKubeconfig } from "./kubeconfig";
import { defaultGkeMaintenanceWindow, gkeMaintenanceWindow } from "./maintenance";
import { GkeGpuNodePoolSpec, gpuNodePoolArgs, gpuNodePoolName, systemNodePoolArgs } from "./pools";
import {
    clusterNodeConfig,
    clusterNodeConfigIgnored,
    clusterSecurity,
    controlPlaneSourceRange,
    networkPolicyAddon,
    nodeServiceAccountEmail,
    nodeServiceAccountId,
    nodeServiceAccountRoles,
} from "./security";
import { filestoreCapacityGb, filestoreStorageClassArgs, filestoreVolume, modelStoreShareName } from "./storage";
import { gkeLoggingComponents, nodeLogWriter } from "./logging";
import { gcsFuseMeshAnnotations, gcsFusePodAnnotations, gcsFuseVolume } from "./modelBucket";
import { aliasPreviousType } from "../cluster/typeToken";

export * from "./defaults";
export * from "./maintenance";
export { acceleratorZones, acceleratorZoneTableProblems, zonesOffering } from "./acceleratorZones";
export { gkeContextName, gkeKubeconfig } from "./kubeconfig";
export {
    GkeGpuNodePoolSpec,
    gpuNodePoolArgs,
    gpuNodePoolName,
    gpuPoolNameFor,
    legacyReplaceForcing,
    nodeConfigReplaceOn,
    systemNodePoolArgs,
} from "./pools";
export { filestoreCapacityGb, filestoreStorageClassArgs, filestoreVolume, modelStoreClassName } from "./storage";
export * from "./security";
export * from "./logging";

export interface GkeClusterArgs {
    /** GCP project (`gcp:project`); also names the Workload Identity pool. */
    project: string;
    /** GCP region (`gcp:region`): the cluster is regional, its pools span the region's zones. */
    region: string;
    /** Name of the cluster in GKE. */
    clusterName: string;
    /** Minimum Kubernetes `<major>.<minor>` version; `defaultKubernetesVersion` when absent. */
    kubernetesVersion?: string;
    /** Size and machine type of the system pool (totals across zones). */
    systemNodePool: SystemNodePoolSpec;
    /** The GPU pool, with the accelerator to attach; absent = a cluster without GPUs. */
    gpuNodePool?: GkeGpuNodePoolSpec;
    /** GKE deletion protection and Pulumi `protect` on the cluster; Filestore model stores are Retained (and protected). */
    deletionProtection: boolean;
    /** IPv4 CIDR blocks that may reach the API server (its master authorized networks). */
    apiAllowedCidrs: string[];
    /**
     * Workloads' logs to Cloud Logging (system components' always), and the nodes' service account
     * allowed to write them.
     */
    cloudLogging: boolean;
    /**
     * The model server's claim on the model store: its Filestore instance is then Pulumi's, deleted
     * before the network it peers with. Absent = claims are provisioned by the Filestore CSI driver.
     */
    modelStoreClaim?: ModelStoreClaim;
    /**
     * The models' Cloud Storage bucket as the model store, mounted read-only through the Cloud Storage
     * FUSE CSI add-on instead of a Filestore instance (no 1 TiB minimum, no StorageClass).
     */
    modelBucket?: ModelBucketMount;
    /**
     * Triton's model repository: a directory of a Cloud Storage bucket mounted read-only through
     * the same Cloud Storage FUSE add-on, bound to Triton's claim. Absent = no Triton bucket.
     */
    tritonRepository?: ModelBucketMount;
    /**
     * Weekly window (UTC) for GKE's automatic upgrades: at least 12 hours, GKE's 48 hours in every 32
     * days (`gkeMaintenanceWindowProblem`; GKE refuses less).
     * @default Saturday 03:00 for 12 hours (`defaultGkeMaintenanceWindow`)
     */
    maintenanceWindow?: MaintenanceWindowSpec;
    /**
     * TCP ports on the nodes the control plane must reach besides GKE's own 443 and 10250: admission
     * webhooks and aggregated APIs of add-ons (`controlPlaneWebhookPorts`). With private nodes GKE
     * opens only those two; a firewall rule opens these from the control plane to the nodes.
     * @default none (no rule)
     */
    controlPlaneWebhookPorts?: number[];
}

/** Each cluster's factory of add-on volumes (ClusterTarget.blockVolume), off the component (not an output). */
const blockVolumes = new WeakMap<GkeCluster, BlockVolumeFactory>();

/**
 * A GKE cluster ready for TorchServe: a VPC-native network, the regional cluster, a system and an
 * optional GPU node pool and a Filestore model store class. `clusterTarget()` is what the
 * cloud-neutral platform consumes.
 */
export class GkeCluster extends pulumi.ComponentResource {
    /** The cluster's VPC network. */
    readonly network: compute.Network;
    /** Its subnetwork, with the pods' and Services' secondary ranges. */
    readonly subnetwork: compute.Subnetwork;
    /** Cloud NAT's router: the private nodes' only way out (image pulls, model downloads). */
    readonly router: compute.Router;
    /** Cloud NAT for every range of the subnetwork. */
    readonly nat: compute.RouterNat;
    /** The nodes' own service account (not the Compute Engine default account). */
    readonly nodeServiceAccount: serviceaccount.Account;
    /** Its project roles (`nodeServiceAccountRoles`). */
    readonly nodeServiceAccountRoles: projects.IAMMember[];
    /** The regional GKE cluster. */
    readonly cluster: container.Cluster;
    /** The control plane's way to the add-ons' webhooks on the nodes (with `controlPlaneWebhookPorts`). */
    readonly webhookFirewall?: compute.Firewall;
    /** Node pool of the system pool. */
    readonly systemPool: container.NodePool;
    /** Node pool of the GPU pool, when there is one. */
    readonly gpuPool?: container.NodePool;
    /** kubeconfig using gke-gcloud-auth-plugin (secret: it names the endpoint and CA). */
    readonly kubeconfig: pulumi.Output<string>;
    /** ReadWriteMany StorageClass of the model store (Filestore; not with `modelBucket`). */
    readonly modelStoreClass?: k8s.storage.v1.StorageClass;
    /** What TorchServe claims with `modelBucket` (kept out of the component's outputs: data, not a resource). */
    private readonly bucketVolume?: ModelBucketVolume;
    /** What Triton claims with `tritonRepository` (data, not a resource). */
    private readonly tritonVolume?: ModelBucketVolume;
    /** The PersistentVolume of Triton's repository (with `tritonRepository`). */
    readonly tritonRepositoryVolume?: k8s.core.v1.PersistentVolume;
    /** The APIs the stack enables (left enabled on destroy); everything that calls one waits for it. */
    readonly services: projects.Service[];
    /**
     * The cluster's Workload Identity pool (`<project>.svc.id.goog`) as the cluster reports it: an
     * IAM member in it is accepted only once the cluster exists, so members built from this wait for it.
     */
    readonly workloadPool: pulumi.Output<string>;
    /** The model server's Filestore instance (with `modelStoreClaim`). */
    readonly modelStoreInstance?: filestore.Instance;
    /** The PersistentVolume bound to the model server's claim (with `modelStoreClaim`). */
    readonly modelStoreVolume?: k8s.core.v1.PersistentVolume;
    /** Where GPU pods go: the GPU pool's label and its current pool's name. */
    readonly gpuPlacement: Placement;

    constructor(name: string, args: GkeClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super(
            "torchserve-platform:index:GkeCluster",
            name,
            {},
            aliasPreviousType(opts, "torchserve-platform:gke:GkeCluster"),
        );
        const parent = { parent: this };
        const { project, region } = args;

        // APIs enabled here rather than by hand; kept enabled when the stack is destroyed.
        this.services = requiredServices.map(
            (service) =>
                new projects.Service(
                    `${name}-${service.split(".")[0]}`,
                    { project, service, disableOnDestroy: false, disableDependentServices: false },
                    parent,
                ),
        );
        const apis = { ...parent, dependsOn: this.services };

        this.network = new compute.Network(
            name,
            { project, autoCreateSubnetworks: false, routingMode: "REGIONAL" },
            apis,
        );
        this.subnetwork = new compute.Subnetwork(
            name,
            {
                project,
                region,
                network: this.network.id,
                ipCidrRange: addressPlan.nodes,
                secondaryIpRanges: [{ ...addressPlan.pods }, { ...addressPlan.services }],
                // Nodes reach Google APIs (Artifact Registry, Cloud Storage) without public IPs.
                privateIpGoogleAccess: true,
            },
            parent,
        );

        // Nodes have no external addresses: they reach registries and model URLs through Cloud NAT.
        this.router = new compute.Router(name, { project, region, network: this.network.id }, parent);
        this.nat = new compute.RouterNat(
            name,
            {
                project,
                region,
                router: this.router.name,
                natIpAllocateOption: "AUTO_ONLY",
                sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
                logConfig: { enable: true, filter: "ERRORS_ONLY" },
            },
            parent,
        );

        // Nodes run as their own account with GKE's node role only, not as the Compute Engine default
        // account (which older projects give Editor on the whole project).
        // After iam.googleapis.com is on (a fresh project answers SERVICE_DISABLED otherwise).
        this.nodeServiceAccount = new serviceaccount.Account(
            name,
            {
                project,
                accountId: nodeServiceAccountId(args.clusterName),
                displayName: `GKE nodes of ${args.clusterName}`,
            },
            apis,
        );
        this.nodeServiceAccountRoles = nodeServiceAccountRoles.map(
            (role) =>
                new projects.IAMMember(
                    `${name}-nodes-${role.split("/")[1]}`,
                    { project, role, member: pulumi.interpolate`serviceAccount:${this.nodeServiceAccount.email}` },
                    apis,
                ),
        );

        this.cluster = new container.Cluster(
            name,
            {
                project,
                location: region,
                name: args.clusterName,
                network: this.network.id,
                subnetwork: this.subnetwork.id,
                networkingMode: "VPC_NATIVE",
                ipAllocationPolicy: {
                    clusterSecondaryRangeName: addressPlan.pods.rangeName,
                    servicesSecondaryRangeName: addressPlan.services.rangeName,
                },
                // Pools are separate resources, so changing one never recreates the cluster.
                removeDefaultNodePool: true,
                initialNodeCount: 1,
                // The default pool GKE creates first (and the program removes) runs as the nodes' own
                // account, not the Compute Engine default one (./security.ts clusterNodeConfig).
                nodeConfig: clusterNodeConfig(this.nodeServiceAccount.email, nodeOauthScopes),
                minMasterVersion: args.kubernetesVersion ?? defaultKubernetesVersion,
                releaseChannel: { channel: releaseChannel },
                workloadIdentityConfig: { workloadPool: `${project}.svc.id.goog` },
                addonsConfig: {
                    gcpFilestoreCsiDriverConfig: { enabled: true },
                    gcePersistentDiskCsiDriverConfig: { enabled: true },
                    // Updated in place: terraform-provider-google resource_container_cluster.go,
                    // resourceContainerClusterUpdate: d.HasChange("addons_config") → UpdateCluster with
                    // DesiredAddonsConfig (addons_config is not ForceNew, nor in rules.ts's replaceOn).
                    // Left out, not false, for a file share, so stacks that never mount a bucket see no change.
                    ...(args.modelBucket || args.tritonRepository ? { gcsFuseCsiDriverConfig: { enabled: true } } : {}),
                    ...networkPolicyAddon,
                },
                deletionProtection: args.deletionProtection,
                // Calico NetworkPolicy, authorized networks, private nodes, shielded nodes (./security.ts).
                ...clusterSecurity(args.apiAllowedCidrs),
                // Updated in place: google.container.v1 ClusterUpdate carries desired_logging_config (field 64),
                // so changing it is an UpdateCluster call, never a new cluster.
                loggingConfig: { enableComponents: gkeLoggingComponents(args.cloudLogging) },
                maintenancePolicy: {
                    recurringWindow: gkeMaintenanceWindow(args.maintenanceWindow ?? defaultGkeMaintenanceWindow),
                },
            },
            {
                ...parent,
                // The default pool's nodes start with their account's roles in place.
                dependsOn: [...this.services, ...this.nodeServiceAccountRoles],
                // Created with the cluster, never changed: existing clusters (created without it) keep theirs.
                ignoreChanges: clusterNodeConfigIgnored,
                // Pulumi refuses the destroy before deleting anything (GKE's flag alone only after the rest).
                protect: args.deletionProtection,
            },
        );
        if (args.cloudLogging) {
            // GKE's node role already lets the nodes write logs; stated explicitly, so collecting
            // workloads' logs does not rest on what that role happens to contain.
            nodeLogWriter(`${name}-nodes-log-writer`, project, this.nodeServiceAccount.email, this, this.services);
        }

        // Nodes boot with a way out (NAT) and their account's roles in place.
        const poolOpts = { ...parent, dependsOn: [this.nat, ...this.nodeServiceAccountRoles] };
        const poolTarget = { project, location: this.cluster.location, cluster: this.cluster.name };
        // The account's email as IAM forms it (known at preview: the GPU pool's name fingerprints it).
        const nodeAccount = nodeServiceAccountEmail(args.clusterName, project);
        this.systemPool = new container.NodePool(
            `${name}-system`,
            { ...poolTarget, ...systemNodePoolArgs(args.systemNodePool, nodeAccount) },
            // A fixed name (the system placement selects on it): replaced delete-first.
            { ...poolOpts, deleteBeforeReplace: true },
        );
        if (args.gpuNodePool) {
            // Named by its create-only settings: a change creates the new pool before the old one goes.
            this.gpuPool = new container.NodePool(
                `${name}-gpu`,
                { ...poolTarget, ...gpuNodePoolArgs(args.gpuNodePool, nodeAccount) },
                // Named by its create-only settings: a change creates the new pool before the old one goes.
                poolOpts,
            );
        }
        this.gpuPlacement = args.gpuNodePool
            ? gpuPlacementOn(gpuNodePoolName(args.gpuNodePool, nodeAccount))
            : gpuPlacement;

        this.kubeconfig = pulumi.secret(
            pulumi
                .all([this.cluster.name, this.cluster.endpoint, this.cluster.masterAuth])
                .apply(([clusterName, endpoint, auth]) =>
                    gkeKubeconfig({
                        project,
                        location: region,
                        clusterName,
                        endpoint,
                        caCertificate: auth.clusterCaCertificate,
                    }),
                ),
        );
        const webhookPorts = [...new Set(args.controlPlaneWebhookPorts ?? [])].sort((a, b) => a - b);
        if (webhookPorts.length) {
            this.webhookFirewall = new compute.Firewall(
                `${name}-control-plane-webhooks`,
                {
                    project,
                    network: this.network.id,
                    description: "GKE control plane to admission webhooks and aggregated APIs on the nodes",
                    direction: "INGRESS",
                    sourceRanges: this.cluster.privateClusterConfig.apply(controlPlaneSourceRange),
                    targetServiceAccounts: [this.nodeServiceAccount.email],
                    allows: [{ protocol: "tcp", ports: webhookPorts.map(String) }],
                },
                apis,
            );
        }

        this.workloadPool = this.cluster.workloadIdentityConfig.apply(
            (w) => w?.workloadPool ?? `${project}.svc.id.goog`,
        );

        const provider = keepProvider(
            this,
            new k8s.Provider(name, { kubeconfig: this.kubeconfig, enableServerSideApply: true }, parent),
        );
        // Add-ons' volumes in a zone of the system pool (./blockVolume.ts).
        const volumeZone = this.systemPool.nodeLocations.apply((zones) => zones[0]);
        blockVolumes.set(this, (volumeName, size) =>
            pdOwnedVolume(
                volumeName,
                size,
                { project, zone: volumeZone, dependsOn: [this.systemPool] },
                this,
                provider,
            ),
        );

        if (args.tritonRepository) {
            this.tritonRepositoryVolume = new k8s.core.v1.PersistentVolume(
                `${name}-triton-repository`,
                gcsFuseVolume(args.tritonRepository),
                { ...parent, provider, dependsOn: [this.cluster] },
            );
            this.tritonVolume = {
                volumeName: this.tritonRepositoryVolume.metadata.name,
                podAnnotations: gcsFusePodAnnotations,
                meshPodAnnotations: gcsFuseMeshAnnotations,
            };
        }
        if (args.modelBucket) {
            const volume = new k8s.core.v1.PersistentVolume(`${name}-model-bucket`, gcsFuseVolume(args.modelBucket), {
                ...parent,
                provider,
                // The driver runs once the add-on is on; the volume itself needs only the API server.
                dependsOn: [this.cluster],
            });
            this.modelStoreVolume = volume;
            this.bucketVolume = {
                volumeName: volume.metadata.name,
                podAnnotations: gcsFusePodAnnotations,
                meshPodAnnotations: gcsFuseMeshAnnotations,
            };
        } else {
            this.modelStoreClass = new k8s.storage.v1.StorageClass(
                `${name}-model-store`,
                filestoreStorageClassArgs({ network: this.network.name, retain: args.deletionProtection }),
                { ...parent, provider, ...storageClassReplacement },
            );

            if (args.modelStoreClaim) {
                // The instance the driver would create for the claim, owned by Pulumi: it depends on the
                // network, so a destroy deletes it (and waits for that) before the peered network.
                // The lookup calls the Compute Engine API: its project is the enabled service's output, so it
                // runs once compute.googleapis.com is on.
                const computeApi = this.services[requiredServices.indexOf("compute.googleapis.com")];
                const zone = compute
                    .getZonesOutput({ project: computeApi.project, region, status: "UP" }, parent)
                    .names.apply((z) => z[0]);
                this.modelStoreInstance = new filestore.Instance(
                    `${name}-models`,
                    {
                        project,
                        location: zone,
                        tier: "BASIC_HDD",
                        fileShares: {
                            name: modelStoreShareName,
                            capacityGb: filestoreCapacityGb(args.modelStoreClaim.size),
                        },
                        networks: [{ network: this.network.name, modes: ["MODE_IPV4"] }],
                    },
                    { ...apis, protect: args.deletionProtection },
                );
                this.modelStoreVolume = new k8s.core.v1.PersistentVolume(
                    `${name}-models`,
                    filestoreVolume(
                        zone,
                        this.modelStoreInstance.name,
                        this.modelStoreInstance.networks.apply((n) => n[0]?.ipAddresses?.[0] ?? ""),
                        args.modelStoreClaim,
                    ),
                    // Like the claim: a destroy or replacement while protected must not touch the models.
                    {
                        ...parent,
                        provider,
                        dependsOn: [this.modelStoreClass],
                        protect: args.deletionProtection,
                    },
                );
            }
        }

        this.registerOutputs({ clusterName: this.cluster.name, kubeconfig: this.kubeconfig });
    }

    /** What the cloud-neutral platform needs from this cluster. */
    clusterTarget(): ClusterTarget {
        return {
            name: this.cluster.name,
            kubeconfig: this.kubeconfig,
            provider: providerOf(this),
            gpuPlacement: this.gpuPlacement,
            systemPlacement,
            modelStoreClassName: this.modelStoreClass?.metadata.name,
            modelBucket: this.bucketVolume,
            ...(this.tritonVolume ? { tritonRepository: this.tritonVolume } : {}),
            // Filestore shares are NFS exports whose root is root-owned, and the driver does not
            // reliably apply fsGroup (kubernetes-sigs/gcp-filestore-csi-driver#786).
            modelStoreNeedsOwnership: !this.bucketVolume,
            // GKE's driver installer puts the driver here, outside the image's library path.
            nvidiaDriverHostPath: "/home/kubernetes/bin/nvidia",
            // GKE installs the driver and runs the NVIDIA device plugin on GPU nodes itself.
            needsDevicePlugin: false,
            // GKE Standard clusters resolve names with kube-dns, not CoreDNS
            // (https://cloud.google.com/kubernetes-engine/docs/how-to/kube-dns).
            clusterDns: "kube-dns",
            blockVolume: blockVolumes.get(this),
            gpuPoolReady: this.gpuPool ? [this.gpuPool] : [],
            systemReady: [this.systemPool],
            clusterReady: [
                this.systemPool,
                // Webhooks installed before the rule would time out the admissions they guard.
                ...(this.webhookFirewall ? [this.webhookFirewall] : []),
                ...(this.modelStoreClass ? [this.modelStoreClass] : []),
                ...(this.modelStoreVolume ? [this.modelStoreVolume] : []),
                ...(this.tritonRepositoryVolume ? [this.tritonRepositoryVolume] : []),
            ],
        };
    }
}
