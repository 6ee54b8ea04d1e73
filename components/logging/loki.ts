// Loki and its shipper: the in-cluster log backend.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Placement } from "../cluster/kubernetes";
import { allDependsOn, splitDependsOn } from "../cluster/options";
import type { OwnedBlockVolume } from "../cluster/storage";
import { pinnedRelease } from "../monitoring/release";
import type { ServingEndpoints } from "../torchserve/endpoints";
import { alloyPipeline } from "./alloy";
import { loggingCharts, loggingReleaseNames, lokiUrl } from "./charts";
import { LokiSpec } from "./spec";
import { alloyValues, lokiValues } from "./values";

export interface LokiArgs {
    /** Retention, volume size and namespace. */
    loki: LokiSpec;
    /** TorchServe's endpoints: its namespace's lines are parsed as access logs. */
    serving: ServingEndpoints;
    /** Where Loki runs (system pool). The shipper runs on every node. */
    systemPlacement: Placement;
    /** StorageClass of Loki's volume; the cluster's default when absent. */
    storageClassName?: pulumi.Input<string>;
    /**
     * A volume the program owns for Loki (ClusterTarget.blockVolume): its claim selects it and is
     * deleted with the StatefulSet, and the release waits for it, so `pulumi destroy` deletes the
     * release, then the volume. Absent = a claim provisioned from `storageClassName`, which outlives
     * the destroy.
     */
    volume?: OwnedBlockVolume;
}

/**
 * Loki (single binary, persistent volume, retention) and Grafana Alloy as a DaemonSet shipping
 * every container's log lines to it, TorchServe's access log parsed into labels.
 */
export class Loki extends pulumi.ComponentResource {
    /** In-cluster URL of Loki (Grafana's datasource). */
    readonly url: string;
    readonly lokiRelease: k8s.helm.v3.Release;
    readonly alloyRelease: k8s.helm.v3.Release;

    /** `opts.provider` is the cluster's provider; `opts.dependsOn` what the releases wait for. */
    constructor(name: string, args: LokiArgs, options?: pulumi.ComponentResourceOptions) {
        const { own: opts, dependsOn } = splitDependsOn(options);
        super("torchserve-platform:index:Loki", name, {}, opts);
        const namespace = args.loki.namespace;
        this.url = lokiUrl(namespace);
        this.lokiRelease = pinnedRelease(
            loggingReleaseNames.loki,
            loggingCharts.loki,
            namespace,
            lokiValues(args.loki, args.systemPlacement, args.storageClassName, args.volume),
            { parent: this, dependsOn: allDependsOn(dependsOn, args.volume ? [args.volume.volume] : []) },
        );
        const config = alloyPipeline({
            pushUrl: `${this.url}/loki/api/v1/push`,
            torchServeNamespace: args.serving.namespace,
        });
        // Alloy buffers and retries while Loki starts, so it need not wait for it.
        this.alloyRelease = pinnedRelease(
            loggingReleaseNames.alloy,
            loggingCharts.alloy,
            namespace,
            alloyValues(config),
            { parent: this, dependsOn: dependsOn ?? [] },
        );
        this.registerOutputs({ url: this.url });
    }
}
