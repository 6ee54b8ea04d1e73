// What a change of one input does beyond an in-place update, for the plan diff: read from the day-2
// rules table (harness/transitions/rules.ts), the repository's one table of provider and API facts
// with their sources, so a reviewer's diff and the transition tests cannot disagree.
import { FieldRule, RefusedField, rules } from "../../harness/transitions/rules";
import { parsePath } from "../../harness/transitions/paths";
import { ANY, RulePath, Segment, touches } from "./paths";

export type Effect =
    /** The provider deletes and recreates the resource (Pulumi shows `replace`). */
    | "replace"
    /** The provider updates in place and the API refuses: `pulumi up` fails until the object is replaced by hand. */
    | "rejected"
    /** Updated in place, but the cloud recreates every node of the pool. */
    | "recreates-nodes"
    /** Updated in place; the workload's pods are replaced by a rollout. */
    | "rolls-pods";

/** One field of one type and what its change does. */
export interface ReplacementRule {
    type: string;
    path: string;
    effect: Effect;
    /** Only where the effect depends on how the program configures the provider. */
    note?: string;
    /** Where the behaviour is defined. */
    source: string;
    /** For refusals of some changes only (e.g. a downgrade): whether this one is refused. */
    refuses?: RefusedField["refuses"];
}

/** Every rule of the table, one per type, field and effect. */
export const replacementRules: ReplacementRule[] = Object.entries(rules).flatMap(([type, r]) => {
    const of = (effect: Effect, list: FieldRule[] = []): ReplacementRule[] =>
        list.map((f) => ({
            type,
            path: f.path,
            effect,
            source: f.source,
            ...(f.note ? { note: f.note } : {}),
            ...("refuses" in f && f.refuses ? { refuses: (f as RefusedField).refuses } : {}),
        }));
    return [
        ...of("replace", r.replaceOn),
        ...of("rejected", r.refused),
        ...of("recreates-nodes", r.recreatesNodes),
        ...of("rolls-pods", r.rollsPods),
    ];
});

/**
 * A table path (`a.b[*].c`, `*` for any key or index; a lone `*` for every field) as the plan's
 * rule path: `*` and indexes match any array element, as plan paths name elements by `name`.
 */
export function rulePath(path: string): RulePath {
    if (path === "*") return [];
    return parsePath(path).map((s) => (s === "*" || typeof s === "number" ? ANY : s));
}

const compiled = replacementRules.map((rule) => ({ rule, path: rulePath(rule.path) }));

/**
 * The rules a change of `type` at `segments` touches. A refusal of some changes only is reported when
 * the change is the field itself and `refuses(before, after)` says so.
 */
export function effectsOf(
    type: string,
    segments: readonly Segment[],
    before?: unknown,
    after?: unknown,
): { effect: Effect; rule: ReplacementRule }[] {
    const out: { effect: Effect; rule: ReplacementRule }[] = [];
    for (const c of compiled) {
        if (c.rule.type !== type || !touches(c.path, segments)) continue;
        if (c.rule.refuses && (segments.length !== c.path.length || !c.rule.refuses(before, after))) continue;
        out.push({ effect: c.rule.effect, rule: c.rule });
    }
    return out;
}
