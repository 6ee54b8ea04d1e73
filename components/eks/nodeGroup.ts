import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { GpuNodePoolSpec, poolGeneration, SystemNodePoolSpec } from "../cluster/nodePool";
import {
    acceleratorFor,
    acceleratorLabelKey,
    eksDefaults,
    gpuPoolLabels,
    gpuTaint,
    systemPoolLabels,
} from "./defaults";
import { TaintEffect } from "../cluster/kubernetes";
import { aliasPreviousType } from "../cluster/typeToken";

/** A Kubernetes taint as nodes carry it. */
export interface NodeTaint {
    /** Taint key, e.g. `nvidia.com/gpu`. */
    key: string;
    /** Taint value. */
    value: string;
    /** What the taint does to pods that do not tolerate it. */
    effect: TaintEffect;
}

/**
 * EKS AMI types the node groups use. GPU nodes use AL2023_x86_64_NVIDIA: the EKS-optimised Amazon Linux
 * 2023 image with the NVIDIA driver and container toolkit, but no device plugin, so the cloud-neutral
 * NVIDIA device plugin chart runs on it exactly as on AKS. Bottlerocket's NVIDIA variant would bundle its
 * own plugin (one more cloud-specific path) and offers no shell for debugging drivers. x86 only: the
 * TorchServe GPU images are linux/amd64.
 */
export const EksAmiType = {
    Standard: "AL2023_x86_64_STANDARD",
    Nvidia: "AL2023_x86_64_NVIDIA",
} as const;
export type EksAmiType = (typeof EksAmiType)[keyof typeof EksAmiType];

/** Capacity a managed node group buys. */
export const EksCapacityType = { OnDemand: "ON_DEMAND", Spot: "SPOT" } as const;
export type EksCapacityType = (typeof EksCapacityType)[keyof typeof EksCapacityType];

/** One managed node group in the EKS API's terms (built from the cloud-neutral pool model). */
export interface EksNodeGroupSpec {
    /** EC2 instance type. */
    instanceType: string;
    /** AMI type (see `EksAmiType`). */
    amiType: EksAmiType;
    /** Fewest nodes (the Auto Scaling group's minimum; also its initial desired size). */
    minNodes: number;
    /** Most nodes. */
    maxNodes: number;
    /** On-demand or Spot capacity. */
    capacityType: EksCapacityType;
    /** Root volume size, GiB. */
    diskSizeGb: number;
    /** Kubernetes labels on every node. */
    labels: Record<string, string>;
    /** Kubernetes taints on every node. */
    taints: NodeTaint[];
    /** Nodes an upgrade (version, AMI release or launch template) may take down at once (EKS takes at least 1). */
    maxUnavailable: number;
    /** How EKS replaces the nodes in an upgrade (see `EksUpdateStrategy`). */
    updateStrategy: EksUpdateStrategy;
}

/**
 * How EKS replaces a managed node group's nodes in an upgrade (NodegroupUpdateConfig.updateStrategy,
 * https://docs.aws.amazon.com/eks/latest/APIReference/API_NodegroupUpdateConfig.html). DEFAULT first
 * raises the Auto Scaling group by the larger of "up to twice the number of Availability Zones" and
 * `maxUnavailable` (https://docs.aws.amazon.com/eks/latest/userguide/managed-node-update-behavior.html,
 * scale up phase): up to 6 extra nodes in 3 zones, whatever `maxSurge` says. MINIMAL "terminates the
 * old instances before launching the new instances", for groups "constrained to resources or costs
 * (for example, with hardware accelerators such as GPUs)": no node beyond the group's size.
 */
export const EksUpdateStrategy = { Default: "DEFAULT", Minimal: "MINIMAL" } as const;
export type EksUpdateStrategy = (typeof EksUpdateStrategy)[keyof typeof EksUpdateStrategy];

/**
 * The system pool as a node group: standard AL2023, on-demand, labelled, untainted, and at least one
 * node per zone. Prometheus's EBS volume is zonal (created where its pod first ran, gp3 binds
 * WaitForFirstConsumer): with fewer nodes than zones, a node replacement can leave no system node in
 * the volume's zone and the pod Pending for good. The group's Auto Scaling group spreads its minimum
 * across the subnets' zones (AZ rebalancing), so `minNodes >= zoneCount` keeps one in each. AWS's
 * remedy for stateful EBS workloads under cluster-autoscaler is one group per zone with
 * --balance-similar-node-groups (https://docs.aws.amazon.com/eks/latest/userguide/create-managed-node-group.html;
 * kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws/README.md "Common Notes and Gotchas");
 * the floor is the smaller fix: the volume's zone always has a node, though a scale-up for a pod
 * that does not fit there may land in another zone.
 */
export function systemNodeGroupSpec(
    pool: SystemNodePoolSpec,
    zoneCount: number = eksDefaults.zoneCount,
): EksNodeGroupSpec {
    return {
        instanceType: pool.instanceType ?? eksDefaults.systemInstanceType,
        amiType: EksAmiType.Standard,
        minNodes: Math.max(pool.minNodes, zoneCount),
        maxNodes: Math.max(pool.maxNodes, zoneCount),
        capacityType: EksCapacityType.OnDemand,
        diskSizeGb: eksDefaults.systemDiskSizeGb,
        labels: { ...systemPoolLabels },
        taints: [],
        maxUnavailable: 1,
        // Cheap nodes: EKS's surge keeps the system pods' capacity during an upgrade.
        updateStrategy: EksUpdateStrategy.Default,
    };
}

/**
 * The GPU pool as a node group: the NVIDIA AMI, the GPU taint, and the GPU model label
 * cluster-autoscaler reads (from the instance family; `gpusPerNode` is the instance type's own).
 */
export function gpuNodeGroupSpec(pool: GpuNodePoolSpec): EksNodeGroupSpec {
    return {
        instanceType: pool.instanceType,
        amiType: EksAmiType.Nvidia,
        minNodes: pool.minNodes,
        maxNodes: pool.maxNodes,
        capacityType: pool.spot ? EksCapacityType.Spot : EksCapacityType.OnDemand,
        diskSizeGb: pool.diskSizeGb,
        labels: { ...gpuPoolLabels, [acceleratorLabelKey]: acceleratorFor(pool.instanceType) },
        taints: [{ ...gpuTaint }],
        ...gpuUpgrade(pool),
    };
}

/**
 * `gpuNodePool.upgrade` as EKS can do it. EKS has no surge count: DEFAULT surges by up to twice the
 * zones (see `EksUpdateStrategy`), up to 6 GPU nodes beyond `maxNodes`, each needing GPU quota (an
 * upgrade fails with NodeCreationFailure without it). So GPU groups always update MINIMAL: up to
 * `maxUnavailable` GPU nodes (at least 1, the API's minimum) are terminated, then replaced; `maxSurge`
 * has no EKS counterpart and is not used (README: GPU quota).
 */
export function gpuUpgrade(pool: GpuNodePoolSpec): Pick<EksNodeGroupSpec, "maxUnavailable" | "updateStrategy"> {
    return {
        maxUnavailable: Math.max(1, pool.upgrade?.maxUnavailable ?? 1),
        updateStrategy: EksUpdateStrategy.Minimal,
    };
}

/**
 * The GPU group's name: the cluster's, the pool's, and the fingerprint of what EKS cannot change in
 * place (terraform-provider-aws node_group.go ForceNew: AMI type, capacity type, instance types). A change to any of them names a new group, created before the old one is deleted; GPU pods
 * select the group by EKS's `eks.amazonaws.com/nodegroup` label, so they roll onto it first.
 */
export function gpuNodeGroupName(clusterName: string, spec: EksNodeGroupSpec): string {
    // The disk is in the launch template (a new template version rolls the group in place).
    const generation = poolGeneration({
        amiType: spec.amiType,
        capacityType: spec.capacityType,
        instanceTypes: [spec.instanceType],
    });
    return `${clusterName}-gpu-${generation}`;
}

/** The desired size to send: the group's current size (what cluster-autoscaler chose) kept within min..max. */
export function desiredSize(spec: EksNodeGroupSpec, current: number | undefined): number {
    return Math.min(spec.maxNodes, Math.max(spec.minNodes, current ?? spec.minNodes));
}

/** Kubernetes taint effect → the EKS API's spelling. */
export function eksTaintEffect(effect: TaintEffect): "NO_SCHEDULE" | "PREFER_NO_SCHEDULE" | "NO_EXECUTE" {
    return ({ NoSchedule: "NO_SCHEDULE", PreferNoSchedule: "PREFER_NO_SCHEDULE", NoExecute: "NO_EXECUTE" } as const)[
        effect
    ];
}

/**
 * The auto-discovery tags EKS itself puts on every managed node group's Auto Scaling group
 * (https://docs.aws.amazon.com/eks/latest/userguide/managed-node-groups.html: "Amazon EKS tags managed
 * node group resources so that they are configured to use the Kubernetes Cluster Autoscaler").
 * Deleting a Tag resource deletes the tag from the group, EKS's included: see `EksNodeGroup.asgTags`.
 */
export function eksOwnedAsgTagKeys(clusterName: string): string[] {
    return ["k8s.io/cluster-autoscaler/enabled", `k8s.io/cluster-autoscaler/${clusterName}`];
}

/**
 * Tags cluster-autoscaler reads on the node group's Auto Scaling group: the two auto-discovery tags
 * (matching the chart's `autoDiscovery.tags`), and node-template labels/taints so it can tell, while the
 * group is at zero nodes, that a pending GPU pod would fit a new node.
 */
export function autoscalerTags(clusterName: string, spec: EksNodeGroupSpec): Record<string, string> {
    const tags: Record<string, string> = {
        "k8s.io/cluster-autoscaler/enabled": "true",
        [`k8s.io/cluster-autoscaler/${clusterName}`]: "owned",
    };
    for (const [key, value] of Object.entries(spec.labels)) {
        tags[`k8s.io/cluster-autoscaler/node-template/label/${key}`] = value;
    }
    for (const taint of spec.taints) {
        tags[`k8s.io/cluster-autoscaler/node-template/taint/${taint.key}`] = `${taint.value}:${taint.effect}`;
    }
    return tags;
}

/**
 * The nodes' launch template: IMDSv2 only with a hop limit of 1 (containers outside the host network
 * cannot reach the node role's credentials), and an encrypted gp3 root volume (`diskSizeGb`; with a
 * launch template the node group may not set a disk size itself). AL2023 AMIs boot from /dev/xvda.
 * EKS cannot add a launch template to a node group created without one: on stacks created before,
 * the node groups are replaced (create, then delete the old one; see the README).
 */
export function nodeLaunchTemplateArgs(spec: EksNodeGroupSpec, tags: Record<string, string>) {
    return {
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
        blockDeviceMappings: [
            {
                deviceName: "/dev/xvda",
                ebs: { volumeSize: spec.diskSizeGb, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
            },
        ],
        tagSpecifications: ["instance", "volume"].map((resourceType) => ({ resourceType, tags })),
        tags,
    };
}

/**
 * The managed node group's arguments for a spec (everything but cluster, role, subnets, launch template).
 * `desiredSize` is the group's current size kept within min..max (see `desiredSize`).
 */
export function nodeGroupArgs(
    spec: EksNodeGroupSpec,
    clusterName: string,
    tags: Record<string, string>,
    desired: pulumi.Input<number> = spec.minNodes,
) {
    return {
        amiType: spec.amiType,
        instanceTypes: [spec.instanceType],
        capacityType: spec.capacityType,
        scalingConfig: { minSize: spec.minNodes, maxSize: spec.maxNodes, desiredSize: desired },
        labels: spec.labels,
        taints: spec.taints.map((t) => ({ key: t.key, value: t.value, effect: eksTaintEffect(t.effect) })),
        updateConfig: { maxUnavailable: spec.maxUnavailable, updateStrategy: spec.updateStrategy },
        // Documents intent on the node group; EKS does not copy node-group tags to the ASG, so
        // EksNodeGroup also tags the ASG itself.
        tags: { ...tags, ...autoscalerTags(clusterName, spec) },
    };
}

export interface EksNodeGroupArgs {
    /** EKS cluster name, as an output of the cluster so the group waits for the control plane. */
    clusterName: pulumi.Input<string>;
    /** Plain cluster name, for autoscaler tag keys (tag keys must be known at preview). */
    clusterNameForTags: string;
    /** What the group is. */
    spec: EksNodeGroupSpec;
    /** IAM role the nodes run as. */
    nodeRoleArn: pulumi.Input<string>;
    /** Private subnets to place nodes in. */
    subnetIds: pulumi.Input<string>[];
    /** Kubernetes minor the nodes run: the control plane's, so an upgrade reaches them. */
    kubernetesVersion: string;
    /** The group's name; absent = generated by Pulumi from the resource name. */
    nodeGroupName?: string;
    /** Tags on the node group. */
    tags?: Record<string, string>;
}

/** Resource options of EksNodeGroup. */
export interface EksNodeGroupOptions extends pulumi.ComponentResourceOptions {
    /**
     * Resources the nodes need before they boot (role policies, NAT egress); the node group waits for
     * them. Unlike `dependsOn`, which would order only the component itself.
     */
    nodeGroupDependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * The current desired size of the pool's Auto Scaling group(s), found by the tags EksNodeGroup puts
 * on them (cluster and pool label); undefined before the group exists. During a blue/green swap the
 * old group is found, so the new one starts at the size the autoscaler had reached.
 */
function currentDesiredSize(
    clusterName: string,
    spec: EksNodeGroupSpec,
    parent: pulumi.Resource,
): pulumi.Output<number | undefined> {
    const poolLabel = Object.entries(spec.labels)[0];
    // aws_autoscaling_groups, named getAmiIds in @pulumi/aws 7 (token aws:autoscaling/getAmiIds:getAmiIds).
    const groups = aws.autoscaling.getAmiIdsOutput(
        {
            filters: [
                { name: `tag:k8s.io/cluster-autoscaler/${clusterName}`, values: ["owned"] },
                { name: `tag:k8s.io/cluster-autoscaler/node-template/label/${poolLabel[0]}`, values: [poolLabel[1]] },
            ],
        },
        { parent },
    );
    return groups.names.apply(async (names: string[] | undefined) => {
        if (!names || names.length === 0) return undefined;
        const sizes = await Promise.all(
            names.map((n: string) => aws.autoscaling.getGroup({ name: n }, { parent }).then((g) => g.desiredCapacity)),
        );
        return Math.max(...sizes);
    });
}

/** An EKS managed node group whose Auto Scaling group is tagged for cluster-autoscaler. */
export class EksNodeGroup extends pulumi.ComponentResource {
    /** IMDSv2 and the encrypted root volume of the group's nodes. */
    readonly launchTemplate: aws.ec2.LaunchTemplate;
    readonly nodeGroup: aws.eks.NodeGroup;
    readonly asgTags: aws.autoscaling.Tag[];

    constructor(name: string, args: EksNodeGroupArgs, opts?: EksNodeGroupOptions) {
        super(
            "torchserve-platform:index:EksNodeGroup",
            name,
            {},
            aliasPreviousType(opts, "torchserve-platform:eks:NodeGroup"),
        );
        this.launchTemplate = new aws.ec2.LaunchTemplate(name, nodeLaunchTemplateArgs(args.spec, args.tags ?? {}), {
            parent: this,
        });

        // cluster-autoscaler moves the desired size; a later `pulumi up` sends the size the group
        // has now (kept within min..max), so it neither resets the autoscaler's choice nor sends a
        // size EKS refuses after min/max change. ignoreChanges would send the stale stored size.
        const current = currentDesiredSize(args.clusterNameForTags, args.spec, this);
        this.nodeGroup = new aws.eks.NodeGroup(
            name,
            {
                clusterName: args.clusterName,
                nodeRoleArn: args.nodeRoleArn,
                subnetIds: args.subnetIds,
                version: args.kubernetesVersion,
                ...(args.nodeGroupName ? { nodeGroupName: args.nodeGroupName } : {}),
                ...nodeGroupArgs(
                    args.spec,
                    args.clusterNameForTags,
                    args.tags ?? {},
                    current.apply((c) => desiredSize(args.spec, c)),
                ),
                // A new template version rolls the group's nodes onto it.
                launchTemplate: {
                    id: this.launchTemplate.id,
                    version: this.launchTemplate.latestVersion.apply(String),
                },
            },
            { parent: this, dependsOn: opts?.nodeGroupDependsOn },
        );
        const asgName = this.nodeGroup.resources.apply((r) => r[0].autoscalingGroups[0].name);
        this.asgTags = Object.entries(autoscalerTags(args.clusterNameForTags, args.spec)).map(
            ([key, value]) =>
                new aws.autoscaling.Tag(
                    `${name}-${key.replace(/^k8s\.io\/cluster-autoscaler\//, "ca-").replace(/[^A-Za-z0-9-]+/g, "-")}`,
                    {
                        autoscalingGroupName: asgName,
                        // Read by cluster-autoscaler on the group, not wanted on instances.
                        tag: { key, value, propagateAtLaunch: false },
                    },
                    // EKS set these two itself: deleting ours (a renamed group, a later version that
                    // drops them) would strip EKS's and hide the group from cluster-autoscaler. The
                    // state keeps retainOnDelete, so a version that stops declaring them leaves them.
                    { parent: this, retainOnDelete: eksOwnedAsgTagKeys(args.clusterNameForTags).includes(key) },
                ),
        );
        this.registerOutputs({ nodeGroupName: this.nodeGroup.nodeGroupName });
    }
}
