// Where each GKE accelerator is offered (components/gke/acceleratorZones.ts): a well-formed table,
// used as the GPU pool's node locations, and the config warnings around it.
import * as assert from "assert";
import { acceleratorZones, acceleratorZoneTableProblems, zonesOffering } from "../components/gke/acceleratorZones";
import { gpuNodePoolArgs } from "../components/gke/pools";
import { gkeGpuNodePool } from "../stacks/gcp";
import { parseStackConfig } from "../stacks/config/parse";
import { GpuNodePoolSettings } from "../stacks/config/settings";

describe("GKE accelerator zones table", () => {
    it("has no malformed row, and covers the common accelerators", () => {
        assert.deepStrictEqual(acceleratorZoneTableProblems(acceleratorZones), []);
        for (const accelerator of [
            "nvidia-tesla-t4",
            "nvidia-l4",
            "nvidia-tesla-a100",
            "nvidia-a100-80gb",
            "nvidia-h100-80gb",
            "nvidia-tesla-v100",
            "nvidia-tesla-p4",
        ])
            assert.ok(Object.keys(acceleratorZones[accelerator] ?? {}).length > 0, accelerator);
        // The README's prerequisites: T4s in us-central1-a, -b, -c and -f.
        assert.deepStrictEqual(zonesOffering("nvidia-tesla-t4", "us-central1"), [
            "us-central1-a",
            "us-central1-b",
            "us-central1-c",
            "us-central1-f",
        ]);
        assert.strictEqual(zonesOffering("nvidia-tesla-t4", "us-south1"), undefined);
    });

    const rows: [string, Record<string, Record<string, string[]>>, RegExp | undefined][] = [
        ["zones of their region", { "nvidia-l4": { "us-east1": ["us-east1-b", "us-east1-c"] } }, undefined],
        [
            "a zone of another region",
            { "nvidia-l4": { "us-central1": ["us-central1-a", "us-east1-b"] } },
            /us-east1-b is not a zone of us-central1/,
        ],
        [
            "a longer region's zone with the same prefix",
            { "nvidia-l4": { "us-east1": ["us-east10-a"] } },
            /us-east10-a is not a zone of us-east1/,
        ],
        [
            "a region name, not a zone",
            { "nvidia-l4": { "us-east1": ["us-east1"] } },
            /us-east1 is not a zone of us-east1/,
        ],
        ["no zones", { "nvidia-l4": { "us-east1": [] } }, /us-east1: no zones/],
        ["a zone twice", { "nvidia-l4": { "us-east1": ["us-east1-b", "us-east1-b"] } }, /listed twice/],
    ];
    for (const [name, table, refused] of rows)
        it(`${refused ? "refuses" : "accepts"} a row with ${name}`, () => {
            const problems = acceleratorZoneTableProblems(table);
            if (!refused) assert.deepStrictEqual(problems, []);
            else
                assert.ok(
                    problems.some((p) => refused.test(p)),
                    problems.join("\n"),
                );
        });
});

describe("GKE GPU pool node locations", () => {
    const pool: GpuNodePoolSettings = {
        instanceType: "g2-standard-8",
        gpuType: "nvidia-l4",
        gpusPerNode: 1,
        minNodes: 0,
        maxNodes: 3,
        spot: false,
        diskSizeGb: 100,
        upgrade: { maxSurge: 1, maxUnavailable: 0 },
    };
    /** The nodes' service account. */
    const nodes = "c-nodes@p.iam.gserviceaccount.com";
    it("come from the table where the accelerator is known", () => {
        const args = gpuNodePoolArgs(gkeGpuNodePool(pool, "us-central1"), nodes);
        assert.deepStrictEqual(args.nodeLocations, ["us-central1-a", "us-central1-b", "us-central1-c"]);
        const h100 = gpuNodePoolArgs(
            gkeGpuNodePool({ ...pool, instanceType: "a3-highgpu-8g", gpuType: "nvidia-h100-80gb" }, "europe-west4"),
            nodes,
        );
        assert.deepStrictEqual(h100.nodeLocations, ["europe-west4-b", "europe-west4-c"]);
    });
    it("are the stack's zones when set, and left to GKE where the table does not know", () => {
        const set = gpuNodePoolArgs(gkeGpuNodePool({ ...pool, zones: ["us-central1-b"] }, "us-central1"), nodes);
        assert.deepStrictEqual(set.nodeLocations, ["us-central1-b"]);
        const unknown = gpuNodePoolArgs(gkeGpuNodePool(pool, "us-south1"), nodes);
        assert.strictEqual(unknown.nodeLocations, undefined);
    });
});

describe("config: GPU zones against the table", () => {
    const P = "torchserve-platform";
    const gcp = (region: string, gpuNodePool: Record<string, unknown>) => ({
        project: P,
        stack: "dev",
        values: {
            cloud: "gcp",
            cluster: { apiAllowedCidrs: ["203.0.113.0/24"] },
            gpuNodePool,
            torchserve: {
                image: "pytorch/torchserve:0.12.0-gpu",
                nGpu: 1,
                nCpu: 2,
                memoryRequest: "4Gi",
                memoryLimit: "8Gi",
                persistenceSize: "1Ti",
            },
        },
        location: { gcpProject: "my-project", gcpRegion: region },
        allKeys: [`${P}:cloud`, `${P}:cluster`, `${P}:gpuNodePool`, `${P}:torchserve`, "gcp:project", "gcp:region"],
        secretKeys: [],
    });
    const zoneWarnings = (r: ReturnType<typeof gcp>) =>
        parseStackConfig(r).warnings.filter((w) => w.startsWith(`${P}:gpuNodePool.zones`));
    const l4 = { instanceType: "g2-standard-8", gpuType: "nvidia-l4" };
    const cases: [string, ReturnType<typeof gcp>, RegExp | undefined][] = [
        ["L4 in us-central1, zones from the table", gcp("us-central1", l4), undefined],
        ["L4 in us-south1, not in the table", gcp("us-south1", l4), /is not known to this program/],
        [
            "L4 zones set to offering zones",
            gcp("us-central1", { ...l4, zones: ["us-central1-a", "us-central1-c"] }),
            undefined,
        ],
        [
            "L4 zones set to one the table lacks",
            gcp("us-central1", { ...l4, zones: ["us-central1-a", "us-central1-f"] }),
            /us-central1-f: not listed as offering nvidia-l4/,
        ],
    ];
    for (const [name, raw, warned] of cases)
        it(`${warned ? "warns" : "is quiet"}: ${name}`, () => {
            const warnings = zoneWarnings(raw);
            if (!warned) assert.deepStrictEqual(warnings, []);
            else
                assert.ok(
                    warnings.some((w) => warned.test(w)),
                    warnings.join("\n"),
                );
        });
});
