// Node shapes of common GPU (and a few non-GPU) instance types, for preflight capacity checks.
// vCPU and memory are the VM's; allocatable capacity is estimated from them (see capacity.ts).
// Sources: AWS EC2 accelerated-computing instance pages, Azure NC-series pages, GCE GPU machine
// types. Unknown types skip the checks with a warning.
import { Cloud } from "./settings";

export interface InstanceShape {
    vcpu: number;
    memoryGiB: number;
    /** GPUs built into the VM; 0 for non-GPU types. GKE N1 types take attached GPUs instead. */
    gpus: number;
    gpuModel?: string;
}

type Catalog = Record<string, InstanceShape>;

export const awsInstances: Catalog = {
    "g4dn.xlarge": { vcpu: 4, memoryGiB: 16, gpus: 1, gpuModel: "NVIDIA T4" },
    "g4dn.2xlarge": { vcpu: 8, memoryGiB: 32, gpus: 1, gpuModel: "NVIDIA T4" },
    "g4dn.12xlarge": { vcpu: 48, memoryGiB: 192, gpus: 4, gpuModel: "NVIDIA T4" },
    "g5.xlarge": { vcpu: 4, memoryGiB: 16, gpus: 1, gpuModel: "NVIDIA A10G" },
    "g5.2xlarge": { vcpu: 8, memoryGiB: 32, gpus: 1, gpuModel: "NVIDIA A10G" },
    "g5.4xlarge": { vcpu: 16, memoryGiB: 64, gpus: 1, gpuModel: "NVIDIA A10G" },
    "g5.12xlarge": { vcpu: 48, memoryGiB: 192, gpus: 4, gpuModel: "NVIDIA A10G" },
    "g5.48xlarge": { vcpu: 192, memoryGiB: 768, gpus: 8, gpuModel: "NVIDIA A10G" },
    "g6.xlarge": { vcpu: 4, memoryGiB: 16, gpus: 1, gpuModel: "NVIDIA L4" },
    "g6.2xlarge": { vcpu: 8, memoryGiB: 32, gpus: 1, gpuModel: "NVIDIA L4" },
    "g6.12xlarge": { vcpu: 48, memoryGiB: 192, gpus: 4, gpuModel: "NVIDIA L4" },
    "p3.2xlarge": { vcpu: 8, memoryGiB: 61, gpus: 1, gpuModel: "NVIDIA V100" },
    "p4d.24xlarge": { vcpu: 96, memoryGiB: 1152, gpus: 8, gpuModel: "NVIDIA A100 40GB" },
    "p5.48xlarge": { vcpu: 192, memoryGiB: 2048, gpus: 8, gpuModel: "NVIDIA H100" },
    "m5.large": { vcpu: 2, memoryGiB: 8, gpus: 0 },
    "m5.xlarge": { vcpu: 4, memoryGiB: 16, gpus: 0 },
    "m6i.large": { vcpu: 2, memoryGiB: 8, gpus: 0 },
    "m6i.xlarge": { vcpu: 4, memoryGiB: 16, gpus: 0 },
    "c5.xlarge": { vcpu: 4, memoryGiB: 8, gpus: 0 },
    "t3.large": { vcpu: 2, memoryGiB: 8, gpus: 0 },
};

export const azureInstances: Catalog = {
    Standard_NC4as_T4_v3: { vcpu: 4, memoryGiB: 28, gpus: 1, gpuModel: "NVIDIA T4" },
    Standard_NC8as_T4_v3: { vcpu: 8, memoryGiB: 56, gpus: 1, gpuModel: "NVIDIA T4" },
    Standard_NC16as_T4_v3: { vcpu: 16, memoryGiB: 110, gpus: 1, gpuModel: "NVIDIA T4" },
    Standard_NC64as_T4_v3: { vcpu: 64, memoryGiB: 440, gpus: 4, gpuModel: "NVIDIA T4" },
    Standard_NC6s_v3: { vcpu: 6, memoryGiB: 112, gpus: 1, gpuModel: "NVIDIA V100" },
    Standard_NC12s_v3: { vcpu: 12, memoryGiB: 224, gpus: 2, gpuModel: "NVIDIA V100" },
    Standard_NC24s_v3: { vcpu: 24, memoryGiB: 448, gpus: 4, gpuModel: "NVIDIA V100" },
    Standard_NC24ads_A100_v4: { vcpu: 24, memoryGiB: 220, gpus: 1, gpuModel: "NVIDIA A100 80GB" },
    Standard_NC48ads_A100_v4: { vcpu: 48, memoryGiB: 440, gpus: 2, gpuModel: "NVIDIA A100 80GB" },
    Standard_NV36ads_A10_v5: { vcpu: 36, memoryGiB: 440, gpus: 1, gpuModel: "NVIDIA A10" },
    Standard_D2s_v5: { vcpu: 2, memoryGiB: 8, gpus: 0 },
    Standard_D4s_v5: { vcpu: 4, memoryGiB: 16, gpus: 0 },
    Standard_D8s_v5: { vcpu: 8, memoryGiB: 32, gpus: 0 },
    Standard_DS2_v2: { vcpu: 2, memoryGiB: 7, gpus: 0 },
};

/** GCE machine types. N1 types carry no GPU of their own: GPUs are attached (`gpuType`, `gpusPerNode`). */
export const gcpMachines: Catalog = {
    "n1-standard-4": { vcpu: 4, memoryGiB: 15, gpus: 0 },
    "n1-standard-8": { vcpu: 8, memoryGiB: 30, gpus: 0 },
    "n1-standard-16": { vcpu: 16, memoryGiB: 60, gpus: 0 },
    "n1-highmem-8": { vcpu: 8, memoryGiB: 52, gpus: 0 },
    "g2-standard-4": { vcpu: 4, memoryGiB: 16, gpus: 1, gpuModel: "nvidia-l4" },
    "g2-standard-8": { vcpu: 8, memoryGiB: 32, gpus: 1, gpuModel: "nvidia-l4" },
    "g2-standard-24": { vcpu: 24, memoryGiB: 96, gpus: 2, gpuModel: "nvidia-l4" },
    "a2-highgpu-1g": { vcpu: 12, memoryGiB: 85, gpus: 1, gpuModel: "nvidia-tesla-a100" },
    "a2-highgpu-2g": { vcpu: 24, memoryGiB: 170, gpus: 2, gpuModel: "nvidia-tesla-a100" },
    "a2-ultragpu-1g": { vcpu: 12, memoryGiB: 170, gpus: 1, gpuModel: "nvidia-a100-80gb" },
    "a3-highgpu-8g": { vcpu: 208, memoryGiB: 1872, gpus: 8, gpuModel: "nvidia-h100-80gb" },
    "e2-standard-4": { vcpu: 4, memoryGiB: 16, gpus: 0 },
    "e2-standard-8": { vcpu: 8, memoryGiB: 32, gpus: 0 },
};

/** GPUs that can be attached to N1 machines, with the counts GCE allows per VM. */
export const n1AttachableGpus: Record<string, number[]> = {
    "nvidia-tesla-t4": [1, 2, 4],
    "nvidia-tesla-v100": [1, 2, 4, 8],
    "nvidia-tesla-p4": [1, 2, 4],
    "nvidia-tesla-p100": [1, 2, 4],
};

export const catalogs: Record<Exclude<Cloud, "existing">, Catalog> = {
    aws: awsInstances,
    azure: azureInstances,
    gcp: gcpMachines,
};

/** The cloud whose catalog knows `instanceType`, if any (to catch a type from the wrong cloud). */
export function cloudOfInstanceType(instanceType: string): Exclude<Cloud, "existing"> | undefined {
    for (const [cloud, catalog] of Object.entries(catalogs)) {
        if (instanceType in catalog) return cloud as Exclude<Cloud, "existing">;
    }
    return undefined;
}

/**
 * CUDA compute capability of the GPU models above (the catalogs' `gpuModel`, GKE's accelerator
 * names), from NVIDIA's table https://developer.nvidia.com/cuda-gpus: what a container's minimum
 * (components/triton/releases.ts) is compared with.
 */
export const computeCapability: Record<string, number> = {
    "NVIDIA T4": 7.5,
    "NVIDIA A10G": 8.6,
    "NVIDIA A10": 8.6,
    "NVIDIA L4": 8.9,
    "NVIDIA V100": 7.0,
    "NVIDIA A100 40GB": 8.0,
    "NVIDIA A100 80GB": 8.0,
    "NVIDIA H100": 9.0,
    "nvidia-tesla-t4": 7.5,
    "nvidia-tesla-v100": 7.0,
    "nvidia-tesla-p4": 6.1,
    "nvidia-tesla-p100": 6.0,
    "nvidia-l4": 8.9,
    "nvidia-tesla-a100": 8.0,
    "nvidia-a100-80gb": 8.0,
    "nvidia-h100-80gb": 9.0,
};
