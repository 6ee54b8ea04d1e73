// The model store's StorageClass on GKE: Filestore through the GKE-managed Filestore CSI driver.
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/** Name of the StorageClass the TorchServe model store claims from. */
export const modelStoreClassName = "torchserve-filestore";

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
 * `standard` is the BASIC_HDD tier: 1 TiB minimum (the driver rounds a smaller claim up to it;
 * the config parser rejects one, see filestoreMinimumBytes in stacks/config/capacity.ts).
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
