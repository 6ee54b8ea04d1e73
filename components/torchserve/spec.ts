// What TorchServe is asked to run: the server's ports and resources, its models, the model store
// and an optional canary. The stack's `torchserve` config is exactly this (stacks/config composes
// it); the component and its pure builders read nothing else.
import { ServiceType } from "../cluster/kubernetes";

/** Access mode of the model-store volume. */
export const StorageAccessMode = { ReadWriteMany: "ReadWriteMany", ReadWriteOnce: "ReadWriteOnce" } as const;
export type StorageAccessMode = (typeof StorageAccessMode)[keyof typeof StorageAccessMode];

/**
 * What holds the model archives: a shared file system the init container downloads them into
 * (EFS, Azure Files, Filestore, or a class of your own), or the models' bucket itself, mounted
 * read-only through the cloud's CSI driver (no download step).
 */
export const ModelStore = { FileShare: "fileShare", Bucket: "bucket" } as const;
export type ModelStore = (typeof ModelStore)[keyof typeof ModelStore];

/** One model TorchServe downloads into its model store and loads at start-up. */
export interface ModelSpec {
    /** TorchServe model name (letters, digits, `_`, `-`, `.`; starts with a letter or digit). */
    name: string;
    /**
     * URL of the `.mar` archive: http(s), or an object the pod reads with its workload identity
     * (`s3://`, `gs://`, `https://<account>.blob.core.windows.net/…`; see objectUrl.ts).
     */
    url: string;
    /** Lowercase hex SHA-256 of the archive; a mismatch fails the pod (required on cloud stacks unless opted out). */
    sha256?: string;
    /**
     * Model version inside the archive (its MANIFEST's `modelVersion`). TorchServe keys the per-model
     * settings below by archive name and this version; a mismatch silently falls back to defaults,
     * so readiness asks for the model at exactly this version and names a mismatch.
     */
    version: string;
    /** Workers TorchServe starts for the model; readiness waits for this many READY (≥ 1: TorchServe reads ≤ 0 as unset). */
    minWorkers: number;
    /** Workers TorchServe may scale the model to. */
    maxWorkers: number;
    /** Requests batched into one inference call. */
    batchSize: number;
    /** Milliseconds a batch waits to fill. */
    maxBatchDelay: number;
    /** Seconds before a request times out. */
    responseTimeout: number;
    /**
     * Seconds a worker may take to load the model before TorchServe kills and retries it
     * (`startupTimeout`; TorchServe's own default is 120). The pod's startup budget follows it.
     */
    startupTimeout: number;
}

/** How TorchServe's pods present a workload identity the cluster already has (adopted clusters). */
export interface ServiceAccountSpec {
    /** Annotations of the `torchserve` ServiceAccount (e.g. `iam.gke.io/gcp-service-account`, `azure.workload.identity/client-id`). */
    annotations: Record<string, string>;
    /** Labels of the pods (e.g. `azure.workload.identity/use: "true"`). */
    podLabels: Record<string, string>;
}

/** A second TorchServe Deployment receiving `weight` percent of mesh traffic (requires Istio). */
export interface CanarySpec {
    /** Image of the canary pods. */
    image: string;
    /** Percent of requests, 0-100. */
    weight: number;
    /** Replicas of the canary Deployment. */
    replicas: number;
}

/** The TorchServe server, its models and its model store. */
export interface TorchServeSpec {
    /** Pinned TorchServe image (tag other than latest, or digest). */
    image: string;
    /** REST inference port. */
    inferencePort: number;
    /** REST management port. */
    managementPort: number;
    /** Prometheus metrics port. */
    metricsPort: number;
    /** gRPC inference port. */
    grpcInferencePort: number;
    /** gRPC management port. */
    grpcManagementPort: number;
    /** Replicas of the stable Deployment (KEDA's to decide when autoscaled; 0 parks it). */
    replicas: number;
    /** Absolute mount path of the model-store volume; `model_store` is `<this>/model-store`. */
    modelStorePath: string;
    /**
     * What holds the archives. With `bucket`, every model URL is an object in one directory of one
     * bucket, mounted read-only at `model_store` (TorchServeArgs.modelBucket). @default fileShare
     */
    modelStore?: ModelStore;
    /** Kubernetes quantity, e.g. `1Gi`. */
    persistenceSize: string;
    /** GPUs per pod (0 = CPU only). */
    nGpu: number;
    /** CPU cores per pod (may be fractional). */
    nCpu: number;
    /** Memory limit per pod (Kubernetes quantity). */
    memoryLimit: string;
    /** Memory request per pod (Kubernetes quantity). */
    memoryRequest: string;
    /** Namespace TorchServe gets to itself (created and deleted with it). */
    namespace: string;
    /** Models fetched into the store and loaded at start-up. */
    models: ModelSpec[];
    /** StorageClass for the model store; absent = the cluster's RWX class (or the default class on `existing`). */
    storageClass?: string;
    /** Access mode of the model store; ReadWriteMany unless a stack says otherwise. */
    storageAccessMode: StorageAccessMode;
    /** Type of the inference-only public Service (none for ClusterIP). */
    serviceType: ServiceType;
    /**
     * Source CIDRs the public Service accepts when it is a LoadBalancer (`loadBalancerSourceRanges`).
     * Absent = open to all.
     */
    loadBalancerSourceRanges?: string[];
    /**
     * Turn on TorchServe's model registration (management) API; the model store is then mounted
     * writable and `allowed_urls` limits registration to the configured models' origins.
     */
    enableModelApi: boolean;
    /** Requests TorchServe queues per model before refusing. */
    jobQueueSize: number;
    /**
     * An identity the user already has, for object-store model URLs on adopted clusters (cloud
     * stacks create their own and pass it as TorchServeArgs.identity). Absent = none.
     */
    serviceAccount?: ServiceAccountSpec;
    /** ARN of the KMS key the S3 model objects are encrypted with (SSE-KMS): the identity may decrypt with it. */
    kmsKeyArn?: string;
    /** Resource group of the storage accounts Azure Blob model URLs name (cloud: azure). */
    storageResourceGroup?: string;
    /**
     * Ephemeral storage per pod, requested and limited (Kubernetes quantity). TorchServe unpacks
     * every model archive under the container's temp directory (ZipUtils, java.io.tmpdir), so this
     * must hold the unpacked models.
     */
    ephemeralStorage: string;
    /** Optional canary Deployment. */
    canary?: CanarySpec;
}
