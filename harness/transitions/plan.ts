// What the engine would do going from one evaluation (the stack's state after `pulumi up` with
// config A) to another (the program with config B): per resource create, delete, same, update
// (which input paths changed) or replace, honouring `ignoreChanges` (merged with A's values),
// `replaceOnChanges`, `deleteBeforeReplace`, `protect`, aliases, and the provider rules of rules.ts.
import { specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import type { Evaluation, RegisteredResource } from "../evaluate";
import { diffPaths, formatPath, getPath, parsePath, Segment, setPath, touches } from "./paths";
import { FieldRule, isLocalComponent, RefusedField, rulesFor, TypeRules } from "./rules";
import { engineUrns, matchUrns } from "./urns";

/** Pulumi's wire sentinel for an unknown value. */
const unknownSentinel = unknownValue;

export type Action = "create" | "delete" | "same" | "update" | "replace";

export interface Step {
    action: Action;
    type: string;
    name: string;
    /** Engine URN: the new resource's, or the old one's for a delete. */
    urn: string;
    /** The registration in the new evaluation (absent for deletes). */
    resource?: RegisteredResource;
    /** The resource in the old state (absent for creates). */
    old?: RegisteredResource;
    /** Inputs the provider would receive: the new inputs with `ignoreChanges` paths taken from the old state. */
    inputs: Record<string, any>;
    /** Changed input paths (updates and replacements). */
    changed: string[];
    /** Changed paths whose value is unknown until a created or replaced resource exists. */
    unknown: string[];
    /** Why it is replaced: each changed path with the rule (or `replaceOnChanges`) behind it. */
    replaceBecause: { path: string; source: string }[];
    /** In-place changes the API refuses (updates only). */
    refused: { path: string; message: string; source: string; before: unknown; after: unknown }[];
    /** Values `ignoreChanges` kept from the old state. */
    kept: { path: string; value: unknown }[];
    /** For replacements: the old resource goes first. */
    deleteBeforeReplace?: boolean;
    /** For create-first replacements: the new resource would take the old one's physical name. */
    nameCollision?: string;
}

export interface Transition {
    stack: string;
    from: Evaluation;
    to: Evaluation;
    steps: Step[];
}

const isReplaceAll = (p: string) => p === "*";

/** Paths of a value that are Pulumi's unknown sentinel (from the serialized inputs). */
function unknownPaths(value: unknown, prefix: Segment[] = []): Segment[][] {
    if (value === unknownSentinel) return [prefix];
    if (Array.isArray(value)) return value.flatMap((v, i) => unknownPaths(v, [...prefix, i]));
    if (value && typeof value === "object") {
        // A secret on the wire: {4dabf18193072939515e22adb298388d: "1b47061264138c4ac30d75fd1eb44270", value}.
        const v = value as Record<string, unknown>;
        if (specialSigKey in v) return "value" in v ? unknownPaths(v.value, prefix) : [];
        return Object.entries(v).flatMap(([k, x]) => unknownPaths(x, [...prefix, k]));
    }
    return [];
}

function matchingRules(
    changed: Segment[][],
    ruleList: FieldRule[],
): { path: string; source: string; rule: FieldRule }[] {
    const out: { path: string; source: string; rule: FieldRule }[] = [];
    for (const c of changed) {
        for (const rule of ruleList) {
            if (isReplaceAll(rule.path) || touches(c, parsePath(rule.path)))
                out.push({ path: formatPath(c), source: rule.source, rule });
        }
    }
    return out;
}

/** The physical name an input set gives, when the program (not Pulumi's autonaming) chose it. */
function explicitName(rules: TypeRules | undefined, inputs: unknown): string | undefined {
    if (!rules?.name) return undefined;
    const v = getPath(inputs, parsePath(rules.name.path));
    if (v === undefined) return undefined;
    const ns =
        rules.provider === "kubernetes" ? getPath(inputs, ["metadata", "namespace"]) : getPath(inputs, ["namespace"]);
    return `${ns ?? ""}/${String(v)}`;
}

/** The step for one new registration and its old state (if any). */
export function diffResource(r: RegisteredResource, old: RegisteredResource | undefined, urn: string): Step {
    const base = {
        type: r.type,
        name: r.name,
        urn,
        resource: r,
        old,
        changed: [] as string[],
        unknown: [] as string[],
        replaceBecause: [] as Step["replaceBecause"],
        refused: [] as Step["refused"],
        kept: [] as Step["kept"],
    };
    const unknown = unknownPaths(r.serializedInputs ?? {});
    if (!old) return { ...base, action: "create", inputs: r.inputs, unknown: unknown.map(formatPath) };

    let inputs: Record<string, any> = r.inputs;
    for (const p of r.options.ignoreChanges ?? []) {
        const seg = parsePath(p);
        const before = getPath(old.inputs, seg);
        if (before === undefined) {
            // The engine's PropertyPath.Reset removes a key that the old inputs' object lacks (pulumi/pulumi
            // sdk/go/common/resource/properties_path.go @507db1651c61, reset: "If the path doesn't exist in
            // old then we want to delete it from new"); it leaves array slots and missing parents alone.
            const leaf = seg[seg.length - 1];
            const oldParent = getPath(old.inputs, seg.slice(0, -1));
            const isObj = (v: unknown) => !!v && typeof v === "object" && !Array.isArray(v);
            if (typeof leaf === "string" && leaf !== "*" && isObj(oldParent) && getPath(inputs, seg) !== undefined) {
                inputs = setPath(inputs, seg, undefined) as Record<string, any>;
                base.kept.push({ path: p, value: undefined });
            }
            continue;
        }
        inputs = setPath(inputs, seg, before) as Record<string, any>;
        base.kept.push({ path: p, value: before });
    }
    const ignored = (r.options.ignoreChanges ?? []).map(parsePath);
    const changedSegs = diffPaths(old.inputs, inputs);
    // An unknown value may differ from the old one whatever it turns out to be.
    for (const u of unknown) {
        if (!ignored.some((i) => touches(u, i)) && !changedSegs.some((c) => formatPath(c) === formatPath(u)))
            changedSegs.push(u);
    }
    const rules = rulesFor(r.type);
    const step: Step = {
        ...base,
        action: "same",
        inputs,
        changed: changedSegs.map(formatPath),
        unknown: unknown.filter((u) => changedSegs.some((c) => touches(c, u))).map(formatPath),
    };
    if (changedSegs.length === 0) return step;

    const replaceOnChanges = (r.options.replaceOnChanges ?? []).map((path) => ({
        path,
        source: "resource option replaceOnChanges",
    }));
    const because = [
        ...matchingRules(changedSegs, [...(rules?.replaceOn ?? []), ...replaceOnChanges]),
        ...(rules?.replaces?.(old.inputs, inputs, step.unknown) ?? []),
    ];
    step.replaceBecause = [
        ...new Map(because.map((b) => [`${b.path} ${b.source}`, { path: b.path, source: b.source }])).values(),
    ];
    if (step.replaceBecause.length === 0) {
        step.action = "update";
        for (const m of matchingRules(changedSegs, rules?.refused ?? [])) {
            const rule = m.rule as RefusedField;
            const at = parsePath(rule.path).map((s, i) => (s === "*" ? parsePath(m.path)[i] : s));
            const before = getPath(old.inputs, at);
            const after = getPath(inputs, at);
            if (rule.refuses && !rule.refuses(before, after)) continue;
            if (step.refused.some((x) => x.path === rule.path)) continue;
            step.refused.push({ path: rule.path, message: rule.message, source: rule.source, before, after });
        }
        return step;
    }

    step.action = "replace";
    const oldName = explicitName(rules, old.inputs);
    const newName = explicitName(rules, inputs);
    const sameName = oldName !== undefined && oldName === newName;
    let providerDbr = false;
    if (rules?.order === "kubernetes" || rules?.order === "bridge-name") providerDbr = sameName;
    // azure-native: every replacement unless the name was generated (absent from the program's inputs).
    if (rules?.order === "azure-native") providerDbr = oldName !== undefined;
    // The engine forces nothing when the provider only reports replaces via replaceOnChanges:
    // pulumi-kubernetes decides deleteBeforeReplace from its own replaces (provider.go Diff).
    const providerReplaces = step.replaceBecause.some((b) => b.source !== "resource option replaceOnChanges");
    // The program's own deleteBeforeReplace, true or false, wins over the provider's answer.
    step.deleteBeforeReplace = r.options.deleteBeforeReplace ?? (providerDbr && providerReplaces);
    if (!step.deleteBeforeReplace && sameName) step.nameCollision = newName;
    return step;
}

/**
 * Plans `to` against the state `from` left (both evaluations of the same stack). `replace` lists
 * resources (`type::name`) the update is told to replace (`pulumi up --replace <urn>`).
 */
export function planTransition(
    from: Evaluation,
    to: Evaluation,
    stack: string,
    project: string,
    replace: string[] = [],
): Transition {
    const oldEngine = engineUrns(from.resources, stack, project);
    const oldByEngine = new Map<string, RegisteredResource>();
    for (const r of from.resources) oldByEngine.set(oldEngine.get(r.urn)!, r);
    const match = matchUrns(to.resources, stack, project, [...oldByEngine.keys()]);

    const steps: Step[] = [];
    for (const r of to.resources) {
        if (isLocalComponent(r.type)) continue;
        const oldUrn = match.matched.get(r.urn);
        const step = diffResource(r, oldUrn ? oldByEngine.get(oldUrn) : undefined, match.engineUrn.get(r.urn)!);
        if (step.old && replace.includes(`${r.type}::${r.name}`) && step.action !== "replace") {
            step.action = "replace";
            step.replaceBecause.push({ path: "*", source: "pulumi up --replace" });
            step.refused = [];
            step.deleteBeforeReplace = !!r.options.deleteBeforeReplace;
        }
        steps.push(step);
    }
    providerCascade(steps);
    for (const u of match.unclaimed) {
        const old = oldByEngine.get(u)!;
        if (isLocalComponent(old.type)) continue;
        steps.push({
            action: "delete",
            type: old.type,
            name: old.name,
            urn: u,
            old,
            inputs: old.inputs,
            changed: [],
            unknown: [],
            replaceBecause: [],
            refused: [],
            kept: [],
        });
    }
    return { stack, from, to, steps };
}

const cascadeSource =
    "pulumi/pulumi pkg/resource/deploy/step_generator.go providerChanged: the new provider's DiffConfig reports a replacement, so every resource it manages is replaced (ReplaceKeys [provider])";

/**
 * The engine replaces every resource whose provider is replaced: its diff blames `provider` before
 * the resource's own provider is asked. Such a replacement is create-first unless the program says
 * otherwise (the provider's Diff, which would choose delete-first, is not called).
 */
function providerCascade(steps: Step[]): void {
    const replaced = new Set(
        steps
            .filter((s) => s.action === "replace" && s.type.startsWith("pulumi:providers:"))
            .map((s) => s.resource!.urn),
    );
    if (replaced.size === 0) return;
    for (const s of steps) {
        const ref = s.resource?.provider ?? "";
        const providerUrn = ref.slice(0, ref.lastIndexOf("::"));
        if (!s.old || !replaced.has(providerUrn) || s.action === "replace") continue;
        s.action = "replace";
        s.replaceBecause = [{ path: "provider", source: cascadeSource }];
        s.refused = [];
        s.deleteBeforeReplace = s.resource!.options.deleteBeforeReplace ?? false;
        s.nameCollision = undefined;
    }
}

/** `type::name` of the steps that create or replace a resource: their outputs are unknown in a preview. */
export function pendingKeys(t: Transition): Set<string> {
    return new Set(
        t.steps.filter((s) => s.action === "create" || s.action === "replace").map((s) => `${s.type}::${s.name}`),
    );
}
