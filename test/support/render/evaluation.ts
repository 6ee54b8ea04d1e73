// The one place the render tests get what the program registers: the whole program through the
// evaluation harness (harness/program.ts) under update mocks (every value known, as `pulumi up`
// would send it), mapped to the few fields they read. If the harness changes, only this file follows.
import { configFor, runProgram } from "../../../harness/program";

/** A registered resource (custom or component): type, logical name, inputs and the URNs it waits for. */
export interface ProgramResource {
    urn: string;
    type: string;
    name: string;
    inputs: Record<string, any>;
    /** Direct dependencies (explicit dependsOn and those flowing in through inputs). */
    dependencies: string[];
}

const runs = new Map<string, Promise<ProgramResource[]>>();

/** What `pulumi up` of example stack `stack` (with config `override`) registers; one run per key. */
export function programResources(stack: string, override?: Record<string, unknown>): Promise<ProgramResource[]> {
    const key = JSON.stringify([stack, override ?? null]);
    let run = runs.get(key);
    if (!run) {
        // The harness answers as the clouds would (cloudComputed, cloudCall) unless told otherwise.
        run = runProgram({ stack, override, preview: false }).then((ev) =>
            // Components too: eks.Cluster is a (multi-language) component whose inputs hold the version.
            ev.resources.map((r) => ({
                urn: r.urn,
                type: r.type,
                name: r.name,
                inputs: r.inputs,
                dependencies: r.dependencies,
            })),
        );
        runs.set(key, run);
    }
    return run;
}

/** The stack's config value `key` (project namespace), override applied. */
export function stackSetting(stack: string, key: string, override?: Record<string, unknown>): unknown {
    return configFor(stack, override)[key.includes(":") ? key : `torchserve-platform:${key}`];
}
