// Read access to the Cloud Storage buckets TorchServe's models come from, through Workload Identity
// Federation for GKE: no keys and no Google service account. The bucket role is granted to TorchServe's
// Kubernetes ServiceAccount itself, as an IAM principal of the cluster's workload identity pool
// (https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity, "Configure authorization
// and principals"). Both readers accept it:
// - the Cloud Storage FUSE CSI driver (bucket store): without the ServiceAccount's
//   `iam.gke.io/gcp-service-account` annotation it uses the identity-binding token of the pod's
//   ServiceAccount as it is ("Kubernetes SA ... is not bound with a GCP SA, proceed with the
//   IdentityBindingToken", GoogleCloudPlatform/gcs-fuse-csi-driver
//   pkg/cloud_provider/auth/token_sources.go fetchGCPSAToken @5fcdc04a); its docs/authentication.md
//   @5fcdc04a checks for exactly this `principal://…/subject/ns/<ns>/sa/<ksa>` binding and marks the
//   Google-service-account path "(deprecated)";
// - the model fetcher (file-share store, components/torchserve/fetchModels.ts gcs_token) calls no
//   client library: it asks the GKE metadata server for `service-accounts/default/token`, which for a
//   ServiceAccount without the annotation answers a federated access token of that principal, and
//   sends it to the Cloud Storage JSON API, which accepts federated principals
//   (https://cloud.google.com/iam/docs/federated-identity-supported-services, Cloud Storage).
import * as organizations from "@pulumi/gcp/organizations";
import * as storage from "@pulumi/gcp/storage";
import * as pulumi from "@pulumi/pulumi";

/**
 * Read objects (get and list) and nothing else
 * (https://cloud.google.com/storage/docs/access-control/iam-roles). Granted per bucket: Cloud
 * Storage IAM has no narrower resource than a bucket without IAM Conditions.
 */
export const objectViewerRole = "roles/storage.objectViewer";

/**
 * The IAM principal of a Kubernetes ServiceAccount in the cluster's workload identity pool
 * (`<project>.svc.id.goog`, as the cluster reports it in `workloadIdentityConfig.workloadPool`); the
 * pool is named under the project's *number* (GKE docs, "Configure authorization and principals").
 */
export function workloadIdentityPrincipal(
    projectNumber: string,
    workloadPool: string,
    namespace: string,
    serviceAccount: string,
): string {
    return (
        `principal://iam.googleapis.com/projects/${projectNumber}/locations/global/workloadIdentityPools/` +
        `${workloadPool}/subject/ns/${namespace}/sa/${serviceAccount}`
    );
}

export interface GkeModelReaderArgs {
    /** Google Cloud project of the cluster (its number is looked up). */
    project: string;
    /**
     * The cluster's Workload Identity pool as the cluster reports it
     * (`GkeCluster.workloadPool`, i.e. `workloadIdentityConfig.workloadPool`): the grants are outputs of
     * the cluster, so they are made after the cluster exists. IAM refuses a member of a pool no cluster
     * has created yet (`Identity Pool does not exist`, terraform-google-modules/terraform-google-kubernetes-engine#916).
     */
    workloadPool: pulumi.Input<string>;
    /** Namespace of TorchServe's ServiceAccount. */
    namespace: string;
    /** TorchServe's ServiceAccount name. */
    serviceAccount: string;
    /** Buckets the model objects are in. */
    buckets: string[];
}

/**
 * `roles/storage.objectViewer` on each bucket for TorchServe's own ServiceAccount. `grants` are what
 * its pods wait for (nothing on the ServiceAccount carries them any more).
 */
export class GkeModelReader extends pulumi.ComponentResource {
    /** The bucket grants, one per bucket. */
    public readonly grants: storage.BucketIAMMember[];
    /** The member the grants name. */
    public readonly member: pulumi.Output<string>;

    constructor(name: string, args: GkeModelReaderArgs, opts?: pulumi.ComponentResourceOptions) {
        super("torchserve-platform:index:GkeModelReader", name, {}, opts);
        // The APIs the caller orders this after (storage.googleapis.com): every child and the project
        // lookup wait for them, not only the component.
        const parent = { parent: this, dependsOn: opts?.dependsOn };
        // Resource Manager's projects.get (a prerequisite API, README) for the project number.
        const number = organizations.getProjectOutput(
            { projectId: args.project },
            { parent: this, dependsOn: opts?.dependsOn },
        ).number;
        this.member = pulumi
            .all([number, args.workloadPool])
            .apply(([n, pool]) => workloadIdentityPrincipal(n, pool, args.namespace, args.serviceAccount));
        this.grants = [...new Set(args.buckets)]
            .sort()
            .map(
                (bucket) =>
                    new storage.BucketIAMMember(
                        `${name}-${bucket}`,
                        { bucket, role: objectViewerRole, member: this.member },
                        parent,
                    ),
            );
        this.registerOutputs({ member: this.member });
    }
}
