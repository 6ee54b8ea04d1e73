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

/**
 * The state of a stack created up to 1779988 (issue 20 item 2's first half), models in gs:// buckets:
 * GkeModelReader made a Google service account `torchserve-models` that TorchServe's ServiceAccount
 * impersonated (`roles/iam.workloadIdentityUser` for `serviceAccount:<pool>[<ns>/torchserve]`, the
 * ServiceAccount annotated `iam.gke.io/gcp-service-account`), and granted the buckets to that account
 * (`git show 1779988:components/gke/modelReader.ts`). Built from today's evaluation: its grants name
 * the account instead of the pods' principal, and the account, its binding and the annotation are added.
 */
export function createdWithModelReaderAccount(ev: Evaluation): Evaluation {
    const grants = ev.resources.filter((r) => r.type === "gcp:storage/bucketIAMMember:BucketIAMMember");
    if (grants.length === 0) throw new Error("expected the models' bucket grants");
    const project = "my-gcp-project";
    const email = `torchserve-models-00000000@${project}.iam.gserviceaccount.com`;
    const like = (type: string, name: string, inputs: Record<string, any>): RegisteredResource => {
        const g = grants[0];
        const urn = g.urn.replace(/\$gcp:storage\/bucketIAMMember:BucketIAMMember::.*$/, `$${type}::${name}`);
        return { ...g, urn, type, name, inputs, dependencies: [], propertyDependencies: {} };
    };
    const account = like("gcp:serviceaccount/account:Account", "torchserve-models", {
        project,
        accountId: "torchserve-models-00000000",
        displayName: "TorchServe model reader",
        description: "TorchServe pods read their model archives",
    });
    const binding = like("gcp:serviceaccount/iAMMember:IAMMember", "torchserve-models-workload-identity", {
        serviceAccountId: `projects/${project}/serviceAccounts/${email}`,
        role: "roles/iam.workloadIdentityUser",
        member: `serviceAccount:${project}.svc.id.goog[torchserve/torchserve]`,
    });
    let annotated = 0;
    const resources = ev.resources.map((r): RegisteredResource => {
        if (r.type === "gcp:storage/bucketIAMMember:BucketIAMMember")
            return { ...r, inputs: { ...r.inputs, member: `serviceAccount:${email}` } };
        if (r.type === "kubernetes:core/v1:ServiceAccount" && r.inputs.metadata?.name === "torchserve") {
            annotated++;
            const metadata = { ...r.inputs.metadata, annotations: { "iam.gke.io/gcp-service-account": email } };
            return { ...r, inputs: { ...r.inputs, metadata } };
        }
        return r;
    });
    if (annotated !== 1) throw new Error(`expected TorchServe's ServiceAccount once, found ${annotated}`);
    return { ...ev, resources: [...resources, account, binding] };
}
