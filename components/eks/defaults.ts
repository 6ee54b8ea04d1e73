// EKS defaults and the names other code relies on (node labels, taints, chart pins). One place, so a
// label used for placement cannot drift from the label put on the nodes.
import { eksLegacyPoolLabelKey, gpuTaintKey, poolNames } from "../cluster/nodePool";
import { Placement, Toleration } from "../cluster/target";

/** Per-cloud defaults for `cloud: aws` when the stack leaves them out. */
export const eksDefaults = {
    /** EKS 1.35: in standard support until 2027-03 (1.34's ends 2026-12). */
    kubernetesVersion: "1.35",
    /** 2 vCPU / 8 GiB: room for CoreDNS, cluster-autoscaler, the EFS CSI controller, monitoring. */
    systemInstanceType: "m6i.large",
    /** Root volume of system nodes, GiB. */
    systemDiskSizeGb: 50,
    vpcCidr: "10.0.0.0/16",
    /** Zones the VPC spans. Three gives GPU capacity more places to come from than two. */
    zoneCount: 3,
} as const;

/** Labels naming each node's pool (EKS keeps its original key, see `eksLegacyPoolLabelKey`); placement selects on them. */
export const gpuPoolLabels = { [eksLegacyPoolLabelKey]: poolNames.gpu } as const;
export const systemPoolLabels = { [eksLegacyPoolLabelKey]: poolNames.system } as const;

/** Taint on GPU nodes so only pods asking for GPUs (and tolerating it) land there. */
export const gpuTaint = { key: gpuTaintKey, value: "true", effect: "NoSchedule" } as const;

/** Toleration matching `gpuTaint` whatever its value. */
export const gpuToleration: Toleration = { key: gpuTaint.key, operator: "Exists", effect: "NoSchedule" };

export const gpuPlacement: Placement = { nodeSelector: { ...gpuPoolLabels }, tolerations: [gpuToleration] };
export const systemPlacement: Placement = { nodeSelector: { ...systemPoolLabels }, tolerations: [] };

/**
 * Node label cluster-autoscaler (>= 1.15) reads on AWS to know a node has GPUs, so it waits for the
 * device plugin instead of scaling out again while the GPU resource is not yet advertised.
 */
export const acceleratorLabelKey = "k8s.amazonaws.com/accelerator";

/** GPU model per EC2 instance family, for `acceleratorLabelKey`. */
const acceleratorByFamily: Record<string, string> = {
    g4dn: "nvidia-tesla-t4",
    g5: "nvidia-a10g",
    g6: "nvidia-l4",
    g6e: "nvidia-l40s",
    gr6: "nvidia-l4",
    p3: "nvidia-tesla-v100",
    p3dn: "nvidia-tesla-v100",
    p4d: "nvidia-a100",
    p4de: "nvidia-a100",
    p5: "nvidia-h100",
    p5e: "nvidia-h200",
    p5en: "nvidia-h200",
};

/** `g5.xlarge` → `nvidia-a10g`; an explicit `gpuType` wins; unknown families get a generic value. */
export function acceleratorFor(instanceType: string, gpuType?: string): string {
    if (gpuType) return gpuType;
    const family = instanceType.split(".")[0];
    return acceleratorByFamily[family] ?? "nvidia-gpu";
}

/** cluster-autoscaler Helm chart: https://github.com/kubernetes/autoscaler (tag cluster-autoscaler-chart-9.59.0). */
export const clusterAutoscalerChart = {
    name: "cluster-autoscaler",
    version: "9.59.0",
    repo: "https://kubernetes.github.io/autoscaler",
} as const;

/**
 * cluster-autoscaler must match the cluster's Kubernetes minor version. Latest patch release per minor
 * (tags cluster-autoscaler-<version> in kubernetes/autoscaler); images are
 * registry.k8s.io/autoscaling/cluster-autoscaler:<tag>.
 */
export const clusterAutoscalerImageTags: Record<string, string> = {
    "1.31": "v1.31.5",
    "1.32": "v1.32.7",
    "1.33": "v1.33.6",
    "1.34": "v1.34.5",
    "1.35": "v1.35.2",
    "1.36": "v1.36.1",
};

/** The image tag for a Kubernetes version (`1.35` or `1.35.x`), or undefined when none is known. */
export function clusterAutoscalerImageTag(kubernetesVersion: string): string | undefined {
    const minor = /^(\d+\.\d+)/.exec(kubernetesVersion)?.[1];
    return minor === undefined ? undefined : clusterAutoscalerImageTags[minor];
}
