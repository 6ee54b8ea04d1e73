// Pure builders for the TorchServe pods and Deployments: everything here is computed from the
// spec, so it can be checked without a cluster.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Placement } from "../cluster/target";
import { configMountDir, cpuQuantity, modelStoreDir, torchserveCommand } from "./config";
import { drainConfigFile, drainScriptFile, terminationGracePeriodSeconds } from "./drain";
import { readinessModelsFile, readinessScriptFile, startupBudgetSeconds } from "./readiness";
import { fetchModelsFile, fetchScriptFile } from "./fetchModels";
import { usesBucket, verifyEntries, verifyModelsFile, verifyScriptFile } from "./modelBucket";
import { modelServerGid, modelServerUid, podLabels, portNames, trackLabel, tracks } from "./conventions";
import { TorchServeSpec } from "./spec";

type PodTemplateSpec = k8s.types.input.core.v1.PodTemplateSpec;
type Container = k8s.types.input.core.v1.Container;
type DeploymentStrategy = k8s.types.input.apps.v1.DeploymentStrategy;

export type Track = keyof typeof tracks;

/** Where the fetcher's ConfigMap (script + models.json) is mounted in the init container. */
export const fetchMountDir = "/etc/torchserve-fetch";

/**
 * Where the TorchServe container may write, its root file system being read-only: the image's TEMP
 * (pytorch/serve v0.12.0 docker/Dockerfile `ENV TEMP=/home/model-server/tmp`), which ts/model_server.py
 * passes to the JVM as java.io.tmpdir (the unpacked model archives, ZipUtils.createTempDir; the
 * workers' Unix sockets, Connector; the JVM's hsperfdata) and where Python's tempfile puts the
 * server's PID file (`.model_server.pid`, read again by `torchserve --stop`); and /tmp, the
 * fallback of both for an image without TEMP. Nothing else is written: logs go to stdout
 * (logging.ts replaces the image's file appenders), config snapshots are off
 * (`--no-config-snapshots`), and only model registration writes the model store, which is mounted
 * writable exactly then.
 */
export const serverTempDirs = { serverTmp: "/home/model-server/tmp", tmp: "/tmp" } as const;

/** Paths the pod mounts for itself: a model store at or around one of them would clash. */
export const reservedMountPaths = [configMountDir, fetchMountDir];

/** Pod-template annotations whose values change when a mounted file changes. */
export const configChecksumAnnotation = "torchserve.pytorch.org/config-checksum";
export const fetchChecksumAnnotation = "torchserve.pytorch.org/model-fetch-checksum";

/** Startup and readiness probes run the readiness check this often. */
export const startupProbePeriodSeconds = 10;
/** The preStop command: the drain script (drain.ts) with the image's python3. */
export function drainCommand(): string[] {
    return ["python3", `${configMountDir}/${drainScriptFile}`, `${configMountDir}/${drainConfigFile}`];
}

/** The exec command of the readiness check (readiness.ts), run with the image's python3. */
export function readinessCommand(): string[] {
    return ["python3", `${configMountDir}/${readinessScriptFile}`, `${configMountDir}/${readinessModelsFile}`];
}

/** Labels of one track's pods: the shared podLabels (the Service selects on them) plus the track. */
export function trackLabels(track: Track): Record<string, string> {
    return { ...podLabels, [trackLabel]: tracks[track] };
}

/** The five container ports, named from conventions so Services and monitors can use the names. */
export function containerPorts(s: TorchServeSpec): k8s.types.input.core.v1.ContainerPort[] {
    return [
        { name: portNames.inference, containerPort: s.inferencePort, protocol: "TCP" },
        { name: portNames.management, containerPort: s.managementPort, protocol: "TCP" },
        { name: portNames.metrics, containerPort: s.metricsPort, protocol: "TCP" },
        { name: portNames.grpcInference, containerPort: s.grpcInferencePort, protocol: "TCP" },
        { name: portNames.grpcManagement, containerPort: s.grpcManagementPort, protocol: "TCP" },
    ];
}

/** Container resources; the GPU is requested only when the pod needs one. */
export function resources(s: TorchServeSpec): k8s.types.input.core.v1.ResourceRequirements {
    const gpu: Record<string, string> = s.nGpu > 0 ? { "nvidia.com/gpu": String(s.nGpu) } : {};
    return {
        requests: {
            cpu: cpuQuantity(s.nCpu),
            memory: s.memoryRequest,
            "ephemeral-storage": s.ephemeralStorage,
            ...gpu,
        },
        limits: { cpu: cpuQuantity(s.nCpu), memory: s.memoryLimit, "ephemeral-storage": s.ephemeralStorage, ...gpu },
    };
}

const containerSecurityContext: k8s.types.input.core.v1.SecurityContext = {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
};

/** Names of the objects a pod mounts (outputs, so the pods wait for them). */
export interface PodVolumes {
    configMapName: pulumi.Input<string>;
    /** The fetcher's ConfigMap; absent with a bucket store (nothing to download). */
    fetchConfigMapName?: pulumi.Input<string>;
    modelStoreClaimName: pulumi.Input<string>;
}

export interface PodTemplateOptions {
    spec: TorchServeSpec;
    /** Image of this track (stable: spec.image; canary: canary.image). */
    image: string;
    track: Track;
    /** GPU pool placement; used only when spec.nGpu > 0. */
    gpuPlacement: Placement;
    volumes: PodVolumes;
    /** Pod-template annotations (config checksums). */
    annotations: Record<string, pulumi.Input<string>>;
    /**
     * The namespace injects the Istio sidecar: the pods say so (`sidecar.istio.io/inject: "true"`),
     * so turning the mesh on or off changes the template and rolls them (injection happens only when
     * a pod is created).
     */
    meshInjection?: boolean;
    /** The store arrives root-owned and fsGroup is not applied: hand it to the server's user first. */
    modelStoreNeedsOwnership?: boolean;
    /** The pods' ServiceAccount (carries the workload identity for object-store models). */
    serviceAccountName?: pulumi.Input<string>;
    /** Pod annotations the bucket store's CSI driver needs (ModelBucketVolume, mesh ones included). */
    bucketAnnotations?: Record<string, string>;
    /** Workload-identity pod labels and fetcher environment (TorchServeArgs.identity). */
    identity?: { podLabels?: Record<string, string>; fetchEnv?: Record<string, pulumi.Input<string>> };
}

/**
 * Root init step for stores whose CSI driver ignores fsGroup (NFS-backed, e.g. Filestore): gives the
 * mount and the model store to the server's uid/gid, group-writable with setgid so files the fetcher
 * creates stay in the group. Only the capabilities that needs; everything else runs non-root.
 */
export function prepareModelStoreContainer(s: TorchServeSpec, image: string): Container {
    const ids = `${modelServerUid}:${modelServerGid}`;
    const dirs = `${s.modelStorePath} ${modelStoreDir(s)}`;
    return {
        name: "prepare-model-store",
        image,
        command: ["/bin/sh", "-c", `mkdir -p ${modelStoreDir(s)} && chown ${ids} ${dirs} && chmod 2775 ${dirs}`],
        resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "64Mi" } },
        securityContext: {
            runAsUser: 0,
            runAsGroup: 0,
            runAsNonRoot: false,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"], add: ["CHOWN", "FOWNER", "DAC_OVERRIDE"] },
        },
        terminationMessagePolicy: "FallbackToLogsOnError",
        volumeMounts: [{ name: "model-store", mountPath: s.modelStorePath }],
    };
}

/**
 * The init container that fills the model store (see fetchModels.ts). It runs as the pod's uid (the
 * server's), never as Istio's proxy uid 1337: traffic of that uid bypasses the sidecar's capture, and
 * so the mesh's egress control. With native sidecars (components/mesh/charts.ts) the proxy is
 * started and ready before this container, so its downloads go through it.
 */
export function fetchModelsContainer(
    s: TorchServeSpec,
    image: string,
    env: Record<string, pulumi.Input<string>> = {},
): Container {
    const vars = Object.entries(env).map(([name, value]) => ({ name, value }));
    return {
        name: "fetch-models",
        image,
        ...(vars.length > 0 ? { env: vars } : {}),
        command: [
            "python3",
            `${fetchMountDir}/${fetchScriptFile}`,
            `${fetchMountDir}/${fetchModelsFile}`,
            modelStoreDir(s),
        ],
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
        securityContext: containerSecurityContext,
        // `kubectl describe pod` then shows the script's failure line.
        terminationMessagePolicy: "FallbackToLogsOnError",
        volumeMounts: [
            { name: "model-store", mountPath: s.modelStorePath },
            { name: "model-fetch", mountPath: fetchMountDir, readOnly: true },
        ],
    };
}

/**
 * The init container that checks the archives' SHA-256 on a mounted bucket (modelBucket.ts): the
 * bucket store has no download step that could. Reads only the mount; run from the config ConfigMap.
 */
export function verifyModelsContainer(s: TorchServeSpec, image: string): Container {
    return {
        name: "verify-models",
        image,
        command: [
            "python3",
            `${configMountDir}/${verifyScriptFile}`,
            `${configMountDir}/${verifyModelsFile}`,
            modelStoreDir(s),
        ],
        resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { memory: "256Mi" } },
        securityContext: containerSecurityContext,
        terminationMessagePolicy: "FallbackToLogsOnError",
        volumeMounts: [
            { name: "config", mountPath: configMountDir, readOnly: true },
            { name: "model-store", mountPath: modelStoreDir(s), readOnly: true },
        ],
    };
}

/** The TorchServe container. */
export function torchserveContainer(s: TorchServeSpec, image: string): Container {
    const ping = { path: "/ping", port: portNames.inference, scheme: "HTTP" };
    // Ready = every model has minWorkers READY workers (readiness.ts); /ping says only that the
    // frontend runs, which is what liveness needs.
    const modelsLoaded = { exec: { command: readinessCommand() } };
    return {
        name: "torchserve",
        image,
        command: torchserveCommand(s),
        ports: containerPorts(s),
        resources: resources(s),
        securityContext: { ...containerSecurityContext, readOnlyRootFilesystem: true },
        terminationMessagePolicy: "FallbackToLogsOnError",
        volumeMounts: [
            { name: "config", mountPath: configMountDir, readOnly: true },
            { name: "server-tmp", mountPath: serverTempDirs.serverTmp },
            { name: "tmp", mountPath: serverTempDirs.tmp },
            // The server only reads archives from the store (it unpacks them under java.io.tmpdir:
            // pytorch/serve v0.12.0 ModelArchive.downloadModel → ZipUtils.unzip); only model
            // registration writes there. The fetcher, a container of its own, still writes.
            // A bucket store is the archives' directory itself, mounted at model_store and never written.
            usesBucket(s)
                ? { name: "model-store", mountPath: modelStoreDir(s), readOnly: true }
                : s.enableModelApi
                  ? { name: "model-store", mountPath: s.modelStorePath }
                  : { name: "model-store", mountPath: s.modelStorePath, readOnly: true },
        ],
        // Liveness starts only once the models are loaded, so a slow load is not restarted early.
        startupProbe: {
            ...modelsLoaded,
            periodSeconds: startupProbePeriodSeconds,
            timeoutSeconds: 5,
            failureThreshold: Math.ceil(startupBudgetSeconds(s) / startupProbePeriodSeconds),
        },
        readinessProbe: { ...modelsLoaded, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 2 },
        // Generous: a pod busy on a long batch should not be restarted for a slow ping.
        livenessProbe: { httpGet: ping, periodSeconds: 20, timeoutSeconds: 10, failureThreshold: 6 },
        lifecycle: {
            // Keep serving while endpoints drop the pod, wait for in-flight requests, then stop the
            // Java server (drain.ts; the python wrapper is PID 1 and ignores SIGTERM, and the JVM's
            // own SIGTERM handling closes client connections mid-request).
            preStop: { exec: { command: drainCommand() } },
        },
    };
}

/** Spread pods across nodes and zones when the scheduler can; never block scheduling on it. */
export function topologySpread(track: Track): k8s.types.input.core.v1.TopologySpreadConstraint[] {
    return ["kubernetes.io/hostname", "topology.kubernetes.io/zone"].map((topologyKey) => ({
        maxSkew: 1,
        topologyKey,
        whenUnsatisfiable: "ScheduleAnyway",
        labelSelector: { matchLabels: trackLabels(track) },
    }));
}

/** The pod template of one track. */
export function podTemplate(o: PodTemplateOptions): PodTemplateSpec {
    const s = o.spec;
    const gpu = s.nGpu > 0;
    const bucket = usesBucket(s);
    // A bucket store downloads nothing: its archives are checked where they are, when there are hashes.
    const initContainers = bucket
        ? verifyEntries(s).length > 0
            ? [verifyModelsContainer(s, o.image)]
            : []
        : [
              ...(o.modelStoreNeedsOwnership ? [prepareModelStoreContainer(s, o.image)] : []),
              fetchModelsContainer(s, o.image, o.identity?.fetchEnv),
          ];
    return {
        // Identity labels first: they can never replace the labels Services select on.
        metadata: {
            labels: {
                ...o.identity?.podLabels,
                ...(o.meshInjection ? { "sidecar.istio.io/inject": "true" } : {}),
                ...trackLabels(o.track),
            },
            annotations: { ...o.bucketAnnotations, ...o.annotations },
        },
        spec: {
            serviceAccountName: o.serviceAccountName,
            // Workload identity needs no API token: EKS Pod Identity and the Azure webhook project
            // their own audience-bound tokens; GKE's metadata server needs none.
            automountServiceAccountToken: false,
            securityContext: {
                runAsNonRoot: true,
                runAsUser: modelServerUid,
                runAsGroup: modelServerGid,
                fsGroup: modelServerGid,
                // Skip the recursive chown of a large model store when it already fits.
                fsGroupChangePolicy: "OnRootMismatch",
                seccompProfile: { type: "RuntimeDefault" },
            },
            // The Service is called `torchserve`; its TORCHSERVE_* link variables are noise here.
            enableServiceLinks: false,
            terminationGracePeriodSeconds: terminationGracePeriodSeconds(s),
            initContainers: initContainers.length > 0 ? initContainers : undefined,
            containers: [torchserveContainer(s, o.image)],
            volumes: [
                { name: "config", configMap: { name: o.volumes.configMapName } },
                // Node disk, each at most the container's ephemeral-storage (the kubelet evicts the
                // pod when its volumes and writable layers together pass the sum of its limits).
                { name: "server-tmp", emptyDir: { sizeLimit: s.ephemeralStorage } },
                { name: "tmp", emptyDir: { sizeLimit: s.ephemeralStorage } },
                ...(o.volumes.fetchConfigMapName
                    ? [{ name: "model-fetch", configMap: { name: o.volumes.fetchConfigMapName } }]
                    : []),
                {
                    name: "model-store",
                    persistentVolumeClaim: bucket
                        ? { claimName: o.volumes.modelStoreClaimName, readOnly: true }
                        : { claimName: o.volumes.modelStoreClaimName },
                },
            ],
            nodeSelector:
                gpu && Object.keys(o.gpuPlacement.nodeSelector).length > 0 ? o.gpuPlacement.nodeSelector : undefined,
            tolerations: gpu && o.gpuPlacement.tolerations.length > 0 ? o.gpuPlacement.tolerations : undefined,
            topologySpreadConstraints: topologySpread(o.track),
        },
    };
}

/** Inputs of the rollout decision. */
export interface RolloutInputs {
    spec: TorchServeSpec;
    /** Most stable replicas there will be (autoscaling's maxReplicas when autoscaled). */
    maxReplicas: number;
    /** TorchServe GPU pods the GPU pool can hold at most (GPUs, CPU and memory counted); undefined = unknown. */
    gpuPodCapacity?: number;
}

/**
 * RollingUpdate that cannot deadlock: a surge pod needs a GPU and (with ReadWriteOnce) the volume
 * the old pod holds, so when either may be unavailable the old pod goes first (maxSurge 0).
 */
export function rolloutStrategy(r: RolloutInputs): DeploymentStrategy {
    const s = r.spec;
    const noSurge = { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } };
    // A bucket store is ReadOnlyMany whatever storageAccessMode says.
    if (s.storageAccessMode === "ReadWriteOnce" && !usesBucket(s)) return noSurge;
    if (s.nGpu > 0) {
        // Both tracks' pods share the pool, whichever Deployment is rolling.
        const podsDuringSurge = r.maxReplicas + (s.canary?.replicas ?? 0) + 1;
        if (r.gpuPodCapacity === undefined || podsDuringSurge > r.gpuPodCapacity) return noSurge;
    }
    return { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
}

/** Deployment progress deadline: longer than the startup budget plus a GPU node scale-up. */
export function progressDeadlineSeconds(s: Pick<TorchServeSpec, "models">): number {
    return startupBudgetSeconds(s) + 600;
}
