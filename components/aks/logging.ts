// Facts about Azure Monitor Logs that config validation and the AKS logging component share.

/**
 * Retention a PerGB2018 Log Analytics workspace takes at the workspace level: 30 to 730 days
 * (azurerm_log_analytics_workspace `retention_in_days`: "7 (Free Tier only) or range between 30 and
 * 730", terraform-provider-azurerm website/docs/r/log_analytics_workspace.html.markdown). Ingestion
 * includes 31 days, so less would not cost less.
 */
export const logAnalyticsRetentionDays = { min: 30, max: 730 } as const;
