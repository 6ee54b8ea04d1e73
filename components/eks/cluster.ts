import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { GpuNodePoolSpec, SystemNodePoolSpec } from "../cluster/nodePool";
import { VolumeOwner } from "../cluster/storage";
import { ClusterTarget } from "../cluster/target";
import { EbsBlockStorage } from "./blockStorage";
import { ClusterAutoscaler } from "./clusterAutoscaler";
import { clusterAutoscalerImageTag, eksDefaults, gpuPlacement, systemPlacement } from "./defaults";
import { ec2AssumeRolePolicy, nodeManagedPolicies } from "./iam";
import { EfsModelStore } from "./modelStore";
import { EksNetwork } from "./network";
import { EksNodeGroup, EksNodeGroupSpec, gpuNodeGroupSpec, systemNodeGroupSpec } from "./nodeGroup";

export interface EksClusterArgs {
    /** EKS cluster name (physical name; also in subnet and autoscaler tags). */
    clusterName: string;
    /** Kubernetes minor version, e.g. `1.35`. */
    kubernetesVersion: string;
    /** AWS region (for cluster-autoscaler). */
    region: pulumi.Input<string>;
    /** The always-on pool for system add-ons. */
    systemPool: SystemNodePoolSpec;
    /** The GPU pool; absent = none. */
    gpuPool?: GpuNodePoolSpec;
    /** EKS deletion protection on the cluster; protect the EFS model store and retain its volumes. */
    deletionProtection: boolean;
    /** Owner of the model store's files: the user the model server runs as. */
    modelStoreOwner: VolumeOwner;
    /** Tags on every AWS resource that takes them. */
    tags?: Record<string, string>;
}

/** eks.Cluster's kubeconfig output is an object; the Kubernetes provider and stack output want text. */
export function kubeconfigText(kubeconfig: unknown): string {
    return typeof kubeconfig === "string" ? kubeconfig : JSON.stringify(kubeconfig);
}

/**
 * An EKS cluster ready for TorchServe: VPC, control plane (access entries, OIDC provider), a system and
 * an optional GPU managed node group, cluster-autoscaler, an EFS model store, and EBS block storage
 * (the default `gp3` class) for add-ons' volumes. `target` is what the
 * cloud-neutral platform consumes.
 */
export class EksCluster extends pulumi.ComponentResource {
    readonly network: EksNetwork;
    readonly cluster: eks.Cluster;
    readonly clusterName: pulumi.Output<string>;
    readonly kubeconfig: pulumi.Output<string>;
    readonly provider: k8s.Provider;
    readonly nodeRole: aws.iam.Role;
    readonly systemNodeGroup: EksNodeGroup;
    readonly gpuNodeGroup?: EksNodeGroup;
    readonly modelStore: EfsModelStore;
    readonly blockStorage: EbsBlockStorage;
    readonly autoscaler: ClusterAutoscaler;
    readonly target: ClusterTarget;

    constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("torchserve-platform:eks:Cluster", name, {}, opts);
        const tags = args.tags ?? {};

        this.network = new EksNetwork(
            name,
            {
                clusterName: args.clusterName,
                cidrBlock: eksDefaults.vpcCidr,
                zoneCount: eksDefaults.zoneCount,
                tags,
            },
            { parent: this },
        );

        this.cluster = new eks.Cluster(
            name,
            {
                name: args.clusterName,
                version: args.kubernetesVersion,
                vpcId: this.network.vpcId,
                publicSubnetIds: this.network.publicSubnetIds,
                privateSubnetIds: this.network.privateSubnetIds,
                nodeAssociatePublicIpAddress: false,
                // Access entries, not the aws-auth ConfigMap; managed node groups get theirs from EKS.
                authenticationMode: eks.AuthenticationMode.Api,
                // Node groups below are managed node groups with their own labels and taints.
                skipDefaultNodeGroup: true,
                // IAM roles for service accounts (cluster-autoscaler, EFS and EBS CSI drivers).
                createOidcProvider: true,
                // EKS refuses to delete a protected cluster; lift it with `pulumi up` before `pulumi destroy`.
                deletionProtection: args.deletionProtection,
                tags,
            },
            { parent: this, dependsOn: this.network.egressReady },
        );
        this.clusterName = this.cluster.eksCluster.name;
        this.kubeconfig = pulumi.secret(this.cluster.kubeconfig.apply(kubeconfigText));

        this.provider = new k8s.Provider(
            `${name}-k8s`,
            {
                kubeconfig: this.kubeconfig,
                enableServerSideApply: true,
            },
            { parent: this },
        );

        this.nodeRole = new aws.iam.Role(
            `${name}-node`,
            { assumeRolePolicy: ec2AssumeRolePolicy(), tags },
            { parent: this },
        );
        const nodePolicies = nodeManagedPolicies.map(
            (policyArn, i) =>
                new aws.iam.RolePolicyAttachment(
                    `${name}-node-${i}`,
                    {
                        role: this.nodeRole.name,
                        policyArn,
                    },
                    { parent: this },
                ),
        );
        const nodeDeps = [...nodePolicies, ...this.network.egressReady];
        const nodeGroup = (pool: string, spec: EksNodeGroupSpec) =>
            new EksNodeGroup(
                `${name}-${pool}`,
                {
                    clusterName: this.clusterName,
                    clusterNameForTags: args.clusterName,
                    spec,
                    nodeRoleArn: this.nodeRole.arn,
                    subnetIds: this.network.privateSubnetIds,
                    tags,
                    dependsOn: nodeDeps,
                },
                { parent: this },
            );
        this.systemNodeGroup = nodeGroup("system", systemNodeGroupSpec(args.systemPool));
        this.gpuNodeGroup = args.gpuPool ? nodeGroup("gpu", gpuNodeGroupSpec(args.gpuPool)) : undefined;

        this.modelStore = new EfsModelStore(
            `${name}-models`,
            {
                clusterName: this.clusterName,
                kubernetesVersion: args.kubernetesVersion,
                vpcId: this.network.vpcId,
                vpcCidr: this.network.cidrBlock,
                subnetIds: this.network.privateSubnetIds,
                oidcProviderArn: this.cluster.oidcProviderArn,
                oidcIssuer: this.cluster.oidcIssuer,
                provider: this.provider,
                deletionProtection: args.deletionProtection,
                owner: args.modelStoreOwner,
                nodesReady: [this.systemNodeGroup.nodeGroup],
                tags,
            },
            { parent: this },
        );

        this.blockStorage = new EbsBlockStorage(
            `${name}-block`,
            {
                clusterName: this.clusterName,
                kubernetesVersion: args.kubernetesVersion,
                oidcProviderArn: this.cluster.oidcProviderArn,
                oidcIssuer: this.cluster.oidcIssuer,
                provider: this.provider,
                nodesReady: [this.systemNodeGroup.nodeGroup],
                tags,
            },
            { parent: this },
        );

        const imageTag = clusterAutoscalerImageTag(args.kubernetesVersion);
        if (imageTag === undefined) {
            pulumi.log.warn(
                `no cluster-autoscaler release is known for Kubernetes ${args.kubernetesVersion}; using the chart's default image`,
                this,
            );
        }
        this.autoscaler = new ClusterAutoscaler(
            `${name}-autoscaler`,
            {
                clusterName: this.clusterName,
                clusterNameForPolicy: args.clusterName,
                region: args.region,
                oidcProviderArn: this.cluster.oidcProviderArn,
                oidcIssuer: this.cluster.oidcIssuer,
                imageTag,
                placement: systemPlacement,
                provider: this.provider,
                dependsOn: [this.systemNodeGroup.nodeGroup],
                tags,
            },
            { parent: this },
        );

        this.target = {
            name: this.clusterName,
            kubeconfig: this.kubeconfig,
            provider: this.provider,
            gpuPlacement,
            systemPlacement,
            modelStoreClassName: this.modelStore.storageClassName,
            // An output of the gp3 StorageClass: Prometheus, which takes it, waits for the class and its
            // CSI add-on, while the mesh and Grafana (no volumes) need not.
            blockStorageClassName: this.blockStorage.storageClassName,
            // The AL2023 NVIDIA AMI has the driver and toolkit but no device plugin.
            needsDevicePlugin: true,
            gpuPoolReady: this.gpuNodeGroup ? [this.gpuNodeGroup.nodeGroup] : [],
            systemReady: [this.systemNodeGroup.nodeGroup],
            clusterReady: [this.systemNodeGroup.nodeGroup, this.modelStore.storageClass, this.modelStore.csiDriver],
        };
        this.registerOutputs({ clusterName: this.clusterName, kubeconfig: this.kubeconfig });
    }
}
