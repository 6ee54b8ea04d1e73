// The cloud-neutral node-pool model: what EKS, AKS and GKE take to build their pools, and the label
// and taint the pools carry so that placement (components/*/defaults.ts) finds them.

/** Label naming the pool of every node the program creates (AKS, GKE); GPU placement selects on it. */
export const poolLabelKey = "torchserve.pytorch.org/node-pool";

/**
 * The same label under the key EKS clusters have carried from the start. Kept on EKS: a managed node
 * group's labels are part of the group, so a new key would update every EKS node group (replacing
 * all nodes) and re-place every pod that selects on it, TorchServe's included.
 */
export const eksLegacyPoolLabelKey = "torchserve.pytorch.org/pool";

/** Names of the two pools: the pool label's values and, on AKS and GKE, the pools' own names. */
export const poolNames = { system: "system", gpu: "gpu" } as const;

/** Key of the taint on every GPU node (NVIDIA's convention), so only pods that tolerate it land there. */
export const gpuTaintKey = "nvidia.com/gpu";

/** The always-on pool for system add-ons (cluster-autoscaler, CSI controllers, monitoring, the mesh). */
export interface SystemNodePoolSpec {
    /**
     * Instance type (EKS), VM size (AKS) or machine type (GKE).
     * @default the cloud's default: m6i.large (EKS), Standard_D4s_v5 (AKS), e2-standard-4 (GKE)
     */
    instanceType?: string;
    /** Fewest nodes the autoscaler keeps (a total across zones); at least 1 on AKS and GKE. */
    minNodes: number;
    /** Most nodes the autoscaler adds (a total across zones). */
    maxNodes: number;
}

/** The autoscaling GPU pool TorchServe runs on, tainted so only pods asking for GPUs land there. */
export interface GpuNodePoolSpec {
    /** Instance type (EKS), VM size (AKS) or machine type (GKE) with NVIDIA GPUs. */
    instanceType: string;
    /** GPUs per node: fixed by the instance type on EKS and AKS; the number of accelerators attached on GKE. */
    gpusPerNode: number;
    /** Fewest nodes the autoscaler keeps (a total across zones); 0 lets the pool scale to zero. */
    minNodes: number;
    /** Most nodes the autoscaler adds (a total across zones). */
    maxNodes: number;
    /** Spot (preemptible) capacity instead of on-demand. */
    spot: boolean;
    /** Root (OS) disk size of each node, GiB: room for the TorchServe GPU image. */
    diskSizeGb: number;
}
