// Cross-check (d): every custom resource waits for the release that installs its CRD: the object
// comes from that release itself (Helm installs a chart's CRDs first), or the release or program
// resource creating it depends on that release, directly or through others.
import { describe, groupVersion, isKubernetesGroup, Placed } from "../manifest";
import { crdFor } from "../render";

/** `closure`: URN → every URN it waits for. */
export function crdOrderProblems(placed: Placed[], closure: Map<string, Set<string>>): string[] {
    const crds = placed.filter(
        (p) => p.object.kind === "CustomResourceDefinition" && p.object.apiVersion.startsWith("apiextensions.k8s.io/"),
    );
    const problems: string[] = [];
    for (const p of placed) {
        const { group } = groupVersion(p.object.apiVersion);
        if (isKubernetesGroup(group)) continue;
        const owners = crds.filter((c) => crdFor([c.object], p.object.apiVersion, p.object.kind));
        const what = `${p.origin}: ${describe(p.object)}`;
        if (owners.length === 0)
            problems.push(
                `${what}: no release of the stack installs the CRD for ${p.object.apiVersion} ${p.object.kind}`,
            );
        else if (!owners.some((c) => c.urn === p.urn || closure.get(p.urn)?.has(c.urn))) {
            problems.push(
                `${what} does not wait for ${owners.map((c) => c.origin).join(" or ")}, which installs its CRD`,
            );
        }
    }
    return problems;
}
