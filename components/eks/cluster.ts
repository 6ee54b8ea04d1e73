import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { CloudLogsSpec } from "../logging/spec";
import { GpuNodePoolSpec, SystemNodePoolSpec } from "../cluster/nodePool";
import {
    BlockVolumeFactory,
    ModelBucketMount,
    ModelBucketVolume,
    ModelStoreClaim,
    VolumeOwner,
} from "../cluster/storage";
import { ClusterTarget, Placement } from "../cluster/target";
import { keepProvider, providerOf } from "../cluster/provider";
import { EbsBlockStorage, ebsOwnedVolume } from "./blockStorage";
import { ClusterAutoscaler } from "./clusterAutoscaler";
import { clusterAutoscalerImageTag, eksDefaults, gpuPlacement, systemPlacement } from "./defaults";
import { vpcCniIdentity } from "./cni";
import { ec2AssumeRolePolicy, nodeManagedPolicies } from "./iam";
import { CloudWatchLogging } from "./cloudWatchLogging";
import { cloudWatchLogGroupNames } from "./logging";
import { EfsModelStore } from "./modelStore";
import { S3ModelBucket } from "./modelBucket";
import { EksNetwork } from "./network";
import { EksNodeGroup, EksNodeGroupSpec, gpuNodeGroupName, gpuNodeGroupSpec, systemNodeGroupSpec } from "./nodeGroup";
import { controlPlaneSecurity } from "./security";
import { EksAddonVersions } from "./versions";
import { aliasPreviousType } from "../cluster/typeToken";

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
    /**
     * The cluster `protect`ed in Pulumi (a destroy fails before deleting anything) and EKS's own
     * deletion protection on; the EFS model store protected and its volumes retained.
     */
    deletionProtection: boolean;
    /** Owner of the model store's files: the user the model server runs as. */
    modelStoreOwner: VolumeOwner;
    /**
     * IPv4 CIDR blocks that may reach the public API server endpoint (`publicAccessCidrs`); nodes use
     * the private endpoint, which is always on.
     */
    apiAllowedCidrs: string[];
    /**
     * Container logs to CloudWatch through the CloudWatch Observability add-on, and `retentionDays`
     * on its log groups and on the control plane's. Absent = no add-on.
     */
    cloudWatchLogs?: CloudLogsSpec;
    /**
     * Days CloudWatch keeps the control plane's logs (always on, controlPlaneSecurity) when
     * `cloudWatchLogs` is absent; with it, its `retentionDays`. One of CloudWatch's periods
     * (`cloudWatchRetentionDays`). @default 30
     */
    controlPlaneLogRetentionDays?: number;
    /**
     * The model server's claim on the model store: its volume (an EFS access point) is then Pulumi's,
     * deleted in order on destroy. Absent = claims are provisioned by the EFS CSI driver.
     */
    modelStoreClaim?: ModelStoreClaim;
    /**
     * The models' S3 bucket as the model store, mounted read-only through the Mountpoint for Amazon S3
     * CSI add-on (S3ModelBucket) instead of EFS: then no file system, mount targets or EFS driver.
     */
    modelBucket?: ModelBucketMount;
    /**
     * Pinned versions of the EKS add-ons (components/eks/versions.ts `addonVersionsFor`); an absent
     * one is EKS's default at creation, which EKS may move.
     */
    addonVersions: Partial<EksAddonVersions>;
    /** Tags on every AWS resource that takes them. */
    tags?: Record<string, string>;
}

/**
 * Each cluster's factory of EBS volumes for add-ons' StatefulSets (ClusterTarget.blockVolume): kept
 * beside the component rather than on it, where the component analyzer would take it for an output.
 */
const blockVolumes = new WeakMap<EksCluster, BlockVolumeFactory>();

/** Label EKS puts on every node of a managed node group: the group's name. */
export const eksNodeGroupLabel = "eks.amazonaws.com/nodegroup";

/** The control plane's log group: EKS's name for it, the retention of the logs the program keeps. */
export function controlPlaneLogGroupArgs(
    args: Pick<EksClusterArgs, "clusterName" | "cloudWatchLogs" | "controlPlaneLogRetentionDays">,
    tags: Record<string, string>,
) {
    return {
        name: cloudWatchLogGroupNames(args.clusterName).controlPlane,
        retentionInDays: args.cloudWatchLogs?.retentionDays ?? args.controlPlaneLogRetentionDays ?? 30,
        tags,
    };
}

/**
 * LoadBalancer Services on EKS get a Classic Load Balancer from the cloud provider's service
 * controller (no AWS Load Balancer Controller runs here), whose idle timeout is 60 s by default:
 * it cuts any request TorchServe answers later (its default response timeout is 120 s). The
 * controller sets the timeout from this annotation, in place on an existing balancer
 * (kubernetes/cloud-provider-aws pkg/providers/v1/aws.go ServiceAnnotationLoadBalancerConnectionIdleTimeout;
 * CLB range 1-4000 s: https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/config-idle-timeout.html).
 * Not an NLB: adding `aws-load-balancer-type: nlb` to an existing Service creates an NLB and leaves the
 * Classic one running and billed (kubernetes/kubernetes#66306).
 */
export function classicLoadBalancerAnnotations(idleTimeoutSeconds: number): Record<string, string> {
    return {
        "service.beta.kubernetes.io/aws-load-balancer-connection-idle-timeout": String(
            Math.min(4000, Math.max(1, Math.ceil(idleTimeoutSeconds))),
        ),
    };
}

/** eks.Cluster's kubeconfig output is an object; the Kubernetes provider and stack output want text. */
export function kubeconfigText(kubeconfig: unknown): string {
    return typeof kubeconfig === "string" ? kubeconfig : JSON.stringify(kubeconfig);
}

/**
 * An EKS cluster ready for TorchServe: VPC, control plane (access entries, OIDC provider), a system and
 * an optional GPU managed node group, cluster-autoscaler, an EFS model store, and EBS block storage
 * (the default `gp3` class) for add-ons' volumes. `clusterTarget()` is what the cloud-neutral platform
 * consumes.
 */
export class EksCluster extends pulumi.ComponentResource {
    /** The cluster's VPC. */
    readonly vpcId: pulumi.Output<string>;
    /** The EKS control plane (@pulumi/eks). */
    readonly cluster: eks.Cluster;
    /** Cluster name as EKS knows it. */
    readonly clusterName: pulumi.Output<string>;
    /** The cluster's ARN (`arn:<partition>:eks:<region>:<account>:cluster/<name>`), known at preview. */
    readonly clusterArn: pulumi.Output<string>;
    /** kubeconfig for the cluster (secret). */
    readonly kubeconfig: pulumi.Output<string>;
    /** IAM role of every node (no VPC CNI permissions: see `vpcCniRole`). */
    readonly nodeRole: aws.iam.Role;
    /** The VPC CNI's own role, given to the aws-node service account through EKS Pod Identity. */
    readonly vpcCniRole: aws.iam.Role;
    /** The EKS Pod Identity Agent add-on (serves the CNI's credentials on every node). */
    readonly podIdentityAgent: aws.eks.Addon;
    /** Binds `vpcCniRole` to kube-system/aws-node. */
    readonly vpcCniPodIdentity: aws.eks.PodIdentityAssociation;
    /** Managed node group of the system pool. */
    readonly systemNodeGroup: aws.eks.NodeGroup;
    /** Managed node group of the GPU pool, when there is one. */
    readonly gpuNodeGroup?: aws.eks.NodeGroup;
    /** The EFS file system holding the models (not with `modelBucket`). */
    readonly modelStoreFileSystem?: aws.efs.FileSystem;
    /** The CSI driver add-on the model store's volumes need (EFS, or Mountpoint with `modelBucket`). */
    readonly modelStoreCsiDriver: aws.eks.Addon;
    /** ReadWriteMany StorageClass of the model store (`efs-sc`; not with `modelBucket`). */
    readonly modelStoreClass?: k8s.storage.v1.StorageClass;
    /** What TorchServe claims with `modelBucket` (kept out of the component's outputs: data, not a resource). */
    private readonly bucketVolume?: ModelBucketVolume;
    /** The volume bound to the model server's claim, when `modelStoreClaim` is given. */
    readonly modelStoreVolume?: k8s.core.v1.PersistentVolume;
    /** Name of the default `gp3` class; whatever takes it as an input waits for the class and its CSI driver. */
    readonly blockStorageClassName: pulumi.Output<string>;
    /** The CloudWatch Observability add-on (container logs), when `cloudWatchLogs` is set. */
    readonly cloudWatchAddon?: aws.eks.Addon;
    /** cluster-autoscaler's Helm release. */
    readonly autoscalerRelease: k8s.helm.v3.Release;
    /** CoreDNS as a managed add-on at a pinned version (EKS starts clusters with a self-managed copy). */
    readonly coredns: aws.eks.Addon;
    /** Where GPU pods go: the GPU pool's label and its current node group (see `gpuNodeGroupName`). */
    readonly gpuPlacement: Placement;

    constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super(
            "torchserve-platform:index:EksCluster",
            name,
            {},
            aliasPreviousType(opts, "torchserve-platform:eks:Cluster"),
        );
        const tags = args.tags ?? {};

        const network = new EksNetwork(
            name,
            {
                clusterName: args.clusterName,
                cidrBlock: eksDefaults.vpcCidr,
                zoneCount: eksDefaults.zoneCount,
                gpuInstanceType: args.gpuPool?.instanceType,
                region: args.region,
                tags,
            },
            { parent: this },
        );

        // EKS writes control-plane logs (always on) to this group. Created before the cluster, always:
        // otherwise EKS creates it, never expiring and left behind by a destroy, and a later switch
        // to the cloud backend fails with ResourceAlreadyExistsException
        // (https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html).
        const controlPlaneLogs = new aws.cloudwatch.LogGroup(
            `${name}-control-plane`,
            controlPlaneLogGroupArgs(args, tags),
            { parent: this },
        );
        const security = controlPlaneSecurity(args.apiAllowedCidrs);
        this.cluster = new eks.Cluster(
            name,
            {
                name: args.clusterName,
                version: args.kubernetesVersion,
                vpcId: network.vpcId,
                publicSubnetIds: network.publicSubnetIds,
                privateSubnetIds: network.privateSubnetIds,
                nodeAssociatePublicIpAddress: false,
                // Access entries, not the aws-auth ConfigMap; managed node groups get theirs from EKS.
                authenticationMode: eks.AuthenticationMode.Api,
                // Node groups below are managed node groups with their own labels and taints.
                skipDefaultNodeGroup: true,
                // IAM roles for service accounts (cluster-autoscaler, EFS and EBS CSI drivers).
                createOidcProvider: true,
                // EKS refuses to delete a protected cluster too (outside Pulumi: console, CLI); lift it
                // with `pulumi up` before `pulumi destroy`.
                deletionProtection: args.deletionProtection,
                // Private endpoint, allow-listed public endpoint, audit logs, enforced NetworkPolicy.
                ...security,
                // Pinned add-on versions: an upgrade is a reviewed change, not AWS's latest at run time.
                vpcCniOptions: { ...security.vpcCniOptions, addonVersion: args.addonVersions.vpcCni },
                kubeProxyAddonOptions: { version: args.addonVersions.kubeProxy },
                // pulumi-eks manages CoreDNS only with its default node group; ours is below.
                corednsAddonOptions: { enabled: false },
                // Without it EKS moves a cluster past standard support into extended support, billed
                // $0.60 instead of $0.10 per hour (API UpgradePolicyRequest; https://aws.amazon.com/eks/pricing/);
                // STANDARD upgrades it to the next minor at the end of standard support instead.
                upgradePolicy: { supportType: "STANDARD" },
                tags,
            },
            {
                parent: this,
                dependsOn: [...network.egressReady(), controlPlaneLogs],
                // The engine refuses a destroy (or replacement) of a protected resource at preview,
                // before it deletes anything (pulumi/pulumi pkg/resource/deploy/step.go DeleteStep,
                // pulumi/pulumi#8158): EKS's own flag would refuse only after every add-on, node group
                // and identity was gone. eks.Cluster's children (the EKS cluster, its roles, security
                // groups, OIDC provider) inherit it.
                protect: args.deletionProtection,
            },
        );
        this.vpcId = network.vpcId;
        this.clusterName = this.cluster.eksCluster.name;
        // The ARN EKS gives the cluster, spelled from what a preview knows (the trust policies show).
        const identity = aws.getCallerIdentityOutput({}, { parent: this });
        const partition = aws.getPartitionOutput({}, { parent: this });
        this.clusterArn = pulumi.interpolate`arn:${partition.partition}:eks:${args.region}:${identity.accountId}:cluster/${args.clusterName}`;
        this.kubeconfig = pulumi.secret(this.cluster.kubeconfig.apply(kubeconfigText));

        const provider = keepProvider(
            this,
            new k8s.Provider(
                `${name}-k8s`,
                {
                    kubeconfig: this.kubeconfig,
                    enableServerSideApply: true,
                },
                { parent: this },
            ),
        );

        this.nodeRole = new aws.iam.Role(
            `${name}-node`,
            { assumeRolePolicy: ec2AssumeRolePolicy(), tags },
            { parent: this },
        );
        const nodePolicies = Object.entries(nodeManagedPolicies).map(
            ([suffix, policyArn]) =>
                new aws.iam.RolePolicyAttachment(
                    `${name}-node-${suffix}`,
                    {
                        role: this.nodeRole.name,
                        policyArn,
                    },
                    { parent: this },
                ),
        );
        const cni = vpcCniIdentity(
            `${name}-vpc-cni`,
            {
                clusterName: this.clusterName,
                clusterArn: this.clusterArn,
                kubernetesVersion: args.kubernetesVersion,
                agentVersion: args.addonVersions.podIdentityAgent,
                tags,
            },
            this,
        );
        this.vpcCniRole = cni.role;
        this.podIdentityAgent = cni.agent;
        this.vpcCniPodIdentity = cni.association;
        // Nodes boot once their role has its policies, egress works and aws-node has its own identity.
        const nodeDeps = [...nodePolicies, ...network.egressReady(), cni.association];
        const nodeGroup = (pool: string, spec: EksNodeGroupSpec, nodeGroupName?: string) =>
            new EksNodeGroup(
                `${name}-${pool}`,
                {
                    clusterName: this.clusterName,
                    clusterNameForTags: args.clusterName,
                    spec,
                    nodeRoleArn: this.nodeRole.arn,
                    subnetIds: network.privateSubnetIds,
                    kubernetesVersion: args.kubernetesVersion,
                    nodeGroupName,
                    tags,
                },
                { parent: this, nodeGroupDependsOn: nodeDeps },
            ).nodeGroup;
        this.systemNodeGroup = nodeGroup("system", systemNodeGroupSpec(args.systemPool, eksDefaults.zoneCount));
        const gpuSpec = args.gpuPool ? gpuNodeGroupSpec(args.gpuPool) : undefined;
        const gpuName = gpuSpec ? gpuNodeGroupName(args.clusterName, gpuSpec) : undefined;
        this.gpuNodeGroup = gpuSpec ? nodeGroup("gpu", gpuSpec, gpuName) : undefined;
        this.gpuPlacement = {
            ...gpuPlacement,
            nodeSelector: { ...gpuPlacement.nodeSelector, ...(gpuName ? { [eksNodeGroupLabel]: gpuName } : {}) },
        };
        // The storage add-ons' pods and cluster-autoscaler run on the system nodes.
        const systemNodes = [this.systemNodeGroup];
        this.coredns = new aws.eks.Addon(
            `${name}-coredns`,
            {
                clusterName: this.clusterName,
                addonName: "coredns",
                addonVersion: args.addonVersions.coredns,
                // Takes over the Deployment EKS created (same objects, now updated by EKS add-on upgrades).
                resolveConflictsOnCreate: "OVERWRITE",
                resolveConflictsOnUpdate: "OVERWRITE",
                tags,
            },
            { parent: this, dependsOn: systemNodes },
        );

        if (args.modelBucket) {
            const bucket = new S3ModelBucket(
                `${name}-model-bucket`,
                {
                    clusterName: this.clusterName,
                    addonVersion: args.addonVersions.mountpointS3CsiDriver,
                    mount: args.modelBucket,
                    region: args.region,
                    tags,
                },
                { parent: this, provider, addonDependsOn: systemNodes },
            );
            this.modelStoreCsiDriver = bucket.csiDriver;
            this.modelStoreVolume = bucket.volume;
            this.bucketVolume = bucket.modelBucket;
        } else {
            const modelStore = new EfsModelStore(
                `${name}-models`,
                {
                    clusterName: this.clusterName,
                    addonVersion: args.addonVersions.efsCsiDriver,
                    vpcId: network.vpcId,
                    // Managed nodes carry the cluster security group EKS creates (no custom groups in
                    // their launch template): NFS is allowed from it only.
                    nodeSecurityGroupId: this.cluster.eksCluster.vpcConfig.clusterSecurityGroupId,
                    subnetIds: network.privateSubnetIds,
                    oidcProviderArn: this.cluster.oidcProviderArn,
                    oidcIssuer: this.cluster.oidcIssuer,
                    deletionProtection: args.deletionProtection,
                    owner: args.modelStoreOwner,
                    claim: args.modelStoreClaim,
                    tags,
                },
                { parent: this, provider, addonDependsOn: systemNodes },
            );
            this.modelStoreFileSystem = modelStore.fileSystem;
            this.modelStoreVolume = modelStore.volume;
            this.modelStoreCsiDriver = modelStore.csiDriver;
            this.modelStoreClass = modelStore.storageClass;
        }

        // The class's name as an output of the class: Prometheus, which takes it, waits for the class
        // and its CSI add-on, while the mesh and Grafana (no volumes) need not.
        const blockStorage = new EbsBlockStorage(
            `${name}-block`,
            {
                clusterName: this.clusterName,
                addonVersion: args.addonVersions.ebsCsiDriver,
                oidcProviderArn: this.cluster.oidcProviderArn,
                oidcIssuer: this.cluster.oidcIssuer,
                tags,
            },
            { parent: this, provider, addonDependsOn: systemNodes },
        );
        this.blockStorageClassName = blockStorage.storageClassName;
        // Add-ons' volumes in the first private subnet's zone: the system group keeps a node in every
        // zone (systemNodeGroupSpec), so the volume's zone always has one.
        const volumeZone = network.privateSubnets[0].availabilityZone;
        blockVolumes.set(this, (volumeName, size) => ebsOwnedVolume(volumeName, size, volumeZone, blockStorage, tags));

        if (args.cloudWatchLogs) {
            this.cloudWatchAddon = new CloudWatchLogging(
                `${name}-logs`,
                {
                    clusterName: this.clusterName,
                    clusterNameForLogGroups: args.clusterName,
                    retentionDays: args.cloudWatchLogs.retentionDays,
                    addonVersion: args.addonVersions.cloudWatchObservability,
                    oidcProviderArn: this.cluster.oidcProviderArn,
                    oidcIssuer: this.cluster.oidcIssuer,
                    tags,
                },
                { parent: this, addonDependsOn: systemNodes },
            ).addon;
        }

        const imageTag = clusterAutoscalerImageTag(args.kubernetesVersion);
        if (imageTag === undefined) {
            pulumi.log.warn(
                `no cluster-autoscaler release is known for Kubernetes ${args.kubernetesVersion}; using the chart's default image`,
                this,
            );
        }
        this.autoscalerRelease = new ClusterAutoscaler(
            `${name}-autoscaler`,
            {
                clusterName: this.clusterName,
                clusterNameForPolicy: args.clusterName,
                region: args.region,
                oidcProviderArn: this.cluster.oidcProviderArn,
                oidcIssuer: this.cluster.oidcIssuer,
                imageTag,
                placement: systemPlacement,
                tags,
            },
            { parent: this, provider, releaseDependsOn: systemNodes },
        ).release;
        this.registerOutputs({ clusterName: this.clusterName, kubeconfig: this.kubeconfig });
    }

    /** What the cloud-neutral platform needs from this cluster. */
    clusterTarget(): ClusterTarget {
        return {
            name: this.clusterName,
            kubeconfig: this.kubeconfig,
            provider: providerOf(this),
            gpuPlacement: this.gpuPlacement,
            systemPlacement,
            modelStoreClassName: this.modelStoreClass?.metadata.name,
            modelBucket: this.bucketVolume,
            blockStorageClassName: this.blockStorageClassName,
            blockVolume: blockVolumes.get(this),
            loadBalancerAnnotations: classicLoadBalancerAnnotations,
            // The AL2023 NVIDIA AMI has the driver and toolkit but no device plugin.
            needsDevicePlugin: true,
            gpuPoolReady: this.gpuNodeGroup ? [this.gpuNodeGroup] : [],
            systemReady: [this.systemNodeGroup],
            clusterReady: [
                this.systemNodeGroup,
                ...(this.modelStoreClass ? [this.modelStoreClass] : []),
                this.modelStoreCsiDriver,
                ...(this.modelStoreVolume ? [this.modelStoreVolume] : []),
            ],
        };
    }
}
