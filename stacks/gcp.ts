// `cloud: gcp`: a GKE cluster. Loads only the @pulumi/gcp submodules it uses (compute, container):
// the package root costs ~50 ms and ~160 modules more.
import { GkeCluster, GkeGpuNodePoolSpec } from "../components/gke";
import { ClusterTarget } from "../components/cluster/target";
import { GpuNodePoolSettings, Settings } from "./config/settings";

/** The GKE GPU pool for a stack's pool: its `gpuType` is the accelerator GKE attaches. */
export function gkeGpuNodePool(pool: GpuNodePoolSettings): GkeGpuNodePoolSpec {
    // The config parser requires gpuType on gcp (checkGkeAccelerator, stacks/config/capacity.ts).
    return { ...pool, accelerator: pool.gpuType! };
}

export function createCluster(settings: Settings): ClusterTarget {
    const { cluster, location } = settings;
    const gke = new GkeCluster(cluster.name, {
        // Both required for cloud: gcp by readLocation (stacks/config/sections/cluster.ts).
        project: location.gcpProject!,
        region: location.gcpRegion!,
        clusterName: cluster.name,
        kubernetesVersion: cluster.kubernetesVersion,
        systemNodePool: cluster.systemNodePool,
        gpuNodePool: settings.gpuNodePool && gkeGpuNodePool(settings.gpuNodePool),
        deletionProtection: cluster.deletionProtection,
        // Required for cloud: gcp by readApiAllowedCidrs (stacks/config/sections/apiAccess.ts).
        apiAllowedCidrs: cluster.apiAllowedCidrs!,
    });
    return gke.clusterTarget();
}
