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
    /** How the pool's nodes are replaced during upgrades. @default {maxSurge: 1, maxUnavailable: 0} */
    upgrade?: NodePoolUpgradeSpec;
}

/**
 * A short, stable fingerprint of a pool's create-only settings (instance type, capacity type, disk,
 * taints…: whatever the cloud cannot change in place). It goes into the GPU pool's name, so a change
 * to any of them names a new pool: the engine creates it before deleting the old one (blue/green),
 * and GPU pods, which select the pool by name, roll onto it while the old pool still serves.
 */
export function poolGeneration(createOnly: Record<string, unknown>): string {
    // FNV-1a over canonical JSON (keys sorted at every level): 8 hex characters, no crypto module.
    const canonical = (v: unknown): unknown =>
        Array.isArray(v)
            ? v.map(canonical)
            : v && typeof v === "object"
              ? Object.fromEntries(
                    Object.keys(v)
                        .sort()
                        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
                )
              : v;
    const text = JSON.stringify(canonical(createOnly));
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
        h ^= text.charCodeAt(i);
        h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h.toString(16).padStart(8, "0");
}

/** Surge and unavailability while a pool's nodes are replaced (image or version upgrades). */
export interface NodePoolUpgradeSpec {
    /** Extra nodes created during an upgrade: each needs spare quota (GPUs on the GPU pool). */
    maxSurge: number;
    /** Nodes that may be down at once during an upgrade. */
    maxUnavailable: number;
}

/** A weekly window (UTC) in which the cloud may upgrade the control plane and node images. */
export interface MaintenanceWindowSpec {
    /** Day of the week, e.g. `Saturday`. */
    day: string;
    /** Hour the window opens, 0-23 UTC. */
    startHour: number;
    /** Length of the window in hours (at least 4). */
    durationHours: number;
}
