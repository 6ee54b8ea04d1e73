// Autoscaling: prometheus-adapter serving TorchServe's queue latency per request as a custom
// metric, and the HPA that scales the stable Deployment on it.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Placement } from "../cluster/kubernetes";
import { splitDependsOn } from "../cluster/options";
import type { ServingEndpoints } from "../torchserve/endpoints";
import { charts, releaseNames } from "./charts";
import { latencyTargetQuantity, queueLatencyAdapterRule, queueLatencyMetricName } from "./queries";
import { pinnedRelease } from "./release";
import { AutoscalingSpec } from "./spec";
import { prometheusAdapterValues } from "./values";
import { aliasPreviousType } from "../cluster/typeToken";

export interface AutoscalingArgs {
    /** Replica bounds, target queue latency, scale-down window. */
    autoscaling: AutoscalingSpec;
    /** Namespace of the in-cluster Prometheus (PrometheusSpec.namespace); the adapter goes there too. */
    prometheusNamespace: string;
    /** TorchServe's endpoints: the HPA scales the stable Deployment, in its namespace. */
    serving: ServingEndpoints;
    /** Where prometheus-adapter runs (system pool). */
    systemPlacement: Placement;
}

/**
 * Resource options of Autoscaling: `provider` is the cluster's Kubernetes provider, `dependsOn`
 * what the adapter waits for (the cluster and Prometheus's release).
 */
export interface AutoscalingOptions extends pulumi.ComponentResourceOptions {
    /** What the HPA also waits for: the TorchServe component (its namespace and Deployment). */
    workloadDependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** prometheus-adapter exposing queue latency per request, and an HPA on the stable Deployment. */
export class Autoscaling extends pulumi.ComponentResource {
    readonly adapter: k8s.helm.v3.Release;
    readonly hpa: k8s.autoscaling.v2.HorizontalPodAutoscaler;

    constructor(name: string, args: AutoscalingArgs, options?: AutoscalingOptions) {
        const { own, dependsOn } = splitDependsOn(options);
        const { workloadDependsOn, ...opts } = own;
        super(
            "torchserve-platform:index:Autoscaling",
            name,
            {},
            aliasPreviousType(opts, "torchserve-platform:monitoring:Autoscaling"),
        );
        const childOpts = { parent: this };

        this.adapter = pinnedRelease(
            releaseNames.prometheusAdapter,
            charts.prometheusAdapter,
            args.prometheusNamespace,
            prometheusAdapterValues(
                args.prometheusNamespace,
                queueLatencyAdapterRule(args.serving.namespace),
                args.systemPlacement,
            ),
            { ...childOpts, dependsOn: dependsOn ?? [] },
        );
        this.hpa = new k8s.autoscaling.v2.HorizontalPodAutoscaler(
            `${name}-hpa`,
            torchServeHpa(args.serving, args.autoscaling),
            // The metric only exists once the adapter serves custom.metrics.k8s.io.
            { ...childOpts, dependsOn: [this.adapter, ...(workloadDependsOn ?? [])] },
        );
        this.registerOutputs({});
    }
}

/** The HPA: stable TorchServe Deployment, Pods metric = mean queue latency per request (ms). */
export function torchServeHpa(serving: ServingEndpoints, s: AutoscalingSpec) {
    const deployment = serving.stable.deploymentName;
    return {
        metadata: { name: deployment, namespace: serving.namespace },
        spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment },
            minReplicas: s.minReplicas,
            maxReplicas: s.maxReplicas,
            metrics: [
                {
                    type: "Pods",
                    pods: {
                        metric: { name: queueLatencyMetricName },
                        target: { type: "AverageValue", averageValue: latencyTargetQuantity(s.targetQueueLatencyMs) },
                    },
                },
            ],
            behavior: { scaleDown: { stabilizationWindowSeconds: s.scaleDownStabilizationSeconds } },
        },
    };
}
