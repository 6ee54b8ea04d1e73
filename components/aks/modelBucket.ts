// The bucket model store on AKS: a Blob container mounted read-only by the Azure Blob CSI driver
// (AksCluster `blobModelStore` turns the AKS-managed driver on) with blobfuse2, authenticated with
// the model server's workload identity token only — no storage account key anywhere.
//
// kubernetes-sigs/blob-csi-driver docs/workload-identity-static-pv-mount.md: with `clientID` alone
// the driver exchanges the pod's token for the *account key* (the identity then needs "Storage
// Account Contributor", a control-plane role that can list keys: full access to the whole account).
// With `mountWithWorkloadIdentityToken: "true"` (driver v1.27.0+) blobfuse2
// mounts with the federated token itself (pkg/blob/blob.go: AZURE_STORAGE_SPN_CLIENT_ID +
// AZURE_OAUTH_TOKEN_FILE, no key), so the data-plane role on the container is all it needs: the
// docs' example grants Storage Blob Data Contributor because it writes; a read-only mount reads and
// lists only, which AksModelReader's Storage Blob Data Reader on the container allows.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { bucketVolume, claimVolumeName, ModelBucketMount, ModelBucketVolume } from "../cluster/storage";

/** The Azure Blob CSI driver's name. */
export const blobDriver = "blob.csi.azure.com";

/** Where the container is and who reads it. */
export interface BlobLocation {
    /** Storage account name. */
    account: string;
    /** Resource group of the storage account. */
    resourceGroup: pulumi.Input<string>;
    /** Client ID of the user-assigned identity federated with TorchServe's ServiceAccount (AksModelReader). */
    clientId: pulumi.Input<string>;
}

/**
 * The PersistentVolume (the static-provisioning example of docs/workload-identity-static-pv-mount.md,
 * read-only): blobfuse2 (`protocol: fuse2`, which has `--subdirectory` and `--read-only`, both in the
 * driver's list of blobfuse2 flags, pkg/blob/blob.go), `-o allow_other` so the non-root model server
 * may read what the root-run blobfuse2 mounts, and volumeHandle `<rg>#<account>#<container>#<volume>`
 * (pkg/blob/blob.go GetContainerInfo: `rg#account#container#uuid#secretNamespace#subsID`, the uuid unread).
 * The fourth part makes the handle unique per volume: the driver stages its volumes and the kubelet
 * derives the staging path from the handle, so two volumes of one container (the old and the new
 * directory during a rollout) would otherwise share one staged mount on a node.
 */
export function blobVolume(mount: ModelBucketMount, where: BlobLocation): k8s.core.v1.PersistentVolumeArgs {
    return bucketVolume(
        mount,
        ["-o allow_other", "--read-only", ...(mount.directory ? [`--subdirectory=${mount.directory}`] : [])],
        {
            driver: blobDriver,
            volumeHandle: pulumi.interpolate`${where.resourceGroup}#${where.account}#${mount.bucket}#${claimVolumeName(mount.claim)}`,
            volumeAttributes: {
                protocol: "fuse2",
                storageaccount: where.account,
                containerName: mount.bucket,
                resourcegroup: where.resourceGroup,
                clientID: where.clientId,
                mountWithWorkloadIdentityToken: "true",
            },
        },
    );
}

export interface BlobModelBucketArgs {
    /** The container, directory and claim. */
    mount: ModelBucketMount;
    /** The account, its resource group and the reading identity. */
    location: BlobLocation;
}

/**
 * The volume. Not a child of AksCluster (which installs the driver) because it names the reading
 * identity, whose federated credential needs the cluster's OIDC issuer: created after both.
 */
export class BlobModelBucket extends pulumi.ComponentResource {
    readonly volume: k8s.core.v1.PersistentVolume;
    /** What TorchServe claims (ClusterTarget.modelBucket). */
    readonly modelBucket: ModelBucketVolume;

    constructor(name: string, args: BlobModelBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("torchserve-platform:index:BlobModelBucket", name, {}, opts);
        this.volume = new k8s.core.v1.PersistentVolume(`${name}-pv`, blobVolume(args.mount, args.location), {
            parent: this,
        });
        this.modelBucket = { volumeName: this.volume.metadata.name, podAnnotations: {}, meshPodAnnotations: {} };
        this.registerOutputs({ volumeName: this.volume.metadata.name });
    }
}
