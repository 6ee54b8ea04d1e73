// An AKS cluster with a system pool, an optional GPU pool and an Azure Files model store, handed to
// the platform as a ClusterTarget.
import * as authorization from "@pulumi/azure-native/authorization";
import * as containerservice from "@pulumi/azure-native/containerservice";
import type * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as resources from "@pulumi/azure-native/resources";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { CloudLogsSpec } from "../logging/spec";
import { GpuNodePoolSpec, MaintenanceWindowSpec, SystemNodePoolSpec } from "../cluster/nodePool";
import { storageClassReplacement, VolumeOwner } from "../cluster/storage";
import { ClusterTarget, Placement } from "../cluster/target";
import { keepProvider, providerOf } from "../cluster/provider";
import { defaultKubernetesVersion, gpuPlacement, systemPlacement } from "./defaults";
import { aksEndpoint, aksKubeconfig, decodeKubeconfig } from "./kubeconfig";
import { AksNetworkDataplane, dataplaneIgnoreChanges } from "./dataplane";
import { aksNetworkProfile } from "./network";
import { gpuAgentPoolArgs, gpuAgentPoolName, systemAgentPoolProfile } from "./pools";
import { clusterSecurity } from "./security";
import { aksAdminAssignment, AksClusterAdmin } from "./admins";
import { azureFileStorageClassArgs } from "./storage";
import { ContainerInsights, logAnalyticsWorkspace, monitoringAddonProfile } from "./azureMonitorLogs";
import { aliasPreviousType } from "../cluster/typeToken";

export * from "./defaults";
export * from "./kubeconfig";
export * from "./security";
export * from "./admins";
export { gpuAgentPoolArgs, gpuAgentPoolName, gpuPoolTaints, systemAgentPoolProfile } from "./pools";
export { azureFileStorageClassArgs, modelStoreClassName } from "./storage";
export * from "./azureMonitorLogs";
export * from "./logging";
export * from "./dataplane";
export * from "./network";

export interface AksClusterArgs {
    /** Azure region (`azure-native:location`), e.g. `eastus`. */
    location: string;
    /** Name of the managed cluster in Azure; also its DNS prefix. */
    clusterName: string;
    /** Kubernetes `<major>.<minor>` version; `defaultKubernetesVersion` when absent. */
    kubernetesVersion?: string;
    /** Size and VM size of the system pool. */
    systemNodePool: SystemNodePoolSpec;
    /** The GPU pool; absent = a cluster without GPUs. */
    gpuNodePool?: GpuNodePoolSpec;
    /**
     * Protect what holds models: the cluster (deleting it deletes its node resource group, where
     * the Azure Files shares live) is `protect`ed and the model store's shares are Retained.
     */
    deletionProtection: boolean;
    /** Owner of the model store's files (fixed by mount options: SMB has no POSIX ownership). */
    modelStoreOwner: VolumeOwner;
    /**
     * Entra ID principals made "Azure Kubernetes Service RBAC Cluster Admin" (./admins.ts). The
     * identity running `pulumi up` must be one of them (directly, through a group, or by an assignment
     * made elsewhere): the Kubernetes provider acts as it.
     */
    admins: AksClusterAdmin[];
    /** IPv4 CIDR blocks that may reach the API server (its authorized IP ranges). */
    apiAllowedCidrs: string[];
    /**
     * Logs to Azure Monitor: a Log Analytics workspace keeping `retentionDays`, Container Insights
     * (container logs) and the control plane's kube-audit-admin and guard logs into it. Absent = none
     * (the monitoring add-on is then sent disabled).
     */
    azureMonitorLogs?: CloudLogsSpec;
    /**
     * Weekly window (UTC) for AKS's automatic patch upgrades and node-image updates.
     * @default Saturday 03:00 for 4 hours
     */
    maintenanceWindow?: MaintenanceWindowSpec;
    /**
     * The cluster's network dataplane. `azure` keeps a cluster created by an earlier version of this
     * program as it is (no NetworkPolicy enforcement) until it is migrated to Cilium with
     * `az aks update --network-dataplane cilium` and refreshed (./network.ts).
     * @default cilium
     */
    networkDataplane?: AksNetworkDataplane;
    /**
     * The model store is a Blob container (BlobModelBucket): the AKS-managed Blob CSI driver is turned
     * on and no Azure Files class is created. @default false
     */
    blobModelStore?: boolean;
}

/** AKS's default-off upgrade schedules, both confined to the maintenance window. */
export const aksMaintenanceConfigurations = [
    "aksManagedAutoUpgradeSchedule",
    "aksManagedNodeOSUpgradeSchedule",
] as const;

/** A maintenance configuration's window for a weekly spec (AKS MaintenanceWindow). */
export function aksMaintenanceWindow(w: MaintenanceWindowSpec) {
    return {
        schedule: { weekly: { dayOfWeek: w.day, intervalWeeks: 1 } },
        durationHours: w.durationHours,
        startTime: `${String(w.startHour).padStart(2, "0")}:00`,
        utcOffset: "+00:00",
    };
}

/**
 * An AKS cluster ready for TorchServe: a resource group, the managed cluster with its system pool,
 * an optional GPU pool and an Azure Files model store class. `clusterTarget()` is what the
 * cloud-neutral platform consumes.
 */
export class AksCluster extends pulumi.ComponentResource {
    /** Resource group of everything the program creates in Azure (the file shares live in AKS's node group). */
    readonly resourceGroup: resources.ResourceGroup;
    /** The managed cluster, with the system pool inline. */
    readonly cluster: containerservice.ManagedCluster;
    /** Agent pool of the GPU pool, when there is one. */
    readonly gpuPool?: containerservice.AgentPool;
    /** Entra ID kubeconfig (kubelogin with the Azure CLI login; no credential in it, kept secret anyway). */
    readonly kubeconfig: pulumi.Output<string>;
    /** `admins`' role assignments on the resource group (local accounts are off: Azure RBAC is the only way in). */
    readonly adminAccess: authorization.RoleAssignment[];
    /** ReadWriteMany StorageClass of the model store (Azure Files; not with `blobModelStore`). */
    readonly modelStoreClass?: k8s.storage.v1.StorageClass;
    /** The Log Analytics workspace, when `azureMonitorLogs` is set. */
    readonly logWorkspace?: operationalinsights.Workspace;
    /** Where GPU pods go: the GPU pool's label and name, tolerating its taints (Spot's too on a Spot pool). */
    readonly gpuPlacement: Placement;
    /** When AKS may upgrade patch versions and node images on its own. */
    readonly maintenanceConfigurations: containerservice.MaintenanceConfiguration[];

    constructor(name: string, args: AksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super(
            "torchserve-platform:index:AksCluster",
            name,
            {},
            aliasPreviousType(opts, "torchserve-platform:aks:AksCluster"),
        );
        const parent = { parent: this };
        const dataplane = args.networkDataplane ?? AksNetworkDataplane.Cilium;

        // Everything Pulumi creates in Azure lives in this group; the file shares live in the
        // node resource group AKS manages (MC_<group>_<cluster>_<location>).
        this.resourceGroup = new resources.ResourceGroup(
            name,
            { resourceGroupName: `${args.clusterName}-rg`, location: args.location },
            parent,
        );

        this.logWorkspace = args.azureMonitorLogs
            ? logAnalyticsWorkspace(
                  `${name}-logs`,
                  {
                      resourceGroupName: this.resourceGroup.name,
                      location: this.resourceGroup.location,
                      workspaceName: `${args.clusterName}-logs`,
                      retentionDays: args.azureMonitorLogs.retentionDays,
                  },
                  parent,
              )
            : undefined;

        // Assigned before the cluster exists, so Azure RBAC honours them by the time it does (./admins.ts).
        const client = authorization.getClientConfigOutput(parent);
        this.adminAccess = args.admins.map((admin) =>
            aksAdminAssignment(
                name,
                admin,
                { subscriptionId: client.subscriptionId, scope: this.resourceGroup.id },
                parent,
            ),
        );

        this.cluster = new containerservice.ManagedCluster(
            name,
            {
                resourceGroupName: this.resourceGroup.name,
                location: this.resourceGroup.location,
                resourceName: args.clusterName,
                dnsPrefix: args.clusterName,
                kubernetesVersion: args.kubernetesVersion ?? defaultKubernetesVersion,
                identity: { type: containerservice.ResourceIdentityType.SystemAssigned },
                enableRBAC: true,
                // Entra ID and Azure RBAC only, no local accounts; API server allow-list (./security.ts).
                ...clusterSecurity(args.apiAllowedCidrs),
                // AKS creates the cluster with this pool but takes later pool changes only through the
                // agent pool API: resize the system pool with `az aks nodepool update`, then refresh.
                agentPoolProfiles: [
                    systemAgentPoolProfile(args.systemNodePool, args.kubernetesVersion ?? defaultKubernetesVersion),
                ],
                // Workload identity lets pods get Azure tokens without secrets (e.g. private model stores).
                oidcIssuerProfile: { enabled: true },
                securityProfile: { workloadIdentity: { enabled: true } },
                storageProfile: {
                    fileCSIDriver: { enabled: true },
                    diskCSIDriver: { enabled: true },
                    // An in-place update (`az aks update --enable-blob-driver`, AKS docs "Use Azure Blob
                    // storage CSI driver"); left out, not false, for a file share, so stacks that never
                    // mount a container see no change.
                    ...(args.blobModelStore ? { blobCSIDriver: { enabled: true } } : {}),
                },
                // Azure CNI overlay; Cilium unless the cluster predates it (./network.ts).
                networkProfile: aksNetworkProfile(dataplane),
                // Container Insights; enabling it on an existing cluster updates it in place (as
                // `az aks enable-addons -a monitoring` does); off is sent as off.
                addonProfiles: monitoringAddonProfile(this.logWorkspace?.id),
                // Patch upgrades only, so the pinned minor version stays pinned.
                autoUpgradeProfile: {
                    upgradeChannel: containerservice.UpgradeChannel.Patch,
                    nodeOSUpgradeChannel: containerservice.NodeOSUpgradeChannel.NodeImage,
                },
            },
            {
                ...parent,
                // Waits for the admins' assignments: they propagate while the cluster is created.
                dependsOn: this.adminAccess,
                protect: args.deletionProtection,
                // The autoscaler owns the node count once the pool exists.
                ignoreChanges: ["agentPoolProfiles[0].count", ...dataplaneIgnoreChanges(dataplane)],
            },
        );

        if (args.gpuNodePool) {
            this.gpuPool = new containerservice.AgentPool(
                `${name}-gpu`,
                {
                    resourceGroupName: this.resourceGroup.name,
                    resourceName: this.cluster.name,
                    ...gpuAgentPoolArgs(args.gpuNodePool, args.kubernetesVersion ?? defaultKubernetesVersion),
                },
                {
                    ...parent,
                    // The autoscaler owns the node count once the pool exists.
                    ignoreChanges: ["count"],
                    // A replacement is a pool under a new name (gpuAgentPoolName: the settings'
                    // fingerprint), so it can be created first and the pods moved before the old pool
                    // goes. azure-native would delete first (provider.go Diff deletes before every
                    // replacement of a resource it did not name); the option overrides it.
                    deleteBeforeReplace: false,
                },
            );
        }

        if (this.logWorkspace) {
            new ContainerInsights(
                `${name}-insights`,
                {
                    resourceGroupName: this.resourceGroup.name,
                    location: this.resourceGroup.location,
                    clusterId: this.cluster.id,
                    clusterName: args.clusterName,
                    workspaceId: this.logWorkspace.id,
                },
                parent,
            );
        }

        // Local accounts are disabled, so there is no admin credential to list: the user credential of
        // an Entra ID cluster carries only the endpoint and CA (Reader-like identities may list it).
        const credentials = containerservice.listManagedClusterUserCredentialsOutput(
            { resourceGroupName: this.resourceGroup.name, resourceName: this.cluster.name, format: "exec" },
            parent,
        );
        this.kubeconfig = pulumi.secret(
            pulumi
                .all([this.cluster.name, credentials.kubeconfigs])
                .apply(([clusterName, kubeconfigs]) =>
                    aksKubeconfig(clusterName, aksEndpoint(decodeKubeconfig(kubeconfigs))),
                ),
        );

        // The kubeconfig comes from an invoke, whose unknown arguments in a preview drop the cluster
        // from the provider's dependencies: state it explicitly, with the admins' access.
        const provider = keepProvider(
            this,
            new k8s.Provider(
                name,
                { kubeconfig: this.kubeconfig, enableServerSideApply: true },
                { ...parent, dependsOn: [this.cluster, ...this.adminAccess] },
            ),
        );

        this.modelStoreClass = args.blobModelStore
            ? undefined
            : new k8s.storage.v1.StorageClass(
                  `${name}-model-store`,
                  azureFileStorageClassArgs({ retain: args.deletionProtection, owner: args.modelStoreOwner }),
                  { ...parent, provider, ...storageClassReplacement },
              );

        this.gpuPlacement = gpuPlacement(
            args.gpuNodePool?.spot ?? false,
            args.gpuNodePool ? gpuAgentPoolName(args.gpuNodePool) : undefined,
        );

        const window = aksMaintenanceWindow(
            args.maintenanceWindow ?? { day: "Saturday", startHour: 3, durationHours: 4 },
        );
        this.maintenanceConfigurations = aksMaintenanceConfigurations.map(
            (configName) =>
                new containerservice.MaintenanceConfiguration(
                    `${name}-${configName}`,
                    {
                        resourceGroupName: this.resourceGroup.name,
                        resourceName: this.cluster.name,
                        configName,
                        maintenanceWindow: window,
                    },
                    parent,
                ),
        );

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
            // AKS installs the driver only; the device plugin is the platform's job.
            needsDevicePlugin: true,
            gpuPoolReady: this.gpuPool ? [this.gpuPool] : [],
            // The system pool is part of the ManagedCluster resource.
            systemReady: [this.cluster],
            clusterReady: [this.cluster, ...(this.modelStoreClass ? [this.modelStoreClass] : [])],
        };
    }
}
