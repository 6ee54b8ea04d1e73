// The platform on any cluster: which add-ons a stack gets, and what each waits for. Components
// know nothing of the stack's config; this is where settings become their Args and options.
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterTarget } from "../components/cluster/target";
import { NvidiaDevicePlugin } from "../components/devicePlugin";
import { servingEndpoints, TorchServe, WorkloadIdentity } from "../components/torchserve";
import { loadBalancerIdleSeconds } from "../components/torchserve/drain";
import { Triton } from "../components/triton/triton";
import type { TritonIdentity } from "../components/triton/triton";
import { gpuPodCapacity } from "./config/capacity";
import { tritonSpareGpuPods } from "./config/triton";
import { Settings } from "./config/settings";
import { createInferenceRoutes, createMesh } from "./addons/mesh";
import { createLogging } from "./addons/logging";
import { createMonitoringStack } from "./addons/monitoring";

/** Outputs the cloud-neutral platform adds to the stack. */
export interface PlatformOutputs {
    namespace: pulumi.Output<string>;
    inferenceUrl: pulumi.Output<string>;
    managementUrl: pulumi.Output<string>;
    metricsUrl: pulumi.Output<string>;
    grpcUrl: pulumi.Output<string>;
    grafanaUrl?: pulumi.Output<string>;
    grafanaAdminPassword?: pulumi.Output<string>;
    ingressUrl?: pulumi.Output<string>;
    /** Triton's KServe v2 REST URL, with `triton`. */
    tritonUrl?: pulumi.Output<string>;
    /** Triton's KServe v2 gRPC address, with `triton`. */
    tritonGrpcUrl?: pulumi.Output<string>;
}

/**
 * Installs everything that runs on the cluster. Reads only `settings` and the cluster contract,
 * never the cloud: each add-on gets the target's provider and placement. Add-ons wait for the
 * cluster, not for each other, so they install side by side.
 */
export function createPlatform(
    settings: Settings,
    cluster: ClusterTarget,
    modelIdentity?: WorkloadIdentity,
    tritonIdentity?: TritonIdentity,
): PlatformOutputs {
    const pool = settings.gpuNodePool;
    // Where the cloud ships no device plugin, GPUs are not schedulable until this one runs.
    const devicePlugin =
        cluster.needsDevicePlugin && pool
            ? new NvidiaDevicePlugin(
                  "nvidia-device-plugin",
                  { placement: cluster.gpuPlacement },
                  { provider: cluster.provider, dependsOn: cluster.gpuPoolReady },
              )
            : undefined;
    // Load balancers keep a silent connection open at least as long as a model may take to answer.
    const loadBalancerAnnotations = cluster.loadBalancerAnnotations?.(
        loadBalancerIdleSeconds(settings.torchserve.models),
    );
    const mesh = createMesh(settings.istio, cluster, loadBalancerAnnotations);
    // Known before TorchServe exists, so the add-ons that use it do not wait for TorchServe.
    const serving = servingEndpoints(settings.torchserve);
    // Namespaces whose pods may reach TorchServe's management / metrics ports besides its own.
    const gateway = mesh ? [mesh.gatewayNamespace] : [];
    const torchserve = !settings.torchserve.enabled
        ? undefined
        : new TorchServe(
              "torchserve",
              {
                  spec: settings.torchserve,
                  gpuPlacement: cluster.gpuPlacement,
                  storageClassName: cluster.modelStoreClassName,
                  meshInjection: mesh !== undefined,
                  managementNamespaces: settings.istio.exposeManagement ? gateway : [],
                  metricsNamespaces: [
                      ...(settings.prometheus.enabled ? [settings.prometheus.namespace] : []),
                      ...(settings.istio.exposeMetrics ? gateway : []),
                  ],
                  // With a mesh, inference only through the gateway (its JWT check) or from listed namespaces.
                  inferenceNamespaces: mesh
                      ? [...gateway, ...(settings.istio.inferenceFromNamespaces ?? [])]
                      : undefined,
                  autoscaling: settings.autoscaling.enabled ? settings.autoscaling : undefined,
                  gpuPodCapacity: gpuPodCapacity(settings),
                  modelStoreNeedsOwnership: cluster.modelStoreNeedsOwnership,
                  protectModelStore: settings.cluster.deletionProtection,
                  identity: modelIdentity,
                  modelBucket: cluster.modelBucket,
                  loadBalancerAnnotations,
              },
              {
                  provider: cluster.provider,
                  dependsOn: cluster.clusterReady,
                  // With a mesh, pods must start after istiod's injector exists or they run without a sidecar.
                  workloadDependsOn: mesh?.injectionReady(),
                  gpuDependsOn: [...cluster.gpuPoolReady, ...(devicePlugin ? [devicePlugin.release] : [])],
              },
          );

    if (torchserve)
        createInferenceRoutes(settings.istio, mesh, serving, {
            provider: cluster.provider,
            torchServeReady: [torchserve.namespaceResource],
        });
    // Prometheus, Grafana and the DCGM exporter wait for the cluster only; the ScaledObject waits for TorchServe.
    const loki = createLogging(settings.logging, cluster, serving);
    const monitoring = createMonitoringStack({
        settings,
        cluster,
        serving,
        torchServe: torchserve,
        lokiUrl: loki?.url,
        loadBalancerAnnotations,
    });

    const triton = createTriton(settings, cluster, {
        torchServeNamespace: torchserve?.namespaceResource,
        meshInjection: mesh !== undefined,
        identity: tritonIdentity,
        gpuDependsOn: [...cluster.gpuPoolReady, ...(devicePlugin ? [devicePlugin.release] : [])],
        monitoringReady: monitoring.monitoring ? [monitoring.monitoring.release] : undefined,
    });

    // Without TorchServe the contract's URLs are Triton's (its HTTP port serves the model
    // repository API too); preflight refuses a stack that runs neither.
    const served = torchserve
        ? {
              namespace: torchserve.namespace,
              inferenceUrl: torchserve.inferenceUrl,
              managementUrl: torchserve.managementUrl,
              metricsUrl: torchserve.metricsUrl,
              grpcUrl: torchserve.grpcUrl,
          }
        : {
              namespace: triton!.namespace,
              inferenceUrl: triton!.httpUrl,
              managementUrl: triton!.httpUrl,
              metricsUrl: triton!.metricsUrl,
              grpcUrl: triton!.grpcUrl,
          };
    return {
        ...(mesh ? { ingressUrl: mesh.ingressUrl } : {}),
        ...monitoring.outputs,
        ...served,
        ...(triton ? { tritonUrl: triton.httpUrl, tritonGrpcUrl: triton.grpcUrl } : {}),
    };
}

/** What Triton takes from the rest of the platform. */
interface TritonPlatform {
    /** TorchServe's namespace, reused when TorchServe runs. */
    torchServeNamespace?: k8s.core.v1.Namespace;
    meshInjection: boolean;
    identity?: TritonIdentity;
    gpuDependsOn: pulumi.Input<pulumi.Resource>[];
    /** The stack's Prometheus release, when it runs one: Triton's PodMonitor and rules wait for its CRDs. */
    monitoringReady?: pulumi.Input<pulumi.Resource>[];
}

/**
 * Triton, when the stack runs it: in TorchServe's namespace (reused) or its own of the same name,
 * on the GPU pool, reading its repository from the cluster's bucket volume or the user's claim.
 */
export function createTriton(settings: Settings, cluster: ClusterTarget, p: TritonPlatform): Triton | undefined {
    if (!settings.triton.enabled) return undefined;
    const { enabled: _enabled, ...spec } = settings.triton;
    return new Triton(
        "triton",
        {
            spec,
            namespace: p.torchServeNamespace?.metadata.name,
            meshInjection: p.meshInjection,
            gpuPlacement: cluster.gpuPlacement,
            repositoryVolume: cluster.tritonRepository,
            identity: p.identity,
            metricsNamespaces: settings.prometheus.enabled ? [settings.prometheus.namespace] : [],
            spareGpuPods: tritonSpareGpuPods(settings),
            monitoring: settings.prometheus.enabled
                ? { namespace: settings.prometheus.namespace, ready: p.monitoringReady }
                : undefined,
        },
        { provider: cluster.provider, dependsOn: cluster.clusterReady, gpuDependsOn: p.gpuDependsOn },
    );
}
