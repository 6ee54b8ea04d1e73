// Volumes the program owns for add-ons' StatefulSets on GKE (Prometheus, Loki): a Compute Engine
// persistent disk and its PersistentVolume, so `pulumi destroy` deletes them (a disk the PD CSI driver
// provisions from a StatefulSet's claim template outlives the destroy).
import * as compute from "@pulumi/gcp/compute";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { diskGib, OwnedBlockVolume, ownedBlockVolumeArgs, ownedVolumeLabel } from "../cluster/storage";

/** Where the disk goes and what its PersistentVolume waits for. */
export interface PdVolumeTarget {
    project: pulumi.Input<string>;
    /** A zone of the system pool's nodes (a zonal disk attaches there only). */
    zone: pulumi.Input<string>;
    /** What the volume depends on: the system pool, whose nodes run the driver's node plugin. */
    dependsOn: pulumi.Resource[];
}

/**
 * A balanced persistent disk and its PersistentVolume for GKE's PD CSI driver (volumeHandle
 * `projects/<p>/zones/<z>/disks/<name>`: GKE docs "Using pre-existing persistent disks as
 * PersistentVolumes", https://cloud.google.com/kubernetes-engine/docs/how-to/persistent-volumes/preexisting-pd).
 * The PersistentVolume depends on the system pool, so a destroy deletes it, and waits for the
 * driver to detach the disk, while the nodes still run; then the disk.
 */
export function pdOwnedVolume(
    name: string,
    size: string,
    target: PdVolumeTarget,
    parent: pulumi.Resource,
    provider: k8s.Provider,
): OwnedBlockVolume {
    const disk = new compute.Disk(
        name,
        { project: target.project, zone: target.zone, name, size: diskGib(size), type: "pd-balanced" },
        { parent },
    );
    const handle = pulumi.interpolate`projects/${disk.project}/zones/${disk.zone}/disks/${disk.name}`;
    const volume = new k8s.core.v1.PersistentVolume(
        name,
        ownedBlockVolumeArgs(name, size, disk.zone, {
            driver: "pd.csi.storage.gke.io",
            volumeHandle: handle,
            fsType: "ext4",
        }),
        { parent, provider, dependsOn: target.dependsOn },
    );
    return { selector: { [ownedVolumeLabel]: name }, size: `${diskGib(size)}Gi`, volume };
}
