// What earlier versions of the program registered for the GKE cluster, for transition tests from a
// stack they created. Up to 8a4328f (the commit before issue 20's fixes) components/gke/index.ts gave
// the container.Cluster no `nodeConfig`: GKE's throwaway default pool ran as the Compute Engine default
// account (`git show 8a4328f:components/gke/index.ts`).
import type { Evaluation, RegisteredResource } from "../../harness/evaluate";

export const gkeClusterType = "gcp:container/cluster:Cluster";

/** The state of a stack created by 8a4328f: the evaluation's cluster without `nodeConfig`. */
export function createdWithoutClusterNodeConfig(ev: Evaluation): Evaluation {
    let found = 0;
    const resources = ev.resources.map((r): RegisteredResource => {
        if (r.type !== gkeClusterType) return r;
        found++;
        const { nodeConfig: _dropped, ...inputs } = r.inputs;
        return { ...r, inputs };
    });
    if (found !== 1) throw new Error(`expected one GKE cluster, found ${found}`);
    return { ...ev, resources };
}
