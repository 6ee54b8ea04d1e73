// `cloud: aws`: an EKS cluster. Loads @pulumi/aws, @pulumi/eks, @pulumi/kubernetes only.
import * as pulumi from "@pulumi/pulumi";
import { ClusterTarget } from "../components/cluster/target";
import { eksDefaults, EksCluster, EksClusterArgs } from "../components/eks";
import { EksModelReader } from "../components/eks/modelReader";
import { modelServerUid } from "../components/torchserve/conventions";
import { objectLocations } from "../components/torchserve/objectUrl";
import { modelBucketMount, modelStoreClaim } from "./modelStore";
import { serviceAccountName, WorkloadIdentity } from "../components/torchserve/torchserve";
import { addonVersionsFor } from "../components/eks/versions";
import { Settings } from "./config/settings";
import { defaultRetentionDays } from "./config/sections/logging";
import type { CloudCluster } from "./program";
import { EksClusterAdmins } from "../components/eks/accessEntries";
import { eksCallerWarning } from "./config/sections/admins";
import * as aws from "@pulumi/aws";

/** The authentication mode EksCluster creates the cluster with (components/eks/cluster.ts; test/eks.test.ts checks they agree). */
export const eksAuthenticationMode = "API";

/**
 * `cluster.admins` on aws: access entries with the cluster admin policy, and preview's warning when
 * the identity running pulumi is listed (EKS gave the creator an entry already: eksCallerWarning).
 */
export function eksClusterAdmins(settings: Settings, eks: EksCluster): EksClusterAdmins | undefined {
    const arns = settings.cluster.admins.eks ?? [];
    if (arns.length === 0) return undefined;
    aws.getCallerIdentityOutput().arn.apply((arn) => {
        const warning = eksCallerWarning(arns, arn, `${settings.project}:cluster.admins`);
        if (warning) pulumi.log.warn(warning);
    });
    return new EksClusterAdmins("eks-admins", {
        clusterName: eks.clusterName,
        authenticationMode: eksAuthenticationMode,
        principalArns: arns,
    });
}

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
        cloudWatchLogs:
            settings.logging.enabled && settings.logging.backend === "cloud"
                ? { retentionDays: settings.logging.retentionDays }
                : undefined,
        // logging.retentionDays is Loki's with backend loki (not checked against CloudWatch's periods).
        controlPlaneLogRetentionDays: defaultRetentionDays,
        modelBucket: modelBucketMount(settings, modelServerUid),
        modelStoreClaim: modelStoreClaim(settings),
        // The parser resolves the pins (readAddonVersions, stacks/config/sections/cluster.ts).
        addonVersions:
            settings.cluster.addonVersions ??
            addonVersionsFor(settings.cluster.kubernetesVersion ?? eksDefaults.kubernetesVersion),
        tags: { "torchserve-platform/stack": `${settings.project}-${settings.stack}` },
    };
}

/** Names, on TorchServe's ServiceAccount, the IAM role EKS Pod Identity associates with it (informational). */
export const modelReaderRoleAnnotation = "torchserve.pytorch.org/model-reader-role-arn";

/** EKS Pod Identity reading the s3:// models, when there are any. */
export function eksModelIdentity(settings: Settings, eks: EksCluster, region: string): WorkloadIdentity | undefined {
    const objects = objectLocations(settings.torchserve.models.map((m) => m.url)).filter((l) => l.store === "s3");
    if (objects.length === 0) return undefined;
    const reader = new EksModelReader(
        "torchserve-models",
        {
            clusterName: eks.clusterName,
            clusterArn: eks.clusterArn,
            namespace: settings.torchserve.namespace,
            serviceAccount: serviceAccountName,
            objects: objects.map(({ bucket, key }) => ({ bucket, key })),
            kmsKeyArn: settings.torchserve.kmsKeyArn,
            mounted: modelBucketMount(settings, modelServerUid),
            tags: { "torchserve-platform/stack": `${settings.project}-${settings.stack}` },
        },
        { dependsOn: [eks.podIdentityAgent] },
    );
    // The association needs no ServiceAccount annotation; the fetcher signs for the stack's region.
    // As outputs of the association, so pods start only once the webhook will inject credentials
    // (the fetcher's) or the Mountpoint driver can get them for the pod (a bucket store's). The
    // annotation only names the role the association gives the ServiceAccount.
    const afterAssociation = <T>(v: pulumi.Input<T>) => pulumi.all([reader.association.id, v]).apply(([, x]) => x);
    return {
        annotations: { [modelReaderRoleAnnotation]: afterAssociation(reader.role.arn) },
        fetchEnv: { AWS_REGION: afterAssociation(region) },
    };
}

export function createCluster(settings: Settings): CloudCluster {
    // `aws:region` (what the AWS provider uses) is required for cloud: aws by readLocation
    // (stacks/config/sections/cluster.ts), so validated Settings always carry it.
    const region = settings.location.awsRegion!;
    const eks = new EksCluster("eks", eksClusterArgs(settings, region));
    const target: ClusterTarget = eks.clusterTarget();
    eksClusterAdmins(settings, eks);
    return { ...target, modelIdentity: eksModelIdentity(settings, eks, region) };
}
