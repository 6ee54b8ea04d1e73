// `cloud: gcp`: a GKE cluster. Loads only the @pulumi/gcp submodules it uses (compute, container):
// the package root costs ~50 ms and ~160 modules more.
import { controlPlaneWebhookPorts, GkeCluster, GkeGpuNodePoolSpec, zonesOffering } from "../components/gke";
import { ClusterTarget } from "../components/cluster/target";
import { GkeModelReader } from "../components/gke/modelReader";
import { objectLocations } from "../components/torchserve/objectUrl";
import { serviceAccountName, WorkloadIdentity } from "../components/torchserve/torchserve";
import { GpuNodePoolSettings, Settings } from "./config/settings";
import type { CloudCluster } from "./program";
import { modelBucketMount, modelStoreClaim, tritonRepositoryMount } from "./modelStore";
import { tritonName } from "../components/triton/conventions";
import type { TritonIdentity } from "../components/triton/triton";
import { modelServerUid } from "../components/torchserve/conventions";

/** The GKE GPU pool for a stack's pool: its `gpuType` is the accelerator GKE attaches. */
export function gkeGpuNodePool(pool: GpuNodePoolSettings, region?: string): GkeGpuNodePoolSpec {
    // The config parser requires gpuType on gcp (checkGkeAccelerator, stacks/config/capacity.ts).
    const accelerator = pool.gpuType!;
    // Set by the user, or where the accelerator is offered in the region (components/gke/acceleratorZones.ts).
    const known = region ? zonesOffering(accelerator, region) : undefined;
    const zones = pool.zones ?? (known ? [...known] : undefined);
    const { zones: _omit, ...rest } = pool;
    return { ...rest, accelerator, ...(zones ? { zones } : {}) };
}

/**
 * GKE Workload Identity reading the gs:// models, when there are any: the bucket role goes to
 * TorchServe's own ServiceAccount (components/gke/modelReader.ts), whose pods wait for the grants.
 */
export function gkeModelIdentity(settings: Settings, gke: GkeCluster): WorkloadIdentity | undefined {
    const buckets = objectLocations(settings.torchserve.models.map((m) => m.url))
        .filter((l) => l.store === "gcs")
        .map((l) => l.bucket);
    if (buckets.length === 0) return undefined;
    const reader = new GkeModelReader(
        "torchserve-models",
        {
            project: settings.location.gcpProject!,
            // The cluster's pool: the grants wait for the cluster that creates it.
            workloadPool: gke.workloadPool,
            namespace: settings.torchserve.namespace,
            serviceAccount: serviceAccountName,
            buckets,
        },
        { dependsOn: gke.services },
    );
    return { grants: reader.grants };
}

/**
 * GKE Workload Identity reading Triton's repository bucket: the bucket's viewer role granted to
 * Triton's own ServiceAccount principal, as for TorchServe's models (components/gke/modelReader.ts);
 * Triton's ServiceAccount and pods wait for the grant.
 */
export function gkeTritonIdentity(settings: Settings, gke: GkeCluster): TritonIdentity | undefined {
    const t = settings.triton;
    if (!t.enabled || t.repository.bucket === undefined) return undefined;
    const reader = new GkeModelReader(
        "triton-models",
        {
            project: settings.location.gcpProject!,
            // The cluster's pool: the grant waits for the cluster that creates it.
            workloadPool: gke.workloadPool,
            namespace: t.namespace,
            serviceAccount: tritonName,
            buckets: [t.repository.bucket],
        },
        { dependsOn: gke.services },
    );
    return { grants: reader.grants };
}

export function createCluster(settings: Settings): CloudCluster {
    const { cluster, location } = settings;
    const gke = new GkeCluster(cluster.name, {
        // Both required for cloud: gcp by readLocation (stacks/config/sections/cluster.ts).
        project: location.gcpProject!,
        region: location.gcpRegion!,
        clusterName: cluster.name,
        kubernetesVersion: cluster.kubernetesVersion,
        systemNodePool: cluster.systemNodePool,
        gpuNodePool: settings.gpuNodePool && gkeGpuNodePool(settings.gpuNodePool, location.gcpRegion),
        deletionProtection: cluster.deletionProtection,
        // Required for cloud: gcp by readApiAllowedCidrs (stacks/config/sections/apiAccess.ts).
        apiAllowedCidrs: cluster.apiAllowedCidrs!,
        cloudLogging: settings.logging.enabled && settings.logging.backend === "cloud",
        maintenanceWindow: cluster.maintenanceWindow,
        modelBucket: modelBucketMount(settings, modelServerUid),
        tritonRepository: tritonRepositoryMount(settings),
        modelStoreClaim: modelStoreClaim(settings),
        controlPlaneWebhookPorts: [
            ...(settings.istio.enabled ? controlPlaneWebhookPorts.istio : []),
            ...(settings.autoscaling.enabled ? controlPlaneWebhookPorts.keda : []),
        ],
    });
    const target: ClusterTarget = gke.clusterTarget();
    return {
        ...target,
        modelIdentity: gkeModelIdentity(settings, gke),
        tritonIdentity: gkeTritonIdentity(settings, gke),
    };
}
