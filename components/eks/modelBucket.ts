// The bucket model store on EKS: the Mountpoint for Amazon S3 CSI driver as an EKS add-on and a
// PersistentVolume mounting the models' directory of the bucket read-only, with the pod's own
// credentials (EKS Pod Identity), so the driver itself holds no S3 permission at all.
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { bucketVolume, claimVolumeName, ModelBucketMount, ModelBucketVolume } from "../cluster/storage";

/** The Mountpoint for Amazon S3 CSI driver's name (its CSIDriver object). */
export const mountpointDriver = "s3.csi.aws.com";

/**
 * The PersistentVolume: static provisioning as the driver documents it (awslabs/mountpoint-s3-csi-driver
 * docs/CONFIGURATION.md "Static Provisioning": `storageClassName: ""`, `claimRef`, `bucketName`).
 * - `authenticationSource: pod`: Mountpoint reads with the credentials of the pod's ServiceAccount
 *   (EKS Pod Identity or IRSA), not the driver's ("Pod-Level Credentials").
 * - ReadOnlyMany: the driver then passes `--read-only` to Mountpoint (pkg/driver/node/node.go:
 *   `GetReadonly() || MULTI_NODE_READER_ONLY` → ArgReadOnly); `csi.readOnly` says it too.
 * - `prefix <dir>/`: only the models' directory is visible, so the role needs `s3:ListBucket` for that
 *   prefix only (awslabs/mountpoint-s3 doc/CONFIGURATION.md "IAM permissions", "Mounting a bucket prefix").
 * - No uid/gid/allow-other: v2 applies the pod's fsGroup itself (docs/UPGRADING_TO_V2.md, VOLUME_MOUNT_GROUP).
 */
export function mountpointVolume(
    mount: ModelBucketMount,
    region: pulumi.Input<string>,
): k8s.core.v1.PersistentVolumeArgs {
    // The region stated: with pod-level credentials the driver runs Mountpoint without IMDS
    // (AWS_EC2_METADATA_DISABLED, pkg/driver/node/credentialprovider/provider_pod.go), where its
    // region detection "might not work" (docs/UPGRADING_TO_V2.md: pass `--region`).
    const options: pulumi.Input<string>[] = [
        typeof region === "string" ? `region ${region}` : pulumi.interpolate`region ${region}`,
    ];
    if (mount.directory) options.push(`prefix ${mount.directory}/`);
    return bucketVolume(mount, options, {
        driver: mountpointDriver,
        // Unique per volume: the kubelet handles one volume per handle.
        volumeHandle: claimVolumeName(mount.claim),
        volumeAttributes: { bucketName: mount.bucket, authenticationSource: "pod" },
    });
}

export interface S3ModelBucketArgs {
    /** EKS cluster name (an output of the cluster, so the add-on waits for it). */
    clusterName: pulumi.Input<string>;
    /** `aws-mountpoint-s3-csi-driver` version, pinned (components/eks/versions.ts); absent = EKS's default. */
    addonVersion?: string;
    /** The bucket, directory and claim. */
    mount: ModelBucketMount;
    /** The bucket's region: the stack's (`aws:region`), where the bucket store expects its bucket. */
    region: pulumi.Input<string>;
    /** Tags on AWS resources. */
    tags?: Record<string, string>;
}

/** Resource options: the add-on's pods need nodes before it reports ACTIVE. */
export interface S3ModelBucketOptions extends pulumi.ComponentResourceOptions {
    /** What the add-on waits for (the system node group). */
    addonDependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * The add-on and the volume. The add-on gets no IAM role: with `authenticationSource: pod` a
 * driver-level credential is ignored (docs/CONFIGURATION.md "Pod-Level Credentials"), and the
 * model server's own role (EksModelReader) is the only one that can read the bucket.
 */
export class S3ModelBucket extends pulumi.ComponentResource {
    readonly csiDriver: aws.eks.Addon;
    readonly volume: k8s.core.v1.PersistentVolume;
    /** What TorchServe claims (ClusterTarget.modelBucket). */
    readonly modelBucket: ModelBucketVolume;

    constructor(name: string, args: S3ModelBucketArgs, opts?: S3ModelBucketOptions) {
        const { addonDependsOn, ...own } = opts ?? {};
        super("torchserve-platform:index:S3ModelBucket", name, {}, own);
        this.csiDriver = new aws.eks.Addon(
            `${name}-mountpoint`,
            {
                clusterName: args.clusterName,
                addonName: "aws-mountpoint-s3-csi-driver",
                addonVersion: args.addonVersion,
                resolveConflictsOnCreate: "OVERWRITE",
                resolveConflictsOnUpdate: "OVERWRITE",
                tags: args.tags ?? {},
            },
            { parent: this, dependsOn: addonDependsOn },
        );
        this.volume = new k8s.core.v1.PersistentVolume(`${name}-pv`, mountpointVolume(args.mount, args.region), {
            parent: this,
        });
        this.modelBucket = {
            volumeName: this.volume.metadata.name,
            podAnnotations: {},
            meshPodAnnotations: {},
        };
        this.registerOutputs({ volumeName: this.volume.metadata.name });
    }
}
