// Readiness as resource options. A component provisions nothing itself and its children do not
// inherit its `dependsOn`, so each component moves the list to the children that must wait.
import * as pulumi from "@pulumi/pulumi";

/** A `dependsOn` in any form Pulumi accepts (one resource, a list, or an Input of either). */
export type DependsOn = pulumi.ResourceOptions["dependsOn"];

/**
 * The component's options without `dependsOn` (what it registers itself with), and that
 * `dependsOn` (what its waiting children get).
 */
export function splitDependsOn<T extends pulumi.ResourceOptions>(
    opts: T | undefined,
): { own: Omit<T, "dependsOn">; dependsOn: DependsOn } {
    const { dependsOn, ...own } = opts ?? ({} as T);
    return { own, dependsOn };
}

/** Every resource of `lists`, as one `dependsOn` (a plain list unless some list is an Output or Promise). */
export function allDependsOn(...lists: DependsOn[]): pulumi.Input<pulumi.Input<pulumi.Resource>[]> {
    const plain: pulumi.Input<pulumi.Resource>[] = [];
    const pending: DependsOn[] = [];
    for (const d of lists) {
        if (d === undefined) continue;
        else if (Array.isArray(d)) plain.push(...d);
        else if (pulumi.Resource.isInstance(d)) plain.push(d);
        else pending.push(d);
    }
    if (pending.length === 0) return plain;
    // Resources pass through pulumi.output unwrapped (output.js outputRec keeps them as they are).
    return pulumi.output([plain, ...pending]).apply((ls) => ls.flat() as pulumi.Resource[]);
}
