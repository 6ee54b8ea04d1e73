// Two plans of one stack → what a reviewer needs to know: per resource added, removed, renamed
// (through `aliases`) or changed, each change by field path, and which changes replace the resource
// (effects.ts, from the day-2 rules table). Java-properties ConfigMap entries (TorchServe's config.properties) are
// compared key by key, and JSON inside them (the `models` value) field by field.
import { compare, Plan, PlanResource } from "./model";
import { formatPath, Segment } from "./paths";
import { parseProperties } from "./properties";
import { Effect, effectsOf, ReplacementRule } from "./effects";
import { CostEstimate, estimateCost } from "./cost";

export { effectsOf };

export interface FieldChange {
    path: string;
    segments: Segment[];
    kind: "added" | "removed" | "changed" | "reordered";
    before?: unknown;
    after?: unknown;
    /** Rules the change touches (replacement, rejected update, node or pod roll). */
    effects: { effect: Effect; rule: ReplacementRule }[];
}

export interface ResourceDiff {
    status: "added" | "removed" | "changed" | "renamed";
    /** The id in the new plan (the old one for a removal). */
    id: string;
    /** For a rename: the id in the old plan. */
    previousId?: string;
    type: string;
    name: string;
    custom: boolean;
    /** Id of the nearest enclosing component ("" for the stack), in the plan the resource is in. */
    component: string;
    /** That component as a heading: its ancestors' names and its own, then its type ("" for the stack). */
    componentLabel: string;
    fields: FieldChange[];
    /** Whether a field change forces the provider to replace it. */
    replace: boolean;
}

export interface PlanDiff {
    stack: string;
    /** Resources that differ, in id order. */
    resources: ResourceDiff[];
    /** Stack outputs that differ. */
    outputs: FieldChange[];
    /** Config warnings of the new plan, and which of them are new. */
    warnings: { all: string[]; added: string[]; removed: string[] };
    /** Resources in the new plan, and how many of them did not change. */
    total: number;
    unchanged: number;
    /** Hourly cost and GPU quota of each plan (cost.ts). */
    cost: { before: CostEstimate; after: CostEstimate };
}

/** An empty plan: what a stack that did not exist before is diffed against. */
export function emptyPlan(stack: string, project = "torchserve-platform"): Plan {
    return {
        project,
        stack,
        resources: [],
        outputs: {},
        counts: {},
        total: 0,
        longestChain: { length: 0, path: [] },
        warnings: [],
        unmockedInvokes: [],
    };
}

/** Nearest enclosing component of each resource (the stack is ""). */
export function componentOf(plan: Plan): (r: PlanResource) => string {
    const byId = new Map(plan.resources.map((r) => [r.id, r]));
    return (r) => {
        let p = byId.get(r.parent);
        while (p && (p.custom || p.type === "pulumi:pulumi:Stack")) p = byId.get(p.parent);
        return p && p.type !== "pulumi:pulumi:Stack" ? p.id : "";
    };
}

/** A component as a heading: `eks › eks-gpu — \`torchserve-platform:eks:NodeGroup\`` ("" for the stack). */
export function componentLabel(plan: Plan): (componentId: string) => string {
    const byId = new Map(plan.resources.map((r) => [r.id, r]));
    return (id) => {
        const c = byId.get(id);
        if (!c) return "";
        const names: string[] = [];
        for (let r = c; r && r.type !== "pulumi:pulumi:Stack"; r = byId.get(r.parent)!) names.unshift(r.name);
        return `${names.join(" › ")} — \`${c.type}\``;
    };
}

export function diffPlans(before: Plan, after: Plan): PlanDiff {
    const old = new Map(before.resources.map((r) => [r.id, r]));
    const now = new Map(after.resources.map((r) => [r.id, r]));
    const gone = new Set([...old.keys()].filter((id) => !now.has(id)));
    // A new id that lists a vanished one among its aliases is that resource, renamed.
    const renamedFrom = new Map<string, string>();
    for (const r of after.resources) {
        if (old.has(r.id)) continue;
        const from = (r.aliases ?? []).find((a) => gone.has(a));
        if (from) {
            renamedFrom.set(r.id, from);
            gone.delete(from);
        }
    }
    // Ids in the old plan (a provider, a referenced resource) read as the ids those resources have now.
    const renamedTo = new Map([...renamedFrom].map(([to, from]) => [from, to]));
    const newIdOf = (id: string) => renamedTo.get(id) ?? id;
    const componentAfter = componentOf(after);
    const componentBefore = componentOf(before);
    const labelAfter = componentLabel(after);
    const labelBefore = componentLabel(before);
    const resources: ResourceDiff[] = [];
    for (const r of after.resources) {
        const previousId = renamedFrom.get(r.id);
        const prior = old.get(previousId ?? r.id);
        const component = componentAfter(r);
        const base = {
            id: r.id,
            type: r.type,
            name: r.name,
            custom: r.custom,
            component,
            componentLabel: labelAfter(component),
        };
        if (!prior) {
            resources.push({ ...base, status: "added", fields: [], replace: false });
            continue;
        }
        const fields = diffResource(renameIds(prior, newIdOf), r);
        if (!fields.length && !previousId) continue;
        resources.push({
            ...base,
            ...(previousId ? { previousId } : {}),
            status: previousId ? "renamed" : "changed",
            fields,
            replace: fields.some((f) => f.effects.some((e) => e.effect === "replace")),
        });
    }
    for (const id of gone) {
        const r = old.get(id)!;
        const component = componentBefore(r);
        resources.push({
            id,
            type: r.type,
            name: r.name,
            custom: r.custom,
            component,
            componentLabel: labelBefore(component),
            status: "removed",
            fields: [],
            replace: false,
        });
    }
    resources.sort((a, b) => compare(a.id, b.id));
    const outputs: FieldChange[] = [];
    diffValue(before.outputs, after.outputs, [], "", outputs);
    const unchanged = after.resources.filter(
        (r) => !resources.some((d) => d.id === r.id && d.status !== "removed"),
    ).length;
    return {
        stack: after.stack,
        resources,
        outputs,
        warnings: {
            all: after.warnings,
            added: after.warnings.filter((w) => !before.warnings.includes(w)),
            removed: before.warnings.filter((w) => !after.warnings.includes(w)),
        },
        total: after.resources.length,
        unchanged,
        cost: { before: estimateCost(before), after: estimateCost(after) },
    };
}

/** `r` with every string that is a renamed resource's old id replaced by its new one. */
function renameIds(r: PlanResource, newIdOf: (id: string) => string): PlanResource {
    const walk = (v: unknown): unknown => {
        if (typeof v === "string") return newIdOf(v);
        if (Array.isArray(v)) return v.map(walk);
        if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
        return v;
    };
    return {
        ...r,
        inputs: walk(r.inputs) as Record<string, unknown>,
        ...(r.provider ? { provider: newIdOf(r.provider) } : {}),
    };
}

/** Field changes of one resource: inputs, then the options and provider a reviewer must see. */
function diffResource(before: PlanResource, after: PlanResource): FieldChange[] {
    const out: FieldChange[] = [];
    diffValue(before.inputs, after.inputs, [], after.type, out);
    const meta = (key: string, a: unknown, b: unknown) => diffValue(a, b, [{ key: `(${key})` }], "", out);
    meta("protect", before.options?.protect ?? false, after.options?.protect ?? false);
    meta("ignoreChanges", before.options?.ignoreChanges ?? [], after.options?.ignoreChanges ?? []);
    meta("provider", before.provider, after.provider);
    return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/** Array elements that all carry a distinct string `name`: matched by it, not by position. */
function namedElements(a: unknown[]): Map<string, unknown> | undefined {
    const m = new Map<string, unknown>();
    for (const e of a) {
        if (!isObject(e) || typeof e.name !== "string" || m.has(e.name)) return undefined;
        m.set(e.name, e);
    }
    return m;
}

/** A Java properties file stored under this key (TorchServe's `config.properties`). */
const propertiesKey = (segments: readonly Segment[]) => {
    const last = segments[segments.length - 1];
    return !!last && "key" in last && last.key.endsWith(".properties");
};

function asJsonContainer(s: string): unknown {
    if (!/^\s*[[{]/.test(s)) return undefined;
    try {
        return JSON.parse(s);
    } catch {
        return undefined;
    }
}

function diffValue(a: unknown, b: unknown, segments: Segment[], type: string, out: FieldChange[]): void {
    if (deepEqual(a, b)) return;
    const push = (kind: FieldChange["kind"], before?: unknown, after?: unknown): void => {
        out.push({
            path: formatPath(segments),
            segments: [...segments],
            kind,
            ...(kind !== "added" ? { before } : {}),
            ...(kind !== "removed" ? { after } : {}),
            effects: type ? effectsOf(type, segments, before, after) : [],
        });
    };
    if (a === undefined) return push("added", undefined, b);
    if (b === undefined) return push("removed", a);
    if (typeof a === "string" && typeof b === "string" && propertiesKey(segments)) {
        const pa = Object.fromEntries(parseProperties(a));
        const pb = Object.fromEntries(parseProperties(b));
        if (!deepEqual(pa, pb)) return diffValue(pa, pb, segments, type, out);
        return push("changed", a, b); // only comments or layout differ
    }
    if (typeof a === "string" && typeof b === "string") {
        const ja = asJsonContainer(a);
        const jb = asJsonContainer(b);
        if (ja !== undefined && jb !== undefined) return diffValue(ja, jb, segments, type, out);
    }
    if (isObject(a) && isObject(b)) {
        const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compare);
        for (const k of keys) diffValue(a[k], b[k], [...segments, { key: k }], type, out);
        return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
        const na = namedElements(a);
        const nb = namedElements(b);
        if (na && nb) {
            for (const [name, e] of nb) diffValue(na.get(name), e, [...segments, { named: name }], type, out);
            for (const [name, e] of na)
                if (!nb.has(name)) diffValue(e, undefined, [...segments, { named: name }], type, out);
            const common = (m: Map<string, unknown>, other: Map<string, unknown>) =>
                [...m.keys()].filter((k) => other.has(k));
            if (common(na, nb).join("\u0000") !== common(nb, na).join("\u0000")) {
                push("reordered", common(na, nb), common(nb, na));
            }
            return;
        }
        const scalars = [...a, ...b].every((e) => !e || typeof e !== "object");
        if (scalars) return push("changed", a, b);
        for (let i = 0; i < Math.max(a.length, b.length); i++) {
            diffValue(a[i], b[i], [...segments, { index: i }], type, out);
        }
        return;
    }
    push("changed", a, b);
}

export function deepEqual(a: unknown, b: unknown): boolean {
    if (a === b) return true;
    if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
    if (isObject(a) && isObject(b)) {
        const ka = Object.keys(a).filter((k) => a[k] !== undefined);
        const kb = Object.keys(b).filter((k) => b[k] !== undefined);
        return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
    }
    return false;
}
