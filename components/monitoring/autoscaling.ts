// Autoscaling: KEDA, and a ScaledObject that scales the stable TorchServe Deployment on its request
// rate (REST and gRPC, queries.ts), down to zero where a wake-up signal exists while no pod runs:
// the mesh gateway's request counter, scraped by a PodMonitor this component adds.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Placement } from "../cluster/kubernetes";
import { splitDependsOn } from "../cluster/options";
import type { ServingEndpoints } from "../torchserve/endpoints";
import { charts, prometheusUrl, releaseNames } from "./charts";
import { gatewayAnsweredRateQuery, gatewayWakeQuery, servingRequestRateQuery } from "./queries";
import { pinnedRelease } from "./release";
import { AutoscalingSpec } from "./spec";
import { kedaValues } from "./values";
import { aliasPreviousType } from "../cluster/typeToken";

/** The mesh's ingress gateway, whose request metrics wake TorchServe from zero replicas. */
export interface GatewayWakeUp {
    /** Namespace of the gateway's pods. */
    namespace: string;
    /** Labels selecting the gateway's pods. */
    podLabels: Record<string, string>;
}

export interface AutoscalingArgs {
    /** Replica bounds, target request rate per pod, scale-down window. */
    autoscaling: AutoscalingSpec;
    /** Namespace of the in-cluster Prometheus (PrometheusSpec.namespace); KEDA goes there too. */
    prometheusNamespace: string;
    /** TorchServe's endpoints: the ScaledObject scales the stable Deployment, in its namespace. */
    serving: ServingEndpoints;
    /** Where KEDA runs (system pool). */
    systemPlacement: Placement;
    /**
     * The mesh gateway in front of TorchServe: its request counter becomes a second trigger and the
     * wake-up signal. Required for `autoscaling.minReplicas: 0` (nothing else counts requests while
     * no TorchServe pod runs).
     */
    wakeUp?: GatewayWakeUp;
}

/**
 * Resource options of Autoscaling: `provider` is the cluster's Kubernetes provider, `dependsOn`
 * what KEDA waits for (the cluster and Prometheus's release, whose CRDs the gateway monitor needs).
 */
export interface AutoscalingOptions extends pulumi.ComponentResourceOptions {
    /** What the ScaledObject also waits for: the TorchServe component (its namespace and Deployment). */
    workloadDependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** Name of the PodMonitor scraping the gateway's Envoy statistics. */
export const gatewayPodMonitorName = "istio-gateway";
/** The gateway container's Envoy Prometheus port, as the Istio gateway chart names it (15090). */
export const envoyPrometheusPortName = "http-envoy-prom";

/** KEDA and a ScaledObject on the stable Deployment. */
export class Autoscaling extends pulumi.ComponentResource {
    readonly keda: k8s.helm.v3.Release;
    /** Name of the ScaledObject (in TorchServe's namespace). */
    readonly scaledObjectName: pulumi.Output<string>;

    constructor(name: string, args: AutoscalingArgs, options?: AutoscalingOptions) {
        if (args.autoscaling.minReplicas === 0 && !args.wakeUp)
            throw new Error("autoscaling.minReplicas 0 needs a wake-up signal: the mesh gateway (wakeUp)");
        const { own, dependsOn } = splitDependsOn(options);
        const { workloadDependsOn, ...opts } = own;
        super(
            "torchserve-platform:index:Autoscaling",
            name,
            {},
            aliasPreviousType(opts, "torchserve-platform:monitoring:Autoscaling"),
        );
        const childOpts = { parent: this };

        this.keda = pinnedRelease(
            releaseNames.keda,
            charts.keda,
            args.prometheusNamespace,
            kedaValues(args.systemPlacement),
            { ...childOpts, dependsOn: dependsOn ?? [] },
        );
        if (args.wakeUp) {
            new k8s.apiextensions.CustomResource(
                `${name}-gateway-monitor`,
                { apiVersion: "monitoring.coreos.com/v1", kind: "PodMonitor", ...gatewayPodMonitor(args.wakeUp) },
                { ...childOpts, dependsOn: dependsOn ?? [] },
            );
        }
        const scaledObject = new k8s.apiextensions.CustomResource(
            `${name}-scaled-object`,
            { apiVersion: "keda.sh/v1alpha1", kind: "ScaledObject", ...torchServeScaledObject(args) },
            // KEDA's CRDs and admission webhook come with its release.
            { ...childOpts, dependsOn: [this.keda, ...(workloadDependsOn ?? [])] },
        );
        this.scaledObjectName = scaledObject.metadata.name;
        this.registerOutputs({ scaledObjectName: this.scaledObjectName });
    }
}

/** metadata + spec of the PodMonitor scraping the gateway's Envoy metrics (istio_requests_total). */
export function gatewayPodMonitor(g: GatewayWakeUp) {
    return {
        metadata: { name: gatewayPodMonitorName, namespace: g.namespace },
        spec: {
            selector: { matchLabels: { ...g.podLabels } },
            podMetricsEndpoints: [{ port: envoyPrometheusPortName, path: "/stats/prometheus", interval: "15s" }],
        },
    };
}

/** Seconds between KEDA's polls of Prometheus (also how fast a request wakes TorchServe from zero). */
export const pollingIntervalSeconds = 15;

/**
 * The ScaledObject: the stable Deployment between minReplicas and maxReplicas, AverageValue of
 * requests per second per pod. With the gateway, two more triggers: its answered requests, whose
 * target is raised by the canary's share (only the stable share of gateway traffic reaches these
 * pods), and its wake-up signal, the one that exists with no pod running (activation from zero),
 * which asks for one pod and no more. KEDA activates on any trigger above its activation
 * threshold; the HPA then takes the largest replica count any trigger asks for.
 */
export function torchServeScaledObject(
    args: Pick<AutoscalingArgs, "autoscaling" | "serving" | "prometheusNamespace" | "wakeUp">,
) {
    const { autoscaling: s, serving } = args;
    const deployment = serving.stable.deploymentName;
    const serverAddress = prometheusUrl(args.prometheusNamespace);
    const trigger = (name: string, query: string, threshold: number) => ({
        type: "prometheus",
        name,
        metricType: "AverageValue",
        metadata: {
            serverAddress,
            query,
            threshold: formatNumber(threshold),
            // Any request at all wakes the Deployment from zero.
            activationThreshold: "0",
            ignoreNullValues: "true",
        },
    });
    const stableShare = Math.max(1, 100 - (serving.canary?.weight ?? 0)) / 100;
    const triggers = [
        trigger("torchserve-requests", servingRequestRateQuery(serving), s.targetRequestsPerSecond),
        ...(args.wakeUp
            ? [
                  // Scaling: requests TorchServe answered through the gateway.
                  trigger(
                      "gateway-requests",
                      gatewayAnsweredRateQuery(serving, args.wakeUp.namespace),
                      s.targetRequestsPerSecond / stableShare,
                  ),
                  // Waking: 1 while any request not refused arrives; target 1 = one pod, never more.
                  trigger("gateway-wake", gatewayWakeQuery(serving, args.wakeUp.namespace), 1),
              ]
            : []),
    ];
    return {
        metadata: { name: deployment, namespace: serving.namespace },
        spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment },
            minReplicaCount: s.minReplicas,
            maxReplicaCount: s.maxReplicas,
            pollingInterval: pollingIntervalSeconds,
            // From the last active poll to zero replicas.
            cooldownPeriod: s.scaleDownStabilizationSeconds,
            advanced: {
                horizontalPodAutoscalerConfig: {
                    behavior: { scaleDown: { stabilizationWindowSeconds: s.scaleDownStabilizationSeconds } },
                },
            },
            triggers,
        },
    };
}

/** A threshold as KEDA's string metadata takes it: plain decimals, at most 3 places. */
export function formatNumber(n: number): string {
    if (!(n > 0) || !Number.isFinite(n)) throw new Error(`threshold must be a positive number, got ${n}`);
    return String(Math.round(n * 1000) / 1000);
}
