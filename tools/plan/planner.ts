// From an evaluation under mocks to a plan: the program for Pulumi.<stack>.yaml runs in preview mode
// (computed outputs stay unknown, as in a real `pulumi preview`) with this machine's kubeconfig and
// cloud credentials out of its sight, so the same commit gives byte-identical plans anywhere.
import { cloudCall, isMockedInvoke } from "../../harness/cloudMocks";
import { withoutMachineCredentials } from "../../harness/environment";
import { evaluate, Evaluation, RegisteredResource, UNKNOWN } from "../../harness/evaluate";
import { runProgram } from "../../harness/program";
import { projectName } from "../../harness/stackFiles";
import { aliasIds } from "./aliases";
import { longestChain } from "./graph";
import { compare, DEFAULT_PROVIDER, Plan, PlanResource, resourceIds } from "./model";
import { COMPUTED, presentValue, relativiseRoot, SECRET } from "./wire";

export function planFromEvaluation(ev: Evaluation, stack: string, project = projectName): Plan {
    const id = resourceIds(ev.resources);
    const aliases = aliasIds(ev.resources, id, project, stack);
    const resources: PlanResource[] = ev.resources.map((r: RegisteredResource) => ({
        id: id(r.urn),
        type: r.type,
        name: r.name,
        custom: r.custom,
        parent: r.parent ? id(r.parent) : "",
        ...(r.custom
            ? { provider: r.provider ? id(r.provider.slice(0, r.provider.lastIndexOf("::"))) : DEFAULT_PROVIDER }
            : {}),
        dependencies: [...new Set(r.dependencies.map(id))].sort(),
        ...(Object.keys(r.options).length ? { options: r.options } : {}),
        ...(aliases.get(r.urn)?.length ? { aliases: aliases.get(r.urn) } : {}),
        inputs: presentValue(r.serializedInputs ?? r.inputs, id) as Record<string, unknown>,
    }));
    resources.sort((a, b) => compare(a.id, b.id));
    const counts: Record<string, number> = {};
    for (const r of resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
    const outputs: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(ev.outputs)) {
        outputs[k] = ev.secretOutputs.includes(k) ? SECRET : presentOutput(v);
    }
    return {
        project,
        stack,
        resources,
        outputs,
        counts,
        total: resources.length,
        longestChain: longestChain(resources),
        warnings: ev.logs.filter((l) => l.severity !== "info").map((l) => `${l.severity}: ${l.message}`),
        unmockedInvokes: [...new Set(ev.calls.filter((t) => !isMockedInvoke(t)))].sort(),
    };
}

/** A resolved stack output (evaluate's form) as a reviewer reads it. */
function presentOutput(value: unknown): unknown {
    if (value === UNKNOWN) return COMPUTED;
    if (typeof value === "string") return relativiseRoot(value);
    if (Array.isArray(value)) return value.map(presentOutput);
    if (value && typeof value === "object") {
        return Object.fromEntries(
            Object.entries(value)
                .filter(([, v]) => v !== undefined)
                .map(([k, v]) => [k, presentOutput(v)]),
        );
    }
    return value;
}

export interface PlanProgramOptions {
    stack: string;
    /** Flat config, `namespace:key` → value. */
    config: Record<string, unknown>;
    program: () => Promise<Record<string, any> | void>;
    project?: string;
}

/** Evaluates a stand-in `program` in preview mode under the cloud mocks and returns its plan. */
export async function planProgram(opts: PlanProgramOptions): Promise<Plan> {
    const project = opts.project ?? projectName;
    const ev = await withoutMachineCredentials(() =>
        evaluate(
            { project, stack: opts.stack, config: opts.config, preview: true, call: cloudCall(opts.config) },
            opts.program,
        ),
    );
    return planFromEvaluation(ev, opts.stack, project);
}

/**
 * The plan of an example stack: the real program (stacks/program.ts main) with Pulumi.<stack>.yaml,
 * `override` replacing keys as in harness/program.ts `configFor`.
 */
export async function planStack(stack: string, override: Record<string, unknown> = {}): Promise<Plan> {
    const ev = await withoutMachineCredentials(() => runProgram({ stack, override, preview: true }));
    return planFromEvaluation(ev, stack);
}
