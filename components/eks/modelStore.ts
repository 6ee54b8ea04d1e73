import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { claimVolume, ModelStoreClaim, storageClassReplacement, VolumeOwner } from "../cluster/storage";
import { csiAddon, CsiClusterArgs, CsiStorageOptions } from "./csiAddon";
import { efsCsiDriverPolicyArn } from "./iam";
import { aliasPreviousType } from "../cluster/typeToken";

/** StorageClass name TorchServe's model-store claim uses on EKS. */
export const efsStorageClassName = "efs-sc";

/**
 * The EFS StorageClass: each claim gets its own EFS access point whose root directory is created owned
 * by `owner` (the model server's uid/gid) and that maps every client to them, so a non-root server can
 * write models whatever the file system's own permissions. EFS is NFS: ReadWriteMany across nodes and zones.
 */
export function efsStorageClass(fileSystemId: pulumi.Input<string>, retain: boolean, owner: VolumeOwner) {
    return {
        metadata: { name: efsStorageClassName },
        provisioner: "efs.csi.aws.com",
        parameters: {
            provisioningMode: "efs-ap",
            fileSystemId,
            directoryPerms: "700",
            uid: String(owner.uid),
            gid: String(owner.gid),
        },
        // Retain keeps the access point and its models when a claim is deleted.
        reclaimPolicy: retain ? "Retain" : "Delete",
        volumeBindingMode: "Immediate",
        // EFS is elastic and ignores the requested size, so growing persistenceSize only changes the
        // claim's nominal size; without this the API server would reject that change.
        allowVolumeExpansion: true,
    };
}

/**
 * The model server's volume: its access point on the file system, bound to exactly its claim. Retain:
 * the access point is Pulumi's to delete, never the driver's.
 */
export function efsVolume(
    fileSystemId: pulumi.Input<string>,
    accessPointId: pulumi.Input<string>,
    claim: ModelStoreClaim,
): k8s.core.v1.PersistentVolumeArgs {
    return claimVolume(claim, {
        // Whichever mode the claim asks for: EFS serves both.
        accessModes: ["ReadWriteMany", "ReadWriteOnce"],
        storageClassName: efsStorageClassName,
        csi: { driver: "efs.csi.aws.com", volumeHandle: pulumi.interpolate`${fileSystemId}::${accessPointId}` },
    });
}

export interface EfsModelStoreArgs extends CsiClusterArgs {
    /** VPC of the cluster. */
    vpcId: pulumi.Input<string>;
    /** Security group of the cluster's nodes; NFS is allowed from it only. */
    nodeSecurityGroupId: pulumi.Input<string>;
    /** Subnets the nodes run in; one mount target each (one per zone). */
    subnetIds: pulumi.Input<string>[];
    /** Protect the file system and retain volumes (models survive `pulumi destroy` attempts). */
    deletionProtection: boolean;
    /** Who owns each claim's directory: the user the model server runs as. */
    owner: VolumeOwner;
    /**
     * The model server's claim: its volume is an access point and a PersistentVolume created here
     * (Pulumi deletes them, in order, on destroy). Absent = claims are provisioned by the CSI driver.
     */
    claim?: ModelStoreClaim;
}

/** Directory of the model server's access point, created owned by it. */
export const modelStoreDirectory = "/models";

/**
 * Shared model store on EFS: encrypted file system with a mount target per node subnet, NFS allowed from
 * the nodes' security group only, the EFS CSI driver as an EKS add-on (IAM through IRSA) and the `efs-sc` StorageClass, created
 * through the Kubernetes provider given as `opts.provider`.
 */
export class EfsModelStore extends pulumi.ComponentResource {
    readonly fileSystem: aws.efs.FileSystem;
    readonly securityGroup: aws.ec2.SecurityGroup;
    readonly nfsRule: aws.vpc.SecurityGroupIngressRule;
    readonly mountTargets: aws.efs.MountTarget[];
    /** IAM role of the CSI driver (IRSA). */
    readonly csiRole: aws.iam.Role;
    readonly csiDriver: aws.eks.Addon;
    readonly storageClass: k8s.storage.v1.StorageClass;
    readonly storageClassName: pulumi.Output<string>;
    /** The model server's access point (with `claim`). */
    readonly accessPoint?: aws.efs.AccessPoint;
    /** The PersistentVolume bound to the model server's claim (with `claim`). */
    readonly volume?: k8s.core.v1.PersistentVolume;

    constructor(name: string, args: EfsModelStoreArgs, opts?: CsiStorageOptions) {
        super(
            "torchserve-platform:index:EfsModelStore",
            name,
            {},
            aliasPreviousType(opts, "torchserve-platform:eks:EfsModelStore"),
        );
        const parent = { parent: this };
        const tags = args.tags ?? {};

        this.fileSystem = new aws.efs.FileSystem(
            `${name}-fs`,
            {
                encrypted: true,
                performanceMode: "generalPurpose",
                // Throughput follows demand (model downloads at start-up, loads on scale-out), no credits to run out.
                throughputMode: "elastic",
                tags: { ...tags, Name: `${name}-models` },
            },
            { parent: this, protect: args.deletionProtection },
        );

        this.securityGroup = new aws.ec2.SecurityGroup(
            `${name}-nfs`,
            {
                vpcId: args.vpcId,
                // Kept as first written: a security group's description cannot change without replacing it.
                description: "NFS from the cluster VPC to the EFS model store",
                tags: { ...tags, Name: `${name}-nfs` },
            },
            parent,
        );
        this.nfsRule = new aws.vpc.SecurityGroupIngressRule(
            `${name}-nfs`,
            {
                securityGroupId: this.securityGroup.id,
                description: "NFS from nodes",
                ipProtocol: "tcp",
                fromPort: 2049,
                toPort: 2049,
                referencedSecurityGroupId: args.nodeSecurityGroupId,
            },
            parent,
        );

        this.mountTargets = args.subnetIds.map(
            (subnetId, i) =>
                new aws.efs.MountTarget(
                    `${name}-mount-${i}`,
                    {
                        fileSystemId: this.fileSystem.id,
                        subnetId,
                        securityGroups: [this.securityGroup.id],
                    },
                    { parent: this, dependsOn: [this.nfsRule] },
                ),
        );

        const csi = csiAddon(
            `${name}-efs-csi`,
            {
                ...args,
                addonName: "aws-efs-csi-driver",
                // Controller and node service accounts (efs-csi-controller-sa, efs-csi-node-sa), as AWS documents.
                serviceAccount: "efs-csi-*",
                policyArn: efsCsiDriverPolicyArn,
                tags,
            },
            this,
            opts?.addonDependsOn,
        );
        this.csiRole = csi.role.role;
        this.csiDriver = csi.addon;

        this.storageClass = new k8s.storage.v1.StorageClass(
            `${name}-efs-sc`,
            efsStorageClass(this.fileSystem.id, args.deletionProtection, args.owner),
            {
                parent: this,
                // Claims bind immediately; volumes mount only once a mount target exists in the node's zone.
                dependsOn: [this.csiDriver, ...this.mountTargets],
                ...storageClassReplacement,
            },
        );
        this.storageClassName = this.storageClass.metadata.name;

        if (args.claim) {
            // The access point the driver would create for the claim, owned by Pulumi: a destroy
            // deletes the volume, then the access point, then mount targets and the file system,
            // instead of racing the driver's clean-up (a file system with access points is busy).
            this.accessPoint = new aws.efs.AccessPoint(
                `${name}-ap`,
                {
                    fileSystemId: this.fileSystem.id,
                    posixUser: { uid: args.owner.uid, gid: args.owner.gid },
                    rootDirectory: {
                        path: modelStoreDirectory,
                        creationInfo: { ownerUid: args.owner.uid, ownerGid: args.owner.gid, permissions: "700" },
                    },
                    tags: { ...tags, Name: `${name}-models` },
                },
                { parent: this, protect: args.deletionProtection },
            );
            this.volume = new k8s.core.v1.PersistentVolume(
                `${name}-pv`,
                efsVolume(this.fileSystem.id, this.accessPoint.id, args.claim),
                // The driver mounts it; the claim binds once mount targets exist in the nodes' zones.
                {
                    parent: this,
                    dependsOn: [this.storageClass, ...this.mountTargets],
                    // Like the claim: a destroy or replacement while protected must not touch the models.
                    protect: args.deletionProtection,
                },
            );
        }
        this.registerOutputs({ fileSystemId: this.fileSystem.id, storageClassName: this.storageClassName });
    }
}
