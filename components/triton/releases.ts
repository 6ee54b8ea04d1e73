// What each Triton release the program knows needs of the GPU: its CUDA version and the lowest
// compute capability it supports, from NVIDIA's release notes ("Driver Requirements", "GPU
// Requirements"). A release not listed here skips the compute-capability check with a warning.

/** One release of the `nvcr.io/nvidia/tritonserver` container. */
export interface TritonRelease {
    /** CUDA the container is built on. */
    cuda: string;
    /** Lowest CUDA compute capability the release supports. */
    minComputeCapability: number;
    /** The release notes that say so. */
    source: string;
}

const notes = (tag: string) =>
    `https://docs.nvidia.com/deeplearning/triton-inference-server/release-notes/rel-${tag.replace(".", "-")}.html`;

/** Releases by `<yy.mm>`. */
export const tritonReleases: Record<string, TritonRelease> = {
    // "Release 25.03 is based on CUDA 12.8.1.012 ... supports CUDA compute capability 7.5 and later."
    "25.03": { cuda: "12.8.1", minComputeCapability: 7.5, source: notes("25.03") },
    // "Release 25.08 is based on CUDA 13.0.0.044 ... supports CUDA compute capability 7.5 and later."
    "25.08": { cuda: "13.0.0", minComputeCapability: 7.5, source: notes("25.08") },
    // "Release 25.10 is based on CUDA 13.0.2.006 which requires NVIDIA Driver release 575 or later"
    // (data center GPUs: R535 from 535.86 and R545 from 545.23 too); "supports CUDA compute
    // capability 7.5 and later" (Turing, Ampere, Hopper, Ada Lovelace, Blackwell).
    "25.10": { cuda: "13.0.2", minComputeCapability: 7.5, source: notes("25.10") },
};

export const defaultTritonRelease = "25.10";
export const tritonImageRepository = "nvcr.io/nvidia/tritonserver";
export const defaultTritonImage = `${tritonImageRepository}:${defaultTritonRelease}-py3`;

/** The `<yy.mm>` release a tag names (`25.10-py3`, `25.10-py3-min`), or undefined (a digest, another tag). */
export function tritonReleaseOf(image: string): string | undefined {
    if (image.includes("@")) return undefined;
    const tag = /:([^/:]+)$/.exec(image)?.[1];
    return tag ? /^(\d{2}\.\d{2})(?:-|$)/.exec(tag)?.[1] : undefined;
}
