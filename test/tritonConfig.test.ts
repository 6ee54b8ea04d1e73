// Table-driven tests of the `triton` section and its preflight (stacks/config/sections/triton.ts,
// stacks/config/triton.ts): pure, no Pulumi runtime.
import * as assert from "assert";
import { parseStackConfig } from "../stacks/config/parse";
import { RawStackConfig } from "../stacks/config/read";
import { errorsOf } from "./support/configErrors";
import { mostBeside, tritonSpareGpuPods } from "../stacks/config/triton";
import { repositoryClaimName } from "../components/triton/repository";
import { parseRepository } from "../stacks/config/tritonRepository";
import { tritonReleaseOf, tritonReleases } from "../components/triton/releases";

const P = "torchserve-platform";

function raw(values: Record<string, unknown>, location: RawStackConfig["location"] = {}): RawStackConfig {
    if (values.cloud !== "existing")
        values = { ...values, cluster: { apiAllowedCidrs: ["203.0.113.0/24"], ...(values.cluster as object) } };
    const allKeys = Object.keys(values).map((k) => `${P}:${k}`);
    return { project: P, stack: "t", values, location, allKeys, secretKeys: [] };
}

const gpuTorchserve = {
    image: "pytorch/torchserve:0.12.0-gpu",
    nGpu: 1,
    nCpu: 2,
    memoryRequest: "4Gi",
    memoryLimit: "8Gi",
};
const repo = "gs://my-models/triton";
/** A gcp stack like the gke example: n1-standard-8 + one T4 per node, two nodes at most. */
const gcp = (extra: Record<string, unknown> = {}, pool: Record<string, unknown> = {}) =>
    raw(
        {
            cloud: "gcp",
            gpuNodePool: { instanceType: "n1-standard-8", gpuType: "nvidia-tesla-t4", maxNodes: 2, ...pool },
            torchserve: { ...gpuTorchserve, persistenceSize: "1Ti" },
            triton: { enabled: true, modelRepository: repo },
            ...extra,
        },
        { gcpProject: "my-project", gcpRegion: "us-central1" },
    );
const existing = (extra: Record<string, unknown> = {}) =>
    raw({
        cloud: "existing",
        torchserve: { image: "pytorch/torchserve:0.12.0-cpu", nGpu: 0 },
        triton: { enabled: true, modelRepository: "pvc://models/triton", nGpu: 0 },
        ...extra,
    });

describe("triton config: valid stacks", () => {
    it("is off by default, and TorchServe on", () => {
        const { settings } = parseStackConfig(
            raw({ cloud: "existing", torchserve: { nGpu: 0, image: "pytorch/torchserve:0.12.0-cpu" } }),
        );
        assert.strictEqual(settings.triton.enabled, false);
        assert.strictEqual(settings.torchserve.enabled, true);
    });

    it("applies the contract's defaults and shares TorchServe's namespace", () => {
        const { settings } = parseStackConfig(gcp());
        const t = settings.triton;
        assert.deepStrictEqual(
            [t.enabled, t.nGpu, t.replicas, t.image, t.namespace, t.models],
            [true, 1, 1, "nvcr.io/nvidia/tritonserver:25.10-py3", "torchserve", []],
        );
        assert.deepStrictEqual(
            [t.repository.bucket, t.repository.directory, t.repository.subPath],
            ["my-models", "triton", ""],
        );
    });

    it("reads a claim on existing, and model names", () => {
        const { settings } = parseStackConfig(
            existing({
                triton: { enabled: true, modelRepository: "pvc://models/repo/", nGpu: 0, models: ["resnet50", "bert"] },
            }),
        );
        assert.deepStrictEqual(
            [settings.triton.repository.claimName, settings.triton.repository.subPath, settings.triton.models],
            ["models", "repo", ["resnet50", "bert"]],
        );
    });

    it("serves with Triton alone when torchserve.enabled is false", () => {
        const r = gcp({ torchserve: { ...gpuTorchserve, persistenceSize: "1Ti", enabled: false } });
        assert.deepStrictEqual(errorsOf(r), []);
    });

    // The gke example's shape: TorchServe's one pod and Triton's one pod, one per T4 node of two.
    it("fits one TorchServe and one Triton pod on two one-GPU nodes", () => {
        assert.deepStrictEqual(errorsOf(gcp()), []);
    });
});

/** [name, config, key the one line names, words it says]. */
const refused: [string, RawStackConfig, string, string][] = [
    ["no repository", gcp({ triton: true }), "triton.modelRepository", "required"],
    [
        "repository of another cloud",
        gcp({ triton: { enabled: true, modelRepository: "s3://my-models/x" } }),
        "triton.modelRepository",
        "this stack's cloud is gcp",
    ],
    [
        "claim on a cloud stack",
        gcp({ triton: { enabled: true, modelRepository: "pvc://models/x" } }),
        "triton.modelRepository",
        "a claim is for cloud: existing",
    ],
    [
        "bucket on existing",
        existing({ triton: { enabled: true, modelRepository: "gs://my-models/x", nGpu: 0 } }),
        "triton.modelRepository",
        "pvc://<claim>/<dir>",
    ],
    [
        "not yet mounted on aws",
        raw(
            {
                cloud: "aws",
                gpuNodePool: { instanceType: "g5.xlarge" },
                torchserve: gpuTorchserve,
                triton: { enabled: true, modelRepository: "s3://my-models/x" },
            },
            { awsRegion: "us-west-2" },
        ),
        "triton.modelRepository",
        "not yet mounted on cloud: aws",
    ],
    [
        "a bad scheme",
        gcp({ triton: { enabled: true, modelRepository: "ftp://x/y" } }),
        "triton.modelRepository",
        "expected s3://",
    ],
    [
        "a directory with '..'",
        gcp({ triton: { enabled: true, modelRepository: "gs://my-models/a/../b" } }),
        "triton.modelRepository",
        "'..'",
    ],
    [
        "a duplicate model",
        gcp({ triton: { enabled: true, modelRepository: repo, models: ["a", "a"] } }),
        "triton.models[1]",
        "unique",
    ],
    [
        "a bad model name",
        gcp({ triton: { enabled: true, modelRepository: repo, models: ["../x"] } }),
        "triton.models[0]",
        "model name",
    ],
    [
        "an unpinned image",
        gcp({ triton: { enabled: true, modelRepository: repo, image: "nvcr.io/nvidia/tritonserver:latest" } }),
        "triton.image",
        "pinned",
    ],
    [
        "an unknown key",
        gcp({ triton: { enabled: true, modelRepository: repo, nGPU: 1 } }),
        "triton.nGPU",
        'did you mean "nGpu"',
    ],
    [
        "more GPUs than a node has",
        gcp({ triton: { enabled: true, modelRepository: repo, nGpu: 2 } }),
        "triton.nGpu",
        "more GPUs than one node has",
    ],
    [
        "no GPU pool",
        raw(
            {
                cloud: "gcp",
                torchserve: { image: "pytorch/torchserve:0.12.0-cpu", nGpu: 0, persistenceSize: "1Ti" },
                triton: { enabled: true, modelRepository: repo },
            },
            { gcpProject: "p", gcpRegion: "us-central1" },
        ),
        "triton.nGpu",
        "no GPU node pool",
    ],
    [
        "both servers beyond the pool",
        gcp({ triton: { enabled: true, modelRepository: repo, replicas: 2 } }),
        "triton.replicas",
        "at most 1 Triton pod(s) beside them",
    ],
    [
        "more CPU than a node gives",
        gcp({ triton: { enabled: true, modelRepository: repo, nCpu: 8 } }),
        "triton.nCpu",
        "n1-standard-8 node can give",
    ],
    [
        "request above limit",
        gcp({ triton: { enabled: true, modelRepository: repo, memoryRequest: "9Gi", memoryLimit: "8Gi" } }),
        "triton.memoryRequest",
        "must not exceed memoryLimit",
    ],
    [
        "a GPU older than the image supports",
        gcp({}, { gpuType: "nvidia-tesla-v100" }),
        "triton.image",
        "compute capability 7.5 and later",
    ],
    [
        "torchserve off with nothing else",
        raw({ cloud: "existing", torchserve: { enabled: false, nGpu: 0, image: "pytorch/torchserve:0.12.0-cpu" } }),
        "torchserve.enabled",
        "nothing would serve",
    ],
    [
        "torchserve off with prometheus",
        existing({ torchserve: { enabled: false, nGpu: 0, image: "pytorch/torchserve:0.12.0-cpu" }, prometheus: true }),
        "torchserve.enabled",
        "not yet supported with prometheus",
    ],
    ["triton with istio", existing({ istio: true }), "triton", "with istio is not yet supported"],
    [
        "triton with autoscaling",
        existing({ prometheus: true, autoscaling: { enabled: true, minReplicas: 1, maxReplicas: 2 } }),
        "triton",
        "with autoscaling is not yet supported",
    ],
];

describe("triton config: refusals name the key, one line each", () => {
    for (const [name, config, key, words] of refused) {
        it(name, () => {
            const errors = errorsOf(config);
            const line = errors.find((e) => e.startsWith(`${P}:${key}:`));
            assert.ok(line, `no line for ${key} among:\n${errors.join("\n")}`);
            assert.ok(line.includes(words), line);
            assert.ok(!line.includes("\n"));
        });
    }
});

describe("triton config: pure parts", () => {
    it("parses repository URLs of each store, and claims", () => {
        assert.deepStrictEqual(parseRepository("gs://bkt/dir/sub/"), {
            kind: "bucket",
            store: "gcs",
            bucket: "bkt",
            directory: "dir/sub",
        });
        assert.deepStrictEqual(parseRepository("s3://my-bucket"), {
            kind: "bucket",
            store: "s3",
            bucket: "my-bucket",
            directory: "",
        });
        assert.deepStrictEqual(parseRepository("https://acct.blob.core.windows.net/models/triton"), {
            kind: "bucket",
            store: "azureBlob",
            account: "acct",
            bucket: "models",
            directory: "triton",
        });
        assert.deepStrictEqual(parseRepository("pvc://models"), { kind: "claim", claimName: "models", subPath: "" });
        assert.ok("error" in parseRepository("gs://bkt//x"));
    });

    it("names a new claim for a new repository", () => {
        const a = repositoryClaimName({ store: "gcs", bucket: "b", directory: "x" });
        assert.notStrictEqual(a, repositoryClaimName({ store: "gcs", bucket: "b", directory: "y" }));
        assert.ok(a.length <= 63 && /^triton-repository-[0-9a-f]{8}$/.test(a));
    });

    it("reads the release of a tag, and knows the default's", () => {
        assert.strictEqual(tritonReleaseOf("nvcr.io/nvidia/tritonserver:25.10-py3"), "25.10");
        assert.strictEqual(tritonReleaseOf("nvcr.io/nvidia/tritonserver@sha256:" + "a".repeat(64)), undefined);
        assert.strictEqual(tritonReleases["25.10"].minComputeCapability, 7.5);
    });

    it("counts the GPU pods left for a rollout beside TorchServe's", () => {
        assert.equal(tritonSpareGpuPods(parseStackConfig(gcp()).settings), 0);
        assert.equal(tritonSpareGpuPods(parseStackConfig(gcp({}, { maxNodes: 3 })).settings), 1);
    });

    it("packs two kinds of pods exactly", () => {
        const node = { gpus: 4, cpu: 10, memoryBytes: 100 };
        const ts = { count: 2, gpus: 1, cpu: 4, memoryBytes: 10 };
        const tr = { count: 9, gpus: 1, cpu: 1, memoryBytes: 10 };
        // Two nodes: TorchServe's 2 pods take 8 CPUs; GPUs left 6, CPUs 12 → 6 Triton pods.
        assert.strictEqual(mostBeside(ts, tr, node, 2), 6);
        // TorchServe alone does not fit: not Triton's to report.
        assert.strictEqual(mostBeside({ ...ts, count: 9 }, tr, node, 1), -1);
        assert.strictEqual(mostBeside({ ...ts, count: 0 }, tr, node, 2), 8);
    });
});
