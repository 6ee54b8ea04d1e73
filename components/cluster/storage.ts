// What a storage class must know of the workload that writes to its volumes.

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
