// Where alerts go: Alertmanager's configuration with the receivers a stack names (webhook, Slack,
// PagerDuty). Their URLs and keys are credentials: they reach the cluster only inside a Kubernetes
// Secret (the one prometheus-operator mounts into Alertmanager), never Helm values or ConfigMaps.
import { releaseNames } from "./charts";

/** Receivers for every alert; each URL or key is a credential (Pulumi secret config). */
export interface AlertReceiversSpec {
    /** Generic webhook receiving Alertmanager's JSON payload. */
    webhookUrl?: string;
    /** Slack incoming-webhook URL. */
    slackWebhookUrl?: string;
    /** Slack channel, e.g. `#ml-alerts` (the webhook's default channel when absent). */
    slackChannel?: string;
    /** PagerDuty Events API v2 routing (integration) key. */
    pagerDutyRoutingKey?: string;
}

/**
 * The Secret Alertmanager reads its configuration from: prometheus-operator's default for the
 * Alertmanager `kube-prometheus-stack-alertmanager` is `alertmanager-<name>`; the chart stops
 * writing its own (receiver-less) one when `alertmanagerSpec.useExistingSecret` is true.
 */
export const alertmanagerConfigSecretName = `alertmanager-${releaseNames.kubePrometheusStack}-alertmanager`;
/** Key of the configuration file in that Secret. */
export const alertmanagerConfigKey = "alertmanager.yaml";

/** Whether any receiver is configured. */
export function hasReceivers(r: AlertReceiversSpec | undefined): r is AlertReceiversSpec {
    return !!r && !!(r.webhookUrl || r.slackWebhookUrl || r.pagerDutyRoutingKey);
}

/**
 * kube-prometheus-stack 88.5.3's own inhibit rules (values.yaml `alertmanager.config.inhibit_rules`),
 * which the Secret the program writes would otherwise drop: a critical alert silences the warning and
 * info alerts of the same name and namespace, a warning the info ones, and InfoInhibitor (firing
 * while any info alert does, so that info alerts are seen only beside something worse) silences the
 * info alerts of its namespace; nothing inhibits InfoInhibitor itself.
 */
export const chartInhibitRules = [
    {
        source_matchers: ["severity = critical"],
        target_matchers: ["severity =~ warning|info"],
        equal: ["namespace", "alertname"],
    },
    {
        source_matchers: ["severity = warning"],
        target_matchers: ["severity = info"],
        equal: ["namespace", "alertname"],
    },
    { source_matchers: ["alertname = InfoInhibitor"], target_matchers: ["severity = info"], equal: ["namespace"] },
    { target_matchers: ["alertname = InfoInhibitor"] },
];

/**
 * alertmanager.yaml: every alert to one receiver with the configured integrations, grouped by alert
 * and namespace, with the chart's inhibit rules; kube-prometheus-stack's always-firing Watchdog and
 * its InfoInhibitor go nowhere (as in the chart's own default configuration).
 */
export function alertmanagerConfig(r: AlertReceiversSpec): Record<string, unknown> {
    const platform: Record<string, unknown> = { name: "platform" };
    if (r.webhookUrl) platform.webhook_configs = [{ url: r.webhookUrl, send_resolved: true }];
    if (r.slackWebhookUrl)
        platform.slack_configs = [
            { api_url: r.slackWebhookUrl, send_resolved: true, ...(r.slackChannel ? { channel: r.slackChannel } : {}) },
        ];
    if (r.pagerDutyRoutingKey)
        platform.pagerduty_configs = [{ routing_key: r.pagerDutyRoutingKey, send_resolved: true }];
    return {
        route: {
            receiver: "platform",
            group_by: ["alertname", "namespace"],
            group_wait: "30s",
            group_interval: "5m",
            repeat_interval: "4h",
            routes: [
                { receiver: "null", matchers: ['alertname = "Watchdog"'] },
                { receiver: "null", matchers: ['alertname = "InfoInhibitor"'] },
            ],
        },
        inhibit_rules: chartInhibitRules.map((r) => ({ ...r })),
        receivers: [{ name: "null" }, platform],
    };
}
