// Node pool arguments as pure functions of the settings, so tests can read them without a cluster.
import type * as container from "@pulumi/gcp/container";
import { GpuNodePoolSettings, SystemNodePoolSettings } from "../../stacks/config/settings";
import {
    defaultSystemMachineType,
    gpuNodeLabel,
    gpuPoolName,
    gpuTaint,
    nodeOauthScopes,
    systemPoolName,
} from "./defaults";

type PoolArgs = Omit<container.NodePoolArgs, "cluster" | "location" | "project">;

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
export function systemNodePoolArgs(pool: SystemNodePoolSettings): PoolArgs {
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
export function gpuNodePoolArgs(pool: GpuNodePoolSettings): PoolArgs {
    if (!pool.gpuType) throw new Error("gpuNodePool.gpuType is required on GKE (e.g. nvidia-tesla-t4)");
    return {
        name: gpuPoolName,
        initialNodeCount: 0,
        autoscaling: {
            totalMinNodeCount: pool.minNodes,
            totalMaxNodeCount: pool.maxNodes,
            // GPUs (Spot ones above all) are scarce: take capacity in any zone that has it.
            locationPolicy: "ANY",
        },
        management,
        nodeConfig: {
            ...commonNodeConfig,
            machineType: pool.instanceType,
            diskType: "pd-balanced",
            diskSizeGb: pool.diskSizeGb,
            spot: pool.spot,
            guestAccelerators: [
                {
                    type: pool.gpuType,
                    count: pool.gpusPerNode,
                    // The driver GKE pins for the node version (LATEST tracks newer branches).
                    gpuDriverInstallationConfig: { gpuDriverVersion: "DEFAULT" },
                },
            ],
            labels: { [gpuNodeLabel.key]: gpuNodeLabel.value },
            taints: [{ ...gpuTaint }],
        },
    };
}
