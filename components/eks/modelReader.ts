// Read access to the S3 objects TorchServe's models come from, through EKS Pod Identity: no keys
// in the cluster, and the role can read exactly the named objects.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { allDependsOn, splitDependsOn } from "../cluster/options";
import { podIdentityTrustPolicy } from "./iam";

/** One S3 object a model is read from. */
export interface S3Object {
    /** Bucket name. */
    bucket: string;
    /** Object key. */
    key: string;
}

/** The directory a bucket model store mounts (S3ModelBucket). */
export interface S3Directory {
    /** Bucket name. */
    bucket: string;
    /** Directory without leading or trailing `/` ("" = the whole bucket). */
    directory: string;
}

/**
 * The read policy: `s3:GetObject` on exactly the named objects (nothing listable, nothing else in
 * the bucket), plus `kms:Decrypt` on the key SSE-KMS objects are encrypted with, only when used
 * through S3 (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html), plus,
 * when the bucket is mounted as the model store (`listed`), listing of its models' directory.
 */
export function modelReadPolicy(objects: S3Object[], kmsKeyArn?: string, listed?: S3Directory): string {
    const arns = [...new Set(objects.map((o) => `arn:aws:s3:::${o.bucket}/${o.key}`))].sort();
    const statements: object[] = [{ Sid: "ReadModels", Effect: "Allow", Action: "s3:GetObject", Resource: arns }];
    if (listed) {
        // Mountpoint needs s3:ListBucket on what it mounts; for a prefix mount only that prefix,
        // which the s3:prefix condition key scopes (awslabs/mountpoint-s3 doc/CONFIGURATION.md "IAM
        // permissions"). It reads files with GetObject (and HeadObject, which GetObject allows), so
        // the objects above stay the only readable ones: other files in the directory are listed, not read.
        statements.push({
            Sid: "ListModelDirectory",
            Effect: "Allow",
            Action: "s3:ListBucket",
            Resource: `arn:aws:s3:::${listed.bucket}`,
            ...(listed.directory ? { Condition: { StringLike: { "s3:prefix": `${listed.directory}/*` } } } : {}),
        });
    }
    if (kmsKeyArn) {
        statements.push({
            Sid: "DecryptModels",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: kmsKeyArn,
            Condition: { StringLike: { "kms:ViaService": "s3.*.amazonaws.com" } },
        });
    }
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

export interface EksModelReaderArgs {
    /** EKS cluster name (an output of the cluster, so the add-on and association wait for it). */
    clusterName: pulumi.Input<string>;
    /** The cluster's ARN: only `serviceAccount` of this cluster may assume the role. */
    clusterArn: pulumi.Input<string>;
    /** Namespace of TorchServe's ServiceAccount. */
    namespace: string;
    /** TorchServe's ServiceAccount name. */
    serviceAccount: string;
    /** The S3 objects the models are read from. */
    objects: S3Object[];
    /** KMS key the objects are encrypted with (SSE-KMS); absent = S3-managed keys. */
    kmsKeyArn?: string;
    /** The directory mounted as the model store (Mountpoint lists it); absent = objects are fetched. */
    mounted?: S3Directory;
    /** Tags on AWS resources. */
    tags?: Record<string, string>;
}

/**
 * An IAM role reading the model objects and the association that hands it to TorchServe's
 * ServiceAccount. Pods need no annotation: EKS injects AWS_CONTAINER_CREDENTIALS_FULL_URI and the
 * token file into pods of associated ServiceAccounts, and the eks-pod-identity-agent add-on (which
 * EksCluster installs, EksCluster.podIdentityAgent) serves the credentials. `dependsOn` is what the
 * association waits for: that add-on.
 */
export class EksModelReader extends pulumi.ComponentResource {
    public readonly role: aws.iam.Role;
    public readonly association: aws.eks.PodIdentityAssociation;

    constructor(name: string, args: EksModelReaderArgs, opts?: pulumi.ComponentResourceOptions) {
        const { own, dependsOn } = splitDependsOn(opts);
        super("torchserve-platform:index:EksModelReader", name, {}, own);
        const parent = { parent: this };
        const tags = args.tags ?? {};
        this.role = new aws.iam.Role(
            name,
            {
                assumeRolePolicy: pulumi.output(args.clusterArn).apply((clusterArn) =>
                    podIdentityTrustPolicy({
                        clusterArn,
                        namespace: args.namespace,
                        serviceAccount: args.serviceAccount,
                    }),
                ),
                description: "TorchServe reads its model archives",
                tags,
            },
            parent,
        );
        const policy = new aws.iam.RolePolicy(
            name,
            { role: this.role.name, policy: modelReadPolicy(args.objects, args.kmsKeyArn, args.mounted) },
            parent,
        );
        this.association = new aws.eks.PodIdentityAssociation(
            name,
            {
                clusterName: args.clusterName,
                namespace: args.namespace,
                serviceAccount: args.serviceAccount,
                roleArn: this.role.arn,
                tags,
            },
            // Pods started before the agent or the policy would fail their first fetch.
            { ...parent, dependsOn: allDependsOn(dependsOn, [policy]) },
        );
        this.registerOutputs({ roleArn: this.role.arn });
    }
}
