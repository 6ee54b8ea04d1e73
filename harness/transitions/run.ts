// Runs a config change the way `pulumi up` would meet it: the stack's state after an update with
// config A, then the program with config B planned against it. Resources B creates or replaces have
// no outputs yet, so B is evaluated again with those outputs unknown (as a preview has them) until
// the set of such resources stops growing: a replacement reaches whatever reads its outputs.
import { Evaluation } from "../evaluate";
import { runProgram, RunOptions } from "../program";
import { projectName } from "../stackFiles";
import { pendingKeys, planTransition, Transition } from "./plan";

export interface TransitionOptions {
    /** Example stack whose Pulumi.<stack>.yaml is the base config. */
    stack: string;
    /** Config A (overrides of the stack file, as runProgram takes them). */
    from?: Record<string, unknown>;
    /** Config B. */
    to?: Record<string, unknown>;
    /** Invoke results while evaluating A / B (e.g. live node-group sizes); default the cloud mocks. */
    fromCall?: RunOptions["call"];
    toCall?: RunOptions["call"];
    /** An evaluation of A to reuse (the state), instead of evaluating `from`. */
    state?: Evaluation;
    /** Resources (`type::name`) to replace whatever changed (`pulumi up --replace`). */
    replace?: string[];
    /**
     * Evaluations to reuse across transitions, keyed by stack, config and `callKey`: a config's state
     * and its plan evaluate the same registrations (every resource exists in both).
     */
    cache?: Map<string, Promise<Evaluation>>;
    /** Identifies `fromCall`/`toCall` in cache keys (different answers, different evaluations). */
    callKey?: string;
}

/** The key under which `runTransition` caches the evaluation of a config (TransitionOptions.cache). */
export function cacheKey(stack: string, override?: Record<string, unknown>, callKey = ""): string {
    return `${stack} ${callKey} ${JSON.stringify(override ?? {})}`;
}

/**
 * A config evaluated as if every resource existed (a preview answers then as an update would): the
 * state `pulumi up` leaves, and the first plan of a config against a state.
 */
export function evaluateExisting(
    opts: Pick<TransitionOptions, "stack" | "cache" | "callKey">,
    override: Record<string, unknown> | undefined,
    call: RunOptions["call"],
): Promise<Evaluation> {
    const run = () => runProgram({ stack: opts.stack, override, preview: true, call, pending: () => false });
    if (!opts.cache) return run();
    const key = cacheKey(opts.stack, override, opts.callKey);
    if (!opts.cache.has(key)) opts.cache.set(key, run());
    return opts.cache.get(key)!;
}

/** Evaluates A (update), then B planned against A's state, with pending outputs unknown. */
export async function runTransition(opts: TransitionOptions): Promise<Transition> {
    const existing = (override: Record<string, unknown> | undefined, call: RunOptions["call"]) =>
        evaluateExisting(opts, override, call);
    const from = opts.state ?? (await existing(opts.from, opts.fromCall));
    let to = await existing(opts.to, opts.toCall);
    let plan = planTransition(from, to, opts.stack, projectName, opts.replace);
    let pending = new Set<string>();
    for (let round = 0; round < 5; round++) {
        const next = pendingKeys(plan);
        if ([...next].every((k) => pending.has(k))) break;
        // Only worth a rerun when something reads a pending resource.
        const pendingUrns = new Set(
            plan.steps.filter((s) => s.resource && next.has(`${s.type}::${s.name}`)).map((s) => s.resource!.urn),
        );
        const read = to.resources.some((r) => r.dependencies.some((d) => pendingUrns.has(d)));
        pending = next;
        if (!read) break;
        to = await runProgram({
            stack: opts.stack,
            override: opts.to,
            preview: true,
            call: opts.toCall,
            pending: (args) => pending.has(`${args.type}::${args.name}`),
        });
        plan = planTransition(from, to, opts.stack, projectName, opts.replace);
    }
    return plan;
}
