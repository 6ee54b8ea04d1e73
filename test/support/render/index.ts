// A stack's Helm releases rendered with a real helm, with everything the cross-checks read.
import { istioKubernetesMinors } from "../../../components/mesh/charts";
import { kubernetesVersion, NodePool, nodePools } from "./cluster";
import { clusterProvidedObjects } from "./clusterObjects";
import { programResources, ProgramResource } from "./evaluation";
import { K8sObject, Placed } from "./manifest";
import { programObjects } from "./programObjects";
import { dependencyClosure, helmReleases } from "./releases";
import { RenderedRelease, renderReleases } from "./render";

export interface RenderedStack {
    kubeVersion: string;
    resources: ProgramResource[];
    releases: RenderedRelease[];
    /** Every object: rendered by the releases, then those the program registers itself. */
    objects: Placed[];
    /** The CRDs the releases install. */
    crds: K8sObject[];
    /** Objects the cluster has without us (API server and kubelet Services). */
    clusterObjects: K8sObject[];
    pools: NodePool[];
    /** URN → every URN it waits for. */
    closure: Map<string, Set<string>>;
}

/**
 * An existing cluster's version is the user's: render at the oldest minor the add-ons support
 * (the pinned Istio's floor, stacks/config/capacity.ts).
 */
export const existingClusterKubeVersion = `1.${istioKubernetesMinors.min}`;

/** Evaluates example stack `stack` (config `override` applied) and renders its releases. */
export async function renderStack(stack: string, override?: Record<string, unknown>): Promise<RenderedStack> {
    const resources = await programResources(stack, override);
    const closure = dependencyClosure(resources);
    const kubeVersion = kubernetesVersion(resources, existingClusterKubeVersion);
    const releases = await renderReleases(helmReleases(resources), closure, kubeVersion);
    const rendered = releases.flatMap((r) => r.objects);
    const crds = rendered.map((p) => p.object).filter((o) => o.kind === "CustomResourceDefinition");
    return {
        kubeVersion,
        resources,
        releases,
        objects: [...rendered, ...programObjects(resources, crds)],
        crds,
        clusterObjects: clusterProvidedObjects(rendered.map((p) => p.object)),
        pools: nodePools(resources),
        closure,
    };
}
