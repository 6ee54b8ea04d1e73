// Facts about CloudWatch Logs that config validation and the EKS logging component share.

/**
 * Retention periods CloudWatch Logs accepts (PutRetentionPolicy's `retentionInDays` enum,
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html);
 * 0 (never expire) is left out on purpose: the program always sets a limit.
 */
export const cloudWatchRetentionDays = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * The Amazon CloudWatch Observability add-on, pinned: chart amazon-cloudwatch-observability 6.4.0
 * (aws-observability/helm-charts, "release v6.4.0", commit 93a934e8ccfa228fda6a5f653c3da59c5546afcf);
 * EKS publishes it as v<chart version>-eksbuild.<n>. Its Fluent Bit ships container logs, its
 * CloudWatch agent Container Insights metrics. The build exists for the minors the program offers:
 * describe-addon-versions output in public write-ups lists it, public stacks pin it for 1.31-1.35
 * (a CDK stack's per-minor add-on map) and validated it on 1.34, and a 1.36 lab record (2026-08-08)
 * reports it as that account's default build for 1.36 (all found by exact-string search of public
 * repositories; no AWS document lists add-on builds per minor). Newer builds exist (6.6.0, 6.7.0).
 */
export const cloudWatchObservabilityAddon = {
    name: "amazon-cloudwatch-observability",
    version: "v6.4.0-eksbuild.1",
    /** Namespace and service account of the agent and Fluent Bit (the chart's templates). */
    namespace: "amazon-cloudwatch",
    serviceAccount: "cloudwatch-agent",
    policyArn: "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
} as const;

/**
 * Log groups the add-on writes to (its Fluent Bit outputs' `log_group_name`, charts/
 * amazon-cloudwatch-observability/values.yaml at that commit; `performance` is the agent's
 * Container Insights metrics) and the one EKS writes control-plane logs to
 * (https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html).
 */
export function cloudWatchLogGroupNames(clusterName: string): {
    application: string;
    dataplane: string;
    host: string;
    performance: string;
    controlPlane: string;
} {
    const insights = `/aws/containerinsights/${clusterName}`;
    return {
        application: `${insights}/application`,
        dataplane: `${insights}/dataplane`,
        host: `${insights}/host`,
        performance: `${insights}/performance`,
        controlPlane: `/aws/eks/${clusterName}/cluster`,
    };
}
