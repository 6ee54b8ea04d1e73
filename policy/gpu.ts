// GPU placement: GPU nodes are tainted so that only pods asking for a GPU land there (a GPU node
// costs ten times a CPU one), and every GPU pod tolerates that taint and selects a GPU pool (an
// untolerated taint leaves it Pending; a missing selector lets it wait on a CPU node forever).
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import {
    asArray,
    containersOf,
    gpuResource,
    kubernetesEffect,
    podSpecOf,
    requestsGpu,
    Taint,
    Toleration,
    tolerates,
} from "./kubernetes";
import {
    aksAgentPoolType,
    aksClusterType,
    eksNodeGroupType,
    gkeNodePoolType,
    pulumiEksManagedNodeGroupType,
} from "./types";

/** The taint every GPU pool carries, as the program sets it (components/eks, aks, gke). */
export const gpuTaint = { key: gpuResource, effect: "NoSchedule" } as const;

/** A node pool with GPUs, in Kubernetes terms: the taints and labels its nodes get. */
export interface GpuPool {
    /** How messages name the pool. */
    name: string;
    taints: Taint[];
    labels: Record<string, string>;
}

/** `key=value:Effect` or `key:Effect`, AKS's spelling of a taint. */
function parseAksTaint(s: string): Taint | undefined {
    const m = /^([^=:]+)(?:=([^:]*))?:(.+)$/.exec(s);
    return m ? { key: m[1], value: m[2], effect: m[3] } : undefined;
}

/** EKS GPU instance families (p3, p4d, p5, g4dn, g5, g6, …) and AMIs built for NVIDIA. */
function eksHasGpu(p: Record<string, any>): boolean {
    return (
        /NVIDIA|GPU/i.test(String(p.amiType ?? "")) || asArray(p.instanceTypes).some((t) => /^(p|g)\d/.test(String(t)))
    );
}

/** AKS N-series sizes (Standard_NC…, ND…, NV…) are the GPU sizes. */
function aksHasGpu(p: Record<string, any>): boolean {
    return /^Standard_N/i.test(String(p.vmSize ?? "")) || p.gpuProfile !== undefined;
}

/** EKS's and GKE's `{key, value, effect}` taints (effect spelt NO_SCHEDULE) in Kubernetes terms. */
function cloudTaints(taints: unknown): Taint[] {
    return asArray(taints).map((t) => ({ key: t.key, value: t.value, effect: kubernetesEffect(String(t.effect)) }));
}

function aksPool(name: string, p: Record<string, any>): GpuPool {
    const spot = String(p.scaleSetPriority ?? "").toLowerCase() === "spot";
    // An agent pool resource names its pool agentPoolName; the cluster's inline profiles, name.
    const poolName = p.agentPoolName ?? p.name;
    // AKS adds the spot taint and label itself (learn.microsoft.com/azure/aks/spot-node-pool).
    const spotTaint: Taint[] = spot
        ? [{ key: "kubernetes.azure.com/scalesetpriority", value: "spot", effect: "NoSchedule" }]
        : [];
    return {
        name,
        taints: [
            ...asArray(p.nodeTaints)
                .map((t) => parseAksTaint(String(t)))
                .filter((t): t is Taint => t !== undefined),
            ...spotTaint,
        ],
        labels: {
            "kubernetes.io/os": "linux",
            ...(typeof poolName === "string" ? { "kubernetes.azure.com/agentpool": poolName } : {}),
            ...(spot ? { "kubernetes.azure.com/scalesetpriority": "spot" } : {}),
            ...(p.nodeLabels ?? {}),
        },
    };
}

/**
 * The GPU pools a resource creates (none for other resources and for pools without GPUs): EKS
 * managed node groups (also those eks.ManagedNodeGroup creates), AKS agent pools and the AKS
 * cluster's inline pools, GKE node pools. Labels include those the cloud adds itself and pods
 * commonly select on, so a selector using them is not reported as matching nothing.
 */
export function gpuPoolsOf(type: string, props: Record<string, any>, name: string): GpuPool[] {
    switch (type) {
        // pulumi-eks's ManagedNodeGroup takes the same arguments. Its inputs reach policies where the
        // SDK records them (test mocks); in a real run its aws NodeGroup child is checked in any case.
        case eksNodeGroupType:
        case pulumiEksManagedNodeGroupType:
            if (!eksHasGpu(props)) return [];
            return [
                {
                    name,
                    taints: cloudTaints(props.taints),
                    labels: {
                        "kubernetes.io/os": "linux",
                        ...(typeof props.nodeGroupName === "string"
                            ? { "eks.amazonaws.com/nodegroup": props.nodeGroupName }
                            : {}),
                        ...(props.labels ?? {}),
                    },
                },
            ];
        case aksAgentPoolType:
            return aksHasGpu(props) ? [aksPool(name, props)] : [];
        case aksClusterType:
            return asArray(props.agentPoolProfiles)
                .filter(aksHasGpu)
                .map((p) => aksPool(`${name} pool ${p.name}`, p));
        case gkeNodePoolType: {
            const node = props.nodeConfig ?? {};
            const accelerators = asArray(node.guestAccelerators);
            // A2, A3 and G2 machine types come with their GPUs attached.
            if (accelerators.length === 0 && !/^(a2|a3|g2)-/.test(String(node.machineType ?? ""))) return [];
            return [
                {
                    name,
                    taints: cloudTaints(node.taints),
                    labels: {
                        "kubernetes.io/os": "linux",
                        // GKE labels its nodes with the pool and the accelerator (cloud.google.com/kubernetes-engine/docs/how-to/gpus).
                        ...(typeof props.name === "string" ? { "cloud.google.com/gke-nodepool": props.name } : {}),
                        ...(accelerators[0]?.type
                            ? { "cloud.google.com/gke-accelerator": String(accelerators[0].type) }
                            : {}),
                        ...(node.spot === true ? { "cloud.google.com/gke-spot": "true" } : {}),
                        ...(node.labels ?? {}),
                    },
                },
            ];
        }
        default:
            return [];
    }
}

export const gpuPoolsTainted: ResourceValidationPolicy = {
    name: "gpu-pools-tainted",
    description: `Every node pool with GPUs carries the ${gpuTaint.key}:${gpuTaint.effect} taint, so only GPU pods are scheduled there.`,
    remediationSteps:
        'EKS: taints [{key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE"}]; AKS: nodeTaints ["nvidia.com/gpu=true:NoSchedule"]; GKE: nodeConfig.taints [{key: "nvidia.com/gpu", value: "present", effect: "NO_SCHEDULE"}].',
    validateResource: (args, reportViolation) => {
        for (const pool of gpuPoolsOf(args.type, args.props, args.name)) {
            if (!pool.taints.some((t) => t.key === gpuTaint.key && t.effect === gpuTaint.effect)) {
                reportViolation(
                    `GPU pool ${pool.name} has no ${gpuTaint.key}:${gpuTaint.effect} taint (taints: ${JSON.stringify(pool.taints)}).`,
                );
            }
        }
    },
};

/** Whether a pod's required node affinity (if any) admits a node with these labels. */
function affinityAdmits(pod: Record<string, any>, labels: Record<string, string>): boolean {
    const terms = asArray(
        pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms,
    );
    if (terms.length === 0) return true;
    return terms.some((term) =>
        asArray(term.matchExpressions).every((e) => {
            const has = e.key in labels;
            const values = asArray(e.values).map(String);
            switch (e.operator) {
                case "In":
                    return has && values.includes(labels[e.key]);
                case "NotIn":
                    return !has || !values.includes(labels[e.key]);
                case "Exists":
                    return has;
                case "DoesNotExist":
                    return !has;
                // Gt/Lt compare integers; none of the pools' labels is one.
                default:
                    return false;
            }
        }),
    );
}

/** Whether a pod selects nodes at all: a node selector or a required node-affinity term. */
function selectsNodes(pod: Record<string, any>): boolean {
    const terms = asArray(
        pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms,
    );
    return Object.keys(pod.nodeSelector ?? {}).length > 0 || terms.some((t) => asArray(t.matchExpressions).length > 0);
}

/** Whether a pod can be scheduled onto `pool`: it tolerates the pool's taints and selects its labels. */
export function fitsPool(pod: Record<string, any>, pool: GpuPool): boolean {
    const tolerations: Toleration[] = asArray(pod.tolerations);
    const repelling = pool.taints.filter((t) => t.effect === "NoSchedule" || t.effect === "NoExecute");
    if (!repelling.every((taint) => tolerations.some((t) => tolerates(t, taint)))) return false;
    const selector: Record<string, string> = pod.nodeSelector ?? {};
    if (!Object.entries(selector).every(([k, v]) => pool.labels[k] === String(v))) return false;
    return affinityAdmits(pod, pool.labels);
}

/** What is wrong with a GPU pod's placement, given the stack's GPU pools (none: an existing cluster). */
export function gpuPodProblems(pod: Record<string, any>, pools: GpuPool[]): string[] {
    const problems: string[] = [];
    const tolerations: Toleration[] = asArray(pod.tolerations);
    // The taint's value differs per cloud ("true", "present"): any value is the generic rule.
    if (!tolerations.some((t) => tolerates(t, { ...gpuTaint, value: t.value }))) {
        problems.push(`does not tolerate the ${gpuTaint.key}:${gpuTaint.effect} taint of GPU pools`);
    }
    if (!selectsNodes(pod)) problems.push("does not select GPU nodes (no nodeSelector or required node affinity)");
    if (pools.length > 0 && !pools.some((pool) => fitsPool(pod, pool))) {
        problems.push(
            `fits none of the stack's GPU pools (${pools.map((p) => p.name).join(", ")}): check its tolerations against their taints and its node selector and affinity against their labels`,
        );
    }
    return problems;
}

export const gpuPodsPlaced: StackValidationPolicy = {
    name: "gpu-pods-tolerate-and-select-gpu-pools",
    description:
        "Every pod template with a container requesting nvidia.com/gpu tolerates the GPU taint and selects GPU nodes; when the stack creates GPU pools, it fits one of them.",
    remediationSteps:
        "Give the pod the placement the cluster component exports (ClusterTarget.gpuPlacement: tolerations and nodeSelector).",
    validateStack: (args, reportViolation) => {
        const pools = args.resources.flatMap((r) => gpuPoolsOf(r.type, r.props, r.name));
        for (const r of args.resources) {
            const pod = podSpecOf(r.type, r.props);
            if (!pod || !containersOf(pod).some((c) => requestsGpu(c.container))) continue;
            for (const problem of gpuPodProblems(pod, pools))
                reportViolation(`${r.type.split(":").pop()} ${r.name}: GPU pod ${problem}.`, r.urn);
        }
    },
};
