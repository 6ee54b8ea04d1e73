// Runs the whole program (stacks/program.ts main, exactly what index.ts exports) for a stack's
// config under mocks.
import * as pulumi from "@pulumi/pulumi";
import { evaluate, Evaluation } from "../../tools/evaluate";
import { projectName, stackConfig } from "../../tools/stackFiles";

export interface RunOptions {
    /** Example stack whose Pulumi.<stack>.yaml supplies the base config. */
    stack: string;
    /** Keys in the project namespace to replace (`torchserve` → whole object). */
    override?: Record<string, unknown>;
    preview: boolean;
    /** Config keys set as secrets. */
    secretKeys?: string[];
    computed?: Parameters<typeof evaluate>[0]["computed"];
    call?: Parameters<typeof evaluate>[0]["call"];
}

export function configFor(stack: string, override: Record<string, unknown> = {}): Record<string, unknown> {
    const config = stackConfig(stack);
    for (const [k, v] of Object.entries(override)) config[k.includes(":") ? k : `${projectName}:${k}`] = v;
    return config;
}

export async function runProgram(opts: RunOptions): Promise<Evaluation> {
    // Loaded lazily so a test file that only parses config never pays for the SDKs.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, only when a program runs
    const { main } = require("../../stacks/program") as typeof import("../../stacks/program");
    return evaluate(
        {
            project: projectName,
            stack: opts.stack,
            config: configFor(opts.stack, opts.override),
            preview: opts.preview,
            secretKeys: opts.secretKeys,
            computed: opts.computed,
            call: opts.call,
        },
        async () => main() as unknown as Promise<Record<string, pulumi.Output<unknown>>>,
    );
}
