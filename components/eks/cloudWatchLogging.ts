// Container logs to CloudWatch: the CloudWatch Observability add-on with its IAM role (IRSA), and
// the log groups it writes to, created first so their retention is the program's (Fluent Bit would
// otherwise create them with logs kept forever).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { IrsaRole } from "./iam";
import { cloudWatchLogGroupNames, cloudWatchObservabilityAddon } from "./logging";

export interface CloudWatchLoggingArgs {
    /** EKS cluster name (an output of the cluster, so the add-on waits for it). */
    clusterName: pulumi.Input<string>;
    /** The same name as a plain string: the log groups are named after it. */
    clusterNameForLogGroups: string;
    /** Days CloudWatch keeps the log groups' events (one of cloudWatchRetentionDays). */
    retentionDays: number;
    /** The cluster's OIDC provider, for the agent's IAM role. */
    oidcProviderArn: pulumi.Input<string>;
    /** OIDC issuer without `https://`. */
    oidcIssuer: pulumi.Input<string>;
    /** Tags on AWS resources. */
    tags?: Record<string, string>;
    /** The add-on's version (`cluster.addonVersions.cloudWatchObservability`). @default cloudWatchObservabilityAddon.version */
    addonVersion?: string;
}

export interface CloudWatchLoggingOptions extends pulumi.ComponentResourceOptions {
    /** What the add-on waits for (nodes for its DaemonSets to run on). */
    addonDependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** The add-on, its role and its log groups with retention. */
export class CloudWatchLogging extends pulumi.ComponentResource {
    readonly addon: aws.eks.Addon;
    readonly role: IrsaRole;
    readonly logGroups: aws.cloudwatch.LogGroup[];

    constructor(name: string, args: CloudWatchLoggingArgs, opts: CloudWatchLoggingOptions = {}) {
        const { addonDependsOn, ...own } = opts;
        super("torchserve-platform:index:CloudWatchLogging", name, {}, own);
        const addon = cloudWatchObservabilityAddon;
        const groups = cloudWatchLogGroupNames(args.clusterNameForLogGroups);
        this.logGroups = (["application", "dataplane", "host", "performance"] as const).map(
            (kind) =>
                new aws.cloudwatch.LogGroup(
                    `${name}-${kind}`,
                    { name: groups[kind], retentionInDays: args.retentionDays, tags: args.tags ?? {} },
                    { parent: this },
                ),
        );
        this.role = new IrsaRole(
            `${name}-agent`,
            {
                oidcProviderArn: args.oidcProviderArn,
                oidcIssuer: args.oidcIssuer,
                namespace: addon.namespace,
                serviceAccount: addon.serviceAccount,
                managedPolicyArns: [addon.policyArn],
                tags: args.tags ?? {},
            },
            { parent: this },
        );
        this.addon = new aws.eks.Addon(
            name,
            {
                clusterName: args.clusterName,
                addonName: addon.name,
                addonVersion: args.addonVersion ?? addon.version,
                serviceAccountRoleArn: this.role.arn,
                resolveConflictsOnCreate: "OVERWRITE",
                resolveConflictsOnUpdate: "OVERWRITE",
                tags: args.tags ?? {},
            },
            {
                parent: this,
                dependsOn: [...(addonDependsOn ?? []), ...this.role.permissions(), ...this.logGroups],
            },
        );
        this.registerOutputs({});
    }
}
