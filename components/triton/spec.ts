// What Triton is asked to run: the image, where its model repository is, which models it loads, and
// its resources. The stack's `triton` config is exactly this (stacks/config composes it); the
// component and its pure builders read nothing else.

/**
 * Where the model repository is, as the pod mounts it: the directory of a bucket the cluster mounts
 * read-only with the pods' workload identity (cloud stacks), or a claim of the user's (`existing`).
 */
export interface TritonRepositorySpec {
    /** The repository as written in config (`gs://bucket/prefix`, `pvc://claim/path`): shown, never parsed again. */
    url: string;
    /**
     * The bucket or container holding the repository (cloud stacks); absent = `claimName` names a
     * claim that already exists.
     */
    bucket?: string;
    /** Directory of the repository inside the bucket, no leading or trailing `/` ("" = the bucket's root). */
    directory?: string;
    /** An existing claim holding the repository (`existing`); absent = the bucket's claim. */
    claimName?: string;
    /** Directory of the repository inside the claim's volume ("" = its root). */
    subPath?: string;
}

/** NVIDIA Triton Inference Server beside (or instead of) TorchServe. */
export interface TritonSpec {
    /** Pinned image `nvcr.io/nvidia/tritonserver:<yy.mm>-py3` (or a digest). */
    image: string;
    /** Where the model repository is. */
    repository: TritonRepositorySpec;
    /**
     * Models loaded at start-up (`--model-control-mode=explicit --load-model=<name>`); empty = every
     * model in the repository (`--load-model=*`).
     */
    models: string[];
    /** Replicas of the Deployment (0 parks it). */
    replicas: number;
    /** GPUs per pod (0 = CPU only). */
    nGpu: number;
    /** CPU cores per pod (may be fractional). */
    nCpu: number;
    /** Memory request per pod (Kubernetes quantity). */
    memoryRequest: string;
    /** Memory limit per pod (Kubernetes quantity). */
    memoryLimit: string;
    /** Ephemeral storage per pod, requested and limited (Kubernetes quantity): /tmp and the backends' caches. */
    ephemeralStorage: string;
    /** Namespace of the pods: TorchServe's when it runs (reused), Triton's own otherwise. */
    namespace: string;
    /**
     * Seconds Triton waits for in-flight requests after SIGTERM (`--exit-timeout-secs`): at least the
     * longest request. @default 30
     */
    exitTimeoutSeconds: number;
    /**
     * Seconds one model may take to load; the startup budget is this times the models loaded (at
     * least one). @default 300
     */
    modelLoadSeconds: number;
}
