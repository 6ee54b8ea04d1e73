// Small fixtures for component tests: each component's own spec, not the stack's Settings (the
// config parser's tests and the whole-program tests cover those).
import { Placement } from "../../components/cluster/kubernetes";
import { IstioSpec } from "../../components/mesh/spec";
import { ModelSpec, TorchServeSpec } from "../../components/torchserve/spec";

/** A GPU pool's placement: its label selected, the NVIDIA taint tolerated. */
export const gpuPlacement: Placement = {
    nodeSelector: { "torchserve.pytorch.org/pool": "gpu" },
    tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
};

/** A system pool's placement, tolerating the CriticalAddonsOnly taint. */
export const systemPlacement: Placement = {
    nodeSelector: { "torchserve.pytorch.org/pool": "system" },
    tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }],
};

export const squeezenet: ModelSpec = {
    name: "squeezenet1_1",
    url: "https://torchserve.pytorch.org/mar_files/squeezenet1_1.mar",
    version: "1.0",
    minWorkers: 1,
    maxWorkers: 1,
    batchSize: 1,
    maxBatchDelay: 100,
    responseTimeout: 120,
    startupTimeout: 120,
};

/** A one-replica CPU TorchServe with SqueezeNet on a ReadWriteOnce store, `over` replacing fields. */
export function torchServeSpec(over: Partial<TorchServeSpec> = {}): TorchServeSpec {
    return {
        image: "pytorch/torchserve:0.12.0-cpu",
        inferencePort: 8080,
        managementPort: 8081,
        metricsPort: 8082,
        grpcInferencePort: 7070,
        grpcManagementPort: 7071,
        replicas: 1,
        modelStorePath: "/home/model-server/shared/",
        persistenceSize: "1Gi",
        nGpu: 0,
        nCpu: 1,
        memoryLimit: "4Gi",
        memoryRequest: "1Gi",
        namespace: "torchserve",
        models: [squeezenet],
        storageAccessMode: "ReadWriteOnce",
        serviceType: "ClusterIP",
        enableModelApi: false,
        jobQueueSize: 100,
        ephemeralStorage: "10Gi",
        ...over,
    };
}

/** One T4 per pod on a shared (ReadWriteMany) store. */
export function gpuTorchServeSpec(over: Partial<TorchServeSpec> = {}): TorchServeSpec {
    return torchServeSpec({
        image: "pytorch/torchserve:0.12.0-gpu",
        nGpu: 1,
        nCpu: 2,
        storageAccessMode: "ReadWriteMany",
        ...over,
    });
}

/** The mesh with everything optional off, for `models.example.com`. */
export function istioSpec(over: Partial<IstioSpec> = {}): IstioSpec {
    return {
        gatewayServiceType: "LoadBalancer",
        hosts: ["models.example.com"],
        sessionCookie: { name: "session_id", ttl: "60s" },
        exposeMetrics: false,
        exposeManagement: false,
        strictMtls: false,
        ...over,
    };
}
