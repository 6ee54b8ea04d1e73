// The model store's StorageClass on GKE: Filestore through the GKE-managed Filestore CSI driver.
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { claimVolume, ModelStoreClaim } from "../cluster/storage";

/** Name of the StorageClass the TorchServe model store claims from. */
export const modelStoreClassName = "torchserve-filestore";

/**
 * Smallest Filestore instance of the tier this class provisions (BASIC_HDD, like the zonal tiers):
 * 1 TiB. The driver would round a smaller claim up to it (and bill it); the config parser refuses one.
 */
export const filestoreMinimumBytes = 2 ** 40;

export interface FilestoreClassOptions {
    /** VPC the Filestore instances peer with: the cluster's network (name, not self link). */
    network: pulumi.Input<string>;
    /** Keep the Filestore instance when its claim is deleted (deletion protection). */
    retain: boolean;
}

/**
 * ReadWriteMany storage for the model store: an NFS share every TorchServe replica mounts at once
 * (a ReadWriteOnce disk pins all replicas to one node). GKE's built-in `standard-rwx` class peers
 * Filestore with the `default` network, which this cluster does not use, hence our own class.
 * `standard` is the BASIC_HDD tier: `filestoreMinimumBytes` minimum.
 */
export function filestoreStorageClassArgs(opts: FilestoreClassOptions): k8s.storage.v1.StorageClassArgs {
    return {
        metadata: {
            name: modelStoreClassName,
            labels: { "app.kubernetes.io/part-of": "torchserve-platform" },
        },
        provisioner: "filestore.csi.storage.gke.io",
        parameters: { tier: "standard", network: opts.network },
        reclaimPolicy: opts.retain ? "Retain" : "Delete",
        // Basic Filestore instances are zonal: create each in the zone of the first pod using it.
        volumeBindingMode: "WaitForFirstConsumer",
        allowVolumeExpansion: true,
    };
}

/** Name of the file share on the model server's Filestore instance. */
export const modelStoreShareName = "models";

/** GiB of a size such as `1Ti` or `1024Gi` (Filestore sizes its shares in GiB), at least the 1 TiB minimum. */
export function filestoreCapacityGb(size: string): number {
    const m = /^(\d+)(Gi|Ti)$/.exec(size);
    if (!m) throw new Error(`Filestore share size must be whole Gi or Ti, got ${size}`);
    const gib = Number(m[1]) * (m[2] === "Ti" ? 1024 : 1);
    return Math.max(gib, filestoreMinimumBytes / 2 ** 30);
}

/**
 * The model server's volume: its Filestore instance's share, bound to exactly its claim (GKE docs,
 * "Access pre-existing Filestore instances": volumeHandle modeInstance/<zone>/<instance>/<share>).
 * Retain: the instance is Pulumi's to delete, after the volume and before the network it peers with.
 */
export function filestoreVolume(
    zone: pulumi.Input<string>,
    instanceName: pulumi.Input<string>,
    ip: pulumi.Input<string>,
    claim: ModelStoreClaim,
): k8s.core.v1.PersistentVolumeArgs {
    return claimVolume(claim, {
        accessModes: ["ReadWriteMany", "ReadWriteOnce"],
        storageClassName: modelStoreClassName,
        csi: {
            driver: "filestore.csi.storage.gke.io",
            volumeHandle: pulumi.interpolate`modeInstance/${zone}/${instanceName}/${modelStoreShareName}`,
            volumeAttributes: { ip, volume: modelStoreShareName },
        },
    });
}
