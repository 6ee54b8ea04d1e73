// IAM documents as pure functions, so tests read the exact policy a role gets.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { aliasPreviousType } from "../cluster/typeToken";

/**
 * Managed policies every EKS node needs (join the cluster, serve EKS Pod Identity credentials, pull
 * from ECR), keyed by their attachment's name suffix. The keys are the positions they held in a list
 * that also had the VPC CNI's policy at "1": unchanged names keep the attachments in place on existing
 * stacks (renumbering would replace one with a copy of another and then delete the original, detaching
 * that policy). The CNI's policy is on the CNI's own role now (`vpcCniPolicyArn`).
 */
export const nodeManagedPolicies: Record<string, string> = {
    "0": "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    "2": "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
};

/** What the VPC CNI (the aws-node service account) needs to give pods VPC addresses (IPv4 clusters). */
export const vpcCniPolicyArn = "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy";

/** Who may get a Pod Identity role: one service account of one cluster. */
export interface PodIdentitySubject {
    /** ARN of the EKS cluster (`arn:aws:eks:<region>:<account>:cluster/<name>`). */
    clusterArn: string;
    /** Namespace of the service account. */
    namespace: string;
    /** Service account name. */
    serviceAccount: string;
}

/**
 * Trust policy of a role for EKS Pod Identity: the EKS Auth service assumes it, and only for the one
 * service account of the one cluster an association names. Without conditions any Pod Identity
 * association in the account (any cluster, any namespace) could be given the role by whoever holds
 * iam:PassRole. EKS Pod Identity puts `kubernetes-namespace`, `kubernetes-service-account` and
 * `eks-cluster-arn` on the session as tags (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html,
 * "Setting Conditions"; pod-id-abac.html "Enable or disable session tags"), and aws:SourceAccount
 * is the account of the cluster asking (confused-deputy guard, same page).
 */
export function podIdentityTrustPolicy(subject: PodIdentitySubject): string {
    const account = subject.clusterArn.split(":")[4];
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: "pods.eks.amazonaws.com" },
                Action: ["sts:AssumeRole", "sts:TagSession"],
                Condition: {
                    StringEquals: {
                        "aws:SourceAccount": account,
                        "aws:RequestTag/eks-cluster-arn": subject.clusterArn,
                        "aws:RequestTag/kubernetes-namespace": subject.namespace,
                        "aws:RequestTag/kubernetes-service-account": subject.serviceAccount,
                    },
                },
            },
        ],
    });
}

/** AWS-managed policy the EFS CSI controller needs to create and delete access points. */
export const efsCsiDriverPolicyArn = "arn:aws:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy";

/** AWS-managed policy the EBS CSI controller needs to create, attach, resize and delete volumes. */
export const ebsCsiDriverPolicyArn = "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy";

export function ec2AssumeRolePolicy(): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
}

/**
 * Trust policy of an IAM role for service accounts (IRSA): only tokens the cluster's OIDC issuer signed
 * for the given service account(s) may assume it. `subject` may hold `*` (matched with StringLike).
 *
 * @param oidcProviderArn ARN of the cluster's IAM OIDC provider.
 * @param oidcIssuer issuer URL without `https://` (the condition-key prefix).
 * @param subject `system:serviceaccount:<namespace>:<name>`.
 */
export function irsaTrustPolicy(oidcProviderArn: string, oidcIssuer: string, subject: string): string {
    const issuer = oidcIssuer.replace(/^https:\/\//, "");
    const audience = { [`${issuer}:aud`]: "sts.amazonaws.com" };
    const sub = { [`${issuer}:sub`]: subject };
    const condition = subject.includes("*")
        ? { StringEquals: audience, StringLike: sub }
        : { StringEquals: { ...audience, ...sub } };
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Federated: oidcProviderArn },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: condition,
            },
        ],
    });
}

export function serviceAccountSubject(namespace: string, name: string): string {
    return `system:serviceaccount:${namespace}:${name}`;
}

/**
 * cluster-autoscaler's "full features" policy (autoscaler README, cloudprovider/aws): read ASGs, launch
 * templates, instance types and managed node groups (labels/taints for scale-from-zero); change the size
 * only of ASGs tagged as this cluster's.
 */
export function clusterAutoscalerPolicy(clusterName: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "Discover",
                Effect: "Allow",
                Action: [
                    "autoscaling:DescribeAutoScalingGroups",
                    "autoscaling:DescribeAutoScalingInstances",
                    "autoscaling:DescribeLaunchConfigurations",
                    "autoscaling:DescribeScalingActivities",
                    "ec2:DescribeImages",
                    "ec2:DescribeInstanceTypes",
                    "ec2:DescribeLaunchTemplateVersions",
                    "ec2:GetInstanceTypesFromInstanceRequirements",
                    "eks:DescribeNodegroup",
                ],
                Resource: "*",
            },
            {
                Sid: "ScaleOwnGroups",
                Effect: "Allow",
                Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
                Resource: "*",
                Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned" } },
            },
        ],
    });
}

export interface IrsaRoleArgs {
    /** ARN of the cluster's IAM OIDC provider. */
    oidcProviderArn: pulumi.Input<string>;
    /** OIDC issuer (URL without `https://`). */
    oidcIssuer: pulumi.Input<string>;
    /** Namespace of the service account. */
    namespace: string;
    /** Service account name; `*` allowed (e.g. `efs-csi-*`). */
    serviceAccount: string;
    /** Managed policy ARNs to attach. */
    managedPolicyArns?: string[];
    /** Inline policy document (JSON). */
    inlinePolicy?: pulumi.Input<string>;
    /** Tags on the role. */
    tags?: Record<string, string>;
}

/** An IAM role a Kubernetes service account assumes through the cluster's OIDC provider. */
export class IrsaRole extends pulumi.ComponentResource {
    readonly role: aws.iam.Role;
    readonly arn: pulumi.Output<string>;
    /** One attachment per `managedPolicyArns` entry. */
    readonly policyAttachments: aws.iam.RolePolicyAttachment[];
    /** The role's `inlinePolicy`, when given. */
    readonly inlinePolicy?: aws.iam.RolePolicy;

    constructor(name: string, args: IrsaRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super(
            "torchserve-platform:index:IrsaRole",
            name,
            {},
            aliasPreviousType(opts, "torchserve-platform:eks:IrsaRole"),
        );
        const subject = serviceAccountSubject(args.namespace, args.serviceAccount);
        this.role = new aws.iam.Role(
            name,
            {
                assumeRolePolicy: pulumi
                    .all([args.oidcProviderArn, args.oidcIssuer])
                    .apply(([arn, issuer]) => irsaTrustPolicy(arn, issuer, subject)),
                tags: args.tags,
            },
            { parent: this },
        );
        this.arn = this.role.arn;
        this.policyAttachments = (args.managedPolicyArns ?? []).map(
            (policyArn, i) =>
                new aws.iam.RolePolicyAttachment(
                    `${name}-${i}`,
                    {
                        role: this.role.name,
                        policyArn,
                    },
                    { parent: this },
                ),
        );
        if (args.inlinePolicy !== undefined) {
            this.inlinePolicy = new aws.iam.RolePolicy(
                name,
                { role: this.role.id, policy: args.inlinePolicy },
                { parent: this },
            );
        }
        this.registerOutputs({ arn: this.arn });
    }

    /** What grants the role its permissions: whatever uses the role waits for these. */
    permissions(): pulumi.Resource[] {
        return [...this.policyAttachments, ...(this.inlinePolicy ? [this.inlinePolicy] : [])];
    }
}
