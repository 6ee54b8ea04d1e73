// Triton's pod, as pure builders: the server's command line, probes, drain and volumes. Flags and
// endpoints are Triton's own (triton-inference-server/server@e1db8a60 src/command_line_parser.cc,
// src/http_server.cc, src/main.cc).
import type * as k8s from "@pulumi/kubernetes";
import type { Placement } from "../cluster/kubernetes";
import { tritonGid, tritonPodLabels, tritonPortNames, tritonPorts, tritonUid } from "./conventions";
import { TritonSpec } from "./spec";

type Container = k8s.types.input.core.v1.Container;
type PodTemplateSpec = k8s.types.input.core.v1.PodTemplateSpec;

/** Where the repository is mounted, read-only. */
export const repositoryMountDir = "/models";

/**
 * Directories Triton writes with a read-only root: /tmp (backends' scratch files), /dev/shm (the
 * Python backend's shared-memory regions between the server and its stub processes, which the
 * container runtime's 64 MiB default would cap) and the image user's home (caches of the PyTorch
 * and ONNX Runtime backends).
 */
export const scratchDirs = { tmp: "/tmp", shm: "/dev/shm", home: "/home/triton-server" } as const;

/** Seconds the preStop hook keeps serving while the pod's endpoint is removed everywhere. */
export const endpointRemovalSeconds = 10;

/**
 * Env var carrying the header value that unlocks the model-repository and shared-memory APIs: the
 * pod's own UID (downward API), which only those who may read the namespace's pods know. Loading
 * or unloading acts on one pod's server, so it is done per pod (port-forward) anyway.
 */
export const adminTokenEnv = "TRITON_ADMIN_TOKEN";
/** Header callers of those APIs must send, with the pod's UID. */
export const adminTokenHeader = "triton-admin-token";
/** APIs only callers with the header reach (Triton's RESTRICTED_CATEGORY_NAMES, src/restricted_features.h). */
export const restrictedApis = ["model-repository", "shared-memory"];

const cpuQuantity = (cores: number) => (Number.isInteger(cores) ? String(cores) : `${Math.round(cores * 1000)}m`);

/** Seconds the pod may take to become ready: the models' load budget (at least one model's). */
export function startupBudgetSeconds(s: Pick<TritonSpec, "models" | "modelLoadSeconds">): number {
    return s.modelLoadSeconds * Math.max(1, s.models.length);
}

/** Termination grace: endpoint removal, then in-flight requests (`--exit-timeout-secs`), then a margin to exit. */
export function terminationGracePeriodSeconds(s: Pick<TritonSpec, "exitTimeoutSeconds">): number {
    return endpointRemovalSeconds + s.exitTimeoutSeconds + 15;
}

/**
 * `tritonserver` arguments. Explicit model control loads exactly `models` (or every model with
 * `--load-model=*`, which must then be the only one); strict readiness makes /v2/health/ready
 * answer 200 only once every loaded model is ready; `--exit-timeout-secs` is how long SIGTERM waits
 * for in-flight inferences; the model-repository and shared-memory APIs (loading, unloading,
 * registering memory) answer only requests carrying the admin header, whose value (the pod's UID)
 * Kubernetes puts into `$(TRITON_ADMIN_TOKEN)`.
 */
export function tritonArgs(s: TritonSpec): string[] {
    const load = s.models.length > 0 ? s.models.map((m) => `--load-model=${m}`) : ["--load-model=*"];
    const restricted = `${restrictedApis.join(",")}:${adminTokenHeader}=$(${adminTokenEnv})`;
    return [
        `--model-repository=${repositoryMountDir}`,
        "--model-control-mode=explicit",
        ...load,
        "--strict-readiness=true",
        "--exit-on-error=true",
        `--exit-timeout-secs=${s.exitTimeoutSeconds}`,
        `--http-port=${tritonPorts.http}`,
        `--grpc-port=${tritonPorts.grpc}`,
        `--metrics-port=${tritonPorts.metrics}`,
        "--allow-metrics=true",
        "--allow-gpu-metrics=" + String(s.nGpu > 0),
        `--http-restricted-api=${restricted}`,
        `--grpc-restricted-protocol=${restricted}`,
        // One timestamp format for the log backends: "YYYY-MM-DDThh:mm:ssZ L".
        "--log-format=ISO8601",
    ];
}

/** The Triton container. */
export function tritonContainer(s: TritonSpec): Container {
    const gpu: Record<string, string> = s.nGpu > 0 ? { "nvidia.com/gpu": String(s.nGpu) } : {};
    const ready = { httpGet: { path: "/v2/health/ready", port: tritonPortNames.http, scheme: "HTTP" } };
    return {
        name: "triton",
        image: s.image,
        command: ["tritonserver"],
        args: tritonArgs(s),
        env: [
            { name: adminTokenEnv, valueFrom: { fieldRef: { fieldPath: "metadata.uid" } } },
            { name: "HOME", value: scratchDirs.home },
        ],
        ports: [
            { name: tritonPortNames.http, containerPort: tritonPorts.http, protocol: "TCP" },
            { name: tritonPortNames.grpc, containerPort: tritonPorts.grpc, protocol: "TCP" },
            { name: tritonPortNames.metrics, containerPort: tritonPorts.metrics, protocol: "TCP" },
        ],
        resources: {
            requests: {
                cpu: cpuQuantity(s.nCpu),
                memory: s.memoryRequest,
                "ephemeral-storage": s.ephemeralStorage,
                ...gpu,
            },
            limits: {
                cpu: cpuQuantity(s.nCpu),
                memory: s.memoryLimit,
                "ephemeral-storage": s.ephemeralStorage,
                ...gpu,
            },
        },
        securityContext: {
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
        },
        terminationMessagePolicy: "FallbackToLogsOnError",
        volumeMounts: [
            {
                name: "repository",
                mountPath: repositoryMountDir,
                readOnly: true,
                ...(s.repository.subPath ? { subPath: s.repository.subPath } : {}),
            },
            { name: "tmp", mountPath: scratchDirs.tmp },
            { name: "shm", mountPath: scratchDirs.shm },
            { name: "home", mountPath: scratchDirs.home },
        ],
        // Ready = every model loaded (strict readiness); the budget grows with the models.
        startupProbe: {
            ...ready,
            periodSeconds: 10,
            timeoutSeconds: 5,
            failureThreshold: Math.ceil(startupBudgetSeconds(s) / 10),
        },
        readinessProbe: { ...ready, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 2 },
        // Live = the server answers at all; generous, so a long batch does not restart the pod.
        livenessProbe: {
            httpGet: { path: "/v2/health/live", port: tritonPortNames.http, scheme: "HTTP" },
            periodSeconds: 20,
            timeoutSeconds: 10,
            failureThreshold: 6,
        },
        lifecycle: {
            // Keep serving while the endpoint is removed from Services and proxies; then SIGTERM,
            // on which Triton stops its endpoints and waits up to --exit-timeout-secs for in-flight
            // inferences (src/main.cc StopEndpoints, TRITONSERVER_ServerSetExitTimeout).
            preStop: { exec: { command: ["sleep", String(endpointRemovalSeconds)] } },
        },
    };
}

/** Spread pods across nodes and zones when the scheduler can; never block scheduling on it. */
export function tritonTopologySpread(): k8s.types.input.core.v1.TopologySpreadConstraint[] {
    return ["kubernetes.io/hostname", "topology.kubernetes.io/zone"].map((topologyKey) => ({
        maxSkew: 1,
        topologyKey,
        whenUnsatisfiable: "ScheduleAnyway",
        labelSelector: { matchLabels: { ...tritonPodLabels } },
    }));
}

export interface TritonPodOptions {
    spec: TritonSpec;
    gpuPlacement: Placement;
    /** The claim holding the repository. */
    claimName: k8s.types.input.core.v1.PersistentVolumeClaimVolumeSource["claimName"];
    serviceAccountName: k8s.types.input.core.v1.PodSpec["serviceAccountName"];
    /** Labels of a workload identity (Azure's webhook); never the selector labels. */
    identityPodLabels?: Record<string, string>;
    /** Annotations (the bucket driver's, the mesh's). */
    annotations?: Record<string, string>;
}

/** Triton's pod template. */
export function tritonPodTemplate(o: TritonPodOptions): PodTemplateSpec {
    const s = o.spec;
    const gpu = s.nGpu > 0;
    return {
        metadata: {
            labels: { ...o.identityPodLabels, ...tritonPodLabels },
            ...(o.annotations && Object.keys(o.annotations).length ? { annotations: o.annotations } : {}),
        },
        spec: {
            serviceAccountName: o.serviceAccountName,
            automountServiceAccountToken: false,
            securityContext: {
                runAsNonRoot: true,
                runAsUser: tritonUid,
                runAsGroup: tritonGid,
                fsGroup: tritonGid,
                fsGroupChangePolicy: "OnRootMismatch",
                seccompProfile: { type: "RuntimeDefault" },
            },
            enableServiceLinks: false,
            terminationGracePeriodSeconds: terminationGracePeriodSeconds(s),
            containers: [tritonContainer(s)],
            volumes: [
                { name: "repository", persistentVolumeClaim: { claimName: o.claimName, readOnly: true } },
                { name: "tmp", emptyDir: {} },
                { name: "shm", emptyDir: { medium: "Memory", sizeLimit: "1Gi" } },
                { name: "home", emptyDir: {} },
            ],
            nodeSelector:
                gpu && Object.keys(o.gpuPlacement.nodeSelector).length > 0 ? o.gpuPlacement.nodeSelector : undefined,
            tolerations: gpu && o.gpuPlacement.tolerations.length > 0 ? o.gpuPlacement.tolerations : undefined,
            topologySpreadConstraints: tritonTopologySpread(),
        },
    };
}

/**
 * Rollout: new pod first (maxSurge 1) when the pool has room for one more GPU pod, or when Triton
 * runs a single pod, which would otherwise leave nothing serving: its new pod then waits for a GPU
 * (a node the cluster autoscaler adds, or a new pool's) while the old one serves. Several GPU pods on
 * a full pool go old pod first (maxUnavailable 1): the others serve meanwhile.
 */
export function tritonRolloutStrategy(
    s: Pick<TritonSpec, "nGpu" | "replicas">,
    spareGpuPods: number | undefined,
): k8s.types.input.apps.v1.DeploymentStrategy {
    if (s.nGpu > 0 && s.replicas > 1 && (spareGpuPods === undefined || spareGpuPods < 1))
        return { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } };
    return { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
}

/** Service ports: HTTP/REST, gRPC, metrics (appProtocol tells meshes HTTP/2 for gRPC). */
export function tritonServicePorts(): k8s.types.input.core.v1.ServicePort[] {
    return [
        {
            name: tritonPortNames.http,
            port: tritonPorts.http,
            targetPort: tritonPortNames.http,
            protocol: "TCP",
            appProtocol: "http",
        },
        {
            name: tritonPortNames.grpc,
            port: tritonPorts.grpc,
            targetPort: tritonPortNames.grpc,
            protocol: "TCP",
            appProtocol: "grpc",
        },
        {
            name: tritonPortNames.metrics,
            port: tritonPorts.metrics,
            targetPort: tritonPortNames.metrics,
            protocol: "TCP",
            appProtocol: "http",
        },
    ];
}

/**
 * Ingress: inference (HTTP and gRPC) from anywhere, or only from `inferenceNamespaces` when given;
 * metrics only from this namespace and `metricsNamespaces`.
 */
export function tritonNetworkPolicySpec(
    metricsNamespaces: string[] = [],
    inferenceNamespaces?: string[],
): k8s.types.input.networking.v1.NetworkPolicySpec {
    const tcp = (port: number) => ({ protocol: "TCP", port });
    const byName = (values: string[]) => ({
        namespaceSelector: {
            matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: [...new Set(values)] }],
        },
    });
    const inference = [tcp(tritonPorts.http), tcp(tritonPorts.grpc)];
    return {
        podSelector: { matchLabels: { ...tritonPodLabels } },
        policyTypes: ["Ingress"],
        ingress: [
            inferenceNamespaces === undefined
                ? { ports: inference }
                : { ports: inference, from: [byName(inferenceNamespaces)] },
            {
                ports: [tcp(tritonPorts.metrics)],
                from: [{ podSelector: {} }, ...(metricsNamespaces.length ? [byName(metricsNamespaces)] : [])],
            },
        ],
    };
}
