// The VPC CNI's AWS permissions on its own identity instead of every node's role: a role only the
// aws-node service account gets, through EKS Pod Identity. Not IRSA: the CNI add-on belongs to the
// pulumi-eks Cluster, whose inputs cannot name a role that trusts the cluster's own OIDC provider (a
// cycle); a Pod Identity role trusts the EKS service instead, and the association binding it to
// aws-node is a resource of its own. The VPC CNI supports Pod Identity from v1.15.5-eksbuild.1
// (awsdocs/amazon-eks-user-guide workloads/add-ons-iam.adoc, "Pod Identity Support Reference").
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { podIdentityTrustPolicy, vpcCniPolicyArn } from "./iam";

/** Where the VPC CNI runs: the DaemonSet's service account. */
export const vpcCniServiceAccount = { namespace: "kube-system", name: "aws-node" } as const;
const vpcCniSubject = { namespace: vpcCniServiceAccount.namespace, serviceAccount: vpcCniServiceAccount.name };

export interface VpcCniIdentityArgs {
    /** EKS cluster name (an output of the cluster, so everything waits for it). */
    clusterName: pulumi.Input<string>;
    /** The cluster's ARN: only aws-node of this cluster may assume the role. */
    clusterArn: pulumi.Input<string>;
    /** Kubernetes version, for the Pod Identity Agent add-on version EKS marks default for it. */
    kubernetesVersion: string;
    /** The Pod Identity Agent add-on's pinned version (components/eks/versions.ts); absent = EKS's default. */
    agentVersion?: string;
    /** Tags on AWS resources. */
    tags?: Record<string, string>;
}

/**
 * The CNI's role (AmazonEKS_CNI_Policy), the EKS Pod Identity Agent add-on that serves its
 * credentials on every node, and the association of the role with aws-node, as children of `parent`.
 * Pods created before the association keep the node role's credentials: node groups must wait for it
 * (their nodes' aws-node pods are then created with it).
 */
export function vpcCniIdentity(name: string, args: VpcCniIdentityArgs, parent: pulumi.Resource) {
    const tags = args.tags ?? {};
    const assumeRolePolicy = pulumi
        .output(args.clusterArn)
        .apply((clusterArn) => podIdentityTrustPolicy({ clusterArn, ...vpcCniSubject }));
    const role = new aws.iam.Role(name, { assumeRolePolicy, tags }, { parent });
    const policy = new aws.iam.RolePolicyAttachment(name, { role: role.name, policyArn: vpcCniPolicyArn }, { parent });
    // Pinned: an upgrade is a reviewed change, never a default AWS moves between two runs.
    const agentVersion =
        args.agentVersion !== undefined
            ? { version: pulumi.output(args.agentVersion) }
            : aws.eks.getAddonVersionOutput(
                  { addonName: "eks-pod-identity-agent", kubernetesVersion: args.kubernetesVersion, mostRecent: false },
                  { parent },
              );
    const agent = new aws.eks.Addon(
        `${name}-agent`,
        {
            clusterName: args.clusterName,
            addonName: "eks-pod-identity-agent",
            addonVersion: agentVersion.version,
            resolveConflictsOnCreate: "OVERWRITE",
            resolveConflictsOnUpdate: "OVERWRITE",
            tags,
        },
        { parent },
    );
    const association = new aws.eks.PodIdentityAssociation(
        name,
        {
            clusterName: args.clusterName,
            namespace: vpcCniServiceAccount.namespace,
            serviceAccount: vpcCniServiceAccount.name,
            roleArn: role.arn,
            tags,
        },
        { parent, dependsOn: [agent, policy] },
    );
    return { role, policy, agent, association };
}
