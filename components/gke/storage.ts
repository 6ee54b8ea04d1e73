// The model store's StorageClass on GKE: Filestore through the GKE-managed Filestore CSI driver.
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

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
