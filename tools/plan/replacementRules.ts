// Which input changes do more than update a resource in place, for the resource types this program
// creates. Data only: `npm run plan -- --diff` (diff.ts) flags a change that touches a rule's path.
// Extend it with a row per field, citing where the behaviour is defined (the provider's diff code
// or schema at a pinned commit, or the API's validation); paths are input paths as in plans/*.json,
// `[*]` for any array element.

export type Effect =
    /** The provider deletes and recreates the resource (Pulumi shows `replace`). */
    | "replace"
    /** The provider updates in place and the API refuses: `pulumi up` fails until the object is replaced by hand. */
    | "rejected"
    /** Updated in place, but the cloud recreates every node of the pool. */
    | "recreates-nodes"
    /** Updated in place; the workload's pods are replaced by a rollout. */
    | "rolls-pods";

export interface ReplacementRule {
    /** Type tokens, `*` matching any run of characters (`kubernetes:*`). */
    types: string[];
    /** Input paths; a change inside one (or of a whole object containing one) has the effect. */
    paths: string[];
    effect: Effect;
    /** Only where the effect depends on how the program configures the provider. */
    note?: string;
    /** Where the behaviour is defined. */
    source: string;
}

const k8sDiff = "pulumi/pulumi-kubernetes provider/pkg/provider/diff.go forceNewProperties @94977969d641 (v4.3x)";
const helmDiff = "pulumi/pulumi-kubernetes provider/pkg/provider/helm_release.go Diff forceNewFields @94977969d641";
const tfAwsNodeGroup =
    "hashicorp/terraform-provider-aws internal/service/eks/node_group.go schema ForceNew @012e0a32f068 (bridged by pulumi-aws)";
const tfGoogleNodeConfig =
    "hashicorp/terraform-provider-google google/services/container/node_config.go schemaNodeConfig ForceNew @7fcbe29aa035 (bridged by pulumi-gcp)";
const tfGoogleNodePool =
    "hashicorp/terraform-provider-google google/services/container/resource_container_node_pool.go schema ForceNew @7fcbe29aa035";
const azureNative = "pulumi/pulumi-azure-native provider/pkg/gen/replacement.go forceNewMap @1b7112af33c6";

/** Kubernetes objects (not Helm releases, whose inputs are not an object's). */
const kubernetesObjects = ["kubernetes:*/*:*"];

export const replacementRules: ReplacementRule[] = [
    // Kubernetes, through pulumi-kubernetes.
    {
        types: kubernetesObjects,
        paths: ["metadata.name", "metadata.namespace"],
        effect: "replace",
        source: k8sDiff,
    },
    {
        types: ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:DaemonSet", "kubernetes:apps/v1:StatefulSet"],
        paths: ["spec.selector"],
        effect: "replace",
        source: k8sDiff,
    },
    {
        types: ["kubernetes:apps/v1:StatefulSet"],
        paths: [
            "spec.podManagementPolicy",
            "spec.revisionHistoryLimit",
            "spec.serviceName",
            "spec.volumeClaimTemplates",
        ],
        effect: "replace",
        source: k8sDiff,
    },
    {
        types: ["kubernetes:core/v1:Service"],
        paths: ["spec.clusterIP"],
        effect: "replace",
        source: k8sDiff,
    },
    {
        types: ["kubernetes:core/v1:PersistentVolumeClaim"],
        paths: ["spec.accessModes", "spec.selector", "spec.storageClassName", "spec.volumeName"],
        effect: "replace",
        source: k8sDiff,
    },
    {
        types: ["kubernetes:storage.k8s.io/v1:StorageClass"],
        paths: ["parameters", "provisioner"],
        effect: "replace",
        source: k8sDiff,
    },
    {
        // Not in pulumi-kubernetes' list, so it tries an update, which the API server forbids.
        types: ["kubernetes:storage.k8s.io/v1:StorageClass"],
        paths: ["reclaimPolicy", "volumeBindingMode"],
        effect: "rejected",
        source: "kubernetes/kubernetes pkg/apis/storage/validation/validation.go ValidateStorageClassUpdate",
    },
    {
        types: ["kubernetes:core/v1:ConfigMap"],
        paths: ["data", "binaryData"],
        effect: "replace",
        note: "ConfigMaps are replaced unless the Kubernetes provider sets enableConfigMapMutable (this program's do not)",
        source: k8sDiff,
    },
    {
        types: ["kubernetes:core/v1:Secret"],
        paths: ["type", "data", "stringData"],
        effect: "replace",
        note: "data and stringData only unless the Kubernetes provider sets enableSecretMutable (this program's do not)",
        source: k8sDiff,
    },
    {
        types: [
            "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
            "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
        ],
        paths: ["roleRef"],
        effect: "replace",
        source: k8sDiff,
    },
    {
        types: ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:DaemonSet", "kubernetes:apps/v1:StatefulSet"],
        paths: ["spec.template"],
        effect: "rolls-pods",
        source: "Kubernetes docs, Deployments: a rollout is triggered if and only if the Pod template (.spec.template) changes (https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#updating-a-deployment)",
    },
    {
        types: ["kubernetes:helm.sh/v3:Release"],
        paths: ["name", "namespace"],
        effect: "replace",
        source: helmDiff,
    },
    // EKS managed node groups (pulumi-aws bridges terraform-provider-aws).
    {
        types: ["aws:eks/nodeGroup:NodeGroup"],
        paths: [
            "amiType",
            "capacityType",
            "clusterName",
            "diskSize",
            "instanceTypes",
            "nodeGroupName",
            "nodeGroupNamePrefix",
            "nodeRoleArn",
            "remoteAccess",
            "subnetIds",
            "launchTemplate.id",
            "launchTemplate.name",
        ],
        effect: "replace",
        source: tfAwsNodeGroup,
    },
    {
        types: ["aws:autoscaling/tag:Tag"],
        paths: ["autoscalingGroupName", "tag.key"],
        effect: "replace",
        source: "hashicorp/terraform-provider-aws internal/service/autoscaling/group_tag.go schema ForceNew @050ac11163ca",
    },
    // GKE node pools (pulumi-gcp bridges terraform-provider-google).
    {
        types: ["gcp:container/nodePool:NodePool"],
        paths: [
            "nodeConfig.guestAccelerators",
            "nodeConfig.spot",
            "nodeConfig.preemptible",
            "nodeConfig.serviceAccount",
            "nodeConfig.oauthScopes",
            "nodeConfig.metadata",
            "nodeConfig.minCpuPlatform",
        ],
        effect: "replace",
        source: tfGoogleNodeConfig,
    },
    {
        types: ["gcp:container/nodePool:NodePool"],
        paths: ["project", "cluster", "location", "name", "namePrefix", "initialNodeCount"],
        effect: "replace",
        source: tfGoogleNodePool,
    },
    {
        // Updated in place since the provider's node_config update path (nodePoolNodeConfigUpdate); GKE
        // recreates the pool's nodes with the new shape.
        types: ["gcp:container/nodePool:NodePool"],
        paths: ["nodeConfig.machineType", "nodeConfig.diskSizeGb", "nodeConfig.diskType"],
        effect: "recreates-nodes",
        source: tfGoogleNodeConfig,
    },
    // AKS, through azure-native.
    {
        types: ["azure-native:containerservice:AgentPool"],
        paths: ["vmSize", "gpuInstanceProfile", "networkProfile.nodePublicIPTags"],
        effect: "replace",
        source: azureNative,
    },
    {
        types: ["azure-native:containerservice:ManagedCluster"],
        paths: [
            "diskEncryptionSetID",
            "dnsPrefix",
            "fqdnSubdomain",
            "linuxProfile",
            "location",
            "nodeResourceGroup",
            "windowsProfile",
            "networkProfile.serviceCidr",
            "networkProfile.serviceCidrs",
            "networkProfile.dnsServiceIP",
            "networkProfile.networkMode",
            "networkProfile.networkPlugin",
            "networkProfile.networkPluginMode",
            "networkProfile.podCidr",
            "networkProfile.networkDataplane",
            "networkProfile.networkPolicy",
            "networkProfile.outboundType",
        ],
        effect: "replace",
        source: azureNative,
    },
    {
        types: ["azure-native:resources:ResourceGroup"],
        paths: ["location"],
        effect: "replace",
        source: azureNative,
    },
];
