// Container Insights on AKS with managed-identity auth, as Microsoft's onboarding templates set it
// up (https://learn.microsoft.com/azure/azure-monitor/containers/kubernetes-monitoring-enable, "ARM"
// tab: the monitoring add-on with useAADAuth, a data collection rule with the ContainerInsights
// extension, and its association with the cluster), plus the control plane's kube-audit log as a
// diagnostic setting — all into one Log Analytics workspace the program owns.
import * as monitor from "@pulumi/azure-native/monitor";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as pulumi from "@pulumi/pulumi";

/** The stream Container Insights sends (container logs as ContainerLogV2, inventory, perf). */
export const containerInsightsStream = "Microsoft-ContainerInsights-Group-Default";
/**
 * Control-plane log categories sent to the workspace: `kube-audit-admin` (the audit log without get
 * and list events, which make up most of `kube-audit`'s volume and cost) and `guard` (Entra ID and
 * Azure RBAC authorization decisions). learn.microsoft.com/azure/aks/monitor-aks-reference,
 * "Resource logs": kube-audit-admin "excludes the get and list audit events".
 */
export const aksControlPlaneLogCategories = ["kube-audit-admin", "guard"] as const;

export interface LogAnalyticsWorkspaceArgs {
    resourceGroupName: pulumi.Input<string>;
    location: pulumi.Input<string>;
    /** Workspace name (4–63 letters, digits, '-'). */
    workspaceName: string;
    /** Days the workspace keeps data (logAnalyticsRetentionDays). */
    retentionDays: number;
}

/** A pay-as-you-go workspace with the program's retention. */
export function logAnalyticsWorkspace(
    name: string,
    args: LogAnalyticsWorkspaceArgs,
    opts: pulumi.CustomResourceOptions,
): operationalinsights.Workspace {
    return new operationalinsights.Workspace(
        name,
        {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            workspaceName: args.workspaceName,
            sku: { name: operationalinsights.WorkspaceSkuNameEnum.PerGB2018 },
            retentionInDays: args.retentionDays,
        },
        opts,
    );
}

/**
 * The ManagedCluster's monitoring add-on, authenticating with the cluster's managed identity; without a
 * workspace, stated off: a PUT without the profile may leave an enabled add-on as it is (a missing
 * property is "no change" to some Azure APIs), so turning cloud logging off sends `enabled: false`.
 */
export function monitoringAddonProfile(workspaceId: pulumi.Input<string> | undefined): {
    omsagent: { enabled: boolean; config?: Record<string, pulumi.Input<string>> };
} {
    if (workspaceId === undefined) return { omsagent: { enabled: false } };
    return {
        omsagent: { enabled: true, config: { logAnalyticsWorkspaceResourceID: workspaceId, useAADAuth: "true" } },
    };
}

export interface ContainerInsightsArgs {
    resourceGroupName: pulumi.Input<string>;
    location: pulumi.Input<string>;
    /** ARM id of the managed cluster. */
    clusterId: pulumi.Input<string>;
    /** Name of the cluster (the rule is named after it). */
    clusterName: string;
    /** ARM id of the workspace. */
    workspaceId: pulumi.Input<string>;
}

/** The data collection rule the monitoring add-on follows, its association, and kube-audit. */
export class ContainerInsights extends pulumi.ComponentResource {
    readonly rule: monitor.DataCollectionRule;
    readonly association: monitor.DataCollectionRuleAssociation;
    readonly auditLogs: monitor.DiagnosticSetting;

    constructor(name: string, args: ContainerInsightsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("torchserve-platform:index:ContainerInsights", name, {}, opts);
        const parent = { parent: this };
        const destination = "workspace";
        this.rule = new monitor.DataCollectionRule(
            name,
            {
                resourceGroupName: args.resourceGroupName,
                location: args.location,
                dataCollectionRuleName: `MSCI-${args.clusterName}`,
                kind: "Linux",
                dataSources: {
                    extensions: [
                        {
                            name: "ContainerInsightsExtension",
                            extensionName: "ContainerInsights",
                            streams: [containerInsightsStream],
                            extensionSettings: {
                                dataCollectionSettings: {
                                    interval: "1m",
                                    namespaceFilteringMode: "Off",
                                    enableContainerLogV2: true,
                                },
                            },
                        },
                    ],
                },
                destinations: { logAnalytics: [{ name: destination, workspaceResourceId: args.workspaceId }] },
                dataFlows: [{ streams: [containerInsightsStream], destinations: [destination] }],
            },
            parent,
        );
        this.association = new monitor.DataCollectionRuleAssociation(
            name,
            {
                associationName: "ContainerInsightsExtension",
                resourceUri: args.clusterId,
                dataCollectionRuleId: this.rule.id,
            },
            parent,
        );
        this.auditLogs = new monitor.DiagnosticSetting(
            `${name}-audit`,
            {
                // The name it had when it sent kube-audit: a new name would replace the setting.
                name: "kube-audit",
                resourceUri: args.clusterId,
                workspaceId: args.workspaceId,
                // Resource-specific tables (AKSAudit) rather than the shared AzureDiagnostics table.
                logAnalyticsDestinationType: "Dedicated",
                logs: aksControlPlaneLogCategories.map((category) => ({ category, enabled: true })),
            },
            parent,
        );
        this.registerOutputs({});
    }
}
