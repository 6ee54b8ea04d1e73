import { HelmValues } from "../cluster/freeform";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { aliasPreviousType } from "../cluster/typeToken";
import { Placement } from "../cluster/kubernetes";
import { splitDependsOn } from "../cluster/options";

/** NVIDIA device plugin chart (https://github.com/NVIDIA/k8s-device-plugin, tag v0.20.0). */
export const nvidiaDevicePluginChart = {
    name: "nvidia-device-plugin",
    version: "0.20.0",
    repo: "https://nvidia.github.io/k8s-device-plugin",
} as const;

/**
 * Node affinity that replaces the chart's default. The default requires Node Feature Discovery labels
 * (`feature.node.kubernetes.io/pci-10de.present`, …) that EKS and AKS nodes do not carry, so the
 * DaemonSet would schedule nowhere. Helm merges maps but replaces lists, so giving `nodeSelectorTerms`
 * drops the NFD terms. With no GPU labels to select on, any Linux node qualifies.
 */
export function devicePluginAffinity(placement: Placement) {
    const labels = Object.entries(placement.nodeSelector);
    const matchExpressions =
        labels.length > 0
            ? labels.map(([key, value]) => ({ key, operator: "In", values: [value] }))
            : [{ key: "kubernetes.io/os", operator: "In", values: ["linux"] }];
    return {
        nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions }] } },
    };
}

/** Helm values for nvidia-device-plugin (value names from chart 0.20.0's values.yaml). */
export function devicePluginValues(placement: Placement): HelmValues {
    const selective = Object.keys(placement.nodeSelector).length > 0;
    return {
        nodeSelector: placement.nodeSelector,
        affinity: devicePluginAffinity(placement),
        // The chart's list also tolerates CriticalAddonsOnly; keep that, add the GPU pool's taints.
        tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }, ...placement.tolerations],
        // On every Linux node (no GPU selector) CPU nodes must not crash-loop for lack of NVML.
        ...(selective ? {} : { failOnInitError: false }),
        // Drivers come with the node image (EKS AL2023 NVIDIA AMI, AKS GPU nodes). GPU feature discovery
        // off also keeps the chart's Node Feature Discovery subchart out (its condition is gfd.enabled).
        gfd: { enabled: false },
    };
}

export interface NvidiaDevicePluginArgs {
    /** The GPU pool's placement: the plugin runs only where GPU pods can run. */
    placement: Placement;
    /**
     * Namespace of the release (its pods are node-critical).
     * @default "kube-system"
     */
    namespace?: string;
}

/**
 * The NVIDIA device plugin DaemonSet, which advertises `nvidia.com/gpu` on nodes whose image ships the
 * driver but not the plugin (EKS AL2023 NVIDIA AMI; AKS with the GPU driver only). Cloud-neutral.
 */
export class NvidiaDevicePlugin extends pulumi.ComponentResource {
    readonly release: k8s.helm.v3.Release;

    /**
     * `opts.provider` is the target cluster's Kubernetes provider; `opts.dependsOn` is what the
     * release waits for (the GPU node pool, the cluster's system pool).
     */
    constructor(name: string, args: NvidiaDevicePluginArgs, options?: pulumi.ComponentResourceOptions) {
        const { own: opts, dependsOn } = splitDependsOn(options);
        super(
            "torchserve-platform:index:NvidiaDevicePlugin",
            name,
            {},
            aliasPreviousType(opts, "torchserve-platform:devicePlugin:NvidiaDevicePlugin"),
        );
        this.release = new k8s.helm.v3.Release(
            name,
            {
                chart: nvidiaDevicePluginChart.name,
                version: nvidiaDevicePluginChart.version,
                repositoryOpts: { repo: nvidiaDevicePluginChart.repo },
                namespace: args.namespace ?? "kube-system",
                values: devicePluginValues(args.placement),
            },
            { parent: this, dependsOn },
        );
        this.registerOutputs({ status: this.release.status });
    }
}
