// Grafana: its own release with the Prometheus datasource, the TorchServe dashboard and a
// generated admin password, which reaches the chart only through a Secret (admin.existingSecret):
// Helm keeps a release's values in its release Secret, where `helm get values` prints them.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { loadBalancerHost, serviceDnsName } from "../cluster/addresses";
import { Placement } from "../cluster/kubernetes";
import { allDependsOn, splitDependsOn } from "../cluster/options";
import type { ServingEndpoints } from "../torchserve/endpoints";
import { charts, grafanaServiceName, releaseNames } from "./charts";
import { torchServeDashboard } from "./dashboard";
import { pinnedRelease } from "./release";
import { GrafanaSpec } from "./spec";
import { createHash } from "crypto";
import { grafanaAdminSecretKeys, grafanaValues } from "./values";
import { aliasPreviousType } from "../cluster/typeToken";

export interface GrafanaArgs {
    /** How Grafana's Service is exposed. */
    grafana: GrafanaSpec;
    /** Namespace to install into (the monitoring namespace, also when the stack has no Prometheus). */
    namespace: string;
    /**
     * Prometheus the datasource queries: the stack's own (`prometheusUrl(<its namespace>)` from
     * charts.ts) or any other reachable from the cluster.
     */
    prometheusUrl: pulumi.Input<string>;
    /**
     * In-cluster URL of Loki (`lokiUrl(<namespace>)` from components/logging): adds the Loki
     * datasource and the dashboard's logs panels. Absent = metrics only.
     */
    lokiUrl?: string;
    /** TorchServe's endpoints (the dashboard's default namespace). */
    serving: ServingEndpoints;
    /** Where Grafana runs (system pool). */
    systemPlacement: Placement;
    /**
     * What creates `namespace` when another release of the stack shares it (the Prometheus release,
     * `createNamespace`): the admin Secret, which the release reads, waits for it. Absent = Grafana
     * is alone there and creates the namespace itself.
     */
    namespaceCreator?: pulumi.Resource;
    /** Annotations of Grafana's Service when it is a LoadBalancer (ClusterTarget.loadBalancerAnnotations). */
    loadBalancerAnnotations?: Record<string, string>;
}

/** The Secret holding Grafana's admin user and password (the chart's `admin.existingSecret`). */
export const grafanaAdminSecretName = "grafana-admin";
/** Grafana's admin user. */
export const grafanaAdminUser = "admin";

/** Grafana as its own release, with a generated admin password. */
export class Grafana extends pulumi.ComponentResource {
    /** Where to reach Grafana: cluster DNS for ClusterIP/NodePort, the load balancer for LoadBalancer. */
    readonly url: pulumi.Output<string>;
    /** Admin password of user `admin` (secret). */
    readonly adminPassword: pulumi.Output<string>;
    readonly release: k8s.helm.v3.Release;

    /**
     * `opts.provider` is the target cluster's Kubernetes provider; `opts.dependsOn` is what the
     * release waits for (the cluster being usable).
     */
    constructor(name: string, args: GrafanaArgs, options?: pulumi.ComponentResourceOptions) {
        const { own: opts, dependsOn } = splitDependsOn(options);
        super(
            "torchserve-platform:index:Grafana",
            name,
            {},
            aliasPreviousType(opts, "torchserve-platform:monitoring:Grafana"),
        );
        const childOpts = { parent: this };

        const password = new random.RandomPassword(
            `${name}-admin-password`,
            { length: 24, special: false },
            { parent: this },
        );
        this.adminPassword = pulumi.secret(password.result);

        // The namespace the Secret lives in: the sharing release's, or Grafana's own.
        const namespaceReady: pulumi.Resource = args.namespaceCreator
            ? args.namespaceCreator
            : new k8s.core.v1.Namespace(
                  `${name}-namespace`,
                  { metadata: { name: args.namespace } },
                  { ...childOpts, dependsOn: dependsOn ?? [] },
              );
        const adminSecret = new k8s.core.v1.Secret(
            `${name}-admin`,
            grafanaAdminSecret(args.namespace, password.result),
            { ...childOpts, dependsOn: [namespaceReady] },
        );

        const dashboard = JSON.stringify(
            torchServeDashboard(args.serving.namespace, { logs: args.lokiUrl !== undefined }),
        );
        this.release = pinnedRelease(
            releaseNames.grafana,
            charts.grafana,
            args.namespace,
            // Outputs nested in values stay outputs: only an unknown URL is unknown in a preview,
            // the rest of the values diff is readable. The password is in the Secret, not here.
            grafanaValues({
                adminSecretName: grafanaAdminSecretName,
                // Not a secret: a SHA-256 of a 24-character random password reveals nothing.
                adminSecretVersion: pulumi.unsecret(
                    password.result.apply((p) =>
                        createHash("sha256")
                            .update(p ?? "")
                            .digest("hex"),
                    ),
                ),
                serviceType: args.grafana.serviceType,
                loadBalancerSourceRanges: args.grafana.loadBalancerSourceRanges,
                loadBalancerAnnotations: args.loadBalancerAnnotations,
                prometheusUrl: args.prometheusUrl,
                lokiUrl: args.lokiUrl,
                dashboards: { torchserve: dashboard },
                placement: args.systemPlacement,
            }),
            // The pod reads the Secret at start.
            { ...childOpts, dependsOn: allDependsOn(dependsOn, [adminSecret]) },
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

/** metadata + stringData of the admin Secret; the password stays a Pulumi secret. */
export function grafanaAdminSecret(namespace: string, password: pulumi.Input<string>) {
    return {
        metadata: { name: grafanaAdminSecretName, namespace },
        stringData: {
            [grafanaAdminSecretKeys.user]: grafanaAdminUser,
            [grafanaAdminSecretKeys.password]: pulumi.secret(password),
        },
    };
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
