// Pinned charts of the in-cluster log stack and the in-cluster names they produce.
import { serviceDnsName } from "../cluster/addresses";
import type { PinnedChart } from "../monitoring/charts";

export const loggingCharts = {
    /**
     * Loki moved to grafana-community in 2026 (grafana-community/helm-charts charts/loki, tag
     * loki-18.11.0, commit 3386a1156177c6bcd7fdb1ad4c6b1dda094296e0; Loki 3.7.6).
     */
    loki: {
        chart: "loki",
        version: "18.11.0",
        repo: "https://grafana-community.github.io/helm-charts",
    },
    /**
     * Grafana Alloy, the shipper (Promtail reached end of life in March 2026). grafana/alloy
     * operations/helm/charts/alloy, tag helm-chart/1.11.1, commit 233907cff225ce253f812bdfc14138dac1fa0cd2.
     */
    alloy: {
        chart: "alloy",
        version: "1.11.1",
        repo: "https://grafana.github.io/helm-charts",
    },
} as const satisfies Record<string, PinnedChart>;

export const loggingReleaseNames = { loki: "loki", alloy: "alloy" } as const;

/** The loki chart names the single binary's Service after the release; Loki's HTTP port. */
export const lokiServiceName = loggingReleaseNames.loki;
export const lokiPort = 3100;

/** In-cluster URL of Loki (push, query and Grafana's datasource). */
export function lokiUrl(namespace: string): string {
    return `http://${serviceDnsName(lokiServiceName, namespace)}:${lokiPort}`;
}
