// What the cluster looks like to a scheduler and to Helm, read from the cloud resources the
// program registers: its Kubernetes version and its node pools with the labels and taints their
// nodes carry (the pool's own plus those the cloud and the kubelet add).
import type { ProgramResource } from "./evaluation";

export interface NodeTaint {
    key: string;
    value?: string;
    effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

export interface NodePool {
    name: string;
    /** Nodes have NVIDIA GPUs (from the hardware asked for, not from a taint). */
    gpu: boolean;
    labels: Record<string, string>;
    taints: NodeTaint[];
}

/** Labels the kubelet puts on every node (kubernetes.io/os, kubernetes.io/arch). */
function kubeletLabels(arch: "amd64" | "arm64"): Record<string, string> {
    return { "kubernetes.io/os": "linux", "kubernetes.io/arch": arch };
}

const effects: Record<string, NodeTaint["effect"]> = {
    NO_SCHEDULE: "NoSchedule",
    PREFER_NO_SCHEDULE: "PreferNoSchedule",
    NO_EXECUTE: "NoExecute",
    NoSchedule: "NoSchedule",
    PreferNoSchedule: "PreferNoSchedule",
    NoExecute: "NoExecute",
};
function taint(key: string, value: string | undefined, effect: string): NodeTaint {
    const e = effects[effect];
    if (!e) throw new Error(`unknown taint effect ${effect}`);
    return { key, ...(value !== undefined && value !== "" ? { value } : {}), effect: e };
}

/** `key=value:Effect` (AKS). */
function parseTaint(s: string): NodeTaint {
    const m = /^([^=:]+)(?:=([^:]*))?:(.+)$/.exec(s);
    if (!m) throw new Error(`malformed taint ${s}`);
    return taint(m[1], m[2], m[3]);
}

/**
 * Node pools the program creates. EKS managed node groups (labels, taints, AMI type); AKS system
 * profile and agent pools (AKS labels nodes `kubernetes.azure.com/agentpool` and `agentpool`);
 * GKE node pools (GKE labels `cloud.google.com/gke-nodepool` and, on GPU pools,
 * `cloud.google.com/gke-accelerator`). With none (cloud: existing) the cluster is the user's:
 * stacks/existing.ts expects untainted nodes for everything and GPU nodes tainted `nvidia.com/gpu`.
 */
export function nodePools(resources: ProgramResource[]): NodePool[] {
    const pools: NodePool[] = [];
    for (const r of resources) {
        const i = r.inputs;
        if (r.type === "aws:eks/nodeGroup:NodeGroup") {
            const ami = String(i.amiType ?? "");
            pools.push({
                name: `eks ${r.name}`,
                gpu: /NVIDIA/.test(ami),
                labels: {
                    ...kubeletLabels(/ARM/.test(ami) ? "arm64" : "amd64"),
                    // EKS labels each node with its managed node group's name (when the program names it).
                    ...(i.nodeGroupName ? { "eks.amazonaws.com/nodegroup": i.nodeGroupName } : {}),
                    ...(i.labels ?? {}),
                },
                taints: (i.taints ?? []).map((t: any) => taint(t.key, t.value, t.effect)),
            });
        } else if (
            r.type === "azure-native:containerservice:ManagedCluster" ||
            r.type === "azure-native:containerservice:AgentPool"
        ) {
            const profiles =
                r.type === "azure-native:containerservice:AgentPool"
                    ? [{ ...i, name: i.agentPoolName }]
                    : (i.agentPoolProfiles ?? []);
            for (const p of profiles) {
                const vmSize = String(p.vmSize ?? "");
                pools.push({
                    name: `aks ${p.name}`,
                    gpu: /^Standard_N/i.test(vmSize),
                    // Arm sizes carry a "p" after the vCPU count (Standard_D4ps_v5).
                    labels: {
                        ...kubeletLabels(/^Standard_[A-Z]+\d+[a-z]*p/.test(vmSize) ? "arm64" : "amd64"),
                        "kubernetes.azure.com/agentpool": p.name,
                        agentpool: p.name,
                        ...(p.nodeLabels ?? {}),
                    },
                    taints: (p.nodeTaints ?? []).map(parseTaint),
                });
            }
        } else if (r.type === "gcp:container/nodePool:NodePool") {
            const c = i.nodeConfig ?? {};
            const accelerator = c.guestAccelerators?.[0]?.type;
            pools.push({
                name: `gke ${i.name}`,
                gpu: accelerator !== undefined,
                labels: {
                    ...kubeletLabels(/^(t2a|c4a|n4a)-/.test(String(c.machineType)) ? "arm64" : "amd64"),
                    "cloud.google.com/gke-nodepool": i.name,
                    ...(accelerator ? { "cloud.google.com/gke-accelerator": accelerator } : {}),
                    ...(c.labels ?? {}),
                },
                taints: (c.taints ?? []).map((t: any) => taint(t.key, t.value, t.effect)),
            });
        }
    }
    if (pools.length > 0) return pools;
    return [
        { name: "existing nodes", gpu: false, labels: kubeletLabels("amd64"), taints: [] },
        {
            name: "existing GPU nodes",
            gpu: true,
            labels: kubeletLabels("amd64"),
            taints: [{ key: "nvidia.com/gpu", effect: "NoSchedule" }],
        },
    ];
}

/**
 * The cluster's Kubernetes minor version: what the program asks EKS (`version`), AKS
 * (`kubernetesVersion`) or GKE (`minMasterVersion`) for; `fallback` for an existing cluster.
 */
export function kubernetesVersion(resources: ProgramResource[], fallback: string): string {
    for (const r of resources) {
        const v =
            r.type === "eks:index:Cluster"
                ? r.inputs.version
                : r.type === "azure-native:containerservice:ManagedCluster"
                  ? r.inputs.kubernetesVersion
                  : r.type === "gcp:container/cluster:Cluster"
                    ? r.inputs.minMasterVersion
                    : undefined;
        if (typeof v === "string") return v;
    }
    return fallback;
}
