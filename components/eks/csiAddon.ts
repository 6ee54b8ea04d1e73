import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { IrsaRole } from "./iam";

/** What a storage component needs of the cluster to install its CSI driver add-on. */
export interface CsiClusterArgs {
    /** EKS cluster name (an output of the cluster, so the add-on waits for it). */
    clusterName: pulumi.Input<string>;
    /**
     * The add-on version, pinned (components/eks/versions.ts): a new version is an update the plan
     * shows, never a default AWS changes between two runs. Absent = EKS's default at creation.
     */
    addonVersion?: string;
    /** The cluster's OIDC provider, for the CSI controller's IAM role. */
    oidcProviderArn: pulumi.Input<string>;
    /** OIDC issuer without `https://`. */
    oidcIssuer: pulumi.Input<string>;
    /** Tags on AWS resources. */
    tags?: Record<string, string>;
}

/** Resource options of a storage component that installs a CSI driver add-on. */
export interface CsiStorageOptions extends pulumi.ComponentResourceOptions {
    /**
     * Resources the add-on waits for: its pods need nodes to run on before it reports ACTIVE (the
     * system node group). Unlike `dependsOn`, which would order only the component itself.
     */
    addonDependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** A CSI driver installed as an EKS add-on, with its controller's IAM role (IRSA). */
export interface CsiAddonArgs extends CsiClusterArgs {
    /** EKS add-on name, e.g. `aws-efs-csi-driver`. */
    addonName: string;
    /** Service account(s) in kube-system the role trusts (a `*` pattern is allowed). */
    serviceAccount: string;
    /** AWS managed policy the driver needs. */
    policyArn: string;
}

/**
 * The role and the add-on, as children of `parent` named `<name>`; the add-on waits for `dependsOn`
 * and the role's permissions. The add-on version is the pinned `addonVersion`.
 */
export function csiAddon(
    name: string,
    args: CsiAddonArgs,
    parent: pulumi.Resource,
    dependsOn: pulumi.Input<pulumi.Resource>[] = [],
): { role: IrsaRole; addon: aws.eks.Addon } {
    const role = new IrsaRole(
        name,
        {
            oidcProviderArn: args.oidcProviderArn,
            oidcIssuer: args.oidcIssuer,
            namespace: "kube-system",
            serviceAccount: args.serviceAccount,
            managedPolicyArns: [args.policyArn],
            tags: args.tags ?? {},
        },
        { parent },
    );
    const addon = new aws.eks.Addon(
        name,
        {
            clusterName: args.clusterName,
            addonName: args.addonName,
            addonVersion: args.addonVersion,
            serviceAccountRoleArn: role.arn,
            resolveConflictsOnCreate: "OVERWRITE",
            resolveConflictsOnUpdate: "OVERWRITE",
            tags: args.tags ?? {},
        },
        { parent, dependsOn: [...dependsOn, ...role.permissions()] },
    );
    return { role, addon };
}
