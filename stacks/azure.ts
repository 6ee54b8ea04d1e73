// `cloud: azure`: an AKS cluster. Loads only the azure-native submodules it uses (the package root
// loads every Azure service).
import { AksCluster } from "../components/aks";
import { ClusterTarget } from "../components/cluster/target";
import { modelServerUid } from "../components/torchserve/conventions";
import * as authorization from "@pulumi/azure-native/authorization";
import { AksModelReader, clientIdAnnotation } from "../components/aks/modelReader";
import { objectLocations } from "../components/torchserve/objectUrl";
import { serviceAccountName, WorkloadIdentity } from "../components/torchserve/torchserve";
import { Settings } from "./config/settings";
import type { CloudCluster } from "./program";
import { BlobModelBucket } from "../components/aks/modelBucket";
import { modelBucketMount } from "./modelStore";
import * as pulumi from "@pulumi/pulumi";
import { aksCallerWarning } from "./config/sections/admins";

/**
 * Preview's check of the identity running pulumi against `cluster.admins` (a warning; why not a
 * refusal: stacks/config/sections/admins.ts aksCallerWarning).
 */
export function warnUnlistedCaller(settings: Settings): void {
    const admins = settings.cluster.admins.aks ?? [];
    authorization.getClientConfigOutput().objectId.apply((objectId) => {
        const warning = aksCallerWarning(admins, objectId, `${settings.project}:cluster.admins`);
        if (warning) pulumi.log.warn(warning);
    });
}

/** AKS workload identity reading the Azure Blob models, when there are any (and the reader, for the bucket store). */
export function aksModelIdentity(
    settings: Settings,
    aks: AksCluster,
): { identity: WorkloadIdentity; reader: AksModelReader } | undefined {
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
    return { identity: { annotations: reader.annotations, podLabels: reader.podLabels }, reader };
}

export function createCluster(settings: Settings): CloudCluster {
    const { cluster, location } = settings;
    warnUnlistedCaller(settings);
    const aks = new AksCluster(cluster.name, {
        // Required for cloud: azure by readLocation (stacks/config/sections/cluster.ts).
        location: location.azureLocation!,
        clusterName: cluster.name,
        kubernetesVersion: cluster.kubernetesVersion,
        systemNodePool: cluster.systemNodePool,
        gpuNodePool: settings.gpuNodePool,
        // Required for cloud: azure by readClusterAdmins (stacks/config/sections/admins.ts).
        admins: cluster.admins.aks!,
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
        blobModelStore: settings.torchserve.modelStore === "bucket",
    });
    const target: ClusterTarget = aks.clusterTarget();
    const models = aksModelIdentity(settings, aks);
    const mount = modelBucketMount(settings, modelServerUid);
    if (!mount || !models) return { ...target, modelIdentity: models?.identity };
    // The container's account: the config parser accepts a bucket store only when every model is a
    // blob of one container (stacks/config/modelStore.ts), so the first one names it.
    const account = objectLocations(settings.torchserve.models.map((m) => m.url))[0].account!;
    const bucket = new BlobModelBucket(
        "torchserve-model-bucket",
        {
            mount,
            location: {
                account,
                resourceGroup: settings.torchserve.storageResourceGroup!,
                // An output of the reader's grants and federated credential (AksModelReader.annotations).
                clientId: models.reader.annotations[clientIdAnnotation],
            },
        },
        { provider: target.provider, dependsOn: [aks.cluster] },
    );
    return {
        ...target,
        modelBucket: bucket.modelBucket,
        clusterReady: [...target.clusterReady, bucket.volume],
        modelIdentity: models.identity,
    };
}
