// Names a provider gives an object the program leaves unnamed, as the mocks' outputs carry them.
// pulumi-kubernetes names a Kubernetes object without `metadata.name` during Check: its logical name,
// `-` and a random suffix (pulumi/pulumi-kubernetes provider/pkg/metadata/naming.go
// AssignNameIfAutonamable), kept on later updates (AdoptOldAutonameIfUnnamed). When the object is
// replaced, the engine runs Check again without the old inputs ("we need to recompute the default
// values", pulumi/pulumi pkg/resource/deploy/step_generator.go), so the replacement gets a new name
// and is created before the old one is deleted (pulumi-kubernetes Diff: delete first only when the
// object is not autonamed and keeps its name).
import { createHash } from "crypto";
import { MockResourceArgs } from "@pulumi/pulumi/runtime/mocks";

/** Kubernetes objects (not Helm releases, providers or our components), which pulumi-kubernetes autonames. */
const kubernetesObject = (type: string) =>
    /^kubernetes:[^:]+:[A-Za-z0-9]+$/.test(type) && !type.startsWith("kubernetes:helm.sh/");

/** A stable placeholder suffix: 8 hex characters, another one for a replacement. */
function suffix(args: MockResourceArgs, replacement: boolean): string {
    return createHash("sha256")
        .update(`${args.type}::${args.name}${replacement ? "#replacement" : ""}`)
        .digest("hex")
        .slice(0, 8);
}

/**
 * `state` with the name the provider would give it: for an unnamed Kubernetes object,
 * `metadata.name` = `<logical name>-<suffix>` (`replacement`: the one its replacement gets).
 */
export function withProviderName(
    args: MockResourceArgs,
    state: Record<string, any>,
    replacement: boolean,
): Record<string, any> {
    if (!kubernetesObject(args.type)) return state;
    const metadata = state.metadata ?? {};
    if (metadata.name !== undefined || metadata.generateName !== undefined) return state;
    return { ...state, metadata: { ...metadata, name: `${args.name}-${suffix(args, replacement)}` } };
}
