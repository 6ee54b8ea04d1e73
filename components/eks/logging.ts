// Facts about CloudWatch Logs that config validation and the EKS logging component share.

/**
 * Retention periods CloudWatch Logs accepts (PutRetentionPolicy's `retentionInDays` enum,
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html);
 * 0 (never expire) is left out on purpose: the program always sets a limit.
 */
export const cloudWatchRetentionDays = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
