// NVIDIA Triton on any Kubernetes cluster: its Deployment on the GPU pool, Service, ServiceAccount,
// PodDisruptionBudget, NetworkPolicy and the claim on its model repository, as typed
// Kubernetes objects, in TorchServe's namespace (reused) or one of its own.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { serviceDnsName } from "../cluster/addresses";
import { Placement } from "../cluster/kubernetes";
import { allDependsOn, splitDependsOn } from "../cluster/options";
import type { ModelBucketVolume } from "../cluster/storage";
import { tritonName, tritonPodLabels, tritonPorts } from "./conventions";
import { TritonSpec } from "./spec";
import { tritonAlertRules, tritonPodMonitor, tritonPodMonitorName } from "./metrics";
import {
    startupBudgetSeconds,
    tritonNetworkPolicySpec,
    tritonPodTemplate,
    tritonRolloutStrategy,
    tritonServicePorts,
} from "./workload";

/** A workload identity Triton's pods present (the repository bucket's reader). */
export interface TritonIdentity {
    /** Annotations of Triton's ServiceAccount (e.g. `iam.gke.io/gcp-service-account`). */
    annotations?: Record<string, pulumi.Input<string>>;
    /** Labels of the pods (e.g. `azure.workload.identity/use: "true"`). */
    podLabels?: Record<string, string>;
    /**
     * Grants the pods' reads need where no annotation carries them (GKE: the bucket role granted to the
     * ServiceAccount's own principal): the ServiceAccount and the Deployment wait for them.
     */
    grants?: pulumi.Resource[];
}

export interface TritonArgs {
    /** What to run: image, repository, models, resources (the stack's `triton` config). */
    spec: TritonSpec;
    /**
     * The namespace when it exists already (TorchServe's, reused); absent = the component creates
     * `spec.namespace`.
     */
    namespace?: pulumi.Input<string>;
    /** Label a namespace it creates `istio-injection: enabled`. @default false */
    meshInjection?: boolean;
    /** GPU pool placement (node selector + tolerations); applied only when `spec.nGpu > 0`. */
    gpuPlacement: Placement;
    /**
     * The bucket volume the cluster provides for the repository (ClusterTarget.tritonRepository);
     * required when `spec.repository.bucket` is set, which claims it read-only.
     */
    repositoryVolume?: ModelBucketVolume;
    /** Workload identity of the pods' ServiceAccount (the bucket's reader); absent = a plain ServiceAccount. */
    identity?: TritonIdentity;
    /** Namespaces besides its own whose pods may scrape the metrics port (monitoring). */
    metricsNamespaces?: string[];
    /** Namespaces whose pods may call inference (HTTP and gRPC); absent = from anywhere. */
    inferenceNamespaces?: string[];
    /**
     * Triton GPU pods the pool holds beyond `spec.replicas` beside TorchServe's: a rollout surges a
     * GPU pod only when this is at least 1; absent = never.
     */
    spareGpuPods?: number;
    /**
     * The stack's Prometheus (kube-prometheus-stack): a PodMonitor on the metrics port and Triton's
     * alert rules go into its namespace. Absent = Triton is not scraped.
     */
    monitoring?: TritonMonitoring;
}

/** Where Triton's PodMonitor and alert rules go. */
export interface TritonMonitoring {
    /** Namespace of the Prometheus operator's release (it selects monitors and rules there). */
    namespace: string;
    /** What installs the CRDs (the release): the custom resources wait for it. */
    ready?: pulumi.Input<pulumi.Resource>[];
}

/**
 * Resource options of Triton. `dependsOn` is what the claim and the Deployment wait for (the
 * cluster and its storage); `workloadDependsOn` and `gpuDependsOn` the Deployment only.
 */
export interface TritonOptions extends pulumi.ComponentResourceOptions {
    /** What the Deployment also waits for (e.g. TorchServe's namespace, the mesh's injector). */
    workloadDependsOn?: pulumi.Input<pulumi.Resource>[];
    /** What the Deployment also waits for when `spec.nGpu > 0` (GPU pool, NVIDIA device plugin). */
    gpuDependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** Triton and its Kubernetes objects. */
export class Triton extends pulumi.ComponentResource {
    public readonly namespace: pulumi.Output<string>;
    public readonly serviceName: pulumi.Output<string>;
    public readonly deploymentName: pulumi.Output<string>;
    /** `http://<svc>.<ns>.svc.cluster.local:8000` (KServe v2 REST). */
    public readonly httpUrl: pulumi.Output<string>;
    /** `<svc>.<ns>.svc.cluster.local:8001` (KServe v2 gRPC, no scheme). */
    public readonly grpcUrl: pulumi.Output<string>;
    /** `http://<svc>.<ns>.svc.cluster.local:8002/metrics`. */
    public readonly metricsUrl: pulumi.Output<string>;
    public readonly deployment: k8s.apps.v1.Deployment;
    public readonly service: k8s.core.v1.Service;
    /** The namespace, when the component created it. */
    public readonly namespaceResource?: k8s.core.v1.Namespace;

    constructor(name: string, args: TritonArgs, options?: TritonOptions) {
        const { own, dependsOn } = splitDependsOn(options);
        const { workloadDependsOn, gpuDependsOn, ...opts } = own;
        super("torchserve-platform:index:Triton", name, {}, opts);
        const s = args.spec;
        const child: pulumi.CustomResourceOptions = { parent: this };
        const bucket = s.repository.bucket !== undefined;
        if (bucket && !args.repositoryVolume)
            throw new Error("Triton: spec.repository is a bucket but no repositoryVolume was given");
        if (!s.repository.claimName) throw new Error("Triton: spec.repository names no claim");

        this.namespaceResource =
            args.namespace === undefined
                ? new k8s.core.v1.Namespace(
                      `${name}-namespace`,
                      {
                          metadata: {
                              name: s.namespace,
                              labels: args.meshInjection ? { "istio-injection": "enabled" } : {},
                          },
                      },
                      child,
                  )
                : undefined;
        const namespace = pulumi.output(args.namespace ?? this.namespaceResource!.metadata.name);
        const labels = { ...tritonPodLabels };

        const serviceAccount = new k8s.core.v1.ServiceAccount(
            `${name}-service-account`,
            {
                metadata: { name: tritonName, namespace, labels, annotations: args.identity?.annotations },
                // Triton never calls the Kubernetes API.
                automountServiceAccountToken: false,
            },
            { ...child, dependsOn: args.identity?.grants ?? [] },
        );

        const claimName = s.repository.claimName;
        const claim =
            bucket && args.repositoryVolume
                ? new k8s.core.v1.PersistentVolumeClaim(
                      `${name}-repository`,
                      {
                          metadata: { name: claimName, namespace, labels },
                          spec: {
                              // Static provisioning: exactly the cluster's volume, no class, read-only.
                              accessModes: ["ReadOnlyMany"],
                              storageClassName: "",
                              volumeName: args.repositoryVolume.volumeName,
                              // Required by the API; the drivers ignore it (a bucket has no size).
                              resources: { requests: { storage: "1Gi" } },
                          },
                      },
                      { ...child, dependsOn: allDependsOn(dependsOn) },
                  )
                : undefined;
        const annotations =
            bucket && args.repositoryVolume
                ? {
                      ...args.repositoryVolume.podAnnotations,
                      ...(args.meshInjection ? args.repositoryVolume.meshPodAnnotations : {}),
                  }
                : undefined;

        this.deployment = new k8s.apps.v1.Deployment(
            name,
            {
                metadata: { name: tritonName, namespace, labels },
                spec: {
                    replicas: s.replicas,
                    selector: { matchLabels: labels },
                    strategy: tritonRolloutStrategy(s, args.spareGpuPods),
                    // Longer than the startup budget plus a GPU node scale-up.
                    progressDeadlineSeconds: startupBudgetSeconds(s) + 600,
                    template: tritonPodTemplate({
                        spec: s,
                        gpuPlacement: args.gpuPlacement,
                        claimName: claim ? claim.metadata.name : claimName,
                        serviceAccountName: serviceAccount.metadata.name,
                        identityPodLabels: args.identity?.podLabels,
                        annotations,
                    }),
                },
            },
            {
                ...child,
                dependsOn: allDependsOn(
                    dependsOn,
                    workloadDependsOn,
                    s.nGpu > 0 ? gpuDependsOn : [],
                    args.identity?.grants,
                ),
                // A rollout may wait for a GPU node to join and models to load.
                customTimeouts: { create: "40m", update: "40m" },
            },
        );

        if (s.replicas > 1) {
            new k8s.policy.v1.PodDisruptionBudget(
                `${name}-pdb`,
                {
                    metadata: { name: tritonName, namespace, labels },
                    spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
                },
                child,
            );
        }

        this.service = new k8s.core.v1.Service(
            `${name}-service`,
            {
                metadata: { name: tritonName, namespace, labels },
                spec: { type: "ClusterIP", selector: labels, ports: tritonServicePorts() },
            },
            child,
        );

        new k8s.networking.v1.NetworkPolicy(
            `${name}-network-policy`,
            {
                metadata: { name: tritonName, namespace, labels },
                spec: tritonNetworkPolicySpec(args.metricsNamespaces, args.inferenceNamespaces),
            },
            child,
        );

        if (args.monitoring) {
            const m = args.monitoring;
            // Custom resources need the CRDs the monitoring release installs.
            const crdOpts = { ...child, dependsOn: m.ready ?? [] };
            new k8s.apiextensions.CustomResource(
                `${name}-podmonitor`,
                {
                    apiVersion: "monitoring.coreos.com/v1",
                    kind: "PodMonitor",
                    ...tritonPodMonitor(m.namespace, s.namespace),
                },
                crdOpts,
            );
            new k8s.apiextensions.CustomResource(
                `${name}-alert-rules`,
                {
                    apiVersion: "monitoring.coreos.com/v1",
                    kind: "PrometheusRule",
                    metadata: { name: "triton-alerts", namespace: m.namespace },
                    spec: {
                        groups: [
                            {
                                name: "triton",
                                rules: tritonAlertRules({
                                    namespace: s.namespace,
                                    scrapeJob: `${m.namespace}/${tritonPodMonitorName}`,
                                    models: s.models,
                                    startupBudgetSeconds: startupBudgetSeconds(s),
                                }),
                            },
                        ],
                    },
                },
                crdOpts,
            );
        }

        this.namespace = namespace;
        this.serviceName = this.service.metadata.name;
        this.deploymentName = this.deployment.metadata.name;
        const dns = pulumi.all([this.service.metadata.name, namespace]).apply(([svc, n]) => serviceDnsName(svc, n));
        this.httpUrl = pulumi.interpolate`http://${dns}:${tritonPorts.http}`;
        this.grpcUrl = pulumi.interpolate`${dns}:${tritonPorts.grpc}`;
        this.metricsUrl = pulumi.interpolate`http://${dns}:${tritonPorts.metrics}/metrics`;
        this.registerOutputs({
            namespace: this.namespace,
            serviceName: this.serviceName,
            deploymentName: this.deploymentName,
            httpUrl: this.httpUrl,
            grpcUrl: this.grpcUrl,
            metricsUrl: this.metricsUrl,
        });
    }
}
