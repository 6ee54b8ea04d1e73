// Agent pool arguments as pure functions of the pool model, so tests can read them without a cluster.
import * as containerservice from "@pulumi/azure-native/containerservice";
import type * as azureInputs from "@pulumi/azure-native/types/input";
import { GpuNodePoolSpec, poolGeneration, SystemNodePoolSpec } from "../cluster/nodePool";
import {
    defaultSystemVmSize,
    gpuNodeLabel,
    gpuPoolName,
    gpuTaint,
    spotTaint,
    systemPoolName,
    taintString,
} from "./defaults";

/** The system pool, declared inline on the ManagedCluster (AKS needs one System pool to exist). */
export function systemAgentPoolProfile(
    pool: SystemNodePoolSpec,
    kubernetesVersion?: string,
): azureInputs.containerservice.ManagedClusterAgentPoolProfileArgs {
    return {
        name: systemPoolName,
        // Upgrades with the control plane (AKS upgrades pools whose version is the cluster's).
        ...(kubernetesVersion ? { orchestratorVersion: kubernetesVersion } : {}),
        mode: containerservice.AgentPoolMode.System,
        osType: containerservice.OSType.Linux,
        type: containerservice.AgentPoolType.VirtualMachineScaleSets,
        vmSize: pool.instanceType ?? defaultSystemVmSize,
        enableAutoScaling: true,
        // System pools need at least one node.
        count: Math.max(1, pool.minNodes),
        minCount: Math.max(1, pool.minNodes),
        maxCount: Math.max(1, pool.maxNodes),
    };
}

/** Taints of the GPU pool: the GPU taint, plus the one AKS adds to Spot nodes. */
export function gpuPoolTaints(spot: boolean): string[] {
    return spot ? [taintString(gpuTaint), taintString(spotTaint)] : [taintString(gpuTaint)];
}

/**
 * The GPU pool's name: `gpu` and the fingerprint of what AKS cannot change on a pool (VM size, Spot
 * priority, OS disk, taints; AKS agent pool API, create-only). A change to any of them names a new
 * pool, created before the old one is deleted, and GPU pods (which select the pool by AKS's
 * `kubernetes.azure.com/agentpool` label) roll onto it first. 11 characters: Linux pool names take 12.
 */
export function gpuAgentPoolName(pool: GpuNodePoolSpec): string {
    return `${gpuPoolName}${poolGeneration({
        vmSize: pool.instanceType,
        spot: pool.spot,
        osDiskSizeGB: pool.diskSizeGb,
        nodeTaints: gpuPoolTaints(pool.spot),
    })}`;
}

/** A pool's upgrade settings as the agent pool API takes them (numbers as strings). */
export function aksUpgradeSettings(upgrade: { maxSurge: number; maxUnavailable: number }) {
    return { maxSurge: String(upgrade.maxSurge), maxUnavailable: String(upgrade.maxUnavailable) };
}

/** The GPU pool's own arguments (the cluster and resource group are added by the component). */
export function gpuAgentPoolArgs(
    pool: GpuNodePoolSpec,
    kubernetesVersion?: string,
): Omit<containerservice.AgentPoolArgs, "resourceGroupName" | "resourceName"> {
    const spot: Partial<containerservice.AgentPoolArgs> = pool.spot
        ? {
              scaleSetPriority: containerservice.ScaleSetPriority.Spot,
              scaleSetEvictionPolicy: containerservice.ScaleSetEvictionPolicy.Delete,
              // -1: pay up to the on-demand price; nodes are evicted for capacity, never for price.
              spotMaxPrice: -1,
          }
        : {};
    const upgrade = pool.upgrade ?? { maxSurge: 1, maxUnavailable: 0 };
    return {
        agentPoolName: gpuAgentPoolName(pool),
        // The control plane's minor: a version change reaches the pool (one minor at a time).
        ...(kubernetesVersion ? { orchestratorVersion: kubernetesVersion } : {}),
        mode: containerservice.AgentPoolMode.User,
        osType: containerservice.OSType.Linux,
        type: containerservice.AgentPoolType.VirtualMachineScaleSets,
        vmSize: pool.instanceType,
        enableAutoScaling: true,
        count: pool.minNodes,
        minCount: pool.minNodes,
        maxCount: pool.maxNodes,
        osDiskSizeGB: pool.diskSizeGb,
        nodeLabels: { [gpuNodeLabel.key]: gpuNodeLabel.value },
        nodeTaints: gpuPoolTaints(pool.spot),
        // AKS installs the NVIDIA driver on GPU VM sizes (the default, stated so a reviewer sees it);
        // the device plugin that advertises nvidia.com/gpu is ours to install.
        gpuProfile: { driver: containerservice.GPUDriver.Install },
        // Each surge node needs a spare GPU of quota (README); maxUnavailable nodes go down at once.
        // None on Spot: AKS refuses both ("Spot pools can't set max surge" / "… maxUnavailable";
        // hashicorp/terraform-provider-azurerm#19355, #31129) and upgrades Spot nodes by eviction.
        ...(pool.spot ? {} : { upgradeSettings: aksUpgradeSettings(upgrade) }),
        ...spot,
    };
}
