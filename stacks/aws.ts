// `cloud: aws`: an EKS cluster. Loads @pulumi/aws, @pulumi/eks, @pulumi/kubernetes only.
import * as pulumi from "@pulumi/pulumi";
import { ClusterTarget } from "../components/cluster/target";
import { eksDefaults, EksCluster, EksClusterArgs } from "../components/eks";
import { modelServerUid } from "../components/torchserve/conventions";
import { Settings } from "./config/settings";

/** The EKS component's arguments for a stack's settings. */
export function eksClusterArgs(settings: Settings, region: pulumi.Input<string>): EksClusterArgs {
    return {
        clusterName: settings.cluster.name,
        kubernetesVersion: settings.cluster.kubernetesVersion ?? eksDefaults.kubernetesVersion,
        region,
        systemPool: settings.cluster.systemNodePool,
        gpuPool: settings.gpuNodePool,
        deletionProtection: settings.cluster.deletionProtection,
        // Required for cloud: aws by readApiAllowedCidrs (stacks/config/sections/apiAccess.ts).
        apiAllowedCidrs: settings.cluster.apiAllowedCidrs!,
        // TorchServe writes the models it downloads as its own user.
        modelStoreOwner: { uid: modelServerUid, gid: modelServerUid },
        tags: { "torchserve-platform/stack": `${settings.project}-${settings.stack}` },
    };
}

export function createCluster(settings: Settings): ClusterTarget {
    // `aws:region` (what the AWS provider uses) is required for cloud: aws by readLocation
    // (stacks/config/sections/cluster.ts), so validated Settings always carry it.
    return new EksCluster("eks", eksClusterArgs(settings, settings.location.awsRegion!)).clusterTarget();
}
