// Grafana: its own release with the Prometheus datasource, the TorchServe dashboard and a
// generated admin password.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { loadBalancerHost, serviceDnsName } from "../cluster/addresses";
import { Placement } from "../cluster/target";
import { GrafanaSettings, PrometheusSettings } from "../../stacks/config/settings";
import { charts, grafanaServiceName, prometheusUrl, releaseNames } from "./charts";
import { torchServeDashboard } from "./dashboard";
import { pinnedRelease } from "./release";
import { grafanaValues } from "./values";
import { aliasPreviousType } from "../cluster/typeToken";

export interface GrafanaArgs {
    /** Provider of the target cluster. */
    provider: k8s.Provider;
    /** `settings.grafana`: service type. */
    grafana: GrafanaSettings;
    /** Namespace to install into (`settings.prometheus.namespace`, also when Prometheus is off). */
    namespace: string;
    /**
     * Prometheus the datasource queries, as `grafanaDatasourceUrl` computes it: the stack's own
     * Prometheus (`prometheusUrl(namespace)`) when Prometheus is on, else `settings.grafana.prometheusUrl`.
     */
    prometheusUrl: pulumi.Input<string>;
    /** Namespace TorchServe runs in (the dashboard's default). */
    torchServeNamespace: string;
    /** Where Grafana runs (system pool). */
    systemPlacement: Placement;
    /** What the release waits for: the cluster being usable. */
    dependsOn?: pulumi.Resource[];
}

/** Grafana as its own release, with a generated admin password. */
export class Grafana extends pulumi.ComponentResource {
    /** Where to reach Grafana: cluster DNS for ClusterIP/NodePort, the load balancer for LoadBalancer. */
    readonly url: pulumi.Output<string>;
    /** Admin password of user `admin` (secret). */
    readonly adminPassword: pulumi.Output<string>;
    readonly release: k8s.helm.v3.Release;

    constructor(name: string, args: GrafanaArgs, opts?: pulumi.ComponentResourceOptions) {
        super(
            "torchserve-platform:index:Grafana",
            name,
            {},
            aliasPreviousType(opts, "torchserve-platform:monitoring:Grafana"),
        );
        const childOpts = { parent: this, provider: args.provider };

        const password = new random.RandomPassword(
            `${name}-admin-password`,
            { length: 24, special: false },
            { parent: this },
        );
        this.adminPassword = pulumi.secret(password.result);

        const dashboard = JSON.stringify(torchServeDashboard(args.torchServeNamespace));
        this.release = pinnedRelease(
            releaseNames.grafana,
            charts.grafana,
            args.namespace,
            // Outputs nested in values stay outputs: only the password (and an unknown URL) are
            // unknown in a preview, the rest of the values diff is readable.
            grafanaValues({
                adminPassword: password.result,
                serviceType: args.grafana.serviceType,
                prometheusUrl: args.prometheusUrl,
                dashboards: { torchserve: dashboard },
                placement: args.systemPlacement,
            }),
            { ...childOpts, dependsOn: args.dependsOn ?? [] },
        );

        const clusterUrl = grafanaClusterUrl(args.namespace);
        if (args.grafana.serviceType === "LoadBalancer") {
            const service = k8s.core.v1.Service.get(
                `${name}-service`,
                pulumi.interpolate`${this.release.status.namespace}/${grafanaServiceName}`,
                { ...childOpts, dependsOn: [this.release] },
            );
            this.url = service.status.apply((s) => grafanaLoadBalancerUrl(s?.loadBalancer?.ingress) ?? clusterUrl);
        } else {
            this.url = this.release.status.apply(() => clusterUrl);
        }
        this.registerOutputs({ url: this.url, adminPassword: this.adminPassword });
    }
}

/** Grafana's in-cluster URL (Service port 80). */
export function grafanaClusterUrl(namespace: string): string {
    return `http://${serviceDnsName(grafanaServiceName, namespace)}`;
}

/** http://<hostname or IP> of the first load-balancer ingress, undefined while none is assigned. */
export function grafanaLoadBalancerUrl(ingress: { hostname?: string; ip?: string }[] | undefined): string | undefined {
    const host = loadBalancerHost({ loadBalancer: { ingress } });
    return host ? `http://${host}` : undefined;
}

/** Datasource URL for Grafana: the stack's Prometheus when on, else the configured one. */
export function grafanaDatasourceUrl(prometheus: PrometheusSettings, grafana: GrafanaSettings): string {
    if (prometheus.enabled) return prometheusUrl(prometheus.namespace);
    if (!grafana.prometheusUrl) throw new Error("grafana.prometheusUrl is required when prometheus is disabled");
    return grafana.prometheusUrl;
}
