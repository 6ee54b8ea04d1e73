// Node pool arguments as pure functions of the pool model, so tests can read them without a cluster.
import type * as container from "@pulumi/gcp/container";
import { GpuNodePoolSpec, poolGeneration, SystemNodePoolSpec } from "../cluster/nodePool";
import { nodePoolSecurity } from "./security";
import {
    defaultSystemMachineType,
    gpuNodeLabel,
    gpuPoolName,
    gpuTaint,
    nodeOauthScopes,
    systemPoolName,
} from "./defaults";

type PoolArgs = Omit<container.NodePoolArgs, "cluster" | "location" | "project">;

/** A GKE GPU pool: GKE attaches accelerators to a machine type, so it must be told which. */
export interface GkeGpuNodePoolSpec extends GpuNodePoolSpec {
    /** Accelerator type attached to each node (`gpusPerNode` of them), e.g. `nvidia-tesla-t4`, `nvidia-l4`. */
    accelerator: string;
    /** Zones of the region where the accelerator is offered; absent = the cluster's zones. */
    zones?: string[];
}

/**
 * Node settings GKE cannot change on a pool: a change to any of them makes the provider replace the
 * pool (hashicorp/terraform-provider-google google/services/container/node_config.go@e03b7622a26c
 * schemaNodeConfig, ForceNew on each of these fields or blocks). harness/transitions/rules.ts plans
 * node pools with this list; components/gke/CONTRACT.md lists it with the rest.
 */
export const nodeConfigReplaceOn = [
    "guestAccelerators",
    "spot",
    "preemptible",
    "serviceAccount",
    "oauthScopes",
    "shieldedInstanceConfig",
    "metadata",
    "minCpuPlatform",
    "localSsdCount",
    "ephemeralStorageLocalSsdConfig",
    "localNvmeSsdBlockConfig",
    "secondaryBootDisks",
    "reservationAffinity",
    "sandboxConfig",
    "bootDiskKmsKey",
    "nodeGroup",
    "advancedMachineFeatures",
    "soleTenantConfig",
    "hostMaintenancePolicy",
    "confidentialNodes",
    "enableConfidentialStorage",
    "localSsdEncryptionMode",
    "maxRunDuration",
    "flexStart",
] as const;

/**
 * The replace-forcing settings (besides accelerators and Spot) every GPU pool had when its name
 * fingerprinted only those two (up to 8a4328f), for a cluster whose nodes run as `serviceAccount`.
 * A setting equal to this is left out of the fingerprint, so pools created then keep their names.
 */
export function legacyReplaceForcing(serviceAccount: string): Record<string, unknown> {
    return {
        serviceAccount,
        oauthScopes: nodeOauthScopes,
        shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
    };
}

/**
 * The GPU pool's name for a node config: `gpu-` and the fingerprint of every setting in
 * `nodeConfigReplaceOn` (accelerators and Spot always; the others where they differ from `legacy`).
 * A change to any of them names a new pool, created before the old one is deleted (under the old
 * name the create would collide: 409 Already exists); GPU pods select the pool by GKE's
 * `cloud.google.com/gke-nodepool` label, so they roll onto it first. Machine type, disk, labels and
 * taints change in place (GKE recreates the pool's nodes with its surge settings).
 */
export function gpuPoolNameFor(nodeConfig: Record<string, unknown>, legacy: Record<string, unknown>): string {
    const canonical = (v: unknown) => JSON.stringify(v === undefined ? null : v);
    const createOnly: Record<string, unknown> = {
        guestAccelerators: nodeConfig.guestAccelerators,
        spot: nodeConfig.spot,
    };
    for (const key of nodeConfigReplaceOn)
        if (!(key in createOnly) && canonical(nodeConfig[key]) !== canonical(legacy[key]))
            createOnly[key] = nodeConfig[key] ?? null;
    return `${gpuPoolName}-${poolGeneration(createOnly)}`;
}

/** The GPU pool's name when its nodes run as `serviceAccount` (the cluster's node account). */
export function gpuNodePoolName(pool: GkeGpuNodePoolSpec, serviceAccount: string): string {
    return gpuPoolNameFor(gpuNodeConfig(pool, serviceAccount), legacyReplaceForcing(serviceAccount));
}

function gpuNodeConfig(pool: GkeGpuNodePoolSpec, serviceAccount: string): Record<string, unknown> {
    return {
        ...commonNodeConfig,
        ...nodePoolSecurity(serviceAccount).nodeConfig,
        machineType: pool.instanceType,
        diskType: "pd-balanced",
        diskSizeGb: pool.diskSizeGb,
        spot: pool.spot,
        guestAccelerators: [
            {
                type: pool.accelerator,
                count: pool.gpusPerNode,
                // The driver GKE pins for the node version (LATEST tracks newer branches).
                gpuDriverInstallationConfig: { gpuDriverVersion: "DEFAULT" },
            },
        ],
        labels: { [gpuNodeLabel.key]: gpuNodeLabel.value },
        taints: [{ ...gpuTaint }],
    };
}

/** What every node shares: Workload Identity's metadata server, API scopes, auto repair/upgrade. */
const commonNodeConfig = {
    oauthScopes: nodeOauthScopes,
    // Pods see the GKE metadata server, so Workload Identity (not the node's account) authenticates them.
    workloadMetadataConfig: { mode: "GKE_METADATA" },
};
const management = { autoRepair: true, autoUpgrade: true };

/**
 * The system pool, its nodes running as `serviceAccount` (`nodeServiceAccountEmail`). Sizes are totals across the region's zones (the same meaning minNodes/maxNodes
 * have on EKS and AKS); it starts with one node per zone and the autoscaler settles it in range.
 */
export function systemNodePoolArgs(pool: SystemNodePoolSpec, serviceAccount: string): PoolArgs {
    return {
        name: systemPoolName,
        initialNodeCount: 1,
        autoscaling: {
            totalMinNodeCount: Math.max(1, pool.minNodes),
            totalMaxNodeCount: Math.max(1, pool.maxNodes),
            locationPolicy: "BALANCED",
        },
        management,
        networkConfig: nodePoolSecurity(serviceAccount).networkConfig,
        nodeConfig: {
            ...commonNodeConfig,
            ...nodePoolSecurity(serviceAccount).nodeConfig,
            machineType: pool.instanceType ?? defaultSystemMachineType,
            diskType: "pd-balanced",
            diskSizeGb: 100,
        },
    };
}

/**
 * The GPU pool. GKE installs the NVIDIA driver (`gpuDriverInstallationConfig`) and runs its own
 * device plugin, so the platform installs neither. It is created empty: a pending GPU pod makes the
 * autoscaler add nodes in whichever zone has capacity, so creating the pool never asks for more
 * GPUs (quota) than the workload needs; `minNodes` keeps that many once up.
 */
export function gpuNodePoolArgs(pool: GkeGpuNodePoolSpec, serviceAccount: string): PoolArgs {
    const upgrade = pool.upgrade ?? { maxSurge: 1, maxUnavailable: 0 };
    return {
        name: gpuNodePoolName(pool, serviceAccount),
        ...(pool.zones?.length ? { nodeLocations: pool.zones } : {}),
        initialNodeCount: 0,
        autoscaling: {
            totalMinNodeCount: pool.minNodes,
            totalMaxNodeCount: pool.maxNodes,
            // GPUs (Spot ones above all) are scarce: take capacity in any zone that has it.
            locationPolicy: "ANY",
        },
        management,
        // Node upgrades: each surge node needs a spare GPU of quota (README).
        upgradeSettings: { strategy: "SURGE", maxSurge: upgrade.maxSurge, maxUnavailable: upgrade.maxUnavailable },
        networkConfig: nodePoolSecurity(serviceAccount).networkConfig,
        nodeConfig: gpuNodeConfig(pool, serviceAccount),
    };
}
