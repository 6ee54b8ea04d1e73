// `cloud: azure`: an AKS cluster. Loads only the azure-native submodules it uses (the package root
// loads every Azure service).
import { AksCluster } from "../components/aks";
import { ClusterTarget } from "../components/cluster/target";
import { modelServerUid } from "../components/torchserve/conventions";
import { Settings } from "./config/settings";

export function createCluster(settings: Settings): ClusterTarget {
    const { cluster, location } = settings;
    const aks = new AksCluster(cluster.name, {
        // Required for cloud: azure by readLocation (stacks/config/sections/cluster.ts).
        location: location.azureLocation!,
        clusterName: cluster.name,
        kubernetesVersion: cluster.kubernetesVersion,
        systemNodePool: cluster.systemNodePool,
        gpuNodePool: settings.gpuNodePool,
        deletionProtection: cluster.deletionProtection,
        // Required for cloud: azure by readApiAllowedCidrs (stacks/config/sections/apiAccess.ts).
        apiAllowedCidrs: cluster.apiAllowedCidrs!,
        // TorchServe writes the models it downloads as its own user.
        modelStoreOwner: { uid: modelServerUid, gid: modelServerUid },
    });
    return aks.clusterTarget();
}
