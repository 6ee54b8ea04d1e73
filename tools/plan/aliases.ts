// The earlier ids a resource answers to through its `aliases`, so a diff shows a renamed type token
// or a move to another parent as a rename (Pulumi keeps the resource) rather than a delete and create.
//
// Follows the SDK's own alias expansion (@pulumi/pulumi resource.js `allAliases`,
// `inheritedChildAlias`, `collapseAliasToUrn`): each alias of the resource itself, plus — for every
// earlier id of its parent — the resource (and each of its aliases) under that earlier parent; a
// child whose name starts with the parent's name takes the parent alias's name as that prefix. The
// engine applies the same rules to alias specs (pulumi/pulumi step_generator.go generateAliases) with
// the one alias its parent was found under; a plan lists every candidate, and a diff takes the one
// the old plan has.
import { RecordedAlias, RegisteredResource } from "../../harness/evaluate";

const STACK_TYPE = "pulumi:pulumi:Stack";

/** `qualifiedType::name` → [qualifiedType, name]. */
function split(id: string): [string, string] {
    const at = id.lastIndexOf("::");
    return [id.slice(0, at), id.slice(at + 2)];
}

function join(parentId: string, type: string, name: string): string {
    const parentType = parentId ? split(parentId)[0] : "";
    return parentType ? `${parentType}$${type}::${name}` : `${type}::${name}`;
}

/**
 * Earlier ids per resource (by URN), without its current id; empty for most. `id` maps a URN to the
 * plan's id (model.ts `resourceIds`).
 */
export function aliasIds(
    resources: RegisteredResource[],
    id: (urn: string) => string,
    project: string,
    stack: string,
): Map<string, string[]> {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const memo = new Map<string, string[]>();
    // The stack is no part of an id (model.ts `resourceId`).
    const idOfParent = (urn: string | undefined): string =>
        !urn || (byUrn.get(urn)?.type ?? split(id(urn))[0]) === STACK_TYPE ? "" : id(urn);
    // A spec's empty fields mean "as the resource is now" (harness/evaluate.ts RecordedAlias).
    const own = (r: RegisteredResource, a: RecordedAlias): string | undefined => {
        if ("urn" in a) return id(a.urn);
        // An alias into another stack or project is not an earlier id of this plan's resource.
        if ((a.stack && a.stack !== stack) || (a.project && a.project !== project)) return undefined;
        const parent = a.noParent ? "" : idOfParent(a.parentUrn || r.parent);
        return join(parent, a.type || r.type, a.name || r.name);
    };
    const of = (r: RegisteredResource): string[] => {
        const hit = memo.get(r.urn);
        if (hit) return hit;
        memo.set(r.urn, []); // a parent cycle cannot happen in Pulumi; this only guards the recursion
        const mine = (r.aliases ?? []).map((a) => own(r, a)).filter((x): x is string => x !== undefined);
        const out = new Set(mine);
        const parent = r.parent ? byUrn.get(r.parent) : undefined;
        if (parent && parent.type !== STACK_TYPE) {
            const rename = (name: string, parentAlias: string) =>
                name.startsWith(parent.name) ? split(parentAlias)[1] + name.slice(parent.name.length) : name;
            for (const parentAlias of of(parent)) {
                out.add(join(parentAlias, r.type, rename(r.name, parentAlias)));
                for (const m of mine) {
                    const [qualified, name] = split(m);
                    out.add(join(parentAlias, qualified.split("$").pop()!, rename(name, parentAlias)));
                }
            }
        }
        out.delete(id(r.urn));
        const sorted = [...out].sort();
        memo.set(r.urn, sorted);
        return sorted;
    };
    return new Map(resources.map((r) => [r.urn, of(r)]));
}
