// The model store's StorageClass on AKS: Azure Files through the AKS-managed file CSI driver.
import type * as k8s from "@pulumi/kubernetes";
import { VolumeOwner } from "../cluster/storage";

/** Name of the StorageClass the TorchServe model store claims from. */
export const modelStoreClassName = "torchserve-azurefile";

export interface AzureFileClassOptions {
    /** Keep the file share when its claim is deleted (deletion protection). */
    retain: boolean;
    /** Who the share's files belong to: the user the model server runs as. */
    owner: VolumeOwner;
    /** Azure Files SKU; Standard_LRS by default (Premium_LRS shares start at 100 GiB). */
    skuName?: string;
}

/**
 * ReadWriteMany storage for the model store. The original guide claimed a ReadWriteOnce Azure disk,
 * which attaches to a single node: a second TorchServe replica (or the rolling update's new pod) on
 * another node stays Pending forever. An SMB share mounts on any number of nodes at once.
 *
 * SMB has no POSIX ownership: the mount options fix owner and modes, so a non-root model server
 * (`opts.owner`) can write models the loader downloads.
 */
export function azureFileStorageClassArgs(opts: AzureFileClassOptions): k8s.storage.v1.StorageClassArgs {
    return {
        metadata: {
            name: modelStoreClassName,
            labels: { "app.kubernetes.io/part-of": "torchserve-platform" },
        },
        provisioner: "file.csi.azure.com",
        parameters: { skuName: opts.skuName ?? "Standard_LRS" },
        mountOptions: [
            `uid=${opts.owner.uid}`,
            `gid=${opts.owner.gid}`,
            "dir_mode=0775",
            "file_mode=0664",
            // The AKS documentation's recommended SMB options (symlinks, caching, one socket per share).
            "mfsymlinks",
            "cache=strict",
            "actimeo=30",
            "nosharesock",
        ],
        reclaimPolicy: opts.retain ? "Retain" : "Delete",
        volumeBindingMode: "Immediate",
        allowVolumeExpansion: true,
    };
}
