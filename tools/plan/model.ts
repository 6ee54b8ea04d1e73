// The plan: what `npm run plan` writes to plans/<stack>.json, and how it names resources.
//
// Determinism: resources are keyed by their URN without the stack/project prefix
// (`ancestorTypes$…$type::name`, Pulumi's own identity, readable and stable), sorted; object keys are
// sorted (render.ts); no timestamps.
import { RegisteredResource } from "../../harness/evaluate";

/** Where a resource uses the default provider of its package. */
export const DEFAULT_PROVIDER = "default";

export interface PlanResource {
    /** `ancestorType$…$type::name`: the engine's URN without `urn:pulumi:<stack>::<project>::` (see `resourceIds`). */
    id: string;
    type: string;
    name: string;
    /** Custom resources are provisioned; component resources only group their children. */
    custom: boolean;
    /** Id of the parent ("" for the stack). */
    parent: string;
    /** Id of the explicit provider, or "default". Only custom resources have one. */
    provider?: string;
    /** Ids it waits for as the SDK reports them: explicit dependsOn plus those its inputs come from. */
    dependencies: string[];
    /** `protect` and `ignoreChanges` where set: what a destroy or a drift will not touch. */
    options?: { protect?: true; ignoreChanges?: string[] };
    /** Earlier ids it answers to through `aliases` (aliases.ts), where it has any. */
    aliases?: string[];
    /** Inputs as the provider would receive them; secrets are "[secret]", unknowns "[unknown]". */
    inputs: Record<string, unknown>;
}

export interface ProvisioningChain {
    /** Number of provisioned (custom, non-provider) resources on the longest chain. */
    length: number;
    /** Their ids, first created first. */
    path: string[];
}

export interface Plan {
    project: string;
    stack: string;
    resources: PlanResource[];
    /** Stack outputs; secret ones are "[secret]", unknown ones "[unknown]". */
    outputs: Record<string, unknown>;
    /** Registrations per type, and in total. */
    counts: Record<string, number>;
    total: number;
    /** Longest chain of resources that must be created one after another (see `waitsFor`). */
    longestChain: ProvisioningChain;
    /** Messages the program logged (config warnings). */
    warnings: string[];
    /** Invokes the program called that harness/cloudMocks.ts does not answer (they returned {}). */
    unmockedInvokes: string[];
}

/** Plain code-unit order: the same everywhere, unlike localeCompare. */
export function compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `urn:pulumi:dev::proj::parentType$type::name` → `parentType$type::name`. Pulumi keeps URNs unique
 * within a stack. Children of the stack itself carry no parent type in a real URN; the mock monitor
 * adds `pulumi:pulumi:Stack$`, dropped here.
 */
export function resourceId(urn: string): string {
    const parts = urn.split("::");
    if (parts.length < 4) return urn;
    return parts
        .slice(2)
        .join("::")
        .replace(/^pulumi:pulumi:Stack\$/, "");
}

/**
 * Ids as the Pulumi engine writes URNs, without the `urn:pulumi:<stack>::<project>::` prefix: the
 * types of every ancestor below the stack, then the resource's type, then its name
 * (`torchserve-platform:eks:Cluster$torchserve-platform:eks:NodeGroup$aws:eks/nodeGroup:NodeGroup::eks-gpu`).
 * Built from the recorded parent chain, because the mock monitor's URNs keep only the nearest
 * parent's type. Unique within a stack exactly when Pulumi's URNs are.
 */
export function resourceIds(resources: RegisteredResource[]): (urn: string) => string {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const qualified = new Map<string, string>();
    const qualifiedType = (urn: string): string => {
        const hit = qualified.get(urn);
        if (hit !== undefined) return hit;
        const r = byUrn.get(urn);
        let q: string;
        if (!r) q = resourceId(urn).split("::")[0];
        else if (r.type === "pulumi:pulumi:Stack") q = "";
        else {
            const parent = r.parent ? qualifiedType(r.parent) : "";
            q = parent ? `${parent}$${r.type}` : r.type;
        }
        qualified.set(urn, q);
        return q;
    };
    return (urn: string) => {
        const r = byUrn.get(urn);
        if (!r) return resourceId(urn);
        return r.type === "pulumi:pulumi:Stack" ? `${r.type}::${r.name}` : `${qualifiedType(urn)}::${r.name}`;
    };
}
