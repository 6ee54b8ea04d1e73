// Model stores and file systems protected: `pulumi destroy`, or a change that replaces one, must
// not delete the models (and whatever else the team keeps there). Resources holding the data carry
// the `protect` resource option; storage classes that provision shared file systems dynamically
// (EFS access points, Azure Files shares, Filestore instances) retain them when a claim goes.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { storageClassType } from "./types";

/** Resources whose deletion deletes stored data. */
export const dataHoldingTypes: readonly string[] = [
    "aws:efs/fileSystem:FileSystem",
    "gcp:filestore/instance:Instance",
    "azure-native:storage:StorageAccount",
    "azure-native:storage:FileShare",
    "azure:storage/account:Account",
    "azure:storage/share:Share",
    // The model-store claim: with a Delete reclaim policy its volume goes with it.
    "kubernetes:core/v1:PersistentVolumeClaim",
    "kubernetes:core/v1:PersistentVolume",
];

/** CSI provisioners of shared file systems (the model stores' classes in components/eks, aks, gke). */
export const fileSystemProvisioners: readonly string[] = [
    "efs.csi.aws.com",
    "file.csi.azure.com",
    "filestore.csi.storage.gke.io",
];

/**
 * CSI drivers that mount a bucket the user already has (the bucket model store's volumes,
 * components/{eks,gke,aks}/modelBucket.ts): they provision nothing, so a retained volume of theirs
 * holds no data the stack could delete — the bucket is the user's.
 */
export const bucketMountDrivers: readonly string[] = [
    "s3.csi.aws.com",
    "gcsfuse.csi.storage.gke.io",
    "blob.csi.azure.com",
];

/**
 * Label of the volumes the program owns for add-ons' StatefulSets (Prometheus's metrics, Loki's logs:
 * components/cluster/storage.ts `ownedVolumeLabel`). They hold no models, and a destroy is meant to
 * delete their disks (which are separate resources: a Retain volume's own deletion deletes nothing).
 */
const addonVolumeLabel = "torchserve.pytorch.org/volume";
const isAddonVolume = (props: Record<string, any>): boolean =>
    typeof props.metadata?.labels?.[addonVolumeLabel] === "string";

/**
 * Whether deleting the resource can delete no data whatever its protection: a volume mounting the
 * user's bucket that is retained, or a claim of a pre-provisioned volume it names (`storageClassName:
 * ""`: no class provisions it, so what happens to the data is its volume's reclaim policy, checked
 * on that PersistentVolume).
 */
function holdsNoData(type: string, props: Record<string, any>): boolean {
    if (type === "kubernetes:core/v1:PersistentVolume")
        return (
            (bucketMountDrivers.includes(props.spec?.csi?.driver) || isAddonVolume(props)) &&
            props.spec?.persistentVolumeReclaimPolicy === "Retain"
        );
    if (type === "kubernetes:core/v1:PersistentVolumeClaim")
        return props.spec?.storageClassName === "" && typeof props.spec?.volumeName === "string";
    return false;
}

export const modelStoresProtected: ResourceValidationPolicy = {
    name: "model-stores-protected",
    description:
        "File systems, storage accounts and persistent volume claims are protected (resource option protect), and file-system storage classes retain their volumes.",
    remediationSteps:
        "Keep the stack's cluster.deletionProtection true (the default). A throwaway stack can lower this policy to advisory (policy/config/dev.json).",
    validateResource: (args, reportViolation) => {
        if (dataHoldingTypes.includes(args.type) && !args.opts.protect && !holdsNoData(args.type, args.props)) {
            reportViolation(
                `${args.type.split(":").pop()} ${args.name} is not protected: pulumi destroy (or a replacement) would delete its data.`,
            );
        }
        if (
            args.type === storageClassType &&
            fileSystemProvisioners.includes(args.props.provisioner) &&
            args.props.reclaimPolicy !== "Retain"
        ) {
            reportViolation(
                `StorageClass ${args.props.metadata?.name ?? args.name} (${args.props.provisioner}) has reclaimPolicy ${args.props.reclaimPolicy ?? "Delete (the default)"}: deleting a claim deletes its file system; use Retain.`,
            );
        }
    },
};
