// Runs one cloud's createCluster (stacks/<cloud>.ts) on its own under mocks, recording what a
// reviewer of `pulumi up` cares about besides inputs: which resources are protected, which fields
// are left to the cloud (ignoreChanges), and what the program asked the cloud (invokes).
import * as pulumi from "@pulumi/pulumi";
import { Settings } from "../stacks/config/settings";
import type { ClusterTarget } from "../components/cluster/target";
import { cloudComputed } from "./cloudComputed";
import { cloudCall } from "./cloudMocks";
import { evaluate, Evaluation, EvaluateOptions } from "./evaluate";
import { projectName } from "./stackFiles";

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
    /** Update-mode outputs. @default cloudComputed (cloudComputed.ts) */
    computed?: EvaluateOptions["computed"];
    /** Invoke results. @default cloudCall(config) (cloudMocks.ts) */
    call?: EvaluateOptions["call"];
}

/**
 * Runs `createCluster(settings)` as a stack program under mocks. `settings` may be a function, to
 * build them inside the run (reading pulumi.Config needs the mocked runtime).
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
