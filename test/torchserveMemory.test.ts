// JVM heap and message limits derived from the memory limit (components/torchserve/memory.ts), and
// the config refusing what leaves them too small.
import { strict as assert } from "assert";
import { heapJvmArgs, jvmHeapMiB, maxMessageBytes, queuedRequestsMax } from "../components/torchserve/memory";
import { squeezenet, torchServeSpec } from "./support/specs";

const MiB = 2 ** 20;

describe("TorchServe memory sizing (pure)", () => {
    const rows: [string, Partial<Parameters<typeof torchServeSpec>[0]>, number, number][] = [
        // [what, spec fields, -Xmx MiB, max message bytes]
        ["default 4Gi, one model, queue 100", {}, 1638, 8 * MiB],
        ["16Gi: capped at 64 MiB", { memoryLimit: "16Gi", jobQueueSize: 10 }, 6553, 64 * MiB],
        ["two models share the queue budget", { models: [squeezenet, { ...squeezenet, name: "b" }] }, 1638, 4 * MiB],
        ["decimal units", { memoryLimit: "4G" }, 1525, 7 * MiB],
        ["large queue: under 1 MiB rounds to 0 (config refuses it)", { jobQueueSize: 1000 }, 1638, 0],
    ];
    for (const [what, over, heap, bytes] of rows) {
        it(what, () => {
            const s = torchServeSpec(over);
            assert.equal(jvmHeapMiB(s), heap);
            assert.equal(maxMessageBytes(s), bytes);
            // Full queues of the largest requests fit in half the heap.
            assert.ok(queuedRequestsMax(s) * bytes <= (heap * MiB) / 2);
        });
    }

    it("sets -Xmx and exits on OutOfMemoryError so the kubelet restarts the pod", () => {
        assert.deepEqual(heapJvmArgs(torchServeSpec({ memoryLimit: "8Gi" })), [
            "-Xmx3276m",
            "-XX:+ExitOnOutOfMemoryError",
        ]);
    });

    it("throws on a memory limit that is no quantity", () => {
        assert.throws(() => jvmHeapMiB(torchServeSpec({ memoryLimit: "lots" })), /not a Kubernetes quantity/);
    });
});
