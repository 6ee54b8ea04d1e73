// Helm values of the monitoring charts, as pure functions of specs and placements. Every key
// here exists in the pinned chart's values.yaml (test/monitoring-values.test.ts checks it).
import { HelmValues } from "../cluster/freeform";
import * as pulumi from "@pulumi/pulumi";
import { Placement, ServiceType } from "../cluster/kubernetes";
import { ClusterDns } from "../cluster/target";
import type { OwnedBlockVolume } from "../cluster/storage";
import { PrometheusSpec } from "./spec";

/** nodeSelector + tolerations as every chart spells them. */
function placed(p: Placement): { nodeSelector: Record<string, string>; tolerations: Placement["tolerations"] } {
    return { nodeSelector: { ...p.nodeSelector }, tolerations: p.tolerations.map((t) => ({ ...t })) };
}

/**
 * kube-prometheus-stack: Prometheus with retention and a PersistentVolume from its spec, operator,
 * Alertmanager and kube-state-metrics on the system pool. It selects every PodMonitor,
 * ServiceMonitor and PrometheusRule in the cluster (not only those labelled with its release),
 * because ours and dcgm-exporter's live in other releases. Its bundled Grafana is off: Grafana is a
 * separate release with its own toggle.
 */
export function kubePrometheusStackValues(
    prometheus: PrometheusSpec,
    system: Placement,
    storageClassName?: pulumi.Input<string>,
    /** The program writes Alertmanager's configuration Secret itself (alerting.ts). */
    ownAlertmanagerConfig = false,
    clusterDns?: ClusterDns,
    /** A volume the program owns (ClusterTarget.blockVolume): claimed by label, with no class. */
    volume?: Pick<OwnedBlockVolume, "selector" | "size">,
): HelmValues {
    return {
        fullnameOverride: "kube-prometheus-stack",
        grafana: { enabled: false },
        // Scrape the DNS server the cluster runs: a CoreDNS job on kube-dns would be down forever.
        ...(clusterDns === "kube-dns" ? { coreDns: { enabled: false }, kubeDns: { enabled: true } } : {}),
        // Managed control planes (EKS, AKS, GKE) do not expose these; scraping them only raises
        // TargetDown alerts that nobody can fix.
        kubeControllerManager: { enabled: false },
        kubeScheduler: { enabled: false },
        kubeEtcd: { enabled: false },
        prometheusOperator: {
            ...placed(system),
            admissionWebhooks: { patch: { ...placed(system) } },
        },
        alertmanager: {
            alertmanagerSpec: { ...placed(system), ...(ownAlertmanagerConfig ? { useExistingSecret: true } : {}) },
        },
        "kube-state-metrics": { ...placed(system) },
        prometheus: {
            prometheusSpec: {
                ...placed(system),
                retention: prometheus.retention,
                podMonitorSelectorNilUsesHelmValues: false,
                serviceMonitorSelectorNilUsesHelmValues: false,
                ruleSelectorNilUsesHelmValues: false,
                storageSpec: {
                    volumeClaimTemplate: {
                        spec: volume
                            ? ownedVolumeClaim(volume)
                            : {
                                  // undefined = the cluster's default class.
                                  ...(storageClassName !== undefined ? { storageClassName } : {}),
                                  accessModes: ["ReadWriteOnce"],
                                  resources: { requests: { storage: prometheus.storageSize } },
                              },
                    },
                },
                // The claim goes with the StatefulSet (the operator's Prometheus CRD field, chart
                // 88.5.3 templates/prometheus/prometheus.yaml), so the owned volume can be deleted.
                ...(volume ? { persistentVolumeClaimRetentionPolicy: ownedVolumeRetention } : {}),
            },
        },
    };
}

/**
 * A StatefulSet claim template's spec for an OwnedBlockVolume: no class (nothing provisions it), the
 * volume's labels as selector, its capacity as the request.
 */
export function ownedVolumeClaim(volume: Pick<OwnedBlockVolume, "selector" | "size">) {
    return {
        storageClassName: "",
        selector: { matchLabels: { ...volume.selector } },
        accessModes: ["ReadWriteOnce"],
        resources: { requests: { storage: volume.size } },
    };
}

/**
 * StatefulSet persistentVolumeClaimRetentionPolicy for an OwnedBlockVolume: the claim is deleted with
 * the StatefulSet (Kubernetes "PersistentVolumeClaim retention", GA in 1.32), which lets the volume's
 * deletion proceed; kept on scale-down (one replica).
 */
export const ownedVolumeRetention = { whenDeleted: "Delete", whenScaled: "Retain" } as const;

/** Where dcgm-exporter sees the host's NVIDIA driver directory (where GKE's device plugin mounts it in GPU pods). */
export const nvidiaDriverMountPath = "/usr/local/nvidia";

/**
 * The chart's default extraVolumeMounts entry (dcgm-exporter 4.8.2 values.yaml): the chart's
 * metrics ConfigMap as the counters file. Setting extraVolumeMounts replaces the list, so it is kept.
 */
export const dcgmCountersMount = {
    name: "exporter-metrics-volume",
    mountPath: "/etc/dcgm-exporter/default-counters.csv",
    subPath: "default-counters.csv",
};

/**
 * dcgm-exporter on the GPU nodes only (GPU pool labels, GPU taint tolerated), scraped through the
 * chart's own ServiceMonitor. With `nvidiaDriverHostPath` (GKE) it mounts the host's driver
 * directory read-only and loads NVML from it, as Google's dcgm-exporter manifests do.
 */
export function dcgmExporterValues(gpu: Placement, nvidiaDriverHostPath?: string): HelmValues {
    return {
        ...placed(gpu),
        // GKE admits system-node-critical pods only in kube-system (quota), and this runs elsewhere.
        priorityClassName: "",
        serviceMonitor: { enabled: true, interval: "15s" },
        ...(nvidiaDriverHostPath ? hostDriverValues(nvidiaDriverHostPath) : {}),
    };
}

/**
 * The exporter requests no GPU, so no device plugin or NVIDIA runtime gives it the driver's
 * libraries or the /dev/nvidia* devices: it mounts the driver directory, puts its lib64 on the
 * loader path, and runs privileged to open the host's GPU devices. Kubernetes rejects privileged
 * with the chart's allowPrivilegeEscalation=false, so that is turned on too.
 */
function hostDriverValues(hostPath: string): HelmValues {
    const volume = "nvidia-driver";
    return {
        extraHostVolumes: [{ name: volume, hostPath }],
        extraVolumeMounts: [
            { ...dcgmCountersMount },
            { name: volume, mountPath: nvidiaDriverMountPath, readOnly: true },
        ],
        extraEnv: [{ name: "LD_LIBRARY_PATH", value: `${nvidiaDriverMountPath}/lib64` }],
        securityContext: { privileged: true, allowPrivilegeEscalation: true },
    };
}

/** Grafana's provisioning file for the Prometheus datasource. */
export const grafanaDatasourceUid = "prometheus";

/** Grafana's provisioning uid of the Loki datasource (the logs panels refer to it). */
export const grafanaLokiDatasourceUid = "loki";

/** Provider name; the chart mounts its dashboards at /var/lib/grafana/dashboards/<provider>. */
export const grafanaDashboardProvider = "torchserve";

/** Keys of Grafana's admin Secret (the chart's defaults for admin.userKey and admin.passwordKey). */
export const grafanaAdminSecretKeys = { user: "admin-user", password: "admin-password" } as const;

export interface GrafanaValuesArgs {
    /**
     * Secret with the admin user and password (keys admin-user, admin-password): the chart reads
     * it (admin.existingSecret), so neither is in the release's values.
     */
    adminSecretName: string;
    /**
     * Changes whenever the admin password does (its SHA-256): a pod annotation, so Grafana restarts
     * and takes the new password (the chart's own checksum covers only its own Secret).
     */
    adminSecretVersion?: pulumi.Input<string>;
    serviceType: ServiceType;
    /** Source CIDRs of a LoadBalancer Service; absent = not set (open to all). */
    loadBalancerSourceRanges?: string[];
    /** The cloud's annotations of a LoadBalancer Service (ClusterTarget.loadBalancerAnnotations). */
    loadBalancerAnnotations?: Record<string, string>;
    /** URL of the Prometheus the datasource queries. */
    prometheusUrl: pulumi.Input<string>;
    /** URL of Loki, when the stack has one: a second datasource for the logs panels. */
    lokiUrl?: string;
    /** Dashboard JSON documents keyed by file name (without `.json`). */
    dashboards: Record<string, string>;
    placement: Placement;
}

/** Grafana with the Prometheus datasource and the TorchServe dashboard provisioned from files. */
export function grafanaValues(a: GrafanaValuesArgs): HelmValues {
    const dashboards: Record<string, { json: string }> = {};
    for (const [name, json] of Object.entries(a.dashboards)) dashboards[name] = { json };
    return {
        ...placed(a.placement),
        admin: {
            existingSecret: a.adminSecretName,
            userKey: grafanaAdminSecretKeys.user,
            passwordKey: grafanaAdminSecretKeys.password,
        },
        ...(a.adminSecretVersion !== undefined
            ? { podAnnotations: { "torchserve-platform/admin-secret-version": a.adminSecretVersion } }
            : {}),
        service: {
            type: a.serviceType,
            ...(a.serviceType === "LoadBalancer" && a.loadBalancerSourceRanges
                ? { loadBalancerSourceRanges: [...a.loadBalancerSourceRanges] }
                : {}),
            ...(a.serviceType === "LoadBalancer" && a.loadBalancerAnnotations
                ? { annotations: { ...a.loadBalancerAnnotations } }
                : {}),
        },
        // The chart's `helm test` pod is not part of a deployment.
        testFramework: { enabled: false },
        datasources: {
            "datasources.yaml": {
                apiVersion: 1,
                datasources: [
                    {
                        name: "Prometheus",
                        type: "prometheus",
                        uid: grafanaDatasourceUid,
                        url: a.prometheusUrl,
                        access: "proxy",
                        isDefault: true,
                        editable: false,
                    },
                    ...(a.lokiUrl
                        ? [
                              {
                                  name: "Loki",
                                  type: "loki",
                                  uid: grafanaLokiDatasourceUid,
                                  url: a.lokiUrl,
                                  access: "proxy",
                                  editable: false,
                              },
                          ]
                        : []),
                ],
            },
        },
        dashboardProviders: {
            "dashboardproviders.yaml": {
                apiVersion: 1,
                providers: [
                    {
                        name: grafanaDashboardProvider,
                        orgId: 1,
                        folder: "TorchServe",
                        type: "file",
                        disableDeletion: true,
                        editable: false,
                        options: { path: `/var/lib/grafana/dashboards/${grafanaDashboardProvider}` },
                    },
                ],
            },
        },
        dashboards: { [grafanaDashboardProvider]: dashboards },
    };
}

/** KEDA (operator, metrics server, admission webhooks) on the system pool, with its CRDs. */
export function kedaValues(system: Placement): HelmValues {
    return { ...placed(system), crds: { install: true } };
}
