// Read access to the Cloud Storage buckets TorchServe's models come from, through GKE Workload
// Identity: no keys in the cluster; the Google service account reads objects of the named buckets only.
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as storage from "@pulumi/gcp/storage";
import * as pulumi from "@pulumi/pulumi";

/**
 * Read objects (get and list) and nothing else
 * (https://cloud.google.com/storage/docs/access-control/iam-roles). Granted per bucket: Cloud
 * Storage IAM has no narrower resource than a bucket without IAM Conditions.
 */
export const objectViewerRole = "roles/storage.objectViewer";

/** Lets a Kubernetes ServiceAccount act as the Google service account (https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity). */
export const workloadIdentityUserRole = "roles/iam.workloadIdentityUser";

/** The ServiceAccount annotation that names the Google service account pods act as. */
export const gcpServiceAccountAnnotation = "iam.gke.io/gcp-service-account";

/**
 * The IAM member of a Kubernetes ServiceAccount in the cluster's workload identity pool
 * (`<project>.svc.id.goog`, as the cluster reports it in `workloadIdentityConfig.workloadPool`).
 */
export function workloadIdentityMember(workloadPool: string, namespace: string, serviceAccount: string): string {
    return `serviceAccount:${workloadPool}[${namespace}/${serviceAccount}]`;
}

export interface GkeModelReaderArgs {
    /** Google Cloud project of the cluster and of the reader's Google service account. */
    project: string;
    /**
     * The cluster's Workload Identity pool as the cluster reports it
     * (`GkeCluster.workloadPool`, i.e. `workloadIdentityConfig.workloadPool`): the binding is an output of
     * the cluster, so it is made after the cluster exists. IAM refuses a member of a pool no cluster has
     * created yet (`Identity Pool does not exist`, terraform-google-modules/terraform-google-kubernetes-engine#916).
     */
    workloadPool: pulumi.Input<string>;
    /** Google service account ID (6-30 characters, lowercase letters, digits, '-'). */
    accountId: string;
    /** Namespace of TorchServe's ServiceAccount. */
    namespace: string;
    /** TorchServe's ServiceAccount name. */
    serviceAccount: string;
    /** Buckets the model objects are in. */
    buckets: string[];
}

/**
 * A Google service account with `roles/storage.objectViewer` on each bucket, which TorchServe's
 * ServiceAccount may act as. `annotations` go on that ServiceAccount.
 */
export class GkeModelReader extends pulumi.ComponentResource {
    public readonly account: serviceaccount.Account;
    /** ServiceAccount annotations that bind it to the Google service account. */
    public readonly annotations: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: GkeModelReaderArgs, opts?: pulumi.ComponentResourceOptions) {
        super("torchserve-platform:index:GkeModelReader", name, {}, opts);
        // The APIs the caller orders this after (iam.googleapis.com, storage.googleapis.com): every
        // child waits for them, not only the component.
        const parent = { parent: this, dependsOn: opts?.dependsOn };
        this.account = new serviceaccount.Account(
            name,
            {
                project: args.project,
                accountId: args.accountId,
                displayName: "TorchServe model reader",
                description: "TorchServe pods read their model archives",
            },
            parent,
        );
        const member = pulumi.interpolate`serviceAccount:${this.account.email}`;
        const grants = [...new Set(args.buckets)]
            .sort()
            .map(
                (bucket) =>
                    new storage.BucketIAMMember(
                        `${name}-${bucket}`,
                        { bucket, role: objectViewerRole, member },
                        parent,
                    ),
            );
        const binding = new serviceaccount.IAMMember(
            `${name}-workload-identity`,
            {
                serviceAccountId: this.account.name,
                role: workloadIdentityUserRole,
                member: pulumi
                    .output(args.workloadPool)
                    .apply((pool) => workloadIdentityMember(pool, args.namespace, args.serviceAccount)),
            },
            parent,
        );
        // An output of every grant: pods created with the annotation wait until they can read.
        const email = pulumi.all([this.account.email, binding.id, ...grants.map((g) => g.id)]).apply(([e]) => e);
        this.annotations = { [gcpServiceAccountAnnotation]: email };
        this.registerOutputs({ email: this.account.email });
    }
}
