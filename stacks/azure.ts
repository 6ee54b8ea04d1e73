// `cloud: azure`: an AKS cluster. Loads only the azure-native submodules it uses (the package root
// loads every Azure service).
import { AksCluster } from "../components/aks";
import { ClusterTarget } from "../components/cluster/target";
import { modelServerUid } from "../components/torchserve/conventions";
import * as authorization from "@pulumi/azure-native/authorization";
import { AksModelReader } from "../components/aks/modelReader";
import { objectLocations } from "../components/torchserve/objectUrl";
import { serviceAccountName, WorkloadIdentity } from "../components/torchserve/torchserve";
import { Settings } from "./config/settings";
import type { CloudCluster } from "./program";

/** AKS workload identity reading the Azure Blob models, when there are any. */
export function aksModelIdentity(settings: Settings, aks: AksCluster): WorkloadIdentity | undefined {
    const containers = objectLocations(settings.torchserve.models.map((m) => m.url))
        .filter((l) => l.store === "azureBlob")
        .map((l) => ({ account: l.account!, container: l.bucket }));
    if (containers.length === 0) return undefined;
    const reader = new AksModelReader("torchserve-models", {
        resourceGroupName: aks.resourceGroup.name,
        location: aks.resourceGroup.location,
        oidcIssuerUrl: aks.cluster.oidcIssuerProfile.apply((p) => p?.issuerURL ?? ""),
        subscriptionId: authorization.getClientConfigOutput().subscriptionId,
        // Required with Blob models by the config parser (stacks/config/sections/torchserve.ts).
        storageResourceGroup: settings.torchserve.storageResourceGroup!,
        namespace: settings.torchserve.namespace,
        serviceAccount: serviceAccountName,
        containers,
    });
    return { annotations: reader.annotations, podLabels: reader.podLabels };
}

export function createCluster(settings: Settings): CloudCluster {
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
        azureMonitorLogs:
            settings.logging.enabled && settings.logging.backend === "cloud"
                ? { retentionDays: settings.logging.retentionDays }
                : undefined,
        maintenanceWindow: cluster.maintenanceWindow,
        networkDataplane: cluster.aksNetworkDataplane,
    });
    const target: ClusterTarget = aks.clusterTarget();
    return { ...target, modelIdentity: aksModelIdentity(settings, aks) };
}
