// The day-2 verdict on a change of stack files: what `pulumi up` would meet going from the stack file
// at the base commit to the one in the working tree, judged by the transition checks the day-2 suite
// runs (harness/transitions: refused updates, protected resources replaced, serving capacity during a
// pool swap, …), plus the GPU quota the change needs on top of what the stack had (cost.ts). What a
// removed stack file's `pulumi destroy` would leave comes from the teardown check.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { runProgram } from "../../harness/program";
import { parseStackFile, projectRoot } from "../../harness/stackFiles";
import { checkTransition, Violation } from "../../harness/transitions/checks";
import { runTransition } from "../../harness/transitions/run";
import { checkTeardown } from "../../harness/transitions/teardown";
import { withoutMachineCredentials } from "../../harness/environment";
import { quotaDuringChange } from "./cost";
import { PlanDiff } from "./diff";

export interface Verdict {
    stack: string;
    /** `stop`: the change fails or interrupts serving as it is; `note`: worth knowing before merging. */
    level: "stop" | "note";
    text: string;
}

/** What to do about each kind of violation, in the terms of the stack file. */
const remedy: Record<Violation["rule"], (v: Violation) => string> = {
    "serving-capacity": (v) =>
        /may take every replica down/.test(v.message)
            ? "serving drops to 0 pods while the GPU pool is replaced: set `autoscaling.minReplicas: 2` (or `torchserve.replicas: 2` without autoscaling) in an earlier change, so a replica keeps serving from the old pool"
            : "serving drops to 0 pods while the GPU pool is replaced: the old pool goes before TorchServe runs on the new one",
    "refused-update": () => "the cloud's API refuses this update: revert it or replace the resource on purpose",
    protected: () =>
        "a protected resource would be replaced or deleted: `pulumi up` stops; set `cluster.deletionProtection: false` first if that is meant",
    "name-collision": () => "the replacement takes a name its predecessor still holds: the create fails",
    "invalid-input": () => "the cloud's API refuses these inputs",
    "version-reach": () => "the Kubernetes version change does not reach everything that must follow it",
    "unpinned-addon": () => "a managed add-on is left to the cloud's default version",
    "reference-gap": () => "pods lose a ConfigMap or Secret they mount while it is replaced",
    "bound-volume": () => "a bound volume is deleted: the delete waits until Pulumi gives up",
    "admin-access": () =>
        "an identity loses cluster admin during or after the change: list it in `cluster.admins` if it still deploys or operates the stack",
};

/** The stack file at git ref `base`, or undefined where there is none. */
export function stackFileAt(base: string, stack: string): string | undefined {
    try {
        return execFileSync("git", ["show", `${base}:Pulumi.${stack}.yaml`], {
            cwd: projectRoot,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
        });
    } catch {
        return undefined;
    }
}

/**
 * Verdicts of the transition from a stack file's earlier text (`text`, from `base`) to the working
 * tree's Pulumi.<stack>.yaml; `exists` false: the stack file is gone (its teardown is judged).
 */
export async function transitionVerdicts(
    stack: string,
    text: string | undefined,
    base: string,
    exists: boolean,
): Promise<Verdict[]> {
    if (text === undefined) return []; // a new stack: nothing to transition from
    const now = exists ? fs.readFileSync(path.join(projectRoot, `Pulumi.${stack}.yaml`), "utf8") : undefined;
    // Unchanged config: nothing to check (and nothing to evaluate).
    if (now !== undefined && sameConfig(text, now, stack)) return [];
    let from;
    try {
        const file = parseStackFile(text, `Pulumi.${stack}.yaml at ${base}`);
        from = await withoutMachineCredentials(() =>
            runProgram({
                stack,
                config: file.config,
                secretKeys: file.secretKeys,
                preview: true,
                pending: () => false,
            }),
        );
    } catch (e) {
        return [
            {
                stack,
                level: "note",
                text: `the stack file at ${base} does not evaluate, so there is no state to check the change against (${firstLine(e)})`,
            },
        ];
    }
    if (!exists) {
        const t = checkTeardown(from);
        return [
            ...t.violations.map((v) => ({ stack, level: "stop" as const, text: `\`pulumi destroy\`: ${v}` })),
            ...t.leftovers.map((l) => ({ stack, level: "note" as const, text: `\`pulumi destroy\` leaves ${l}` })),
        ];
    }
    const t = await withoutMachineCredentials(() => runTransition({ stack, state: from }));
    const seen = new Set<string>();
    const out: Verdict[] = [];
    for (const v of checkTransition(t)) {
        const key = `${v.rule} ${v.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ stack, level: "stop", text: `${remedy[v.rule](v)} — ${v.message}` });
    }
    return out;
}

/** GPU quota a change needs beyond what the stack needed before it (pools side by side). */
export function quotaVerdicts(d: PlanDiff): Verdict[] {
    const replaced = new Set(d.resources.filter((r) => r.replace || r.status === "removed").map((r) => r.id));
    return quotaDuringChange(d.cost.before, d.cost.after, replaced)
        .filter((q) => q.peak > q.before && (q.before > 0 || q.after > 0))
        .map((q) => ({
            stack: d.stack,
            level: "note" as const,
            text: `needs ${q.peak - q.before} more ${q.unit} of quota ${q.quota} (${q.scope}) during the change: ${q.peak} with old and new pools side by side, ${q.after} after it`,
        }));
}

/** Whether two texts of a stack file hand the program the same config (comments, order aside). */
function sameConfig(a: string, b: string, stack: string): boolean {
    try {
        const key = (t: string) => JSON.stringify(sortKeys(parseStackFile(t, `Pulumi.${stack}.yaml`)));
        return key(a) === key(b);
    } catch {
        return false;
    }
}

function sortKeys(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v && typeof v === "object")
        return Object.fromEntries(
            Object.keys(v)
                .sort()
                .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
        );
    return v;
}

function firstLine(e: unknown): string {
    return String((e as Error)?.message ?? e).split("\n")[0];
}
