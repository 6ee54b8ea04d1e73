// Checks that need several keys at once: will the pods fit the GPU pool, does the storage allow
// the replica count, are the add-ons combined sensibly. Pure; reports through Problems.
import { addressPlan, maxClusterNodes } from "../../components/gke/defaults";
import { filestoreMinimumBytes } from "../../components/gke/storage";
import { envoyReservedPorts } from "../../components/mesh/envoyPorts";
import { istioKubernetesMinors } from "../../components/mesh/charts";
import { parseQuantity } from "./fields";
import { catalogs, cloudOfInstanceType, InstanceShape, n1AttachableGpus } from "./gpuCatalog";
import { Problems } from "./problems";
import { reservedNamespaces } from "./sections/torchserve";
import { Settings } from "./settings";
import { instanceTypeNameProblem } from "./instanceTypes";

/** TorchServe's container ports, all in the pod's network namespace with the sidecar. */
const torchservePortKeys = [
    "inferencePort",
    "managementPort",
    "metricsPort",
    "grpcInferencePort",
    "grpcManagementPort",
] as const;

const GiB = 2 ** 30;

/**
 * What one node can give a pod, estimated: the kubelet reserves roughly 10% of memory plus
 * eviction headroom, and system daemonsets (CNI, kube-proxy, device plugin, exporters) take about
 * half a core and 1 GiB.
 */
export function allocatable(shape: InstanceShape): { cpu: number; memoryBytes: number } {
    return { cpu: shape.vcpu - 0.5, memoryBytes: shape.memoryGiB * GiB * 0.9 - GiB };
}

/** A container's CPU and memory requests. */
export interface Requests {
    cpu: number;
    memoryBytes: number;
}

/**
 * What the sidecars beside TorchServe request, and which they are: istio-proxy with the mesh (istiod
 * chart values `global.proxy.resources.requests`: 100m, 128Mi), gcsfuse with a bucket store on GKE
 * (the driver's webhook defaults: 250m, 256Mi; components/gke/modelBucket.ts lifts only its limits).
 */
export function sidecarRequests(s: Settings): Requests & { names: string[] } {
    const out = { cpu: 0, memoryBytes: 0, names: [] as string[] };
    if (s.istio.enabled) {
        out.cpu += 0.1;
        out.memoryBytes += 128 * 2 ** 20;
        out.names.push("istio-proxy");
    }
    if (s.cloud === "gcp" && s.torchserve.modelStore === "bucket") {
        out.cpu += 0.25;
        out.memoryBytes += 256 * 2 ** 20;
        out.names.push("gcsfuse");
    }
    return out;
}

/** What one TorchServe pod requests of a node: TorchServe's container plus its sidecars. */
export function podRequests(s: Settings): Requests {
    const side = sidecarRequests(s);
    return {
        cpu: s.torchserve.nCpu + side.cpu,
        memoryBytes: (parseQuantity(s.torchserve.memoryRequest) ?? 0) + side.memoryBytes,
    };
}

/** TorchServe pods one GPU node can hold, bounded by GPUs and (when the shape is known) CPU and memory. */
export function podsPerGpuNode(settings: Settings, shape: InstanceShape | undefined): number {
    const ts = settings.torchserve;
    const pool = settings.gpuNodePool!;
    let pods = Math.floor(pool.gpusPerNode / ts.nGpu);
    if (shape) {
        const a = allocatable(shape);
        const pod = podRequests(settings);
        pods = Math.min(pods, Math.floor(a.cpu / pod.cpu), Math.floor(a.memoryBytes / pod.memoryBytes));
    }
    return pods;
}

/**
 * TorchServe GPU pods the GPU pool can hold at most: maxNodes × pods per node (GPUs, and CPU and
 * memory where the instance type is known). Undefined without a GPU pool or GPU pods.
 */
export function gpuPodCapacity(s: Settings): number | undefined {
    const pool = s.gpuNodePool;
    if (!pool || s.torchserve.nGpu === 0) return undefined;
    const shape = s.cloud === "existing" ? undefined : catalogs[s.cloud][pool.instanceType];
    return pool.maxNodes * podsPerGpuNode(s, shape);
}

function checkInstanceType(s: Settings, p: Problems, key: string): InstanceShape | undefined {
    const pool = s.gpuNodePool!;
    const gpuKey = (k: string) => `${key}.${k}`;
    if (s.cloud !== "gcp" && pool.gpuType !== undefined) {
        p.errorText(
            gpuKey("gpuType"),
            `only used on gcp (GKE attaches accelerators); on ${s.cloud} the instance type decides the GPU`,
        );
    }
    if (s.cloud === "existing") return undefined;
    const shape = catalogs[s.cloud][pool.instanceType];
    const owner = cloudOfInstanceType(pool.instanceType);
    if (!shape && owner && owner !== s.cloud) {
        p.error(
            gpuKey("instanceType"),
            pool.instanceType,
            `this is ${owner === "gcp" ? "a" : "an"} ${owner} instance type but cloud is ${s.cloud}`,
        );
        return undefined;
    }
    // "" = missing or refused by the reader, already reported.
    const misnamed = shape || !pool.instanceType ? undefined : instanceTypeNameProblem(s.cloud, pool.instanceType);
    if (misnamed) {
        p.error(gpuKey("instanceType"), pool.instanceType, misnamed);
        return undefined;
    }
    if (!shape) {
        p.warn(
            gpuKey("instanceType"),
            `${pool.instanceType} is not in the built-in GPU catalog; GPU, CPU and memory capacity checks are skipped`,
        );
    }
    if (s.cloud === "gcp") {
        checkGkeAccelerator(s, p, key, shape);
    } else if (shape && shape.gpus === 0) {
        p.error(
            gpuKey("instanceType"),
            pool.instanceType,
            `has no GPUs (${shape.vcpu} vCPU, ${shape.memoryGiB} GiB); pick a GPU type such as ${s.cloud === "aws" ? "g5.xlarge" : "Standard_NC4as_T4_v3"}`,
        );
        return undefined;
    } else if (shape && pool.gpusPerNode !== shape.gpus) {
        p.error(
            gpuKey("gpusPerNode"),
            pool.gpusPerNode,
            `${pool.instanceType} has ${shape.gpus} GPU(s); remove gpusPerNode or set it to ${shape.gpus}`,
        );
    }
    return shape;
}

/** GKE: the accelerator must be named and attachable to the machine family. */
function checkGkeAccelerator(s: Settings, p: Problems, key: string, shape: InstanceShape | undefined): void {
    const pool = s.gpuNodePool!;
    if (!pool.gpuType) {
        p.errorText(
            `${key}.gpuType`,
            `required on gcp: the accelerator to attach, e.g. nvidia-tesla-t4 (n1), nvidia-l4 (g2), nvidia-tesla-a100 (a2)`,
        );
        return;
    }
    if (!shape) return;
    if (shape.gpus > 0) {
        if (pool.gpuType !== shape.gpuModel)
            p.error(`${key}.gpuType`, pool.gpuType, `${pool.instanceType} comes with ${shape.gpuModel}`);
        if (pool.gpusPerNode !== shape.gpus)
            p.error(`${key}.gpusPerNode`, pool.gpusPerNode, `${pool.instanceType} has ${shape.gpus} GPU(s)`);
    } else if (pool.instanceType.startsWith("n1-")) {
        const counts = n1AttachableGpus[pool.gpuType];
        if (!counts)
            p.error(
                `${key}.gpuType`,
                pool.gpuType,
                `cannot be attached to N1 machines; expected one of ${Object.keys(n1AttachableGpus).join(", ")}`,
            );
        else if (!counts.includes(pool.gpusPerNode))
            p.error(
                `${key}.gpusPerNode`,
                pool.gpusPerNode,
                `${pool.gpuType} attaches in counts of ${counts.join(", ")}`,
            );
    } else {
        p.error(
            `${key}.instanceType`,
            pool.instanceType,
            `GPUs cannot be attached to this machine family; use n1-standard-* with nvidia-tesla-t4, g2-standard-* (L4) or a2-highgpu-* (A100)`,
        );
    }
}

export function checkCapacity(s: Settings, p: Problems, project: string): void {
    const ts = s.torchserve;
    const k = (path: string) => `${project}:${path}`;

    const request = parseQuantity(ts.memoryRequest);
    const limit = parseQuantity(ts.memoryLimit);
    if (request !== undefined && limit !== undefined && request > limit) {
        p.error(k("torchserve.memoryRequest"), ts.memoryRequest, `must not exceed memoryLimit (${ts.memoryLimit})`);
    }

    const canaryPods = ts.canary?.replicas ?? 0;
    const mostPods = Math.max(ts.replicas, s.autoscaling.enabled ? s.autoscaling.maxReplicas : 0) + canaryPods;
    if (ts.storageAccessMode === "ReadWriteOnce" && mostPods > 1) {
        const key =
            ts.replicas > 1 ? "torchserve.replicas" : ts.canary ? "torchserve.canary" : "autoscaling.maxReplicas";
        p.errorText(
            k(key),
            `${mostPods} pods cannot share a ReadWriteOnce model store (it attaches to one node); set torchserve.storageAccessMode: ReadWriteMany with an RWX storageClass, or run one pod`,
        );
    }

    // A bucket store has no size (the claim's is nominal).
    if (
        s.cloud === "gcp" &&
        ts.modelStore !== "bucket" &&
        (parseQuantity(ts.persistenceSize) ?? 0) < filestoreMinimumBytes
    ) {
        p.error(
            k("torchserve.persistenceSize"),
            ts.persistenceSize,
            "on gcp the model store is a Filestore share, whose minimum size is 1Ti",
        );
    }

    // GKE: every node takes a /24 of the pods' range, surge nodes included (components/gke/defaults.ts).
    const system = s.cluster.systemNodePool.maxNodes + 1;
    const gpuNodes = s.gpuNodePool ? s.gpuNodePool.maxNodes + (s.gpuNodePool.upgrade?.maxSurge ?? 1) : 0;
    if (s.cloud === "gcp" && system + gpuNodes > maxClusterNodes) {
        const [key, value] = s.gpuNodePool
            ? ["gpuNodePool.maxNodes", s.gpuNodePool.maxNodes]
            : ["cluster.systemNodePool.maxNodes", s.cluster.systemNodePool.maxNodes];
        p.error(
            k(key),
            value,
            `the GKE cluster would need ${system + gpuNodes} nodes with the system pool and each pool's upgrade surge node; its pods' range (${addressPlan.pods.ipCidrRange}, a /24 per node) holds ${maxClusterNodes}`,
        );
    }

    if (!s.gpuNodePool) {
        if (ts.nGpu > 0 && s.cloud !== "existing") {
            p.errorText(
                k("torchserve.nGpu"),
                `${ts.nGpu} GPU(s) requested but the stack has no GPU node pool; configure gpuNodePool or set nGpu: 0 (with a -cpu image)`,
            );
        }
        return;
    }
    const shape = checkInstanceType(s, p, k("gpuNodePool"));
    const pool = s.gpuNodePool;
    if (ts.nGpu === 0) return;
    if (ts.nGpu > pool.gpusPerNode) {
        p.error(
            k("torchserve.nGpu"),
            ts.nGpu,
            `a pod cannot use more GPUs than one node has (${pool.instanceType || "gpuNodePool.gpusPerNode"}: ${pool.gpusPerNode})`,
        );
        return;
    }
    if ((shape && shape.gpus > 0) || (shape && s.cloud === "gcp")) {
        const a = allocatable(shape!);
        const side = sidecarRequests(s);
        const besides = side.names.length
            ? `, less the ${side.names.join(" and ")} sidecar${side.names.length > 1 ? "s' requests" : "'s request"}`
            : "";
        if (ts.nCpu + side.cpu > a.cpu)
            p.error(
                k("torchserve.nCpu"),
                ts.nCpu,
                `one ${pool.instanceType} node can give TorchServe about ${+(a.cpu - side.cpu).toFixed(2)} CPUs (${shape!.vcpu} vCPU minus system reserve${besides})`,
            );
        if (request !== undefined && request + side.memoryBytes > a.memoryBytes) {
            p.error(
                k("torchserve.memoryRequest"),
                ts.memoryRequest,
                `one ${pool.instanceType} node can give TorchServe about ${((a.memoryBytes - side.memoryBytes) / GiB).toFixed(1)}Gi (${shape!.memoryGiB} GiB minus system reserve${besides})`,
            );
        }
    }
    const perNode = podsPerGpuNode(s, shape);
    const capacity = pool.maxNodes * perNode;
    if (perNode > 0 && ts.replicas + canaryPods > capacity) {
        p.error(
            k("torchserve.replicas"),
            ts.replicas,
            `the GPU pool fits at most ${capacity} TorchServe pod(s) (maxNodes ${pool.maxNodes} x ${perNode} per node${canaryPods ? `, ${canaryPods} canary pod(s) included` : ""})`,
        );
    }
    if (perNode > 0 && s.autoscaling.enabled && s.autoscaling.maxReplicas + canaryPods > capacity) {
        p.error(
            k("autoscaling.maxReplicas"),
            s.autoscaling.maxReplicas,
            `the GPU pool fits at most ${capacity} TorchServe pod(s) (maxNodes ${pool.maxNodes} x ${perNode} per node${canaryPods ? `, ${canaryPods} canary pod(s) included` : ""})`,
        );
    }
}

/** Add-ons that need each other. */
export function checkCombinations(s: Settings, p: Problems, project: string): void {
    const k = (path: string) => `${project}:${path}`;
    if (s.grafana.enabled && !s.prometheus.enabled && !s.grafana.prometheusUrl) {
        p.errorText(k("grafana"), "enabled without a datasource; enable prometheus or set grafana.prometheusUrl");
    }
    if (s.alertReceivers && !s.prometheus.enabled) {
        p.errorText(k("alertReceivers"), "set, but Alertmanager comes with prometheus; enable prometheus too");
    }
    if (s.autoscaling.enabled && !s.prometheus.enabled) {
        p.errorText(
            k("autoscaling"),
            "enabled, but KEDA's triggers query the in-cluster Prometheus; enable prometheus too",
        );
    }
    if (s.autoscaling.enabled && s.autoscaling.minReplicas === 0 && !s.istio.enabled) {
        p.error(
            k("autoscaling.minReplicas"),
            0,
            "scale to zero needs a wake-up signal while no pod runs, and only the mesh gateway's request metrics give one: enable istio or set minReplicas >= 1",
        );
    }
    if (s.autoscaling.enabled && s.autoscaling.minReplicas === 0 && s.torchserve.canary) {
        // KEDA scales the stable Deployment only: the canary would keep its GPU node while idle and
        // serve its share while stable requests get 503.
        p.error(
            k("autoscaling.minReplicas"),
            0,
            "scale to zero scales the stable Deployment only, while torchserve.canary keeps its pods (and a GPU node) running and serves while stable requests get 503; remove torchserve.canary or set minReplicas >= 1",
        );
    }
    if (
        s.autoscaling.enabled &&
        (s.torchserve.replicas < s.autoscaling.minReplicas || s.torchserve.replicas > s.autoscaling.maxReplicas)
    ) {
        p.warn(
            k("torchserve.replicas"),
            `${s.torchserve.replicas} is outside autoscaling's ${s.autoscaling.minReplicas}-${s.autoscaling.maxReplicas}; KEDA owns the replica count`,
        );
    }
    if (
        s.prometheus.enabled &&
        (s.prometheus.namespace === s.torchserve.namespace || reservedNamespaces.includes(s.prometheus.namespace))
    ) {
        p.error(
            k("prometheus.namespace"),
            s.prometheus.namespace,
            "must be a namespace of its own: not TorchServe's, the mesh's or Kubernetes' own",
        );
    }
    // Loki and its shipper live in a fixed namespace (components/logging/spec.ts).
    if (s.logging.enabled && s.logging.backend === "loki" && s.torchserve.namespace === s.logging.namespace) {
        p.error(
            k("torchserve.namespace"),
            s.torchserve.namespace,
            `is where logging's Loki runs; pick another namespace for TorchServe or set logging.backend: cloud`,
        );
    }
    const minor = Number(s.cluster.kubernetesVersion?.split(".")[1]);
    if (
        s.istio.enabled &&
        s.cluster.kubernetesVersion &&
        (minor < istioKubernetesMinors.min || minor > istioKubernetesMinors.max)
    ) {
        p.error(
            k("cluster.kubernetesVersion"),
            s.cluster.kubernetesVersion,
            `the pinned Istio release supports Kubernetes 1.${istioKubernetesMinors.min} to 1.${istioKubernetesMinors.max}`,
        );
    }
    if (s.istio.enabled) {
        for (const name of torchservePortKeys) {
            const port = s.torchserve[name];
            const use = envoyReservedPorts[port];
            if (use)
                p.error(
                    k(`torchserve.${name}`),
                    port,
                    `with istio on, the sidecar in the same pod listens on ${port} (${use}); pick a port outside Istio's ${Object.keys(envoyReservedPorts).join(", ")}`,
                );
        }
    }
    if (s.torchserve.canary && !s.istio.enabled) {
        p.errorText(
            k("torchserve.canary"),
            "a canary needs istio (the traffic split is an Istio VirtualService); enable istio or remove canary",
        );
    }
}
