// Which resource of a new evaluation the engine matches to which resource of the old state: by URN,
// then by aliases, and a child of an aliased parent also by the URN it had under the parent's old
// URN. Emulates the step generator of pulumi/pulumi pkg/resource/deploy/step_generator.go (commit
// 1a16857a44f16e46a9dce29f184c511062a70f80: generateAliases, collapseAliasToUrn, inheritedChildAlias
// and the lookup in generateSteps). The mock monitor's URNs carry only the nearest parent's type, so
// the engine's URNs are rebuilt from the parent chain; registration order is the engine's (parents first).
import type { RecordedAlias, RegisteredResource } from "../evaluate";

const stackType = "pulumi:pulumi:Stack";

export const qualifiedTypeOf = (urn: string): string => urn.split("::")[2];
export const nameOf = (urn: string): string => urn.split("::").slice(3).join("::");
export const baseTypeOf = (urn: string): string => qualifiedTypeOf(urn).split("$").pop()!;
const urnOf = (stack: string, project: string, qualifiedType: string, name: string) =>
    `urn:pulumi:${stack}::${project}::${qualifiedType}::${name}`;

/** The engine's URN of every resource (keyed by the mock monitor's URN), from the parent chain. */
export function engineUrns(resources: RegisteredResource[], stack: string, project: string): Map<string, string> {
    const engineUrn = new Map<string, string>();
    for (const r of resources) {
        const parent = r.parent ? engineUrn.get(r.parent)! : "";
        const underStack = !parent || qualifiedTypeOf(parent) === stackType;
        engineUrn.set(
            r.urn,
            urnOf(stack, project, underStack ? r.type : `${qualifiedTypeOf(parent)}$${r.type}`, r.name),
        );
    }
    return engineUrn;
}

export interface UrnMatch {
    /** Mock URN of each new resource → the old engine URN it takes over (absent: a new resource). */
    matched: Map<string, string>;
    /** The new resources' engine URNs (mock URN → engine URN). */
    engineUrn: Map<string, string>;
    /** Engine URNs of new resources found nowhere in the old state. */
    unmatched: string[];
    /** Old engine URNs no new resource claims: the engine deletes them. */
    unclaimed: string[];
}

/** Matches `resources` (one evaluation, in registration order) against the engine URNs of an old state. */
export function matchUrns(
    resources: RegisteredResource[],
    stack: string,
    project: string,
    oldUrns: string[],
): UrnMatch {
    const engineUrn = new Map<string, string>();
    const old = new Set(oldUrns);
    const claimed = new Set<string>();
    /** sg.aliases: the old URN a resource was found under, when that was an alias. */
    const usedAlias = new Map<string, string>();
    const matched = new Map<string, string>();
    const unmatched: string[] = [];

    const createUrn = (name: string, type: string, parent: string, proj: string, stackName: string) =>
        `urn:pulumi:${stackName}::${proj}::${parent ? `${qualifiedTypeOf(parent)}$` : ""}${type}::${name}`;
    const collapse = (r: RegisteredResource, parent: string, a: RecordedAlias): string => {
        if ("urn" in a) return a.urn;
        let aliasParent = parent;
        if (a.parentUrn) {
            aliasParent = engineUrn.get(a.parentUrn) ?? a.parentUrn;
            aliasParent = usedAlias.get(aliasParent) ?? aliasParent;
        }
        if (a.noParent || (aliasParent && qualifiedTypeOf(aliasParent) === stackType)) aliasParent = "";
        return createUrn(a.name || r.name, a.type || r.type, aliasParent, a.project || project, a.stack || stack);
    };
    const inherited = (childType: string, childName: string, parentName: string, parentAlias: string) => {
        const name = childName.startsWith(parentName)
            ? nameOf(parentAlias) + childName.slice(parentName.length)
            : childName;
        return urnOf(stack, project, `${qualifiedTypeOf(parentAlias)}$${childType}`, name);
    };

    for (const r of resources) {
        const parent = r.parent ? engineUrn.get(r.parent)! : "";
        const underStack = !parent || qualifiedTypeOf(parent) === stackType;
        const urn = urnOf(stack, project, underStack ? r.type : `${qualifiedTypeOf(parent)}$${r.type}`, r.name);
        engineUrn.set(r.urn, urn);

        const aliases = (r.aliases ?? []).map((a) => collapse(r, parent, a));
        const parentAlias = parent ? usedAlias.get(parent) : undefined;
        if (parentAlias !== undefined) {
            aliases.push(inherited(r.type, r.name, nameOf(parent), parentAlias));
            for (const a of [...aliases.slice(0, (r.aliases ?? []).length)])
                aliases.push(inherited(baseTypeOf(a), nameOf(a), nameOf(parent), parentAlias));
        }
        const found = [urn, ...aliases].find((u) => old.has(u));
        if (found === undefined || claimed.has(found)) {
            unmatched.push(urn);
            continue;
        }
        claimed.add(found);
        matched.set(r.urn, found);
        if (found !== urn) usedAlias.set(urn, found);
    }
    return { matched, engineUrn, unmatched, unclaimed: oldUrns.filter((u) => !claimed.has(u)) };
}
