// Agent pool arguments as pure functions of the pool model, so tests can read them without a cluster.
import * as containerservice from "@pulumi/azure-native/containerservice";
import type * as azureInputs from "@pulumi/azure-native/types/input";
import { GpuNodePoolSpec, SystemNodePoolSpec } from "../cluster/nodePool";
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
): azureInputs.containerservice.ManagedClusterAgentPoolProfileArgs {
    return {
        name: systemPoolName,
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

/** The GPU pool's own arguments (the cluster and resource group are added by the component). */
export function gpuAgentPoolArgs(
    pool: GpuNodePoolSpec,
): Omit<containerservice.AgentPoolArgs, "resourceGroupName" | "resourceName"> {
    const spot: Partial<containerservice.AgentPoolArgs> = pool.spot
        ? {
              scaleSetPriority: containerservice.ScaleSetPriority.Spot,
              scaleSetEvictionPolicy: containerservice.ScaleSetEvictionPolicy.Delete,
              // -1: pay up to the on-demand price; nodes are evicted for capacity, never for price.
              spotMaxPrice: -1,
          }
        : {};
    return {
        agentPoolName: gpuPoolName,
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
        ...spot,
    };
}
