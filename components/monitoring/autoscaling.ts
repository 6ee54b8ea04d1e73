// Autoscaling: prometheus-adapter serving TorchServe's queue latency per request as a custom
// metric, and the HPA that scales the stable Deployment on it.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Placement } from "../cluster/target";
import * as conventions from "../torchserve/conventions";
import { AutoscalingSettings } from "../../stacks/config/settings";
import { charts, releaseNames } from "./charts";
import { latencyTargetQuantity, queueLatencyAdapterRule, queueLatencyMetricName } from "./queries";
import { pinnedRelease } from "./release";
import { prometheusAdapterValues } from "./values";
import { aliasPreviousType } from "../cluster/typeToken";

export interface AutoscalingArgs {
    /** Provider of the target cluster. */
    provider: k8s.Provider;
    /** `settings.autoscaling`: replica bounds, target queue latency, scale-down window. */
    autoscaling: AutoscalingSettings;
    /** Namespace of the in-cluster Prometheus (`settings.prometheus.namespace`); the adapter goes there too. */
    prometheusNamespace: string;
    /** Namespace of TorchServe; the HPA lives there. */
    torchServeNamespace: string;
    /** Where prometheus-adapter runs (system pool). */
    systemPlacement: Placement;
    /** What the adapter waits for: the cluster and Prometheus's release. */
    dependsOn?: pulumi.Resource[];
    /** What the HPA waits for: the TorchServe component (its namespace and Deployment). */
    workloadDependsOn?: pulumi.Resource[];
}

/** prometheus-adapter exposing queue latency per request, and an HPA on the stable Deployment. */
export class Autoscaling extends pulumi.ComponentResource {
    readonly adapter: k8s.helm.v3.Release;
    readonly hpa: k8s.autoscaling.v2.HorizontalPodAutoscaler;

    constructor(name: string, args: AutoscalingArgs, opts?: pulumi.ComponentResourceOptions) {
        super(
            "torchserve-platform:index:Autoscaling",
            name,
            {},
            aliasPreviousType(opts, "torchserve-platform:monitoring:Autoscaling"),
        );
        const childOpts = { parent: this, provider: args.provider };

        this.adapter = pinnedRelease(
            releaseNames.prometheusAdapter,
            charts.prometheusAdapter,
            args.prometheusNamespace,
            prometheusAdapterValues(
                args.prometheusNamespace,
                queueLatencyAdapterRule(args.torchServeNamespace),
                args.systemPlacement,
            ),
            { ...childOpts, dependsOn: args.dependsOn ?? [] },
        );
        this.hpa = new k8s.autoscaling.v2.HorizontalPodAutoscaler(
            `${name}-hpa`,
            torchServeHpa(args.torchServeNamespace, args.autoscaling),
            // The metric only exists once the adapter serves custom.metrics.k8s.io.
            { ...childOpts, dependsOn: [this.adapter, ...(args.workloadDependsOn ?? [])] },
        );
        this.registerOutputs({});
    }
}

/** The HPA: stable TorchServe Deployment, Pods metric = mean queue latency per request (ms). */
export function torchServeHpa(namespace: string, s: AutoscalingSettings) {
    return {
        metadata: { name: conventions.stableDeploymentName, namespace },
        spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: conventions.stableDeploymentName },
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
