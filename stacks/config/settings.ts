// The validated, defaulted shape of one stack's configuration. Everything downstream of
// `parseStackConfig` reads these types and never looks at raw Pulumi config again. Sections that
// configure a component are that component's spec plus what only the config needs.
import type { GpuNodePoolSpec, SystemNodePoolSpec } from "../../components/cluster/nodePool";

export const clouds = ["existing", "aws", "azure", "gcp"] as const;
export type Cloud = (typeof clouds)[number];

export const serviceTypes = ["ClusterIP", "LoadBalancer", "NodePort"] as const;
export type ServiceType = (typeof serviceTypes)[number];

/** Where the cluster lives: each cloud provider's own config keys. */
export interface Location {
    /** `aws:region` */
    awsRegion?: string;
    /** `azure-native:location` */
    azureLocation?: string;
    /** `gcp:project` */
    gcpProject?: string;
    /** `gcp:region` */
    gcpRegion?: string;
}

/** `cluster.systemNodePool`: the node-pool model's system pool as is. */
export type SystemNodePoolSettings = SystemNodePoolSpec;

export interface ClusterSettings {
    /** Cluster name, `torchserve-<stack>` by default. */
    name: string;
    /** Pinned Kubernetes minor version, e.g. `1.34`; a per-cloud default when absent. */
    kubernetesVersion?: string;
    systemNodePool: SystemNodePoolSettings;
    /** `existing` only: path to (or contents of) a kubeconfig; absent = ambient kubeconfig. */
    kubeconfig?: string;
    /** `existing` only: kubeconfig context; absent = current context. */
    context?: string;
    /**
     * Protect stateful resources that hold models (file systems, storage) and the cluster itself
     * (GKE deletion protection) from accidental deletion. Default true.
     */
    deletionProtection: boolean;
}

/** `gpuNodePool`: the node-pool model's GPU pool, plus the accelerator type GKE needs. */
export interface GpuNodePoolSettings extends GpuNodePoolSpec {
    /** GKE accelerator type, e.g. `nvidia-tesla-t4`; required on gcp, refused elsewhere (the instance type decides). */
    gpuType?: string;
}

/** One model TorchServe downloads into its model store and loads at start-up. */
export interface ModelSettings {
    /** TorchServe model name (letters, digits, `_`, `-`, `.`; starts with a letter or digit). */
    name: string;
    /** http(s) URL of the `.mar` archive. */
    url: string;
    /** Optional lowercase hex SHA-256 of the archive; a mismatch fails the pod. */
    sha256?: string;
    /** Model version inside the archive (per-model settings are keyed by it). */
    version: string;
    minWorkers: number;
    maxWorkers: number;
    batchSize: number;
    /** Milliseconds. */
    maxBatchDelay: number;
    /** Seconds. */
    responseTimeout: number;
}

/** A second TorchServe Deployment receiving `weight` percent of mesh traffic (requires Istio). */
export interface CanarySettings {
    image: string;
    /** Percent of requests, 0-100. */
    weight: number;
    replicas: number;
}

export interface TorchServeSettings {
    image: string;
    inferencePort: number;
    managementPort: number;
    metricsPort: number;
    grpcInferencePort: number;
    grpcManagementPort: number;
    replicas: number;
    /** Absolute mount path of the model-store volume; `model_store` is `<this>/model-store`. */
    modelStorePath: string;
    /** Kubernetes quantity, e.g. `1Gi`. */
    persistenceSize: string;
    nGpu: number;
    /** CPU cores per pod (may be fractional). */
    nCpu: number;
    memoryLimit: string;
    memoryRequest: string;
    namespace: string;
    models: ModelSettings[];
    /** StorageClass for the model store; absent = the cluster's RWX class (or the default class on `existing`). */
    storageClass?: string;
    /** Access mode of the model store; ReadWriteMany unless a stack says otherwise. */
    storageAccessMode: "ReadWriteMany" | "ReadWriteOnce";
    serviceType: ServiceType;
    /** Turn on TorchServe's model registration (management) API. */
    enableModelApi: boolean;
    jobQueueSize: number;
    canary?: CanarySettings;
}

export interface PrometheusSettings {
    enabled: boolean;
    /** Prometheus TSDB retention, e.g. `15d`. */
    retention: string;
    /** PersistentVolume size for Prometheus. */
    storageSize: string;
    /** Namespace of the monitoring stack. */
    namespace: string;
}

export interface GrafanaSettings {
    enabled: boolean;
    serviceType: ServiceType;
    /** Prometheus URL to use as datasource when `prometheus` is disabled. */
    prometheusUrl?: string;
}

export interface AutoscalingSettings {
    enabled: boolean;
    minReplicas: number;
    maxReplicas: number;
    /** Target mean queue latency per request (ms), from rate() over TorchServe's counters. */
    targetQueueLatencyMs: number;
    /** Scale-down stabilisation window, seconds. */
    scaleDownStabilizationSeconds: number;
}

export interface IstioSettings {
    enabled: boolean;
    gatewayServiceType: ServiceType;
    /** Hosts the Gateway accepts. */
    hosts: string[];
    /** Name of a TLS secret in the gateway namespace; enables HTTPS on 443. */
    tlsCredentialName?: string;
    /** Session-affinity cookie. */
    sessionCookie: { name: string; ttl: string };
    /** Expose the metrics port through the public gateway (off by default). */
    exposeMetrics: boolean;
    /** Expose the management port through the public gateway (off by default). */
    exposeManagement: boolean;
    /** PeerAuthentication STRICT in the TorchServe namespace. */
    strictMtls: boolean;
    /** Require a JWT at the edge for inference. */
    jwt?: { issuer: string; jwksUri: string };
}

export interface Settings {
    project: string;
    stack: string;
    cloud: Cloud;
    location: Location;
    cluster: ClusterSettings;
    /** Absent when the stack has no GPU pool (no `gpuNodePool`, or `maxNodes: 0`). */
    gpuNodePool?: GpuNodePoolSettings;
    torchserve: TorchServeSettings;
    prometheus: PrometheusSettings;
    grafana: GrafanaSettings;
    autoscaling: AutoscalingSettings;
    istio: IstioSettings;
}
