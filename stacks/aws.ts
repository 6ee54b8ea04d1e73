// `cloud: aws`: an EKS cluster. Loads @pulumi/aws, @pulumi/eks, @pulumi/kubernetes only.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ClusterTarget } from "../components/cluster/target";
import { eksDefaults, EksCluster, EksClusterArgs, gpuPoolSpec, systemPoolSpec } from "../components/eks";
import { Settings } from "./config/settings";

/** The EKS component's arguments for a stack's settings. */
export function eksClusterArgs(settings: Settings, region: pulumi.Input<string>): EksClusterArgs {
    return {
        clusterName: settings.cluster.name,
        kubernetesVersion: settings.cluster.kubernetesVersion ?? eksDefaults.kubernetesVersion,
        region,
        systemPool: systemPoolSpec(settings.cluster.systemNodePool),
        gpuPool: settings.gpuNodePool ? gpuPoolSpec(settings.gpuNodePool) : undefined,
        deletionProtection: settings.cluster.deletionProtection,
        tags: { "torchserve-platform/stack": `${settings.project}-${settings.stack}` },
    };
}

export function createCluster(settings: Settings): ClusterTarget {
    // `aws:region` is what the AWS provider uses; ask it when the parser did not capture it.
    const region = settings.location.awsRegion ?? aws.getRegionOutput().region;
    return new EksCluster("eks", eksClusterArgs(settings, region)).target;
}
