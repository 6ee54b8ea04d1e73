// Test fixture: a complete Settings object for a small CPU stack, with overrides merged in.
// Component tests build on it; whole-program tests go through the real config parser instead.
import { Settings } from "../../stacks/config/settings";
import { torchServeSpec } from "./specs";

type DeepPartial<T> = {
    [K in keyof T]?: T[K] extends (infer U)[] ? U[] : T[K] extends object ? DeepPartial<T[K]> : T[K];
};

export function baseSettings(): Settings {
    return {
        project: "torchserve-platform",
        stack: "test",
        cloud: "existing",
        location: {},
        cluster: {
            name: "torchserve-test",
            systemNodePool: { minNodes: 1, maxNodes: 3 },
            deletionProtection: true,
            admins: {},
        },
        gpuNodePool: undefined,
        // The same small CPU TorchServe the component tests use.
        torchserve: { ...torchServeSpec(), enabled: true },
        // Off: Triton's tests turn it on.
        triton: {
            enabled: false,
            image: "nvcr.io/nvidia/tritonserver:25.10-py3",
            repository: { url: "" },
            models: [],
            replicas: 1,
            nGpu: 1,
            nCpu: 1,
            memoryRequest: "2Gi",
            memoryLimit: "8Gi",
            ephemeralStorage: "10Gi",
            namespace: "torchserve",
            exitTimeoutSeconds: 30,
            modelLoadSeconds: 300,
        },
        prometheus: { enabled: false, retention: "15d", storageSize: "50Gi", namespace: "monitoring" },
        grafana: { enabled: false, serviceType: "ClusterIP" },
        autoscaling: {
            enabled: false,
            minReplicas: 1,
            maxReplicas: 2,
            targetRequestsPerSecond: 5,
            scaleDownStabilizationSeconds: 300,
        },
        istio: {
            enabled: false,
            gatewayServiceType: "LoadBalancer",
            hosts: ["*"],
            sessionCookie: { name: "session_id", ttl: "60s" },
            exposeMetrics: false,
            exposeManagement: false,
            strictMtls: false,
        },
        // Off here: component tests turn it on where they test it.
        logging: { enabled: false, backend: "loki", retentionDays: 30, storageSize: "10Gi", namespace: "logging" },
    };
}

function merge(base: any, over: any): any {
    if (over === undefined) return base;
    if (Array.isArray(over) || typeof over !== "object" || over === null) return over;
    const out: any = { ...(base ?? {}) };
    for (const [k, v] of Object.entries(over)) out[k] = merge(out[k], v);
    return out;
}

/** baseSettings() with `overrides` deep-merged (arrays replace). */
export function testSettings(overrides: DeepPartial<Settings> = {}): Settings {
    return merge(baseSettings(), overrides);
}

/** A GPU variant: one T4 per pod on a g4dn.xlarge pool. */
export function gpuSettings(overrides: DeepPartial<Settings> = {}): Settings {
    return testSettings(
        merge(
            {
                cloud: "aws",
                location: { awsRegion: "us-west-2" },
                gpuNodePool: {
                    instanceType: "g4dn.xlarge",
                    gpusPerNode: 1,
                    minNodes: 1,
                    maxNodes: 2,
                    spot: false,
                    diskSizeGb: 100,
                },
                torchserve: {
                    image: "pytorch/torchserve:0.12.0-gpu",
                    nGpu: 1,
                    nCpu: 2,
                    storageAccessMode: "ReadWriteMany",
                },
            },
            overrides,
        ),
    );
}
