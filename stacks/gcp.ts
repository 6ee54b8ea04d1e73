// `cloud: gcp`: a GKE cluster. Loads only the @pulumi/gcp submodules it uses (compute, container):
// the package root costs ~50 ms and ~160 modules more.
import { GkeCluster } from "../components/gke";
import { ClusterTarget } from "../components/cluster/target";
import { Settings } from "./config/settings";

export function createCluster(settings: Settings): ClusterTarget {
    const { cluster, location } = settings;
    if (!location.gcpProject || !location.gcpRegion) throw new Error("gcp:project and gcp:region are required for cloud: gcp");
    const gke = new GkeCluster(cluster.name, {
        project: location.gcpProject,
        region: location.gcpRegion,
        clusterName: cluster.name,
        kubernetesVersion: cluster.kubernetesVersion,
        systemNodePool: cluster.systemNodePool,
        gpuNodePool: settings.gpuNodePool,
        deletionProtection: cluster.deletionProtection,
    });
    return gke.target;
}
