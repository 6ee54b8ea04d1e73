// `cloud: azure`: an AKS cluster. Loads only the azure-native submodules it uses (the package root
// loads every Azure service).
import { AksCluster } from "../components/aks";
import { ClusterTarget } from "../components/cluster/target";
import { Settings } from "./config/settings";

export function createCluster(settings: Settings): ClusterTarget {
    const { cluster, location } = settings;
    if (!location.azureLocation) throw new Error("azure-native:location is required for cloud: azure");
    const aks = new AksCluster(cluster.name, {
        location: location.azureLocation,
        clusterName: cluster.name,
        kubernetesVersion: cluster.kubernetesVersion,
        systemNodePool: cluster.systemNodePool,
        gpuNodePool: settings.gpuNodePool,
        deletionProtection: cluster.deletionProtection,
    });
    return aks.target;
}
