// `npm run plan -- --diff`: real plan changes of the example stacks (config overrides evaluated like
// any stack) diffed and rendered, type-token renames through aliases on a stand-in program, and the
// pieces — replacement rules, field paths, Java properties, line diffs — row by row.
import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import { stackConfig } from "../harness/stackFiles";
import { parseArgs } from "../tools/plan/cli";
import { deepEqual, diffPlans, effectsOf, emptyPlan } from "../tools/plan/diff";
import { counts, lineDiff, renderDiffs, renderStackDiff } from "../tools/plan/diffMarkdown";
import { Plan } from "../tools/plan/model";
import { formatPath, parseRulePath, Segment } from "../tools/plan/paths";
import { planProgram, planStack } from "../tools/plan/planner";
import { parseProperties } from "../tools/plan/properties";
import { replacementRules, rulePath } from "../tools/plan/effects";

/** The project-namespace object `key` of a stack file, with `patch` merged in. */
function patched(stack: string, key: string, patch: Record<string, unknown>): Record<string, unknown> {
    return { [key]: { ...(stackConfig(stack)[`torchserve-platform:${key}`] as object), ...patch } };
}

describe("plan diff of real changes to the eks stack", function () {
    this.timeout(60000);
    let lines: string[];
    let text: string;

    before(async () => {
        const base = await planStack("eks");
        const models = (stackConfig("eks")["torchserve-platform:torchserve"] as { models: object[] }).models;
        const changed = await planStack("eks", {
            ...patched("eks", "torchserve", {
                memoryLimit: "14Gi",
                jobQueueSize: 200,
                models: [
                    ...models,
                    // Beside the example's model in its bucket store's directory, with its hash.
                    {
                        name: "resnet-18",
                        url: "s3://my-torchserve-models/serving/resnet-18.mar",
                        sha256: "ab".repeat(32),
                    },
                ],
            }),
            ...patched("eks", "gpuNodePool", { instanceType: "g6.xlarge" }),
        });
        text = renderStackDiff(diffPlans(base, changed)).join("\n");
        lines = text.split("\n");
    });

    const has = (line: string) => assert.ok(lines.includes(line), `missing line:\n${line}\nin:\n${text}`);

    it("a memory limit: the Deployment's container, by name, rolls the pods", () => {
        has("- **update** `kubernetes:apps/v1:Deployment` **torchserve**");
        has(
            "  - `spec.template.spec.containers[torchserve].resources.limits.memory`: `12Gi` → `14Gi` — rolls the pods",
        );
    });

    it("jobQueueSize: one key of config.properties, and the ConfigMap is replaced", () => {
        has("- **replace** `kubernetes:core/v1:ConfigMap` **torchserve-config**");
        has('  - `data["config.properties"].job_queue_size`: `100` → `200` — **forces replacement**');
        assert.ok(
            lines.some((l) =>
                l.startsWith(
                    "  - why: ConfigMaps are replaced unless the Kubernetes provider sets enableConfigMapMutable",
                ),
            ),
            text,
        );
    });

    it("a model added: its entry in the `models` JSON, in the SHA-256 check's list by name, and in the reader's policy", () => {
        has(
            '  - `data["config.properties"].load_models`: `squeezenet1_1=squeezenet1_1.mar` → `squeezenet1_1=squeezenet1_1.mar,resnet-18=resnet-18.mar` — **forces replacement**',
        );
        assert.ok(
            lines.some((l) =>
                l.startsWith(
                    '  - `data["config.properties"].models.resnet-18`: added `{"1.0":{"defaultVersion":true,"marName":"resnet-18.mar"',
                ),
            ),
            text,
        );
        // The example's store is its bucket: no fetch list, the new archive's hash is checked on the mount.
        has(
            `  - \`data["verify-models.json"][resnet-18]\`: added \`{"name":"resnet-18","file":"resnet-18.mar","sha256":"${"ab".repeat(32)}"}\` — **forces replacement**`,
        );
        has(
            '  - `policy.Statement[0].Resource`: `["arn:aws:s3:::my-torchserve-models/serving/squeezenet1_1.mar"]` → `["arn:aws:s3:::my-torchserve-models/serving/resnet-18.mar","arn:aws:s3:::my-torchserve-models/serving/squeezenet1_1.mar"]`',
        );
    });

    it("a GPU instance type: the node group is replaced, with the rule's source", () => {
        has("- **replace** `aws:eks/nodeGroup:NodeGroup` **eks-gpu**");
        has('  - `instanceTypes`: `["g5.xlarge"]` → `["g6.xlarge"]` — **forces replacement**');
        has('  - `labels["k8s.amazonaws.com/accelerator"]`: `nvidia-a10g` → `nvidia-l4`');
        assert.ok(
            lines.some((l) =>
                l.startsWith("  - why: hashicorp/terraform-provider-aws internal/service/eks/node_group.go"),
            ),
        );
    });

    it("counts what changes, under the component that creates it; nothing is created or deleted", () => {
        // Replaced: the node group and the config ConfigMap. Updates: the Deployment, the device plugin
        // and dcgm-exporter following the GPU group by name (blue/green), its autoscaler tag, the reader's policy.
        assert.match(lines[0], /^### `eks`: 2 to replace, 5 to update \(\d+ resources, \d+ unchanged\)$/);
        has("- **update** `kubernetes:helm.sh/v3:Release` **dcgm-exporter**");
        // Headings name the component chain, then the component's type token (whatever it is today).
        assert.ok(
            lines.some((l) => /^#### eks › eks-gpu — `torchserve-platform:[^`]+`$/.test(l)),
            text,
        );
        assert.ok(
            lines.some((l) => /^#### torchserve — `torchserve-platform:[^`]+`$/.test(l)),
            text,
        );
        assert.ok(!/\*\*(create|delete)\*\*/.test(text), text);
    });
});

describe("plan diff of a GKE machine type change", function () {
    this.timeout(60000);
    it("updates the pool in place (GKE recreates its nodes); only accelerators would replace it", async () => {
        const base = await planStack("gke");
        const changed = await planStack("gke", patched("gke", "gpuNodePool", { instanceType: "n1-standard-16" }));
        const text = renderStackDiff(diffPlans(base, changed)).join("\n");
        assert.ok(text.includes("- **update** `gcp:container/nodePool:NodePool` **torchserve-gke-gpu**"), text);
        assert.ok(
            text.includes(
                "  - `nodeConfig.machineType`: `n1-standard-8` → `n1-standard-16` — recreates the pool's nodes",
            ),
            text,
        );
        assert.ok(!text.includes("**replace**"), text);
    });
});

describe("plan diff shows config warnings", function () {
    this.timeout(60000);
    it("a new warning is listed under the stack, marked new", async () => {
        const base = await planStack("dev");
        const changed = await planStack("dev", patched("dev", "torchserve", { replicas: 2 }));
        const added = changed.warnings.filter((w) => !base.warnings.includes(w));
        assert.strictEqual(added.length, 1, "replicas: 2 on an adopted cluster without storageClass warns");
        const d = diffPlans(base, changed);
        const text = renderStackDiff(d).join("\n");
        assert.ok(text.includes("**Config warnings** (Pulumi.dev.yaml):"), text);
        assert.ok(text.includes(`- ${added[0]} _(new)_`), text);
        for (const kept of base.warnings) assert.ok(!text.includes(`- ${kept} _(new)_`), text);
        assert.deepStrictEqual(diffPlans(changed, base).warnings.removed, added);
    });
});

// ------------------------------------------------------------------------------------------------
// Renames through aliases, on a stand-in program (the real program's tokens are not ours to rename).
// ------------------------------------------------------------------------------------------------

class Disk extends pulumi.CustomResource {
    constructor(name: string, opts: pulumi.CustomResourceOptions) {
        super("standin:index:Disk", name, { size: 10 }, opts);
    }
}

class Box extends pulumi.ComponentResource {
    constructor(type: string, name: string, opts?: pulumi.ComponentResourceOptions) {
        super(type, name, {}, opts);
        new Disk(`${name}-disk`, { parent: this });
        this.registerOutputs({});
    }
}

const boxPlan = (type: string, aliases?: pulumi.Input<pulumi.Alias>[]) =>
    planProgram({
        project: "standin",
        stack: "test",
        config: {},
        program: async () => {
            new Box(type, "box", aliases ? { aliases } : {});
            return {};
        },
    });

describe("plan diff of a type token renamed with an alias", function () {
    this.timeout(30000);
    let old: Plan;
    before(async () => {
        old = await boxPlan("standin:old:Box");
    });

    it("shows the component and its child as renamed, not deleted and created", async () => {
        const after = await boxPlan("standin:new:Box", [{ type: "standin:old:Box" }]);
        const d = diffPlans(old, after);
        assert.deepStrictEqual(
            d.resources.map((r) => [r.status, r.previousId, r.id]),
            [
                [
                    "renamed",
                    "standin:old:Box$standin:index:Disk::box-disk",
                    "standin:new:Box$standin:index:Disk::box-disk",
                ],
                ["renamed", "standin:old:Box::box", "standin:new:Box::box"],
            ],
        );
        assert.strictEqual(counts(d), "2 to rename");
        const text = renderStackDiff(d).join("\n");
        assert.ok(
            text.includes(
                "- **rename** `standin:index:Disk` **box-disk** — was `standin:old:Box$standin:index:Disk::box-disk`, kept through its `aliases` (not recreated)",
            ),
            text,
        );
    });

    it("without the alias the same change deletes and creates both", async () => {
        const d = diffPlans(old, await boxPlan("standin:new:Box"));
        assert.deepStrictEqual(d.resources.map((r) => r.status).sort(), ["added", "added", "removed", "removed"]);
        assert.strictEqual(counts(d), "2 to delete, 2 to create");
    });

    it("a renamed component's child keeps a name derived from the parent's (inheritedChildAlias)", async () => {
        const renamed = await planProgram({
            project: "standin",
            stack: "test",
            config: {},
            program: async () => {
                new Box("standin:old:Box", "crate", { aliases: [{ name: "box" }] });
                return {};
            },
        });
        const d = diffPlans(old, renamed);
        assert.deepStrictEqual(
            d.resources.map((r) => [r.status, r.previousId]),
            [
                ["renamed", "standin:old:Box$standin:index:Disk::box-disk"],
                ["renamed", "standin:old:Box::box"],
            ],
        );
    });
});

describe("plan diff of resource options", () => {
    it("shows protect, ignoreChanges and provider changes by name", () => {
        const r = (extra: object) => ({
            id: "t::r",
            type: "standin:index:Thing",
            name: "r",
            custom: true,
            parent: "",
            provider: "default",
            dependencies: [],
            inputs: {},
            ...extra,
        });
        const plan = (res: object): Plan => ({ ...emptyPlan("s"), resources: [r(res)] });
        const d = diffPlans(
            plan({}),
            plan({ options: { protect: true, ignoreChanges: ["a"] }, provider: "pulumi:providers:x::p" }),
        );
        assert.deepStrictEqual(
            renderStackDiff(d).filter((l) => l.startsWith("  - ")),
            [
                "  - `(protect)`: `false` → `true`",
                '  - `(ignoreChanges)`: `[]` → `["a"]`',
                "  - `(provider)`: `default` → `pulumi:providers:x::p`",
            ],
        );
    });
});

describe("plan diff of a renamed provider", () => {
    it("a resource whose provider (or a referenced resource) was renamed has no change of its own", () => {
        const res = (id: string, extra: object = {}) => ({
            id,
            type: id.split("::")[0].split("$").pop()!,
            name: id.split("::")[1],
            custom: true,
            parent: "",
            dependencies: [],
            inputs: {},
            ...extra,
        });
        const before: Plan = {
            ...emptyPlan("s"),
            resources: [
                res("old:index:Cluster$pulumi:providers:kubernetes::k8s"),
                res("x:index:Thing::t", {
                    provider: "old:index:Cluster$pulumi:providers:kubernetes::k8s",
                    inputs: { ref: "old:index:Cluster$pulumi:providers:kubernetes::k8s" },
                }),
            ],
        };
        const after: Plan = {
            ...emptyPlan("s"),
            resources: [
                res("new:index:Cluster$pulumi:providers:kubernetes::k8s", {
                    aliases: ["old:index:Cluster$pulumi:providers:kubernetes::k8s"],
                }),
                res("x:index:Thing::t", {
                    provider: "new:index:Cluster$pulumi:providers:kubernetes::k8s",
                    inputs: { ref: "new:index:Cluster$pulumi:providers:kubernetes::k8s" },
                }),
            ],
        };
        const d = diffPlans(before, after);
        assert.deepStrictEqual(
            d.resources.map((r) => [r.status, r.id, r.fields.length]),
            [["renamed", "new:index:Cluster$pulumi:providers:kubernetes::k8s", 0]],
        );
        // Without the alias the provider is a new one, and the resource's provider changes.
        const noAlias = diffPlans(before, {
            ...after,
            resources: [res("new:index:Cluster$pulumi:providers:kubernetes::k8s"), after.resources[1]],
        });
        assert.deepStrictEqual(
            noAlias.resources.find((r) => r.id === "x:index:Thing::t")!.fields.map((f) => f.path),
            ["ref", "(provider)"],
        );
    });
});

describe("plan diff, whole document", () => {
    it("an unchanged plan has no changes; a new stack is all creates", async () => {
        const plan = await boxPlan("standin:old:Box");
        assert.strictEqual(counts(diffPlans(plan, plan)), "no changes");
        assert.strictEqual(counts(diffPlans(emptyPlan("test"), plan)), "3 to create"); // the stack, the box and its disk
        const doc = renderDiffs([diffPlans(plan, plan)], "`origin/main`");
        assert.ok(
            doc.startsWith("<!-- torchserve-platform:plan-diff -->\n## Plan changes against `origin/main`\n"),
            doc,
        );
    });
});

// ------------------------------------------------------------------------------------------------
// The pieces.
// ------------------------------------------------------------------------------------------------

const segs = (text: string): Segment[] =>
    parseRulePath(text).map((s) => (typeof s === "string" ? { key: s } : { named: "x" }));

describe("replacement rules", () => {
    const rows: [string, string, string[], [string, string]?][] = [
        ["kubernetes:apps/v1:Deployment", "spec.selector.matchLabels.app", ["replace"]],
        ["kubernetes:apps/v1:Deployment", "spec.replicas", []],
        ["kubernetes:apps/v1:Deployment", "spec.template.spec.containers[*].image", ["rolls-pods"]],
        ["kubernetes:apps/v1:Deployment", "metadata.name", ["replace"]],
        ["kubernetes:apps/v1:Deployment", "metadata.labels.app", []],
        ["kubernetes:core/v1:Service", "spec.clusterIP", ["replace"]],
        ["kubernetes:core/v1:Service", "spec.ports", []],
        ["kubernetes:core/v1:PersistentVolumeClaim", "spec.storageClassName", ["replace"]],
        ["kubernetes:core/v1:PersistentVolumeClaim", "spec.accessModes", ["replace"]],
        // Expansion is an in-place update (pulumi-kubernetes leaves spec.resources out of its list).
        ["kubernetes:core/v1:PersistentVolumeClaim", "spec.resources.requests.storage", []],
        // A whole spec added or removed contains the immutable fields (volumeMode: the API refuses it).
        ["kubernetes:core/v1:PersistentVolumeClaim", "spec", ["replace", "rejected"]],
        ["kubernetes:storage.k8s.io/v1:StorageClass", "parameters.skuName", ["replace"]],
        ["kubernetes:storage.k8s.io/v1:StorageClass", "provisioner", ["replace"]],
        ["kubernetes:storage.k8s.io/v1:StorageClass", "reclaimPolicy", ["rejected"]],
        ["kubernetes:storage.k8s.io/v1:StorageClass", "allowVolumeExpansion", []],
        ["kubernetes:core/v1:ConfigMap", "data", ["replace"]],
        // Secrets too, unless the provider sets enableSecretMutable (pulumi-kubernetes diff.go).
        ["kubernetes:core/v1:Secret", "data.password", ["replace"]],
        ["kubernetes:apps/v1:StatefulSet", "spec.revisionHistoryLimit", ["replace"]],
        ["kubernetes:helm.sh/v3:Release", "values.replicas", []],
        ["kubernetes:helm.sh/v3:Release", "name", ["replace"]],
        ["aws:eks/nodeGroup:NodeGroup", "instanceTypes", ["replace"]],
        ["aws:eks/nodeGroup:NodeGroup", "amiType", ["replace"]],
        ["aws:eks/nodeGroup:NodeGroup", "capacityType", ["replace"]],
        ["aws:eks/nodeGroup:NodeGroup", "scalingConfig.maxSize", []],
        ["aws:eks/nodeGroup:NodeGroup", "labels", []],
        ["aws:autoscaling/tag:Tag", "tag.value", []],
        ["aws:autoscaling/tag:Tag", "tag.propagateAtLaunch", []],
        ["aws:autoscaling/tag:Tag", "tag.key", ["replace"]],
        ["gcp:container/nodePool:NodePool", "nodeConfig.guestAccelerators[*].type", ["replace"]],
        ["gcp:container/nodePool:NodePool", "nodeConfig.machineType", ["recreates-nodes"]],
        ["gcp:container/nodePool:NodePool", "autoscaling.totalMaxNodeCount", []],
        ["azure-native:containerservice:AgentPool", "vmSize", ["replace"]],
        ["azure-native:containerservice:AgentPool", "maxCount", []],
        ["azure-native:containerservice:ManagedCluster", "networkProfile.podCidr", ["replace"]],
        ["azure-native:containerservice:ManagedCluster", "networkProfile.networkDataplane", ["replace"]],
        // Refused for some changes only: one minor up is fine, a skip or a downgrade is not.
        ["azure-native:containerservice:ManagedCluster", "kubernetesVersion", [], ["1.34", "1.35"]],
        ["azure-native:containerservice:ManagedCluster", "kubernetesVersion", ["rejected"], ["1.34", "1.36"]],
        ["azure-native:containerservice:ManagedCluster", "agentPoolProfiles[*].vmSize", ["rejected"]],
        ["aws:ec2/vpc:Vpc", "cidrBlock", ["replace"]],
        ["aws:ec2/vpcEndpoint:VpcEndpoint", "serviceName", ["replace"]],
        ["aws:ebs/volume:Volume", "availabilityZone", ["replace"]],
        ["aws:ebs/volume:Volume", "size", ["rejected"], ["50", "40"]],
        ["aws:ebs/volume:Volume", "size", [], ["50", "60"]],
        // A type no rule names.
        ["aws:ec2/flowLog:FlowLog", "logDestination", []],
    ];
    for (const [type, p, effects, change] of rows) {
        it(`${type} ${p}${change ? ` ${change.join(" → ")}` : ""}: ${effects.join(", ") || "in place"}`, () => {
            const [before, after] = change ?? [];
            assert.deepStrictEqual([...new Set(effectsOf(type, segs(p), before, after).map((e) => e.effect))], effects);
        });
    }

    it("every rule cites a source and names a path that parses", () => {
        assert.ok(replacementRules.length > 100);
        for (const r of replacementRules) {
            assert.ok(r.source.length > 10, JSON.stringify(r));
            assert.ok(r.type && r.path, JSON.stringify(r));
            rulePath(r.path);
        }
    });
});

describe("field paths", () => {
    const rows: [Segment[], string][] = [
        [
            [{ key: "spec" }, { key: "containers" }, { named: "torchserve" }, { key: "image" }],
            "spec.containers[torchserve].image",
        ],
        [
            [{ key: "data" }, { key: "config.properties" }, { key: "job_queue_size" }],
            'data["config.properties"].job_queue_size',
        ],
        [[{ key: "labels" }, { key: "torchserve.pytorch.org/pool" }], 'labels["torchserve.pytorch.org/pool"]'],
        [[{ key: "subnetIds" }, { index: 0 }], "subnetIds[0]"],
        [[{ key: "(protect)" }], "(protect)"],
        // An element named like an index is quoted, so the two cannot be confused.
        [[{ key: "ports" }, { named: "8080" }], 'ports["8080"]'],
    ];
    for (const [segments, text] of rows) {
        it(text, () => assert.strictEqual(formatPath(segments), text));
    }
    for (const bad of ["", ".a", "a..b", "a[0]", "a[*"]) {
        it(`rule path ${JSON.stringify(bad)} is refused`, () => assert.throws(() => parseRulePath(bad)));
    }
});

describe("Java properties (java.util.Properties#load)", () => {
    const rows: [string, string, Record<string, string>][] = [
        ["key=value lines", "a=1\nb=2\n", { a: "1", b: "2" }],
        ["comments and blank lines", "# c\n! c\n\n  a=1", { a: "1" }],
        ["`:` and whitespace separators", "a:1\nb 2\nc = 3", { a: "1", b: "2", c: "3" }],
        ["a continued line", "a=1,\\\n    2", { a: "1,2" }],
        ["an escaped backslash does not continue", "a=x\\\\\nb=2", { a: "x\\", b: "2" }],
        ["escapes in keys and values", "a\\=b=c\\td\\u0041", { "a=b": "c\tdA" }],
        ["the last of a repeated key", "a=1\na=2", { a: "2" }],
        ["an empty value", "a=\nb", { a: "", b: "" }],
    ];
    for (const [what, text, expected] of rows) {
        it(what, () => assert.deepStrictEqual(Object.fromEntries(parseProperties(text)), expected));
    }
});

describe("line diff of multi-line values", () => {
    it("lists removed and added lines only", () => {
        assert.deepStrictEqual(lineDiff("a\nb\nc\nd", "a\nB\nc\nd\ne"), ["+ B", "- b", "+ e"]);
    });
    it("is cut after the limit", () => {
        const out = lineDiff("", Array.from({ length: 50 }, (_, i) => `l${i}`).join("\n"), 5);
        assert.strictEqual(out.length, 6);
        assert.strictEqual(out[5], "… 46 more changed lines");
    });
});

describe("value comparison", () => {
    it("ignores key order and undefined keys, not array order", () => {
        assert.ok(deepEqual({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1, c: undefined }));
        assert.ok(!deepEqual([1, 2], [2, 1]));
        assert.ok(!deepEqual({ a: 1 }, { a: "1" }));
    });
});

describe("plan CLI arguments", () => {
    const rows: [string[], string | object][] = [
        [["--diff"], { diff: true, stacks: [] }],
        [["--diff", "--base", "origin/main", "eks"], { diff: true, base: "origin/main", stacks: ["eks"] }],
        [["--diff", "--base=HEAD^", "--output", "out.md"], { diff: true, base: "HEAD^", output: "out.md" }],
        [["--diff", "--base"], "--base needs a value"],
        [["--base", "main"], "--base and --output go with --diff"],
        [["--diff", "--manifests", "out"], "--manifests writes files; --diff writes none: run them separately"],
        [["--frobnicate"], "unknown option --frobnicate"],
    ];
    for (const [argv, expected] of rows) {
        it(argv.join(" "), () => {
            const got = parseArgs(argv);
            if (typeof expected === "string") assert.strictEqual(got, expected);
            else {
                assert.ok(typeof got === "object", String(got));
                for (const [k, v] of Object.entries(expected)) assert.deepStrictEqual((got as any)[k], v, k);
            }
        });
    }
});
