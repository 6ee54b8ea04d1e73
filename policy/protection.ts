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

export const modelStoresProtected: ResourceValidationPolicy = {
    name: "model-stores-protected",
    description:
        "File systems, storage accounts and persistent volume claims are protected (resource option protect), and file-system storage classes retain their volumes.",
    remediationSteps:
        "Keep the stack's cluster.deletionProtection true (the default). A throwaway stack can lower this policy to advisory (policy/config/dev.json).",
    validateResource: (args, reportViolation) => {
        if (dataHoldingTypes.includes(args.type) && !args.opts.protect) {
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
