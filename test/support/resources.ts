// Finding what an evaluation registered, and running one cloud's createCluster (stacks/<cloud>.ts)
// on its own under mocks, recording what a reviewer of `pulumi up` cares about besides inputs:
// which resources are protected, which fields are left to the cloud (ignoreChanges), and what the
// program asked the cloud (invokes).
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig } from "../../stacks/config/parse";
import { readRawConfig } from "../../stacks/config/read";
import { Settings } from "../../stacks/config/settings";
import { cloudCall } from "../../tools/cloudMocks";
import { evaluate, Evaluation, EvaluateOptions, RegisteredResource, UNKNOWN } from "../../tools/evaluate";
import { projectName, projectRoot } from "../../tools/stackFiles";
import { cloudComputed } from "./cloudComputed";
import type { ClusterTarget, Toleration } from "../../components/cluster/target";

/** Every registered resource of `type`. */
export function all(ev: Evaluation, type: string): RegisteredResource[] {
    return ev.resources.filter((r) => r.type === type);
}

/** The one resource of `type` (and logical `name`, when given); fails if there are none or several. */
export function one(ev: Evaluation, type: string, name?: string): RegisteredResource {
    const found = all(ev, type).filter((r) => name === undefined || r.name === name);
    assert.strictEqual(
        found.length,
        1,
        `expected one ${type} ${name ?? ""}, found ${found.map((r) => r.name).join(", ") || "none"}`,
    );
    return found[0];
}

/** The id the update mocks give a resource (tools/evaluate.ts), i.e. what references to it resolve to. */
export const idOf = (r: RegisteredResource): string => `${r.name}-id`;

/** An output's value (UNKNOWN where a preview cannot know it) and whether it is a secret. */
export async function inspect<T>(o: pulumi.Output<T>): Promise<{ value: T | typeof UNKNOWN; secret: boolean }> {
    const value = await (o as any).promise(true);
    return { value: pulumi.isUnknown(value) ? UNKNOWN : value, secret: await pulumi.isSecret(o) };
}

/** A node taint in Kubernetes terms (effect spelt NoSchedule, not NO_SCHEDULE). */
export interface Taint {
    key: string;
    value: string;
    effect: string;
}

/** Whether pod toleration `t` tolerates `taint`: same key and effect, and Exists or the same value. */
export function tolerates(t: Toleration, taint: Taint): boolean {
    if (t.key !== taint.key || t.effect !== taint.effect) return false;
    return t.operator === "Exists" || t.value === taint.value;
}

/** Settings through the real config path: pulumi.Config → parser (defaults, validation). Call inside a run. */
export function fromStackFile(): Settings {
    return parseStackConfig(readRawConfig()).settings;
}

export interface ClusterRun {
    /** What was registered; stack outputs `kubeconfig` and `clusterName` are the target's. */
    ev: Evaluation;
    target: ClusterTarget;
    /** Types of the resources registered with `protect`. */
    protectedTypes: string[];
    /** `ignoreChanges` per resource type. */
    ignored: Record<string, string[]>;
    /** Every invoke, in order, with its arguments. */
    invokes: { token: string; inputs: any }[];
}

export interface ClusterRunOptions {
    /** Stack name the mocks run under. */
    stack: string;
    /** Flat Pulumi config (`namespace:key` → value): the cloud provider's region/project. */
    config: Record<string, unknown>;
    preview: boolean;
    /** Update-mode outputs; default test/support/cloudComputed.ts. */
    computed?: EvaluateOptions["computed"];
    /** Invoke results; default tools/cloudMocks.ts `cloudCall(config)`. */
    call?: EvaluateOptions["call"];
}

/**
 * Runs `createCluster(settings)` as a stack program under mocks. `settings` may be a function, to
 * build them inside the run (fromStackFile reads pulumi.Config, which needs the mocked runtime).
 */
export async function runCluster(
    createCluster: (settings: Settings) => ClusterTarget,
    settings: Settings | (() => Settings),
    opts: ClusterRunOptions,
): Promise<ClusterRun> {
    let target: ClusterTarget | undefined;
    const protectedTypes: string[] = [];
    const ignored: Record<string, string[]> = {};
    const invokes: ClusterRun["invokes"] = [];
    const call = opts.call ?? cloudCall(opts.config);
    const ev = await evaluate(
        {
            project: projectName,
            stack: opts.stack,
            config: opts.config,
            preview: opts.preview,
            computed: opts.computed ?? cloudComputed,
            call: (args) => {
                invokes.push({ token: args.token, inputs: args.inputs });
                return call(args);
            },
        },
        async () => {
            pulumi.runtime.registerStackTransformation((a) => {
                if (a.opts.protect) protectedTypes.push(a.type);
                if (a.opts.ignoreChanges) ignored[a.type] = a.opts.ignoreChanges;
                return undefined;
            });
            target = createCluster(typeof settings === "function" ? settings() : settings);
            return { kubeconfig: target.kubeconfig, clusterName: target.name };
        },
    );
    return { ev, target: target!, protectedTypes, ignored, invokes };
}

/**
 * Files in require.cache (with / separators) after requiring `module` (relative to the project
 * root) in a fresh Node process: what loading it costs, apart from this test process.
 */
export function modulesLoadedBy(module: string): string[] {
    const script = `require(${JSON.stringify(module)}); console.log(JSON.stringify(Object.keys(require.cache).map((k) => k.split(require("path").sep).join("/"))));`;
    const out = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
        cwd: projectRoot,
        encoding: "utf8",
        maxBuffer: 64 << 20,
    });
    assert.strictEqual(out.status, 0, out.stderr);
    return JSON.parse(out.stdout.trim().split("\n").pop()!);
}

/** The files of npm package `name` (e.g. "@pulumi/gcp") among `modules`. */
export function packageFiles(modules: string[], name: string): string[] {
    return modules.filter((m) => m.includes(`/node_modules/${name}/`));
}
