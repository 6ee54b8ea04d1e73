// Checks that need `triton` and other keys at once: does Triton fit the GPU pool beside
// TorchServe, does the pool's GPU run the image's CUDA, and which combinations are not supported
// yet. Pure; reports through Problems.
import { tritonReleaseOf, tritonReleases } from "../../components/triton/releases";
import { allocatable, podRequests, Requests, sidecarRequests } from "./capacity";
import { parseQuantity } from "./fields";
import { catalogs, computeCapability, InstanceShape } from "./gpuCatalog";
import { Problems } from "./problems";
import { Settings } from "./settings";

const GiB = 2 ** 30;

/** What one Triton pod requests of a node: Triton's container plus its sidecars. */
export function tritonPodRequests(s: Settings): Requests {
    const mesh = s.istio.enabled ? { cpu: 0.1, memoryBytes: 128 * 2 ** 20 } : { cpu: 0, memoryBytes: 0 };
    // The gcsfuse sidecar (GKE's webhook defaults, as for TorchServe: capacity.ts sidecarRequests).
    const fuse =
        s.cloud === "gcp" && s.triton.repository.bucket !== undefined
            ? { cpu: 0.25, memoryBytes: 256 * 2 ** 20 }
            : { cpu: 0, memoryBytes: 0 };
    return {
        cpu: s.triton.nCpu + mesh.cpu + fuse.cpu,
        memoryBytes: (parseQuantity(s.triton.memoryRequest) ?? 0) + mesh.memoryBytes + fuse.memoryBytes,
    };
}

/** TorchServe's GPU pods at their most (replicas or autoscaling's maximum, plus the canary); 0 when it runs none. */
export function torchServeGpuPods(s: Settings): number {
    const ts = s.torchserve;
    if (!ts.enabled || ts.nGpu === 0) return 0;
    const stable = Math.max(ts.replicas, s.autoscaling.enabled ? s.autoscaling.maxReplicas : 0);
    return stable + (ts.canary?.replicas ?? 0);
}

/** One kind of pod on the pool: how many, and what each asks of a node. */
export interface PodKind {
    count: number;
    gpus: number;
    cpu: number;
    memoryBytes: number;
}

/** What one node offers pods: GPUs, and CPU and memory when the shape is known. */
export interface NodeRoom {
    gpus: number;
    cpu?: number;
    memoryBytes?: number;
}

/**
 * The most pods of kind `b` that `nodes` nodes hold beside all of kind `a`, or -1 when not even the
 * `a` pods fit. Exact over every split of the two kinds per node (a small dynamic programme over
 * nodes), so a stack is refused only when no placement exists.
 */
export function mostBeside(a: PodKind, b: PodKind, node: NodeRoom, nodes: number): number {
    const fits = (x: number, y: number) =>
        x * a.gpus + y * b.gpus <= node.gpus &&
        (node.cpu === undefined || x * a.cpu + y * b.cpu <= node.cpu + 1e-9) &&
        (node.memoryBytes === undefined || x * a.memoryBytes + y * b.memoryBytes <= node.memoryBytes);
    // Per node: for each count of `a` pods, the most `b` pods beside them.
    const perNode: number[] = [];
    for (let x = 0; fits(x, 0); x++) {
        let y = 0;
        while (y < b.count && fits(x, y + 1)) y++;
        perNode.push(y);
        if (x >= a.count) break;
    }
    // best[x] = most `b` pods on the nodes so far holding x `a` pods (x capped at a.count).
    let best = new Array<number>(a.count + 1).fill(-1);
    best[0] = 0;
    for (let n = 0; n < nodes; n++) {
        const next = [...best];
        for (let x = 0; x <= a.count; x++) {
            if (best[x] < 0) continue;
            perNode.forEach((y, dx) => {
                const nx = Math.min(a.count, x + dx);
                next[nx] = Math.max(next[nx], Math.min(b.count, best[x] + y));
            });
        }
        best = next;
        if (best[a.count] >= b.count) break;
    }
    return best[a.count];
}

export function checkTriton(s: Settings, p: Problems, project: string): void {
    const k = (path: string) => `${project}:${path}`;
    const tr = s.triton;
    if (!s.torchserve.enabled) {
        if (!tr.enabled)
            p.errorText(
                k("torchserve.enabled"),
                "false, and triton is not enabled: nothing would serve; enable triton or remove torchserve.enabled",
            );
        for (const addon of ["istio", "autoscaling", "prometheus"] as const)
            if (s[addon].enabled)
                p.errorText(
                    k("torchserve.enabled"),
                    `false is not yet supported with ${addon} (it is built around TorchServe's pods); keep TorchServe or disable ${addon}`,
                );
    }
    if (!tr.enabled) return;
    // Not yet applied to Triton's pods: refused rather than silently missing.
    if (s.istio.enabled)
        p.errorText(
            k("triton"),
            "with istio is not yet supported (the gateway does not route to Triton yet, and its sidecar would admit no caller); disable istio or triton",
        );
    if (s.autoscaling.enabled)
        p.errorText(
            k("triton"),
            "with autoscaling is not yet supported (KEDA scales TorchServe only so far); disable autoscaling or triton",
        );

    const request = parseQuantity(tr.memoryRequest);
    const limit = parseQuantity(tr.memoryLimit);
    if (request !== undefined && limit !== undefined && request > limit)
        p.error(k("triton.memoryRequest"), tr.memoryRequest, `must not exceed memoryLimit (${tr.memoryLimit})`);

    const pool = s.gpuNodePool;
    if (tr.nGpu === 0) return;
    if (!pool) {
        if (s.cloud !== "existing")
            p.errorText(
                k("triton.nGpu"),
                `${tr.nGpu} GPU(s) requested but the stack has no GPU node pool; configure gpuNodePool or set triton.nGpu: 0`,
            );
        return;
    }
    if (tr.nGpu > pool.gpusPerNode) {
        p.error(
            k("triton.nGpu"),
            tr.nGpu,
            `a pod cannot use more GPUs than one node has (${pool.instanceType || "gpuNodePool.gpusPerNode"}: ${pool.gpusPerNode})`,
        );
        return;
    }
    const shape: InstanceShape | undefined = s.cloud === "existing" ? undefined : catalogs[s.cloud][pool.instanceType];
    checkComputeCapability(s, p, k, shape);

    const room: NodeRoom = { gpus: pool.gpusPerNode };
    const pod = tritonPodRequests(s);
    if (shape && (shape.gpus > 0 || s.cloud === "gcp")) {
        const a = allocatable(shape);
        room.cpu = a.cpu;
        room.memoryBytes = a.memoryBytes;
        if (pod.cpu > a.cpu)
            p.error(
                k("triton.nCpu"),
                tr.nCpu,
                `one ${pool.instanceType} node can give a Triton pod about ${+(a.cpu - (pod.cpu - tr.nCpu)).toFixed(2)} CPUs (${shape.vcpu} vCPU minus system reserve and sidecars)`,
            );
        if (request !== undefined && pod.memoryBytes > a.memoryBytes)
            p.error(
                k("triton.memoryRequest"),
                tr.memoryRequest,
                `one ${pool.instanceType} node can give a Triton pod about ${((a.memoryBytes - (pod.memoryBytes - request)) / GiB).toFixed(1)}Gi (${shape.memoryGiB} GiB minus system reserve and sidecars)`,
            );
        if (pod.cpu > a.cpu || (request !== undefined && pod.memoryBytes > a.memoryBytes)) return;
    }
    // Both servers' GPU pods on one pool; TorchServe's own fit is capacity.ts's to report.
    const tsPods = torchServeGpuPods(s);
    const ts = tsPods > 0 ? podRequests(s) : { cpu: 0, memoryBytes: 0 };
    const most = mostBeside(
        { count: tsPods, gpus: s.torchserve.nGpu, ...ts },
        { count: tr.replicas, gpus: tr.nGpu, ...pod },
        room,
        pool.maxNodes,
    );
    if (most >= 0 && most < tr.replicas) {
        const side = sidecarRequests(s).names;
        p.error(
            k("triton.replicas"),
            tr.replicas,
            `the GPU pool (maxNodes ${pool.maxNodes} x ${pool.gpusPerNode} GPU(s)${shape ? `, ${shape.vcpu} vCPU, ${shape.memoryGiB} GiB` : ""}) fits ${tsPods ? `TorchServe's ${tsPods} pod(s) and ` : ""}at most ${most} Triton pod(s)${tsPods ? " beside them" : ""}${side.length ? ` (sidecars counted: ${side.join(", ")})` : ""}: lower triton.replicas or raise gpuNodePool.maxNodes`,
        );
    }
}

/** The pool's GPU against the lowest compute capability the image's release supports. */
function checkComputeCapability(
    s: Settings,
    p: Problems,
    k: (path: string) => string,
    shape: InstanceShape | undefined,
): void {
    const pool = s.gpuNodePool!;
    const model = s.cloud === "gcp" ? pool.gpuType : shape?.gpuModel;
    const tag = tritonReleaseOf(s.triton.image);
    const release = tag ? tritonReleases[tag] : undefined;
    const cc = model ? computeCapability[model] : undefined;
    if (!release || cc === undefined) {
        if (tag && !release)
            p.warn(
                k("triton.image"),
                `release ${tag} is not in the program's list (components/triton/releases.ts): the GPU's compute capability is not checked against it`,
            );
        return;
    }
    if (cc < release.minComputeCapability)
        p.error(
            k("triton.image"),
            s.triton.image,
            `Triton ${tag} (CUDA ${release.cuda}) supports GPUs of compute capability ${release.minComputeCapability} and later (${release.source}), but the GPU pool's ${model} is ${cc.toFixed(1)}: use GPUs of compute capability >= ${release.minComputeCapability}`,
        );
}

/**
 * Triton GPU pods the pool holds beyond `triton.replicas`, beside TorchServe's at their most (at
 * most 1 is asked for: a rollout surges one pod); undefined without a GPU pool or GPU pods.
 */
export function tritonSpareGpuPods(s: Settings): number | undefined {
    const tr = s.triton;
    const pool = s.gpuNodePool;
    if (!tr.enabled || tr.nGpu === 0 || !pool) return undefined;
    const shape = s.cloud === "existing" ? undefined : catalogs[s.cloud][pool.instanceType];
    const room: NodeRoom = { gpus: pool.gpusPerNode };
    if (shape && (shape.gpus > 0 || s.cloud === "gcp")) {
        const a = allocatable(shape);
        room.cpu = a.cpu;
        room.memoryBytes = a.memoryBytes;
    }
    const tsPods = torchServeGpuPods(s);
    const ts = tsPods > 0 ? podRequests(s) : { cpu: 0, memoryBytes: 0 };
    const most = mostBeside(
        { count: tsPods, gpus: s.torchserve.nGpu, ...ts },
        { count: tr.replicas + 1, gpus: tr.nGpu, ...tritonPodRequests(s) },
        room,
        pool.maxNodes,
    );
    return most < 0 ? undefined : Math.max(0, most - tr.replicas);
}
