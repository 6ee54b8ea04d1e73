// Names and defaults of the AKS cluster that other code (tests, docs, the platform) relies on.
import { gpuTaintKey, poolLabelKey, poolNames } from "../cluster/nodePool";
import { Placement, Toleration } from "../cluster/target";

/**
 * Kubernetes minor version when `cluster.kubernetesVersion` is absent. AKS picks the newest GA
 * patch of a `<major>.<minor>` version and the `patch` upgrade channel keeps it there. AKS supports
 * a minor for about 12 months after its AKS GA and refuses new clusters on retired ones: 1.35
 * (AKS GA early 2026) rather than 1.34 (GA late 2025). `az aks get-versions -l <location>` lists them.
 */
export const defaultKubernetesVersion = "1.35";

/** VM size of the system pool when `cluster.systemNodePool.instanceType` is absent (4 vCPU, 16 GiB). */
export const defaultSystemVmSize = "Standard_D4s_v5";

/** Agent pool names: lowercase alphanumerics, at most 12 characters on Linux. */
export const systemPoolName = poolNames.system;
export const gpuPoolName = poolNames.gpu;

/** Label we put on every GPU node; GPU pods select it. */
export const gpuNodeLabel = { key: poolLabelKey, value: poolNames.gpu } as const;

/** Taint on every GPU node, so only pods that asked for a GPU land there. */
export const gpuTaint = { key: gpuTaintKey, value: "true", effect: "NoSchedule" } as const;

/** Taint AKS puts on every Spot node (we also declare it, so the pool's desired state says so). */
export const spotTaint = { key: "kubernetes.azure.com/scalesetpriority", value: "spot", effect: "NoSchedule" } as const;

/** `key=value:Effect`, the form AKS takes taints in. */
export function taintString(t: { key: string; value: string; effect: string }): string {
    return `${t.key}=${t.value}:${t.effect}`;
}

/** Label AKS puts on every node: the name of its agent pool. */
export const agentPoolLabel = "kubernetes.azure.com/agentpool";

/**
 * Where GPU pods go: our GPU label and the current GPU pool (by name: during a blue/green swap the
 * pods roll onto the new pool), tolerating the GPU taint and, on Spot pools, the Spot taint.
 */
export function gpuPlacement(spot: boolean, poolName?: string): Placement {
    const tolerations: Toleration[] = [{ key: gpuTaint.key, operator: "Exists", effect: gpuTaint.effect }];
    if (spot)
        tolerations.push({ key: spotTaint.key, operator: "Equal", value: spotTaint.value, effect: spotTaint.effect });
    return {
        nodeSelector: { [gpuNodeLabel.key]: gpuNodeLabel.value, ...(poolName ? { [agentPoolLabel]: poolName } : {}) },
        tolerations,
    };
}

/** Where system add-ons go: the system pool (AKS labels nodes with their pool name). */
export const systemPlacement: Placement = {
    nodeSelector: { [agentPoolLabel]: systemPoolName },
    tolerations: [],
};
