import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { GpuNodePoolSettings, SystemNodePoolSettings } from "../../stacks/config/settings";
import {
    acceleratorFor,
    acceleratorLabelKey,
    eksDefaults,
    gpuPoolLabels,
    gpuTaint,
    systemPoolLabels,
} from "./defaults";

/** A Kubernetes taint as nodes carry it. */
export interface NodeTaint {
    key: string;
    value: string;
    effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

/** What one managed node group is, independent of the AWS API's spelling. */
export interface NodePoolSpec {
    instanceType: string;
    /**
     * EKS AMI type. GPU nodes use AL2023_x86_64_NVIDIA: the EKS-optimised Amazon Linux 2023 image with the
     * NVIDIA driver and container toolkit, but no device plugin, so the cloud-neutral NVIDIA device plugin
     * chart runs on it exactly as on AKS. Bottlerocket's NVIDIA variant would bundle its own plugin (one
     * more cloud-specific path) and offers no shell for debugging drivers. x86 only: the TorchServe GPU
     * images are linux/amd64.
     */
    amiType: "AL2023_x86_64_STANDARD" | "AL2023_x86_64_NVIDIA";
    minNodes: number;
    maxNodes: number;
    capacityType: "ON_DEMAND" | "SPOT";
    diskSizeGb: number;
    labels: Record<string, string>;
    taints: NodeTaint[];
}

export function systemPoolSpec(pool: SystemNodePoolSettings): NodePoolSpec {
    return {
        instanceType: pool.instanceType ?? eksDefaults.systemInstanceType,
        amiType: "AL2023_x86_64_STANDARD",
        minNodes: pool.minNodes,
        maxNodes: pool.maxNodes,
        capacityType: "ON_DEMAND",
        diskSizeGb: eksDefaults.systemDiskSizeGb,
        labels: { ...systemPoolLabels },
        taints: [],
    };
}

export function gpuPoolSpec(pool: GpuNodePoolSettings): NodePoolSpec {
    return {
        instanceType: pool.instanceType,
        amiType: "AL2023_x86_64_NVIDIA",
        minNodes: pool.minNodes,
        maxNodes: pool.maxNodes,
        capacityType: pool.spot ? "SPOT" : "ON_DEMAND",
        diskSizeGb: pool.diskSizeGb,
        labels: { ...gpuPoolLabels, [acceleratorLabelKey]: acceleratorFor(pool.instanceType, pool.gpuType) },
        taints: [{ ...gpuTaint }],
    };
}

/** Kubernetes taint effect → the EKS API's spelling. */
export function eksTaintEffect(effect: NodeTaint["effect"]): "NO_SCHEDULE" | "PREFER_NO_SCHEDULE" | "NO_EXECUTE" {
    return ({ NoSchedule: "NO_SCHEDULE", PreferNoSchedule: "PREFER_NO_SCHEDULE", NoExecute: "NO_EXECUTE" } as const)[
        effect
    ];
}

/**
 * Tags cluster-autoscaler reads on the node group's Auto Scaling group: the two auto-discovery tags
 * (matching the chart's `autoDiscovery.tags`), and node-template labels/taints so it can tell, while the
 * group is at zero nodes, that a pending GPU pod would fit a new node.
 */
export function autoscalerTags(clusterName: string, spec: NodePoolSpec): Record<string, string> {
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

/** The managed node group's arguments for a spec (everything but cluster, role and subnets). */
export function nodeGroupArgs(spec: NodePoolSpec, clusterName: string, tags: Record<string, string>) {
    return {
        amiType: spec.amiType,
        instanceTypes: [spec.instanceType],
        capacityType: spec.capacityType,
        diskSize: spec.diskSizeGb,
        // desiredSize starts at min; afterwards cluster-autoscaler owns it (see ignoreChanges).
        scalingConfig: { minSize: spec.minNodes, maxSize: spec.maxNodes, desiredSize: spec.minNodes },
        labels: spec.labels,
        taints: spec.taints.map((t) => ({ key: t.key, value: t.value, effect: eksTaintEffect(t.effect) })),
        updateConfig: { maxUnavailable: 1 },
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
    spec: NodePoolSpec;
    /** IAM role the nodes run as. */
    nodeRoleArn: pulumi.Input<string>;
    /** Private subnets to place nodes in. */
    subnetIds: pulumi.Input<string>[];
    /** Tags on the node group. */
    tags?: Record<string, string>;
    /** Resources the nodes need before they boot (role policies, NAT egress). */
    dependsOn?: pulumi.Resource[];
}

/** An EKS managed node group whose Auto Scaling group is tagged for cluster-autoscaler. */
export class EksNodeGroup extends pulumi.ComponentResource {
    readonly nodeGroup: aws.eks.NodeGroup;
    readonly asgTags: aws.autoscaling.Tag[];

    constructor(name: string, args: EksNodeGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("torchserve-platform:eks:NodeGroup", name, {}, opts);
        this.nodeGroup = new aws.eks.NodeGroup(
            name,
            {
                clusterName: args.clusterName,
                nodeRoleArn: args.nodeRoleArn,
                subnetIds: args.subnetIds,
                ...nodeGroupArgs(args.spec, args.clusterNameForTags, args.tags ?? {}),
            },
            {
                parent: this,
                dependsOn: args.dependsOn,
                // cluster-autoscaler changes the desired size; a later `pulumi up` must not reset it.
                ignoreChanges: ["scalingConfig.desiredSize"],
            },
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
                    { parent: this },
                ),
        );
        this.registerOutputs({ nodeGroupName: this.nodeGroup.nodeGroupName });
    }
}
