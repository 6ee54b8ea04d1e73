// The original Helm chart's values.yaml keys and where each setting lives in this program, so a
// values file copied into a stack gets a pointed hint instead of a guess. Source: pytorch/serve
// kubernetes/Helm/values.yaml at 6054cd04c (2020, shown again in kubernetes/README.md) and
// d47b14dee (2023, current), and the keys kubernetes/Helm/templates/torchserve.yaml reads.
import { normaliseKey } from "./problems";

export interface ChartKey {
    /** Key path in the chart's values.yaml. */
    chart: string;
    /** The same setting here (a path under `torchserve-platform:`), when there is one. */
    key?: string;
    /** Why there is none. */
    note?: string;
}

export const chartKeys: readonly ChartKey[] = [
    { chart: "torchserve_image", key: "torchserve.image" },
    { chart: "namespace", key: "torchserve.namespace" },
    { chart: "torchserve.inference_port", key: "torchserve.inferencePort" },
    { chart: "torchserve.management_port", key: "torchserve.managementPort" },
    { chart: "torchserve.metrics_port", key: "torchserve.metricsPort" },
    { chart: "torchserve.grpc_inference_port", key: "torchserve.grpcInferencePort" },
    { chart: "torchserve.pvd_mount", key: "torchserve.modelStorePath" },
    { chart: "torchserve.n_gpu", key: "torchserve.nGpu" },
    { chart: "torchserve.n_cpu", key: "torchserve.nCpu" },
    { chart: "torchserve.memory_limit", key: "torchserve.memoryLimit" },
    { chart: "torchserve.memory_request", key: "torchserve.memoryRequest" },
    { chart: "deployment.replicas", key: "torchserve.replicas" },
    { chart: "persitant_volume.size", key: "torchserve.persistenceSize" },
    {
        chart: "persistentVolume.name",
        note: "the program creates and names the model-store claim itself (pick its class with torchserve.storageClass)",
    },
];

/**
 * Parameter names of the chart's README table (kubernetes/README.md), which differ from its
 * values.yaml: `image`, `model-store`, `persistence.size`, `replicas` and the underscore names.
 */
const readmeNames: Record<string, string> = {
    "model-store": "modelStorePath",
    persitant_volume: "persistenceSize",
    persistence: "persistenceSize",
    "persistence.size": "persistenceSize",
    persistentvolume: "persistenceSize",
};

/**
 * Chart names of keys that live under `torchserve` here (normalised name → our key): the
 * values.yaml keys under `torchserve:`, the top-level ones that moved there, and the README's.
 */
export const chartAliasesUnderTorchserve: Record<string, string> = Object.fromEntries([
    ...chartKeys
        .filter((c) => c.key?.startsWith("torchserve."))
        .flatMap((c) => {
            const ours = c.key!.slice("torchserve.".length);
            const leaf = c.chart.split(".").pop()!;
            return [
                [normaliseKey(c.chart.replace(/^torchserve\./, "")), ours],
                [normaliseKey(leaf), ours],
            ];
        }),
    ...Object.entries(readmeNames).map(([k, v]) => [normaliseKey(k), v]),
]);

/**
 * The chart keys a top-level key of this project's namespace matches: itself (`torchserve_image`)
 * or the section it opens (`deployment` → `deployment.replicas`). Empty when it is no chart key.
 */
export function chartKeysUnder(topLevel: string): ChartKey[] {
    return chartKeys.filter((c) => c.chart === topLevel || c.chart.startsWith(topLevel + "."));
}
