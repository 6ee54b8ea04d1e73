// Provisioning order from a plan: what each resource waits for, and the longest chain of resources
// that must be created one after another (a lower bound on `pulumi up`'s wall time).
import { compare, DEFAULT_PROVIDER, PlanResource, ProvisioningChain } from "./model";

/**
 * What a resource waits for before it is created (ids), following how the SDK and engine order a
 * real deployment:
 *  - its dependencies (explicit dependsOn and every resource an input comes from); a dependency on
 *    a component means all of the component's descendants;
 *  - its explicit provider (a provider is configured from its own inputs, e.g. a cluster's
 *    kubeconfig, so a Kubernetes object waits for what its provider waits for);
 *  - its parent: a child is registered only once its parent's URN is known, and a component's URN
 *    is known only after the component's own dependencies exist. So a child of a component that
 *    dependsOn X waits for X, although X is not among the child's own dependencies. Parents are not
 *    edges otherwise: a component completes nothing itself.
 */
export function waitsFor(resources: PlanResource[]): Map<string, Set<string>> {
    const byId = new Map(resources.map((r) => [r.id, r]));
    const children = new Map<string, string[]>();
    for (const r of resources) if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r.id]);
    const descendants = (id: string): string[] => (children.get(id) ?? []).flatMap((c) => [c, ...descendants(c)]);
    const expand = (id: string): string[] => {
        const r = byId.get(id);
        return r && !r.custom && !isOpaqueComponent(r) ? descendants(id).filter((d) => isStep(byId.get(d)!)) : [id];
    };
    const own = (r: PlanResource): Set<string> => {
        const s = new Set<string>();
        for (const d of r.dependencies) for (const e of expand(d)) s.add(e);
        if (r.provider && r.provider !== DEFAULT_PROVIDER) s.add(r.provider);
        return s;
    };
    const memo = new Map<string, Set<string>>();
    const resolve = (r: PlanResource): Set<string> => {
        const hit = memo.get(r.id);
        if (hit) return hit;
        const s = own(r);
        const parent = r.parent ? byId.get(r.parent) : undefined;
        if (parent && parent.type !== "pulumi:pulumi:Stack") {
            if (parent.custom) s.add(parent.id);
            else for (const d of resolve(parent)) s.add(d);
        }
        s.delete(r.id);
        memo.set(r.id, s);
        return s;
    };
    return new Map(resources.map((r) => [r.id, resolve(r)]));
}

/**
 * A multi-language component (e.g. `eks:index:Cluster`): its provider builds its children, which a
 * mock run never sees, so it stands for the work inside it as one opaque step.
 */
export function isOpaqueComponent(r: PlanResource): boolean {
    return !r.custom && !r.type.startsWith("torchserve-platform:") && r.type !== "pulumi:pulumi:Stack";
}

/**
 * A provisioned step: a custom resource other than a provider, or an opaque component (providers
 * and our own components take no time).
 */
export function isStep(r: PlanResource): boolean {
    return (r.custom && !r.type.startsWith("pulumi:providers:")) || isOpaqueComponent(r);
}

/** Longest chain of steps ending at each resource (ties broken by id, so answers are deterministic). */
function chains(resources: PlanResource[]): Map<string, string[]> {
    const byId = new Map(resources.map((r) => [r.id, r]));
    const waits = waitsFor(resources);
    const memo = new Map<string, string[]>();
    const visiting = new Set<string>();
    const chainTo = (id: string): string[] => {
        const hit = memo.get(id);
        if (hit) return hit;
        if (visiting.has(id)) throw new Error(`dependency cycle through ${id}`);
        visiting.add(id);
        let best: string[] = [];
        for (const d of [...(waits.get(id) ?? [])].sort(compare)) {
            if (!byId.has(d)) continue;
            const c = chainTo(d);
            if (c.length > best.length) best = c;
        }
        visiting.delete(id);
        const chain = isStep(byId.get(id)!) ? [...best, id] : best;
        memo.set(id, chain);
        return chain;
    };
    for (const r of resources) chainTo(r.id);
    return memo;
}

/** The longest chain of steps that ends at (and includes, if a step) resource `id`. */
export function chainEndingAt(resources: PlanResource[], id: string): ProvisioningChain {
    const path = chains(resources).get(id) ?? [];
    return { length: path.length, path };
}

/** Longest chain of steps along `waitsFor`: the least number of sequential creations. */
export function longestChain(resources: PlanResource[]): ProvisioningChain {
    const all = chains(resources);
    let best: string[] = [];
    for (const id of [...all.keys()].sort(compare)) {
        const c = all.get(id)!;
        if (c.length > best.length) best = c;
    }
    return { length: best.length, path: best };
}

/** Every id `id` waits for, directly or not. */
export function transitiveWaits(resources: PlanResource[], id: string): Set<string> {
    const waits = waitsFor(resources);
    const seen = new Set<string>();
    const stack = [...(waits.get(id) ?? [])];
    while (stack.length) {
        const d = stack.pop()!;
        if (seen.has(d)) continue;
        seen.add(d);
        stack.push(...(waits.get(d) ?? []));
    }
    return seen;
}
