// Cluster admins of an EKS cluster: an access entry per IAM principal, with AmazonEKSClusterAdminPolicy
// associated at cluster scope (EKS User Guide, "Grant IAM users access to Kubernetes with EKS access
// entries", https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html; access policies:
// https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html). Access entries
// need the cluster's authentication mode to be API or API_AND_CONFIG_MAP (pulumi-eks
// nodejs/eks/cluster/authenticationMode.ts supportsAccessEntries); EksCluster creates it with API.
// Only the cluster's creator is an admin without them (CreateCluster's
// bootstrapClusterCreatorAdminPermissions, true by default), so a cluster created by CI would lock
// its operators out.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";

/** Authentication modes that take access entries. */
export const accessEntryModes = ["API", "API_AND_CONFIG_MAP"] as const;

/** Whether a cluster with this authentication mode takes access entries. */
export function supportsAccessEntries(mode: string | undefined): boolean {
    return accessEntryModes.includes(mode as (typeof accessEntryModes)[number]);
}

/** The cluster admin access policy's ARN in the principal's partition (`arn:aws-cn:…` in China). */
export function clusterAdminPolicyArn(principalArn: string): string {
    const partition = principalArn.split(":")[1] ?? "aws";
    return `arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`;
}

/** A name for a principal's resources that does not move when the list is reordered (ARNs hold `::`). */
export function adminResourceName(name: string, principalArn: string): string {
    const role = principalArn.split("/").pop() ?? "principal";
    return `${name}-${role}-${createHash("sha256").update(principalArn).digest("hex").slice(0, 8)}`;
}

export interface EksClusterAdminsArgs {
    /** Name of the EKS cluster (an output of it, so the entries wait for the cluster). */
    clusterName: pulumi.Input<string>;
    /** The cluster's authentication mode; access entries need one of `accessEntryModes`. */
    authenticationMode: string;
    /** IAM role or user ARNs made cluster admins. */
    principalArns: string[];
}

/** One access entry and one AmazonEKSClusterAdminPolicy association per principal. */
export class EksClusterAdmins extends pulumi.ComponentResource {
    readonly entries: aws.eks.AccessEntry[];
    readonly policies: aws.eks.AccessPolicyAssociation[];

    constructor(name: string, args: EksClusterAdminsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("torchserve-platform:index:EksClusterAdmins", name, {}, opts);
        if (args.principalArns.length && !supportsAccessEntries(args.authenticationMode))
            throw new Error(
                `cluster.admins needs access entries, which authentication mode ${args.authenticationMode} does not take (${accessEntryModes.join(" or ")})`,
            );
        this.entries = [];
        this.policies = [];
        for (const principalArn of args.principalArns) {
            const base = adminResourceName(name, principalArn);
            const entry = new aws.eks.AccessEntry(
                base,
                { clusterName: args.clusterName, principalArn, type: "STANDARD" },
                { parent: this },
            );
            this.entries.push(entry);
            // The policy is associated with the principal's entry, which must exist first.
            this.policies.push(
                new aws.eks.AccessPolicyAssociation(
                    base,
                    {
                        clusterName: args.clusterName,
                        principalArn: entry.principalArn,
                        policyArn: clusterAdminPolicyArn(principalArn),
                        accessScope: { type: "cluster" },
                    },
                    { parent: this },
                ),
            );
        }
        this.registerOutputs({});
    }
}
