// What a storage class must know of the workload that writes to its volumes.
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { parseQuantity } from "./quantity";

/**
 * The user and group a volume's files belong to, for storage whose ownership is fixed when the volume
 * is provisioned or mounted (EFS access points, SMB mount options) rather than by the pod's fsGroup.
 */
export interface VolumeOwner {
    /** Numeric user id the files belong to. */
    uid: number;
    /** Numeric group id the files belong to. */
    gid: number;
}

/**
 * The claim the model server makes on the model store. A cluster component that knows it provisions
 * the volume ahead of the claim (a PersistentVolume bound to exactly this claim, backed by storage
 * Pulumi owns), so `pulumi destroy` deletes what holds the models in order instead of leaving it to
 * a CSI driver's asynchronous clean-up.
 */
export interface ModelStoreClaim {
    /** Namespace of the claim. */
    namespace: string;
    /** Name of the claim. */
    name: string;
    /** Size the claim requests (a Kubernetes quantity); the volume offers exactly this. */
    size: string;
}

/**
 * Resource options for a StorageClass whose reclaim policy follows deletion protection: the API
 * refuses to change `reclaimPolicy` (or `volumeBindingMode`) in place, and pulumi-kubernetes replaces
 * a class only for `parameters`/`provisioner`, so the class is replaced (deleted first: it keeps its
 * name) when they change. Deleting a class leaves its volumes and claims as they are.
 */
export const storageClassReplacement: { replaceOnChanges: string[]; deleteBeforeReplace: boolean } = {
    replaceOnChanges: ["reclaimPolicy", "volumeBindingMode"],
    deleteBeforeReplace: true,
};

/**
 * A bucket mounted read-only as the model store (static provisioning): the cluster component that
 * installs the cloud's CSI driver creates a PersistentVolume bound to exactly the model server's
 * claim, and the model server claims it by name with no StorageClass. The volume holds the
 * models' directory of the bucket, so the archives sit at its root.
 */
export interface ModelBucketVolume {
    /** The PersistentVolume's name (the claim's `volumeName`); an output, so the claim waits for it. */
    volumeName: pulumi.Input<string>;
    /** Pod annotations the driver acts on (GKE's sidecar injection: `gke-gcsfuse/volumes`). */
    podAnnotations: Record<string, string>;
    /** Further pod annotations when the pods also get the Istio sidecar (the driver's own mesh advice). */
    meshPodAnnotations: Record<string, string>;
}

/** The claim, directory and owner a cluster component needs to mount a bucket as the model store. */
export interface ModelBucketMount {
    /** Bucket (S3, Cloud Storage) or container (Azure Blob) holding the archives. */
    bucket: string;
    /** Directory inside it holding the archives, without leading or trailing `/` ("" = its root). */
    directory: string;
    /** The model server's claim: the volume is bound to exactly this claim. */
    claim: ModelStoreClaim;
    /** Who the mounted files appear to belong to: the user the model server runs as. */
    owner: VolumeOwner;
}

/** What differs between the volumes a cluster component provisions ahead of the model server's claim. */
export interface ClaimVolumeSource {
    /** Access modes the volume offers (the claim asks for one of them). */
    accessModes: string[];
    /** The class the claim names ("" for none). */
    storageClassName: string;
    /** Options the driver mounts with. */
    mountOptions?: pulumi.Input<string>[];
    /** The driver and what it mounts. */
    csi: k8s.types.input.core.v1.CSIPersistentVolumeSource;
}

/**
 * A PersistentVolume bound to exactly the model server's claim, backed by storage Pulumi owns (a
 * file system, an instance's share, a bucket). `Retain`: what backs it is Pulumi's (or the user's)
 * to delete, never the driver's; the capacity is the claim's, which the API requires.
 */
export function claimVolume(claim: ModelStoreClaim, source: ClaimVolumeSource): k8s.core.v1.PersistentVolumeArgs {
    return {
        metadata: { name: claimVolumeName(claim) },
        spec: {
            capacity: { storage: claim.size },
            accessModes: source.accessModes,
            persistentVolumeReclaimPolicy: "Retain",
            storageClassName: source.storageClassName,
            claimRef: { namespace: claim.namespace, name: claim.name },
            ...(source.mountOptions?.length ? { mountOptions: source.mountOptions } : {}),
            csi: source.csi,
        },
    };
}

/**
 * A bucket's read-only volume for the model server's claim, the part every bucket driver shares: no
 * StorageClass (nothing provisions it), read-only, and a capacity the drivers ignore. Deleting it
 * leaves the bucket as it is. The driver's own part is its mount options and `csi` source.
 */
export function bucketVolume(
    mount: ModelBucketMount,
    mountOptions: pulumi.Input<string>[],
    csi: k8s.types.input.core.v1.CSIPersistentVolumeSource,
): k8s.core.v1.PersistentVolumeArgs {
    return claimVolume(mount.claim, {
        accessModes: ["ReadOnlyMany"],
        storageClassName: "",
        mountOptions,
        csi: { ...csi, readOnly: true },
    });
}

/** The name of the volume bound to a claim: one per claim. */
export const claimVolumeName = (claim: ModelStoreClaim): string => `${claim.namespace}-${claim.name}`;

/**
 * A ReadWriteOnce volume the program owns for the single claim of an add-on's StatefulSet (Prometheus,
 * Loki): a cloud disk Pulumi creates and a PersistentVolume (`Retain`) on it, which the StatefulSet's
 * claim template selects by label with no StorageClass. Volumes a CSI driver provisions from a
 * template's claim outlive `pulumi destroy` (neither Helm nor Pulumi deletes the claim) and keep
 * billing; this one goes in order: the release first (its StatefulSet deletes the claim, whenDeleted:
 * Delete), then the PersistentVolume (its deletion waits until the claim is gone and the driver,
 * which it depends on, has detached the disk), then the disk.
 */
export interface OwnedBlockVolume {
    /** Labels on the PersistentVolume; the claim template's `selector.matchLabels`. */
    selector: Record<string, string>;
    /** Capacity of the volume (at least the size asked for): the claim template requests it. */
    size: string;
    /** The PersistentVolume: the release waits for it, so a destroy deletes the release first. */
    volume: k8s.core.v1.PersistentVolume;
}

/** Asks the cluster component for an OwnedBlockVolume: `name` names the disk and the volume. */
export type BlockVolumeFactory = (name: string, size: string) => OwnedBlockVolume;

/** Label an OwnedBlockVolume carries: the name it was asked for. */
export const ownedVolumeLabel = "torchserve.pytorch.org/volume";

/** Whole GiB holding `size` (a Kubernetes quantity), at least 1: cloud disks are sized in GiB. */
export function diskGib(size: string): number {
    const bytes = parseQuantity(size);
    if (bytes === undefined) throw new Error(`not a Kubernetes quantity: ${size}`);
    return Math.max(1, Math.ceil(bytes / 2 ** 30));
}

/**
 * The PersistentVolume of an OwnedBlockVolume: ReadWriteOnce, no class, `Retain` (the disk is
 * Pulumi's to delete, after the volume), in the disk's zone only (a zonal disk attaches there only).
 */
export function ownedBlockVolumeArgs(
    name: string,
    size: string,
    zone: pulumi.Input<string>,
    csi: k8s.types.input.core.v1.CSIPersistentVolumeSource,
): k8s.core.v1.PersistentVolumeArgs {
    return {
        metadata: { name, labels: { [ownedVolumeLabel]: name } },
        spec: {
            capacity: { storage: `${diskGib(size)}Gi` },
            accessModes: ["ReadWriteOnce"],
            persistentVolumeReclaimPolicy: "Retain",
            storageClassName: "",
            csi,
            nodeAffinity: {
                required: {
                    nodeSelectorTerms: [
                        {
                            matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: [zone] }],
                        },
                    ],
                },
            },
        },
    };
}
