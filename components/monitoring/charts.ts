// Pinned third-party charts of the monitoring stack and the in-cluster names they produce. Release
// names are fixed (not auto-named) so that Service names, and the URLs built from them, are known.
import { serviceDnsName } from "../cluster/addresses";

/** A chart pinned to one version in one repository. */
export interface PinnedChart {
    chart: string;
    version: string;
    repo: string;
}

export const charts = {
    /** Prometheus Operator, Prometheus, Alertmanager, kube-state-metrics, node-exporter, the CRDs. */
    kubePrometheusStack: {
        chart: "kube-prometheus-stack",
        version: "88.5.3",
        repo: "https://prometheus-community.github.io/helm-charts",
    },
    /** The grafana chart moved to grafana-community in 2026; grafana.github.io froze at 10.5.15. */
    grafana: {
        chart: "grafana",
        version: "12.11.1",
        repo: "https://grafana-community.github.io/helm-charts",
    },
    dcgmExporter: {
        chart: "dcgm-exporter",
        version: "4.8.2",
        repo: "https://nvidia.github.io/dcgm-exporter/helm-charts",
    },
    /** KEDA: ScaledObjects, their HPAs, external metrics, scaling to and from zero. */
    keda: {
        chart: "keda",
        version: "2.20.2",
        repo: "https://kedacore.github.io/charts",
    },
} as const satisfies Record<string, PinnedChart>;

/** Helm release names (also the charts' fullnames, so the Services below are named after them). */
export const releaseNames = {
    kubePrometheusStack: "kube-prometheus-stack",
    grafana: "grafana",
    dcgmExporter: "dcgm-exporter",
    keda: "keda",
} as const;

/** kube-prometheus-stack names its Prometheus Service `<fullname>-prometheus`. */
export const prometheusServiceName = `${releaseNames.kubePrometheusStack}-prometheus`;
export const prometheusPort = 9090;

/** In-cluster base URL of the Prometheus the stack installs in `namespace`. */
export function prometheusBaseUrl(namespace: string): string {
    return `http://${serviceDnsName(prometheusServiceName, namespace)}`;
}

/** In-cluster URL of that Prometheus including its port (datasource, adapter). */
export function prometheusUrl(namespace: string): string {
    return `${prometheusBaseUrl(namespace)}:${prometheusPort}`;
}

/** The grafana chart names its Service after the release; it listens on port 80. */
export const grafanaServiceName = releaseNames.grafana;

/** Name of the PodMonitor that scrapes TorchServe; Prometheus labels its series `job="<ns>/<name>"`. */
export const torchServePodMonitorName = "torchserve";

/** The `job` label prometheus-operator gives series scraped through a PodMonitor. */
export function podMonitorJob(monitorNamespace: string, monitorName: string = torchServePodMonitorName): string {
    return `${monitorNamespace}/${monitorName}`;
}
