// The bucket model store on GKE: the Cloud Storage FUSE CSI driver (a GKE add-on, GkeCluster
// `addonsConfig.gcsFuseCsiDriverConfig`) mounting the models' directory of the bucket read-only,
// with the pod's own Kubernetes ServiceAccount through Workload Identity Federation for GKE: the
// ServiceAccount carries no `iam.gke.io/gcp-service-account` annotation, so the driver uses its
// identity-binding token directly (GoogleCloudPlatform/gcs-fuse-csi-driver
// pkg/cloud_provider/auth/token_sources.go fetchGCPSAToken @5fcdc04a), and GkeModelReader grants that
// principal roles/storage.objectViewer (storage.objects.get and .list: the binding the driver's
// docs/authentication.md checks for, with objectUser for read-write mounts).
import type * as k8s from "@pulumi/kubernetes";
import { bucketVolume, ModelBucketMount } from "../cluster/storage";

/** The Cloud Storage FUSE CSI driver's name. */
export const gcsFuseDriver = "gcsfuse.csi.storage.gke.io";

/** The pod annotation that makes GKE's webhook inject the gcsfuse sidecar (a native sidecar on 1.29+). */
export const gcsFuseVolumesAnnotation = "gke-gcsfuse/volumes";

/**
 * The pods' annotations: inject the sidecar, and lift its CPU and memory limits. The webhook's
 * defaults are 250m CPU and 256Mi memory as request *and* limit (cmd/webhook/main.go flags); reading a
 * multi-GB archive at start-up should not be throttled or OOM-killed at that size. A limit of "0" is
 * unlimited and keeps the default request (pkg/webhook/config.go populateResource: "when the
 * annotation limit is zero and request is unset, we set request to use the default value").
 * Ephemeral storage keeps its default (5Gi): no file cache is configured, so it stays unused.
 */
export const gcsFusePodAnnotations: Record<string, string> = {
    [gcsFuseVolumesAnnotation]: "true",
    "gke-gcsfuse/cpu-limit": "0",
    "gke-gcsfuse/memory-limit": "0",
};

/**
 * Pod annotations the driver's documentation asks for with Istio (docs/istio.md): the sidecar must
 * start before gcsfuse's, whose traffic it captures, and the metadata server (Workload Identity's
 * token endpoint) must bypass it.
 */
export const gcsFuseMeshAnnotations: Record<string, string> = {
    "proxy.istio.io/config": '{ "holdApplicationUntilProxyStarts": true }',
    "traffic.sidecar.istio.io/excludeOutboundIPRanges": "169.254.169.254/32",
};

/**
 * The PersistentVolume, as the driver's static examples write it (examples/static/
 * pv-pvc-deploymen-non-root.yaml; sub-directory: docs/sub-directory-mounts.md `only-dir`):
 * volumeHandle = the bucket, ReadOnlyMany and `csi.readOnly`, `only-dir=<directory>` so only the
 * models' directory is visible, and uid/gid of the model server, which runs as a non-root user
 * (docs/authentication.md: a pod with runAsUser/runAsGroup must set the uid and gid flags).
 */
export function gcsFuseVolume(mount: ModelBucketMount): k8s.core.v1.PersistentVolumeArgs {
    return bucketVolume(
        mount,
        [
            ...(mount.directory ? [`only-dir=${mount.directory}`] : []),
            `uid=${mount.owner.uid}`,
            `gid=${mount.owner.gid}`,
        ],
        { driver: gcsFuseDriver, volumeHandle: mount.bucket },
    );
}
