// Helm values of the log stack's charts, as pure functions of specs and placements. Every key here
// exists in the pinned chart's values (test/logging.test.ts checks it against test/data/chart-values).
import * as pulumi from "@pulumi/pulumi";
import { HelmValues } from "../cluster/freeform";
import { Placement } from "../cluster/kubernetes";
import { LokiSpec } from "./spec";
import type { OwnedBlockVolume } from "../cluster/storage";

/**
 * Loki 3 as one binary (the chart's Monolithic mode, formerly SingleBinary): filesystem storage on
 * a PersistentVolume, TSDB schema v13, retention applied by the compactor. No gateway, caches,
 * canary or test pod: one StatefulSet with one Service is all a single-node Loki needs.
 */
export function lokiValues(
    spec: LokiSpec,
    system: Placement,
    storageClassName?: pulumi.Input<string>,
    /** A volume the program owns (ClusterTarget.blockVolume): claimed by label with no class ("-"). */
    volume?: Pick<OwnedBlockVolume, "selector" | "size">,
): HelmValues {
    return {
        deploymentMode: "Monolithic",
        loki: {
            // One tenant: Alloy and Grafana send no X-Scope-OrgID.
            auth_enabled: false,
            commonConfig: { replication_factor: 1 },
            storage: { type: "filesystem" },
            schemaConfig: {
                configs: [
                    {
                        from: "2024-04-01",
                        store: "tsdb",
                        object_store: "filesystem",
                        schema: "v13",
                        index: { prefix: "loki_index_", period: "24h" },
                    },
                ],
            },
            limits_config: { retention_period: `${spec.retentionDays * 24}h` },
            // Retention is enforced by the compactor; deletes need a store for delete requests.
            compactor: { retention_enabled: true, delete_request_store: "filesystem" },
        },
        singleBinary: {
            replicas: 1,
            nodeSelector: { ...system.nodeSelector },
            tolerations: system.tolerations.map((t) => ({ ...t })),
            persistence: volume
                ? {
                      enabled: true,
                      size: volume.size,
                      storageClass: "-",
                      selector: { matchLabels: { ...volume.selector } },
                      // The claim goes with the StatefulSet (chart 18.11.0 templates/_workload.tpl
                      // persistentVolumeClaimRetentionPolicy), so the owned volume can be deleted.
                      enableStatefulSetAutoDeletePVC: true,
                      whenDeleted: "Delete",
                      whenScaled: "Retain",
                  }
                : {
                      enabled: true,
                      size: spec.storageSize,
                      ...(storageClassName !== undefined ? { storageClass: storageClassName } : {}),
                  },
        },
        read: { replicas: 0 },
        write: { replicas: 0 },
        backend: { replicas: 0 },
        gateway: { enabled: false },
        chunksCache: { enabled: false },
        resultsCache: { enabled: false },
        lokiCanary: { enabled: false },
        test: { enabled: false },
    };
}

/**
 * Alloy as a DaemonSet on every node: it tolerates every taint (the GPU pool's included), mounts
 * the host's /var/log and runs `config`. Its PodLogs CRDs are not installed: the pipeline does not use them.
 */
export function alloyValues(config: string): HelmValues {
    return {
        crds: { create: false },
        alloy: {
            configMap: { create: true, content: config },
            mounts: { varlog: true },
        },
        controller: {
            type: "daemonset",
            tolerations: [{ operator: "Exists" }],
        },
    };
}
