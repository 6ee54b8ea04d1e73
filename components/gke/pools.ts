// Node pool arguments as pure functions of the pool model, so tests can read them without a cluster.
import type * as container from "@pulumi/gcp/container";
import { GpuNodePoolSpec, poolGeneration, SystemNodePoolSpec } from "../cluster/nodePool";
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
 * The GPU pool's name: `gpu-` and the fingerprint of what GKE cannot change on a pool
 * (terraform-provider-google node_config.go ForceNew at 7fcbe29aa035: accelerators, Spot).
 * A change to any of them names a new pool, created before the old one is deleted; GPU pods select
 * the pool by GKE's `cloud.google.com/gke-nodepool` label, so they roll onto it first.
 */
export function gpuNodePoolName(pool: GkeGpuNodePoolSpec): string {
    const c = gpuNodeConfig(pool);
    // Machine type and disk change in place (GKE recreates the pool's nodes with its surge settings).
    return `${gpuPoolName}-${poolGeneration({ guestAccelerators: c.guestAccelerators, spot: c.spot })}`;
}

function gpuNodeConfig(pool: GkeGpuNodePoolSpec) {
    return {
        ...commonNodeConfig,
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
 * The system pool. Sizes are totals across the region's zones (the same meaning minNodes/maxNodes
 * have on EKS and AKS); it starts with one node per zone and the autoscaler settles it in range.
 */
export function systemNodePoolArgs(pool: SystemNodePoolSpec): PoolArgs {
    return {
        name: systemPoolName,
        initialNodeCount: 1,
        autoscaling: {
            totalMinNodeCount: Math.max(1, pool.minNodes),
            totalMaxNodeCount: Math.max(1, pool.maxNodes),
            locationPolicy: "BALANCED",
        },
        management,
        nodeConfig: {
            ...commonNodeConfig,
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
export function gpuNodePoolArgs(pool: GkeGpuNodePoolSpec): PoolArgs {
    const upgrade = pool.upgrade ?? { maxSurge: 1, maxUnavailable: 0 };
    return {
        name: gpuNodePoolName(pool),
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
        nodeConfig: gpuNodeConfig(pool),
    };
}
