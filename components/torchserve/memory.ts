// JVM heap and message-size limits from the pod's memory limit. Left alone, the JVM takes 25 % of
// the container limit (MaxRAMPercentage), while TorchServe's frontend holds every queued request in
// that heap: `job_queue_size` requests per model, each up to `max_request_size` (what the old fixed
// 64 MiB × a 100-deep queue could reach is 6.4 GiB, far past the heap of a 4 GiB pod). So the heap
// is set explicitly and the message limit is derived from it, so that full queues fit.
import { parseQuantity } from "../cluster/quantity";
import { TorchServeSpec } from "./spec";

const MiB = 2 ** 20;

/**
 * Share of the memory limit given to the JVM heap. The rest is for the Python workers (torch and
 * the model's CPU-side memory) and the JVM outside its heap (metaspace, threads, netty buffers).
 */
export const jvmHeapShare = 0.4;
/** Share of the heap that queued requests may fill; the rest is the frontend's own working set. */
export const queuedRequestsHeapShare = 0.5;
/** Largest request/response accepted even when the heap would allow more (TorchServe's default is 6.5 MB). */
export const maxMessageCapBytes = 64 * MiB;
/** Smallest message limit worth running with; a spec below it is refused (stacks/config). */
export const minMessageBytes = 1 * MiB;
/** Smallest heap the frontend runs with. */
export const minHeapMiB = 256;

/** `-Xmx` in MiB: jvmHeapShare of `memoryLimit`. */
export function jvmHeapMiB(s: Pick<TorchServeSpec, "memoryLimit">): number {
    const limit = parseQuantity(s.memoryLimit);
    if (limit === undefined) throw new Error(`memoryLimit ${s.memoryLimit} is not a Kubernetes quantity`);
    return Math.floor((limit * jvmHeapShare) / MiB);
}

/** Requests the frontend may hold queued at once: the queue of every model. */
export function queuedRequestsMax(s: Pick<TorchServeSpec, "jobQueueSize" | "models">): number {
    return s.jobQueueSize * Math.max(1, s.models.length);
}

/**
 * `max_request_size` and `max_response_size` in bytes: full queues of such requests fill at most
 * queuedRequestsHeapShare of the heap; whole MiB, capped at maxMessageCapBytes.
 */
export function maxMessageBytes(s: Pick<TorchServeSpec, "memoryLimit" | "jobQueueSize" | "models">): number {
    const budget = jvmHeapMiB(s) * MiB * queuedRequestsHeapShare;
    const perRequest = Math.floor(budget / queuedRequestsMax(s) / MiB) * MiB;
    return Math.min(maxMessageCapBytes, perRequest);
}

/** JVM options for the heap: a fixed maximum, and exit (so the kubelet restarts) on OutOfMemoryError. */
export function heapJvmArgs(s: Pick<TorchServeSpec, "memoryLimit">): string[] {
    return [`-Xmx${jvmHeapMiB(s)}m`, "-XX:+ExitOnOutOfMemoryError"];
}
