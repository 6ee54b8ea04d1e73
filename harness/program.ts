// The one way to evaluate a stack: the whole program (stacks/program.ts main, exactly what index.ts
// exports) with an example stack's Pulumi.<stack>.yaml config, under mocks that answer as the clouds
// would (cloudMocks.ts, cloudComputed.ts). Used by the tests and by `npm run plan`.
import * as pulumi from "@pulumi/pulumi";
import { cloudComputed } from "./cloudComputed";
import { cloudCall } from "./cloudMocks";
import { evaluate, EvaluateOptions, Evaluation } from "./evaluate";
import { projectName, readStackFile, stackConfig } from "./stackFiles";

export interface RunOptions {
    /** Example stack whose Pulumi.<stack>.yaml supplies the base config. */
    stack: string;
    /** Keys in the project namespace to replace (`torchserve` → whole object); `ns:key` for others. */
    override?: Record<string, unknown>;
    /** The flat config to start from instead of Pulumi.<stack>.yaml's (e.g. the stack file at another commit). */
    config?: Record<string, unknown>;
    preview: boolean;
    /** Config keys set as secrets. */
    secretKeys?: string[];
    /** Update-mode outputs of cloud resources. @default cloudComputed (cloudComputed.ts) */
    computed?: EvaluateOptions["computed"];
    /** Invoke results. @default cloudCall(config) (cloudMocks.ts) */
    call?: EvaluateOptions["call"];
    /** Resources whose outputs stay unknown, as a preview of their creation has them (EvaluateOptions.pending). */
    pending?: EvaluateOptions["pending"];
    /** The program to run, e.g. the compiled bin/index.js. @default stacks/program.ts main */
    program?: () => Promise<unknown>;
}

/** The flat config (`namespace:key` → value) of an example stack, with `override` applied. */
export function configFor(
    stack: string,
    override: Record<string, unknown> = {},
    base?: Record<string, unknown>,
): Record<string, unknown> {
    const config = base ? { ...base } : stackConfig(stack);
    for (const [k, v] of Object.entries(override)) config[k.includes(":") ? k : `${projectName}:${k}`] = v;
    return config;
}

/**
 * Evaluations of the default program with default mocks, by options: several test files evaluate the
 * same example stack, and each evaluation costs a second of CPU. Callers get their own copy.
 */
const evaluations = new Map<string, Promise<Evaluation>>();

export async function runProgram(opts: RunOptions): Promise<Evaluation> {
    // A preview with pending resources (harness/transitions) answers differently for every set.
    if (opts.program || opts.computed || opts.call || opts.pending) return runUncached(opts);
    const key = JSON.stringify([
        opts.stack,
        opts.override ?? {},
        opts.preview,
        opts.secretKeys ?? [],
        opts.config ?? null,
    ]);
    let evaluation = evaluations.get(key);
    if (!evaluation) {
        evaluation = runUncached(opts);
        evaluations.set(key, evaluation);
        // A failed run (a config error a test expects) is not kept: the next caller runs it again.
        evaluation.catch(() => evaluations.delete(key));
    }
    return structuredClone(await evaluation);
}

async function runUncached(opts: RunOptions): Promise<Evaluation> {
    // Loaded lazily so a test file that only parses config never pays for the SDKs.
    const program =
        opts.program ??
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, only when a program runs
        (require("../stacks/program") as typeof import("../stacks/program")).main;
    const config = configFor(opts.stack, opts.override, opts.config);
    return evaluate(
        {
            project: projectName,
            stack: opts.stack,
            config,
            preview: opts.preview,
            // Keys an imported ESC environment supplies as secrets are secrets, as the CLI hands them over.
            secretKeys: [...(opts.secretKeys ?? []), ...(opts.config ? [] : readStackFile(opts.stack).secretKeys)],
            computed: opts.computed ?? cloudComputed,
            call: opts.call ?? cloudCall(config),
            pending: opts.pending,
        },
        async () => program() as Promise<Record<string, pulumi.Output<unknown>>>,
    );
}
