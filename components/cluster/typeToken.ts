// Type tokens of this package's components. Pulumi's component provider host serves only the `index`
// module, so every component registers as `torchserve-platform:index:<ClassName>`. Each keeps its
// previous token as an alias: stacks created before see the same resources (the engine derives
// every child's old URN from its parent's alias), not a replacement.
import * as pulumi from "@pulumi/pulumi";

/** `opts` with an alias from the component's previous type token added to the caller's aliases. */
export function aliasPreviousType(
    opts: pulumi.ComponentResourceOptions | undefined,
    previousType: string,
): pulumi.ComponentResourceOptions {
    return { ...opts, aliases: [...(opts?.aliases ?? []), { type: previousType }] };
}
