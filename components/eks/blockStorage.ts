import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { csiAddon, CsiClusterArgs, CsiStorageOptions } from "./csiAddon";
import { ebsCsiDriverPolicyArn } from "./iam";
import {
    diskGib,
    OwnedBlockVolume,
    ownedBlockVolumeArgs,
    ownedVolumeLabel,
    storageClassReplacement,
} from "../cluster/storage";
import { aliasPreviousType } from "../cluster/typeToken";

/** StorageClass for ReadWriteOnce volumes on EKS (Prometheus); the cluster's default class. */
export const ebsStorageClassName = "gp3";

/** The EBS CSI controller's service account (EKS add-on default); only it calls the EC2 volume APIs. */
export const ebsCsiControllerServiceAccount = "ebs-csi-controller-sa";

/**
 * The gp3 StorageClass, marked the cluster's default: EKS clusters from Kubernetes 1.30 on have no
 * default class (gp2 lost the annotation, and its in-tree plugin is gone), so a claim naming no class
 * would stay Pending. Volumes are encrypted (the account's aws/ebs key) and created in the zone of the
 * pod's node (EBS volumes are zonal). Claims may grow: EBS resizes online.
 */
export function gp3StorageClass() {
    return {
        metadata: {
            name: ebsStorageClassName,
            annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
        },
        provisioner: "ebs.csi.aws.com",
        parameters: { type: "gp3", encrypted: "true" },
        reclaimPolicy: "Delete",
        volumeBindingMode: "WaitForFirstConsumer",
        allowVolumeExpansion: true,
    };
}

/**
 * An encrypted gp3 EBS volume the program owns, in `zone`, and its PersistentVolume for the EBS CSI
 * driver (volumeHandle: the volume id; https://github.com/kubernetes-sigs/aws-ebs-csi-driver
 * examples/kubernetes/static-provisioning). The PersistentVolume depends on `storage` (the driver's
 * add-on and class), so a destroy deletes it, and waits for the driver to detach the disk (the
 * external-attacher's finalizer on the volume), before it deletes the driver; then the disk.
 */
export function ebsOwnedVolume(
    name: string,
    size: string,
    zone: pulumi.Input<string>,
    storage: EbsBlockStorage,
    tags: Record<string, string>,
): OwnedBlockVolume {
    const disk = new aws.ebs.Volume(
        name,
        { availabilityZone: zone, size: diskGib(size), type: "gp3", encrypted: true, tags: { ...tags, Name: name } },
        { parent: storage },
    );
    const volume = new k8s.core.v1.PersistentVolume(
        name,
        ownedBlockVolumeArgs(name, size, disk.availabilityZone, {
            driver: "ebs.csi.aws.com",
            volumeHandle: disk.id,
            fsType: "ext4",
        }),
        { parent: storage, dependsOn: [storage.storageClass, storage.csiDriver] },
    );
    return { selector: { [ownedVolumeLabel]: name }, size: `${diskGib(size)}Gi`, volume };
}

/** What EBS block storage needs of the cluster: the CSI add-on's. */
export type EbsBlockStorageArgs = CsiClusterArgs;

/**
 * Block storage for add-ons' volumes: the EBS CSI driver as an EKS add-on (IAM through IRSA) and the
 * default `gp3` StorageClass, created through the Kubernetes provider given as `opts.provider`.
 */
export class EbsBlockStorage extends pulumi.ComponentResource {
    /** IAM role of the CSI controller (IRSA). */
    readonly csiRole: aws.iam.Role;
    readonly csiDriver: aws.eks.Addon;
    readonly storageClass: k8s.storage.v1.StorageClass;
    /** The class's name; whatever takes it as an input waits for the class (and so for the driver). */
    readonly storageClassName: pulumi.Output<string>;

    constructor(name: string, args: EbsBlockStorageArgs, opts?: CsiStorageOptions) {
        super(
            "torchserve-platform:index:EbsBlockStorage",
            name,
            {},
            aliasPreviousType(opts, "torchserve-platform:eks:EbsBlockStorage"),
        );
        const tags = args.tags ?? {};

        const csi = csiAddon(
            `${name}-ebs-csi`,
            {
                ...args,
                addonName: "aws-ebs-csi-driver",
                serviceAccount: ebsCsiControllerServiceAccount,
                policyArn: ebsCsiDriverPolicyArn,
                tags,
            },
            this,
            opts?.addonDependsOn,
        );
        this.csiRole = csi.role.role;
        this.csiDriver = csi.addon;

        this.storageClass = new k8s.storage.v1.StorageClass(`${name}-gp3`, gp3StorageClass(), {
            parent: this,
            dependsOn: [this.csiDriver],
            ...storageClassReplacement,
        });
        // The name we gave it, known in a preview (a URN always is) and carrying the class as a dependency.
        this.storageClassName = this.storageClass.urn.apply(() => ebsStorageClassName);
        this.registerOutputs({ storageClassName: this.storageClassName });
    }
}
