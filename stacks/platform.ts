import * as pulumi from "@pulumi/pulumi";
import { ClusterTarget } from "../components/cluster/target";
import { NvidiaDevicePlugin } from "../components/devicePlugin";
import { createInferenceRoutes, createMesh } from "../components/mesh";
import { createMonitoringStack } from "../components/monitoring";
import { TorchServe } from "../components/torchserve";
import { gpuPodCapacity } from "./config/capacity";
import { Settings } from "./config/settings";

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
}

/**
 * Installs everything that runs on the cluster. Reads only `settings` and the cluster contract,
 * never the cloud: each add-on gets the target's provider and placement. Add-ons wait for the
 * cluster, not for each other, so they install side by side.
 */
export function createPlatform(settings: Settings, cluster: ClusterTarget): PlatformOutputs {
    const pool = settings.gpuNodePool;
    // Where the cloud ships no device plugin, GPUs are not schedulable until this one runs.
    const devicePlugin =
        cluster.needsDevicePlugin && pool
            ? new NvidiaDevicePlugin("nvidia-device-plugin", {
                  provider: cluster.provider,
                  placement: cluster.gpuPlacement,
                  dependsOn: cluster.gpuPoolReady,
              })
            : undefined;
    const mesh = createMesh(settings, {
        provider: cluster.provider,
        systemPlacement: cluster.systemPlacement,
        dependsOn: cluster.systemReady,
    });
    // Namespaces whose pods may reach TorchServe's management / metrics ports besides its own.
    const gateway = mesh ? [mesh.gatewayNamespace] : [];
    const torchserve = new TorchServe("torchserve", {
        provider: cluster.provider,
        settings: settings.torchserve,
        gpuPlacement: cluster.gpuPlacement,
        storageClassName: cluster.modelStoreClassName,
        meshInjection: mesh !== undefined,
        managementNamespaces: settings.istio.exposeManagement ? gateway : [],
        metricsNamespaces: [
            ...(settings.prometheus.enabled ? [settings.prometheus.namespace] : []),
            ...(settings.istio.exposeMetrics ? gateway : []),
        ],
        autoscaling: settings.autoscaling.enabled ? settings.autoscaling : undefined,
        gpuPodCapacity: gpuPodCapacity(settings),
        clusterReady: cluster.clusterReady,
        // With a mesh, pods must start after istiod's injector exists or they run without a sidecar.
        workloadReady: mesh?.injectionReady,
        gpuReady: [...cluster.gpuPoolReady, ...(devicePlugin ? [devicePlugin.release] : [])],
        modelStoreNeedsOwnership: cluster.modelStoreNeedsOwnership,
        protectModelStore: settings.cluster.deletionProtection,
    });

    createInferenceRoutes(settings, mesh, {
        provider: cluster.provider,
        torchServeReady: [torchserve.namespaceResource],
    });
    // Prometheus, Grafana and the DCGM exporter wait for the cluster only; the HPA waits for TorchServe.
    const monitoring = createMonitoringStack({ settings, cluster, torchServe: torchserve });

    return {
        ...(mesh ? { ingressUrl: mesh.ingressUrl } : {}),
        ...monitoring.outputs,
        namespace: torchserve.namespace,
        inferenceUrl: torchserve.inferenceUrl,
        managementUrl: torchserve.managementUrl,
        metricsUrl: torchserve.metricsUrl,
        grpcUrl: torchserve.grpcUrl,
    };
}
