// What each provider and API does with a change to each input of every resource type the program
// registers: which fields make the provider replace the resource, which fields the provider updates
// in place but the API refuses to change, how the replacement is ordered, and what the day-2 rules
// (checks.ts) need to know about node pools, control planes and managed add-ons. Every entry names
// the source it comes from. The one table for the repository: the plan diff (tools/plan/effects.ts)
// reads it too.
//
// Paths are input paths in Pulumi's spelling (camelCase, `a.b[0]`, `*` for any key or index).
import { parseQuantity } from "../../components/cluster/quantity";
import { poolLabelKey, eksLegacyPoolLabelKey, poolNames } from "../../components/cluster/nodePool";
import { gkeMaintenanceRequirement, maintenanceAvailabilityHours } from "../../components/gke/maintenance";
import { nodeConfigReplaceOn } from "../../components/gke/pools";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import * as yaml from "js-yaml";

/** A field whose change has a consequence, and where that is documented. */
export interface FieldRule {
    path: string;
    source: string;
    /** Only where the consequence depends on how the program configures the provider. */
    note?: string;
}

/** A field the provider would update in place but the API refuses to change (the update fails). */
export interface RefusedField extends FieldRule {
    /** The API's answer. */
    message: string;
    /** Refused only for some changes (e.g. a downgrade); absent = every change. */
    refuses?: (before: unknown, after: unknown) => boolean;
}

/** How the provider orders a replacement when the program sets no `deleteBeforeReplace`. */
export type ReplacementOrder =
    /** pulumi-kubernetes: delete first when the object keeps a name the program chose (provider.go Diff). */
    | "kubernetes"
    /** Never on its own (helm_release.go Diff: `DeleteBeforeReplace: false`). */
    | "create-first"
    /**
     * pulumi-terraform-bridge: delete first when an auto-named field was set explicitly and keeps its
     * value (pkg/tfbridge/provider.go Diff, nameRequiresDeleteBeforeReplace).
     */
    | "bridge-name"
    /**
     * pulumi-azure-native: delete first unless the provider generated a random name for it
     * (provider/pkg/provider/provider.go Diff: `deleteBeforeReplace := len(replaces) > 0`, turned off
     * only by the `__createBeforeDelete` flag Check sets on a random autoname), whether or not the name
     * changes. The program's `deleteBeforeReplace: false` overrides it (the engine prefers the
     * resource option: pulumi/pulumi pkg/resource/deploy/step_generator.go).
     */
    | "azure-native";

/** A node pool as the day-2 rules see it. */
export interface NodePoolView {
    /** Which pool it is, from its labels (GPU pools carry the pool label with value `gpu`). */
    role: "gpu" | "system";
    minNodes: number;
    maxNodes: number;
    /** Nodes the pool has as soon as it exists (before any autoscaling). */
    initialNodes: number;
    /** The Kubernetes version the pool is pinned to; "follows" = the cloud upgrades it with the control plane. */
    version: string | "follows" | undefined;
}

/** A managed add-on (EKS add-ons): its name and the version the program pins. */
export interface AddonView {
    addon: string;
    version: string | undefined;
}

export interface TypeRules {
    /** The provider whose diff semantics apply. */
    provider: "kubernetes" | "helm" | "aws" | "gcp" | "azure-native" | "random" | "eks" | "pulumi";
    /** Input paths whose change makes the provider replace the resource. */
    replaceOn: FieldRule[];
    /** Input paths updated in place that the API refuses to change. */
    refused?: RefusedField[];
    /** Input paths updated in place whose change recreates the resource's nodes (no replacement). */
    recreatesNodes?: FieldRule[];
    /** Input paths updated in place whose change replaces the workload's pods by a rollout. */
    rollsPods?: FieldRule[];
    order: ReplacementOrder;
    /** The input holding the physical name; `autonamed` when Pulumi generates one if it is absent. */
    name?: { path: string; autonamed: boolean };
    /** Constraints a single set of inputs must meet for the API to accept it. */
    validate?: { source: string; check: (inputs: any) => string[] };
    nodePool?: (inputs: any) => NodePoolView | undefined;
    /** The control plane's Kubernetes minor, for control-plane resources. */
    controlPlaneVersion?: (inputs: any) => string | undefined;
    /** Managed add-ons this resource installs, with their pinned versions. */
    addons?: (inputs: any) => AddonView[];
    /**
     * Replacements the provider decides from the inputs as a whole rather than by path (a provider
     * resource's DiffConfig): the inputs that replace it, given the old inputs, the new ones and the
     * paths unknown in the new ones.
     */
    replaces?: (before: any, after: any, unknown: string[]) => FieldRule[];
}

// ---- sources --------------------------------------------------------------------------------

const k8sForceNew =
    "pulumi/pulumi-kubernetes provider/pkg/provider/diff.go@cafe8c4ac4de156415093291bffc63b6e1c97d1e (forceNew)";
const storageValidation = "kubernetes/kubernetes pkg/apis/storage/validation/validation.go ValidateStorageClassUpdate";
const coreValidation =
    "kubernetes/kubernetes pkg/apis/core/validation/validation.go ValidatePersistentVolumeClaimUpdate / ValidatePersistentVolumeUpdate";
const pvValidation =
    "kubernetes/kubernetes pkg/apis/core/validation/validation.go ValidatePersistentVolumeUpdate (volume source, volumeMode and a set nodeAffinity are immutable)";
const helmDiff =
    "pulumi/pulumi-kubernetes provider/pkg/provider/helm_release.go@47f3819e8ff42681e4670ee7a90d0ca4b897202a Diff (forceNewFields .name, .namespace)";
const awsNodeGroup =
    "hashicorp/terraform-provider-aws internal/service/eks/node_group.go@012e0a32f0686212f447447fd3d81c3d0ce256ad (ForceNew)";
const awsSrc = (path: string) => `hashicorp/terraform-provider-aws ${path} (ForceNew)`;
const gcpNodeConfig =
    "hashicorp/terraform-provider-google google/services/container/node_config.go@e03b7622a26c schemaNodeConfig (ForceNew; components/gke/pools.ts nodeConfigReplaceOn)";
const gcpClusterNodeConfig =
    "hashicorp/terraform-provider-google google/services/container/node_config.go@e03b7622a26c schemaNodeConfig (ForceNew on the block and on service_account, oauth_scopes, shielded_instance_config, metadata...); resource_container_cluster.go resourceContainerClusterUpdate updates any other node_config change on `default-pool`, which removeDefaultNodePool deleted";
const gcpSrc = (path: string) => `hashicorp/terraform-provider-google ${path} (ForceNew)`;
const azurePath =
    "pulumi/pulumi-azure-native: a change of a resource-ID path parameter (or location) replaces the resource";
const azureForceNew = "pulumi/pulumi-azure-native provider/pkg/gen/replacement.go forceNewMap @1b7112af33c6";
const gcpNodeConfigNow =
    "hashicorp/terraform-provider-google google/services/container/node_config.go @7fcbe29aa035: machine type and disk update in place (nodePoolNodeConfigUpdate; GKE recreates the nodes)";
const eksVersions =
    "EKS User Guide, Update existing cluster to new Kubernetes version (https://docs.aws.amazon.com/eks/latest/userguide/update-cluster.html): one minor version at a time, no downgrades";
const aksVersions =
    "AKS docs, Upgrade an AKS cluster (https://learn.microsoft.com/azure/aks/upgrade-aks-cluster): minor versions can't be skipped; downgrades aren't supported";
const gkeVersions =
    "GKE docs, Manually upgrading a cluster (https://cloud.google.com/kubernetes-engine/docs/how-to/upgrading-a-cluster): the control plane upgrades one minor version at a time; no minor downgrades";
const gkeMaintenance =
    "GKE docs, Configure maintenance windows (https://cloud.google.com/kubernetes-engine/docs/how-to/maintenance-window): at least 48 hours of availability in a 32-day rolling window, from contiguous windows of at least 4 hours (Error 400)";
const podTemplate =
    "Kubernetes docs, Deployments: a rollout is triggered if and only if the Pod template (.spec.template) changes (https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#updating-a-deployment)";
const eksScaling =
    'EKS API UpdateNodegroupConfig (InvalidParameterException "Minimum capacity 1 can\'t be greater than desired size 0"; terraform-aws-modules/terraform-aws-eks#748, hashicorp/terraform-provider-aws#18310)';

// ---- helpers --------------------------------------------------------------------------------

const fields = (source: string, ...paths: string[]): FieldRule[] => paths.map((path) => ({ path, source }));

/** `1.35` from `1.35`, `v1.35.2-eksbuild.3` or `1.35.1-gke.100`. */
export function minorOf(version: unknown): string | undefined {
    if (typeof version !== "string") return undefined;
    return /^v?(\d+\.\d+)/.exec(version)?.[1];
}
const minorNumber = (v: unknown) => Number(minorOf(v)?.split(".")[1] ?? NaN);

/** Refused: a Kubernetes minor skipped, or a downgrade. */
const versionStep = (path: string, source: string): RefusedField => ({
    path,
    source,
    message: "the control plane moves one Kubernetes minor version up at a time (no skips, no downgrades)",
    refuses: (before, after) => {
        const a = minorNumber(before);
        const b = minorNumber(after);
        return Number.isFinite(a) && Number.isFinite(b) && (b < a || b > a + 1);
    },
});

/** Metadata every Kubernetes object is replaced on (forceNewProperties: .metadata.name, .metadata.namespace). */
const k8sMetadata = fields(k8sForceNew, "metadata.name", "metadata.namespace");
const k8s = (replaceOn: FieldRule[] = [], refused: RefusedField[] = []): TypeRules => ({
    provider: "kubernetes",
    replaceOn: [...k8sMetadata, ...replaceOn],
    refused,
    order: "kubernetes",
    name: { path: "metadata.name", autonamed: true },
});

/** A workload: replaced on `replaceOn`, its pods rolled by a change of the pod template. */
const workload = (replaceOn: FieldRule[]): TypeRules => ({
    ...k8s(replaceOn),
    rollsPods: fields(podTemplate, "spec.template"),
});

/** The same rules, with a note on the provider configuration they depend on. */
const noted = (note: string, list: FieldRule[]): FieldRule[] => list.map((r) => ({ ...r, note }));

const labelOf = (labels: unknown): string | undefined => {
    const l = (labels ?? {}) as Record<string, string>;
    return l[poolLabelKey] ?? l[eksLegacyPoolLabelKey];
};
const roleOf = (label: string | undefined, fallbackName?: unknown): "gpu" | "system" =>
    label === poolNames.gpu || (label === undefined && fallbackName === poolNames.gpu) ? "gpu" : "system";

const k8sDiffConfig =
    "pulumi/pulumi-kubernetes provider/pkg/provider/provider.go@010f5d8e95e3cc9a384442e8239310d51fdc052e DiffConfig";

/** A provider input as recorded: a secret keeps its wire form ({[specialSigKey]: specialSecretSig, value}). */
const revealed = (v: any): unknown => (v?.[specialSigKey] === specialSecretSig ? v.value : v);

/** The cluster entry a kubeconfig's active context points at (context/cluster overrides applied), if found. */
function activeCluster(secretOrKubeconfig: unknown, context: unknown, cluster: unknown): unknown {
    const kubeconfig = revealed(secretOrKubeconfig);
    if (typeof kubeconfig !== "string" || kubeconfig === "") return undefined;
    let config: any;
    try {
        config = yaml.load(kubeconfig);
    } catch {
        return undefined;
    }
    const named = (list: unknown, name: unknown) =>
        Array.isArray(list) ? list.find((e) => e?.name === name) : undefined;
    const ctx = named(config?.contexts, context ?? config?.["current-context"])?.context;
    if (!ctx) return undefined;
    return named(config?.clusters, cluster ?? ctx.cluster)?.cluster;
}

/**
 * pulumi-kubernetes's DiffConfig: with `clusterIdentifier` set, only its change replaces the
 * provider; otherwise an unknown kubeconfig, context or cluster replaces it (it cannot tell the
 * cluster), and so does a change of them that moves the active cluster (the kubeconfig's cluster
 * entry for the context in effect); without a kubeconfig in the inputs (the ambient one) nothing
 * is found and nothing replaces it.
 */
export function kubernetesProviderReplaces(before: any, after: any, unknown: string[]): FieldRule[] {
    const b = before ?? {};
    const a = after ?? {};
    const out = (...paths: string[]) => fields(k8sDiffConfig, ...paths);
    if (b.clusterIdentifier !== undefined && a.clusterIdentifier !== undefined)
        return b.clusterIdentifier === a.clusterIdentifier ? [] : out("clusterIdentifier");
    const unknownKey = ["kubeconfig", "context", "cluster"].find((k) => unknown.includes(k));
    if (unknownKey) return out(unknownKey);
    const oldCluster = activeCluster(b.kubeconfig, b.context, b.cluster);
    const newCluster = activeCluster(a.kubeconfig, a.context, a.cluster);
    if (oldCluster === undefined || newCluster === undefined) return [];
    if (JSON.stringify(oldCluster) === JSON.stringify(newCluster)) return [];
    return out(...["kubeconfig", "context", "cluster"].filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k])));
}

// ---- the table --------------------------------------------------------------------------------

export const rules: Record<string, TypeRules> = {
    // Kubernetes (pulumi-kubernetes replaces on forceNew paths; the API server refuses the rest).
    "kubernetes:core/v1:Namespace": k8s(),
    "kubernetes:core/v1:ConfigMap": k8s(
        // pulumi-kubernetes v4 replaces a ConfigMap on data changes unless enableConfigMapMutable is set.
        noted(
            "ConfigMaps are replaced unless the Kubernetes provider sets enableConfigMapMutable (this program's do not)",
            fields(
                `${k8sForceNew}; forceNewProperties for ConfigMap when !enableConfigMapMutable`,
                "data",
                "binaryData",
            ),
        ),
    ),
    "kubernetes:core/v1:Secret": k8s([
        ...fields(k8sForceNew, "type"),
        ...noted(
            "data and stringData only unless the Kubernetes provider sets enableSecretMutable (this program's do not)",
            fields(`${k8sForceNew}; forceNewProperties for Secret when !enableSecretMutable`, "data", "stringData"),
        ),
    ]),
    "kubernetes:core/v1:Service": k8s(fields(k8sForceNew, "spec.clusterIP")),
    "kubernetes:core/v1:PersistentVolumeClaim": k8s(
        fields(k8sForceNew, "spec.accessModes", "spec.selector", "spec.storageClassName", "spec.volumeName"),
        [
            {
                path: "spec.resources.requests.storage",
                source: coreValidation,
                message: "spec.resources.requests.storage: field can not be less than previous value",
                refuses: (before, after) => quantityBytes(after) < quantityBytes(before),
            },
            {
                path: "spec.volumeMode",
                source: coreValidation,
                message: "spec is immutable after creation except resources.requests and volumeAttributesClassName",
            },
        ],
    ),
    // pulumi-kubernetes replaces a volume on a change of its source (diff.go forceNew for core/v1
    // PersistentVolume: every volume source); the API server refuses volumeMode and a set nodeAffinity
    // (ValidatePersistentVolumeUpdate) and checks nothing else on update: capacity, storageClassName,
    // the reclaim policy and mount options change in place.
    "kubernetes:core/v1:PersistentVolume": k8s(
        fields(
            k8sForceNew,
            ...[
                "awsElasticBlockStore",
                "azureDisk",
                "azureFile",
                "cephfs",
                "cinder",
                "csi",
                "fc",
                "flexVolume",
                "flocker",
                "gcePersistentDisk",
                "glusterfs",
                "hostPath",
                "iscsi",
                "local",
                "nfs",
                "photonPersistentDisk",
                "portworxVolume",
                "quobyte",
                "rbd",
                "scaleIO",
                "storageos",
                "vsphereVolume",
            ].map((source) => `spec.${source}`),
        ),
        [
            {
                path: "spec.volumeMode",
                source: pvValidation,
                message: "spec.volumeMode: Invalid value: field is immutable",
            },
            {
                path: "spec.nodeAffinity",
                source: pvValidation,
                message: "spec.nodeAffinity: Invalid value: field is immutable",
                // Setting an affinity the volume did not have is allowed.
                refuses: (before) => before !== undefined,
            },
        ],
    ),
    "kubernetes:storage.k8s.io/v1:StorageClass": k8s(fields(k8sForceNew, "parameters", "provisioner"), [
        {
            path: "reclaimPolicy",
            source: storageValidation,
            message: "reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.",
        },
        {
            path: "volumeBindingMode",
            source: storageValidation,
            message: "volumeBindingMode: Invalid value: field is immutable",
        },
    ]),
    "kubernetes:apps/v1:Deployment": workload(fields(k8sForceNew, "spec.selector")),
    "kubernetes:apps/v1:DaemonSet": workload(fields(k8sForceNew, "spec.selector")),
    "kubernetes:apps/v1:StatefulSet": workload(
        fields(
            k8sForceNew,
            "spec.selector",
            "spec.serviceName",
            "spec.volumeClaimTemplates",
            "spec.podManagementPolicy",
            "spec.revisionHistoryLimit",
        ),
    ),
    // policy/v1 PodDisruptionBudget is mutable (forceNew lists only policy/v1beta1's .spec).
    "kubernetes:policy/v1:PodDisruptionBudget": k8s(),
    "kubernetes:networking.k8s.io/v1:NetworkPolicy": k8s(),
    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": k8s(),
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": k8s(fields(k8sForceNew, "roleRef")),
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding": k8s(fields(k8sForceNew, "roleRef")),
    // Custom resources: their CRDs (test/data/chart-values, the vendored charts) declare no immutable fields.
    "kubernetes:monitoring.coreos.com/v1:PodMonitor": k8s(),
    "kubernetes:monitoring.coreos.com/v1:ServiceMonitor": k8s(),
    "kubernetes:monitoring.coreos.com/v1:PrometheusRule": k8s(),
    "kubernetes:keda.sh/v1alpha1:ScaledObject": k8s(),
    "kubernetes:networking.istio.io/v1:Gateway": k8s(),
    "kubernetes:networking.istio.io/v1:VirtualService": k8s(),
    "kubernetes:networking.istio.io/v1:DestinationRule": k8s(),
    "kubernetes:security.istio.io/v1:PeerAuthentication": k8s(),
    "kubernetes:security.istio.io/v1:RequestAuthentication": k8s(),
    "kubernetes:security.istio.io/v1:AuthorizationPolicy": k8s(),
    "kubernetes:helm.sh/v3:Release": {
        provider: "helm",
        replaceOn: fields(helmDiff, "name", "namespace"),
        order: "create-first",
        // A release named by the program: a create-first replacement collides with the old release.
        name: { path: "name", autonamed: true },
    },
    "kubernetes:core/v1:ServiceAccount": k8s(),
    // Replaced when the active cluster changes or cannot be known (kubernetesProviderReplaces); the
    // engine then replaces every object the provider manages (plan.ts, providerCascade).
    "pulumi:providers:kubernetes": {
        provider: "pulumi",
        replaceOn: [],
        order: "create-first",
        replaces: kubernetesProviderReplaces,
    },

    // AWS (pulumi-aws bridges terraform-provider-aws: ForceNew → replace).
    "aws:eks/nodeGroup:NodeGroup": {
        provider: "aws",
        replaceOn: fields(
            awsNodeGroup,
            "amiType",
            "capacityType",
            "clusterName",
            "diskSize",
            "instanceTypes",
            "launchTemplate.id",
            "launchTemplate.name",
            "nodeGroupName",
            "nodeGroupNamePrefix",
            "nodeRoleArn",
            "remoteAccess",
            "subnetIds",
        ),
        order: "bridge-name",
        name: { path: "nodeGroupName", autonamed: true },
        validate: {
            source: eksScaling,
            check: (i) => {
                const s = i.scalingConfig ?? {};
                const out: string[] = [];
                if (s.desiredSize < s.minSize)
                    out.push(`Minimum capacity ${s.minSize} can't be greater than desired size ${s.desiredSize}`);
                if (s.desiredSize > s.maxSize)
                    out.push(`Desired capacity ${s.desiredSize} can't be greater than max size ${s.maxSize}`);
                if (s.maxSize < 1) out.push(`maxSize ${s.maxSize} must be at least 1`);
                return out;
            },
        },
        nodePool: (i) => ({
            role: roleOf(labelOf(i.labels)),
            minNodes: i.scalingConfig?.minSize ?? 0,
            maxNodes: i.scalingConfig?.maxSize ?? 0,
            initialNodes: i.scalingConfig?.desiredSize ?? 0,
            version: i.version,
        }),
    },
    "aws:eks/addon:Addon": {
        provider: "aws",
        replaceOn: fields(awsSrc("internal/service/eks/addon.go"), "addonName", "clusterName"),
        order: "create-first",
        addons: (i) => [{ addon: i.addonName, version: i.addonVersion }],
    },
    "aws:efs/fileSystem:FileSystem": {
        provider: "aws",
        replaceOn: fields(
            awsSrc("internal/service/efs/file_system.go"),
            "availabilityZoneName",
            "creationToken",
            "encrypted",
            "kmsKeyId",
            "performanceMode",
        ),
        order: "bridge-name",
    },
    "aws:efs/mountTarget:MountTarget": {
        provider: "aws",
        replaceOn: fields(awsSrc("internal/service/efs/mount_target.go"), "fileSystemId", "subnetId", "ipAddress"),
        order: "create-first",
    },
    "aws:efs/accessPoint:AccessPoint": {
        provider: "aws",
        replaceOn: fields(awsSrc("internal/service/efs/access_point.go"), "fileSystemId", "posixUser", "rootDirectory"),
        order: "create-first",
    },
    "aws:ec2/launchTemplate:LaunchTemplate": {
        // Other changes make a new template version, which node groups roll onto.
        provider: "aws",
        replaceOn: fields(awsSrc("internal/service/ec2/ec2_launch_template.go"), "name", "namePrefix"),
        order: "bridge-name",
        name: { path: "name", autonamed: true },
    },
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": {
        provider: "aws",
        replaceOn: fields(
            "hashicorp/terraform-provider-aws internal/service/eks/pod_identity_association.go (RequiresReplace)",
            "clusterName",
            "namespace",
            "serviceAccount",
        ),
        order: "create-first",
    },
    "aws:cloudwatch/logGroup:LogGroup": {
        provider: "aws",
        replaceOn: fields(awsSrc("internal/service/logs/group.go"), "name", "namePrefix", "logGroupClass"),
        order: "bridge-name",
        name: { path: "name", autonamed: true },
    },
    "aws:ec2/vpc:Vpc": {
        provider: "aws",
        replaceOn: fields(awsSrc("internal/service/ec2/vpc_.go"), "cidrBlock", "ipv4IpamPoolId"),
        order: "create-first",
    },
    "aws:ec2/subnet:Subnet": {
        provider: "aws",
        replaceOn: fields(
            awsSrc("internal/service/ec2/vpc_subnet.go"),
            "vpcId",
            "cidrBlock",
            "availabilityZone",
            "availabilityZoneId",
        ),
        order: "create-first",
    },
    "aws:ec2/internetGateway:InternetGateway": { provider: "aws", replaceOn: [], order: "create-first" },
    "aws:ec2/eip:Eip": {
        provider: "aws",
        replaceOn: fields(awsSrc("internal/service/ec2/ec2_eip.go"), "domain", "networkBorderGroup", "publicIpv4Pool"),
        order: "create-first",
    },
    "aws:ec2/natGateway:NatGateway": {
        provider: "aws",
        replaceOn: fields(
            awsSrc("internal/service/ec2/vpc_nat_gateway.go"),
            "allocationId",
            "subnetId",
            "connectivityType",
        ),
        order: "create-first",
    },
    "aws:ec2/vpcEndpoint:VpcEndpoint": {
        provider: "aws",
        replaceOn: fields(awsSrc("internal/service/ec2/vpc_endpoint.go"), "vpcId", "serviceName", "vpcEndpointType"),
        order: "create-first",
    },
    "aws:ebs/volume:Volume": {
        provider: "aws",
        replaceOn: fields(
            awsSrc("internal/service/ec2/ebs_volume.go"),
            "availabilityZone",
            "encrypted",
            "kmsKeyId",
            "snapshotId",
            "outpostArn",
        ),
        refused: [
            {
                path: "size",
                source: "EC2 API ModifyVolume (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVolume.html): the new size must be at least the current one",
                message: "an EBS volume can only grow",
                refuses: (before, after) => Number(after) < Number(before),
            },
        ],
        order: "create-first",
    },
    "aws:ec2/routeTable:RouteTable": {
        provider: "aws",
        replaceOn: fields(awsSrc("internal/service/ec2/vpc_route_table.go"), "vpcId"),
        order: "create-first",
    },
    "aws:ec2/routeTableAssociation:RouteTableAssociation": {
        provider: "aws",
        replaceOn: fields(awsSrc("internal/service/ec2/vpc_route_table_association.go"), "subnetId", "gatewayId"),
        order: "create-first",
    },
    "aws:ec2/securityGroup:SecurityGroup": {
        provider: "aws",
        replaceOn: fields(
            awsSrc("internal/service/ec2/vpc_security_group.go"),
            "name",
            "namePrefix",
            "description",
            "vpcId",
        ),
        order: "bridge-name",
        name: { path: "name", autonamed: true },
    },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {
        provider: "aws",
        replaceOn: fields(
            "hashicorp/terraform-provider-aws internal/service/ec2/vpc_security_group_ingress_rule.go (RequiresReplace)",
            "securityGroupId",
        ),
        order: "create-first",
    },
    "aws:iam/role:Role": {
        provider: "aws",
        replaceOn: fields(awsSrc("internal/service/iam/role.go"), "name", "namePrefix", "path"),
        order: "bridge-name",
        name: { path: "name", autonamed: true },
    },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
        provider: "aws",
        replaceOn: fields(awsSrc("internal/service/iam/role_policy_attachment.go"), "role", "policyArn"),
        order: "create-first",
    },
    "aws:iam/rolePolicy:RolePolicy": {
        provider: "aws",
        replaceOn: fields(awsSrc("internal/service/iam/role_policy.go"), "name", "namePrefix", "role"),
        order: "bridge-name",
        name: { path: "name", autonamed: true },
    },
    "aws:autoscaling/tag:Tag": {
        provider: "aws",
        // tag.value and propagateAtLaunch are updated in place.
        replaceOn: fields(
            "hashicorp/terraform-provider-aws internal/service/autoscaling/group_tag.go@050ac11163ca (ForceNew)",
            "autoscalingGroupName",
            "tag.key",
        ),
        order: "create-first",
    },
    // pulumi-eks's Cluster is a multi-language component: its children are invisible under mocks, so
    // its inputs are read for what its children (aws.eks.Cluster, the EKS add-ons) would do.
    "eks:index:Cluster": {
        provider: "eks",
        replaceOn: fields(awsSrc("internal/service/eks/cluster.go (name → aws.eks.Cluster)"), "name"),
        refused: [versionStep("version", eksVersions)],
        order: "create-first",
        controlPlaneVersion: (i) => minorOf(i.version),
        addons: (i) => [
            // pulumi-eks installs vpc-cni and kube-proxy as EKS add-ons; CoreDNS only when managed by it.
            { addon: "vpc-cni", version: i.vpcCniOptions?.addonVersion },
            { addon: "kube-proxy", version: i.kubeProxyAddonOptions?.version },
            ...(i.corednsAddonOptions?.enabled === false
                ? []
                : [{ addon: "coredns", version: i.corednsAddonOptions?.version }]),
        ],
    },

    // Azure (pulumi-azure-native: resource-ID path parameters and location replace; the AKS API
    // refuses create-only properties on update).
    "azure-native:resources:ResourceGroup": {
        provider: "azure-native",
        replaceOn: fields(azurePath, "resourceGroupName", "location"),
        order: "azure-native",
        name: { path: "resourceGroupName", autonamed: true },
    },
    "azure-native:containerservice:ManagedCluster": {
        provider: "azure-native",
        replaceOn: [
            ...fields(azurePath, "resourceGroupName", "resourceName", "location"),
            ...fields(
                azureForceNew,
                "diskEncryptionSetID",
                "dnsPrefix",
                "fqdnSubdomain",
                "linuxProfile",
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
            ),
        ],
        refused: [
            versionStep("kubernetesVersion", aksVersions),
            {
                path: "agentPoolProfiles[*].vmSize",
                source: "AKS docs, Resize node pools (https://learn.microsoft.com/azure/aks/resize-node-pool): a pool's VM size can't change; add a pool",
                message: "Changing property 'vmSize' is not allowed",
            },
        ],
        order: "azure-native",
        name: { path: "resourceName", autonamed: true },
        controlPlaneVersion: (i) => minorOf(i.kubernetesVersion),
    },
    "azure-native:containerservice:AgentPool": {
        provider: "azure-native",
        replaceOn: [
            ...fields(azurePath, "resourceGroupName", "resourceName", "agentPoolName"),
            ...fields(azureForceNew, "vmSize", "gpuInstanceProfile", "networkProfile.nodePublicIPTags"),
        ],
        refused: [
            ...[
                ["osType", "https://learn.microsoft.com/rest/api/aks/agent-pools/create-or-update"],
                ["osDiskSizeGB", "https://learn.microsoft.com/azure/aks/resize-node-pool"],
                ["scaleSetPriority", "https://learn.microsoft.com/azure/aks/spot-node-pool"],
                ["scaleSetEvictionPolicy", "https://learn.microsoft.com/azure/aks/spot-node-pool"],
            ].map(([path, doc]): RefusedField => ({
                path,
                source: `AKS agent pool API, create-only (${doc})`,
                message: `Changing property '${path}' is not allowed`,
            })),
            {
                path: "orchestratorVersion",
                source: aksVersions,
                message: "a node pool moves one minor up at a time and never past the control plane",
                refuses: (before, after) =>
                    minorNumber(after) < minorNumber(before) || minorNumber(after) > minorNumber(before) + 1,
            },
        ],
        order: "azure-native",
        name: { path: "agentPoolName", autonamed: false },
        validate: {
            source: 'AKS agent pool API: "Spot pools can\'t set max surge" / "Spot pools can\'t set maxUnavailable" (hashicorp/terraform-provider-azurerm#19355, #31129)',
            check: (i) =>
                i.scaleSetPriority === "Spot"
                    ? ["maxSurge", "maxUnavailable"]
                          .filter((k) => i.upgradeSettings?.[k] !== undefined)
                          .map((k) => `a Spot pool sets upgradeSettings.${k}`)
                    : [],
        },
        // With the autoscaler on, AKS accepts minCount/maxCount whatever the current count
        // (Azure/AKS#1758, Azure/azure-cli-extensions#1606): no constraint on the kept `count`.
        nodePool: (i) => ({
            role: roleOf(labelOf(i.nodeLabels), i.agentPoolName),
            minNodes: i.minCount ?? i.count ?? 0,
            maxNodes: i.maxCount ?? i.count ?? 0,
            initialNodes: i.count ?? 0,
            version: i.orchestratorVersion,
        }),
    },

    "azure-native:authorization:RoleAssignment": {
        provider: "azure-native",
        replaceOn: [
            ...fields(azurePath, "scope", "roleAssignmentName"),
            // forceNewMap Authorization.RoleAssignment: principalId and scope (a new principal is a new assignment).
            ...fields(azureForceNew, "principalId", "scope"),
        ],
        refused: ["roleDefinitionId", "principalType"].map((path): RefusedField => ({
            path,
            source: "Azure RBAC: role assignments are immutable (RoleAssignmentUpdateNotPermitted; https://learn.microsoft.com/azure/role-based-access-control/troubleshooting)",
            message: "RoleAssignmentUpdateNotPermitted: the role and principal of an assignment cannot change",
        })),
        order: "azure-native",
        name: { path: "roleAssignmentName", autonamed: true },
    },
    "azure-native:operationalinsights:Workspace": {
        provider: "azure-native",
        replaceOn: fields(azurePath, "resourceGroupName", "workspaceName", "location"),
        order: "azure-native",
        name: { path: "workspaceName", autonamed: true },
    },
    "azure-native:monitor:DataCollectionRule": {
        provider: "azure-native",
        replaceOn: fields(azurePath, "resourceGroupName", "dataCollectionRuleName", "location"),
        order: "azure-native",
        name: { path: "dataCollectionRuleName", autonamed: true },
    },
    "azure-native:monitor:DataCollectionRuleAssociation": {
        provider: "azure-native",
        replaceOn: fields(azurePath, "resourceUri", "associationName"),
        order: "azure-native",
        name: { path: "associationName", autonamed: true },
    },
    "azure-native:monitor:DiagnosticSetting": {
        provider: "azure-native",
        replaceOn: fields(azurePath, "resourceUri", "name"),
        order: "azure-native",
        name: { path: "name", autonamed: true },
    },
    "azure-native:containerservice:MaintenanceConfiguration": {
        provider: "azure-native",
        replaceOn: fields(azurePath, "resourceGroupName", "resourceName", "configName"),
        order: "azure-native",
        name: { path: "configName", autonamed: false },
    },

    // Google Cloud (pulumi-gcp bridges terraform-provider-google).
    "gcp:compute/network:Network": {
        provider: "gcp",
        replaceOn: fields(
            gcpSrc("google/services/compute/resource_compute_network.go"),
            "name",
            "project",
            "autoCreateSubnetworks",
        ),
        order: "bridge-name",
        name: { path: "name", autonamed: true },
    },
    "gcp:compute/subnetwork:Subnetwork": {
        provider: "gcp",
        replaceOn: fields(
            gcpSrc("google/services/compute/resource_compute_subnetwork.go"),
            "name",
            "project",
            "region",
            "network",
        ),
        refused: [
            {
                path: "ipCidrRange",
                source: "Compute Engine API subnetworks.expandIpCidrRange: a subnet's primary range can only grow",
                message: "the primary IP range of a subnet can only be expanded",
            },
        ],
        order: "bridge-name",
        name: { path: "name", autonamed: true },
    },
    "gcp:compute/router:Router": {
        provider: "gcp",
        replaceOn: fields(
            gcpSrc("google/services/compute/resource_compute_router.go"),
            "name",
            "project",
            "region",
            "network",
        ),
        order: "bridge-name",
        name: { path: "name", autonamed: true },
    },
    "gcp:compute/routerNat:RouterNat": {
        provider: "gcp",
        replaceOn: fields(
            gcpSrc("google/services/compute/resource_compute_router_nat.go"),
            "name",
            "project",
            "region",
            "router",
        ),
        order: "bridge-name",
        name: { path: "name", autonamed: true },
    },
    "gcp:compute/firewall:Firewall": {
        provider: "gcp",
        replaceOn: fields(
            gcpSrc("google/services/compute/resource_compute_firewall.go@e03b7622a26c"),
            "name",
            "project",
            "direction",
            "params",
        ),
        order: "bridge-name",
        name: { path: "name", autonamed: true },
    },
    "gcp:projects/iAMMember:IAMMember": {
        provider: "gcp",
        replaceOn: fields(
            gcpSrc(
                "google/services/resourcemanager/iam_project.go@1babe97f1e921e124bb5e83e703d3d9a0c3d0892 IamProjectSchema (project) and google/tpgiamresource/resource_iam_member.go @0262be693c00 (role, member, condition; no Update)",
            ),
            "project",
            "role",
            "member",
            "condition",
        ),
        order: "create-first",
    },
    // IAM members have no Update: IamMemberBaseSchema's role, member and condition are ForceNew, and
    // so must the parent's field be (tpgiamresource/resource_iam_member.go @0262be693c00, ResourceIamMember).
    "gcp:storage/bucketIAMMember:BucketIAMMember": {
        provider: "gcp",
        replaceOn: fields(
            gcpSrc("google/tpgiamresource/resource_iam_member.go @0262be693c00 (no Update; every argument)"),
            "bucket",
            "role",
            "member",
            "condition",
        ),
        order: "create-first",
    },
    "gcp:serviceaccount/iAMMember:IAMMember": {
        provider: "gcp",
        replaceOn: fields(
            gcpSrc("google/tpgiamresource/resource_iam_member.go @0262be693c00 (no Update; every argument)"),
            "serviceAccountId",
            "role",
            "member",
            "condition",
        ),
        order: "create-first",
    },
    "gcp:serviceaccount/account:Account": {
        provider: "gcp",
        replaceOn: fields(
            gcpSrc("google/services/resourcemanager/resource_google_service_account.go"),
            "accountId",
            "project",
        ),
        order: "create-first",
    },
    "gcp:container/cluster:Cluster": {
        provider: "gcp",
        replaceOn: [
            ...fields(
                gcpSrc("google/services/container/resource_container_cluster.go"),
                "name",
                "location",
                "project",
                "network",
                "subnetwork",
                "networkingMode",
                "ipAllocationPolicy",
            ),
            // Adding it to a cluster created without it counts: the block itself is ForceNew.
            ...fields(gcpClusterNodeConfig, "nodeConfig"),
        ],
        refused: [versionStep("minMasterVersion", gkeVersions)],
        order: "bridge-name",
        name: { path: "name", autonamed: true },
        controlPlaneVersion: (i) => minorOf(i.minMasterVersion),
        validate: {
            source: gkeMaintenance,
            check: (i) => {
                const w = i.maintenancePolicy?.recurringWindow;
                const hours = w && maintenanceAvailabilityHours(w);
                const { hours: needed, days } = gkeMaintenanceRequirement;
                return hours !== undefined && hours < needed
                    ? [
                          `maintenance policy would go longer than ${days}d without ${needed}h maintenance availability (${hours}h)`,
                      ]
                    : [];
            },
        },
    },
    "gcp:container/nodePool:NodePool": {
        provider: "gcp",
        replaceOn: [
            ...fields(
                gcpSrc(
                    "google/services/container/resource_container_node_pool.go@8da4e91560e76da82f5cb52bc4c4d16dcd034bf8",
                ),
                "name",
                "namePrefix",
                "cluster",
                "location",
                "project",
                "initialNodeCount",
            ),
            ...fields(
                gcpSrc("google/services/container/resource_container_node_pool.go@e03b7622a26c schemaNodePool"),
                "placementPolicy",
                "queuedProvisioning",
                "maxPodsPerNode",
                "networkConfig.createPodRange",
                "networkConfig.podRange",
                "networkConfig.podIpv4CidrBlock",
                "networkConfig.subnetwork",
                "networkConfig.additionalNodeNetworkConfigs",
                "networkConfig.additionalPodNetworkConfigs",
                "networkConfig.podCidrOverprovisionConfig",
                "networkConfig.acceleratorNetworkProfile",
            ),
            ...fields(gcpNodeConfig, ...nodeConfigReplaceOn.map((p) => `nodeConfig.${p}`)),
        ],
        recreatesNodes: fields(
            gcpNodeConfigNow,
            "nodeConfig.machineType",
            "nodeConfig.diskType",
            "nodeConfig.diskSizeGb",
        ),
        order: "bridge-name",
        name: { path: "name", autonamed: true },
        nodePool: (i) => {
            const zones = Array.isArray(i.nodeLocations) ? i.nodeLocations.length : 3;
            return {
                role: roleOf(labelOf(i.nodeConfig?.labels), i.name),
                minNodes: i.autoscaling?.totalMinNodeCount ?? 0,
                maxNodes: i.autoscaling?.totalMaxNodeCount ?? 0,
                // initialNodeCount is per zone of the pool.
                initialNodes: (i.initialNodeCount ?? 0) * zones,
                // Auto-upgrade under a release channel keeps nodes on the control plane's minor
                // (https://cloud.google.com/kubernetes-engine/docs/concepts/node-auto-upgrades).
                version: i.version ?? (i.management?.autoUpgrade ? "follows" : undefined),
            };
        },
    },
    "gcp:compute/disk:Disk": {
        provider: "gcp",
        replaceOn: fields(
            gcpSrc("google/services/compute/resource_compute_disk.go"),
            "name",
            "project",
            "zone",
            "type",
            "image",
            "snapshot",
        ),
        refused: [
            {
                path: "size",
                source: "Compute Engine docs, Resize a persistent disk (https://cloud.google.com/compute/docs/disks/resize-persistent-disk): a disk can only grow",
                message: "a persistent disk can only grow",
                refuses: (before, after) => Number(after) < Number(before),
            },
        ],
        order: "bridge-name",
        name: { path: "name", autonamed: true },
    },
    "gcp:filestore/instance:Instance": {
        provider: "gcp",
        replaceOn: fields(
            gcpSrc("google/services/filestore/resource_filestore_instance.go@01fd07ad86985e682ab59a9ef195742303af42c0"),
            "project",
            "location",
            "zone",
            "tier",
            "networks",
            "kmsKeyName",
            "fileShares.name",
        ),
        refused: [
            {
                // `name` has no ForceNew: the provider updates in place, and its PATCH goes to
                // instances/<new name>, which does not exist.
                path: "name",
                source: "hashicorp/terraform-provider-google google/services/filestore/resource_filestore_instance.go@01fd07ad86985e682ab59a9ef195742303af42c0 (name without ForceNew; Update PATCHes projects/{{project}}/locations/{{location}}/instances/{{name}})",
                message: "404 Not Found: an instance cannot be renamed (the update addresses the new name)",
            },
            {
                path: "fileShares.capacityGb",
                source: "Filestore docs, Edit instances (https://cloud.google.com/filestore/docs/edit-instances): basic tiers can't shrink",
                message: "capacity of a basic-tier instance can only grow",
                refuses: (before, after) => Number(after) < Number(before),
            },
        ],
        order: "bridge-name",
        name: { path: "name", autonamed: true },
    },
    "gcp:projects/service:Service": {
        provider: "gcp",
        replaceOn: fields(
            gcpSrc("google/services/resourcemanager/resource_google_project_service.go"),
            "service",
            "project",
        ),
        order: "create-first",
    },

    // random: every argument of a random value forces a new one (terraform-provider-random resource_password.go, RequiresReplace).
    "random:index/randomPassword:RandomPassword": {
        provider: "random",
        replaceOn: fields(
            "hashicorp/terraform-provider-random internal/provider/resource_password.go (RequiresReplace on every attribute)",
            "*",
        ),
        order: "create-first",
    },
};

/** Bytes of a Kubernetes quantity such as `10Gi` (NaN when not one). */
function quantityBytes(q: unknown): number {
    return parseQuantity(String(q)) ?? NaN;
}

/** The rules of a type; our own components and the stack carry no inputs and have none. */
export function rulesFor(type: string): TypeRules | undefined {
    return rules[type];
}

/** Whether a registration is one of this program's components (or the stack): nothing to diff. */
export function isLocalComponent(type: string): boolean {
    return type === "pulumi:pulumi:Stack" || type.startsWith("torchserve-platform:");
}

/**
 * What a CSI driver creates outside Pulumi for a dynamically provisioned volume, and what that
 * means for a teardown: `blocks` = a Pulumi resource whose deletion fails while it exists;
 * `deletedWith` = a Pulumi resource whose deletion removes it too.
 */
export interface DynamicVolume {
    backing: string;
    blocks?: string;
    deletedWith?: string;
    source: string;
}

/**
 * CSI drivers that mount a bucket the user already has (static provisioning only, as the bucket
 * model store uses them): a PersistentVolume of theirs is backed by nothing the program creates, and
 * deleting it deletes no data. By driver name, with the source that says so.
 */
export const bucketMountDrivers: Record<string, string> = {
    "s3.csi.aws.com":
        "awslabs/mountpoint-s3-csi-driver docs/CONFIGURATION.md: the driver supports only static provisioning of an existing bucket",
    "gcsfuse.csi.storage.gke.io":
        "GoogleCloudPlatform/gcs-fuse-csi-driver examples/static: a PV names an existing bucket (volumeHandle); the driver never creates or deletes buckets",
    "blob.csi.azure.com":
        "kubernetes-sigs/blob-csi-driver docs/workload-identity-static-pv-mount.md: a static PV names an existing account and container (Retain: the driver deletes nothing)",
};

export const dynamicVolumes: Record<string, DynamicVolume> = {
    "efs.csi.aws.com": {
        backing: "an EFS access point",
        blocks: "aws:efs/fileSystem:FileSystem",
        source: "kubernetes-sigs/aws-efs-csi-driver docs/README.md (efs-ap provisioning: the controller creates an access point per volume and deletes it with the PV, after the claim is gone)",
    },
    "filestore.csi.storage.gke.io": {
        backing: "a Filestore instance peered with the cluster's VPC",
        blocks: "gcp:compute/network:Network",
        source: "GKE docs, Filestore CSI driver (https://cloud.google.com/filestore/docs/csi-driver): an instance per volume, deleted by the driver after the claim; a network with a peering cannot be deleted",
    },
    "file.csi.azure.com": {
        backing: "an Azure Files share",
        deletedWith: "azure-native:containerservice:ManagedCluster",
        source: "AKS docs, Azure Files CSI (https://learn.microsoft.com/azure/aks/azure-csi-files-storage-provision): shares live in the node resource group, deleted with the cluster",
    },
    "disk.csi.azure.com": {
        backing: "an Azure managed disk",
        deletedWith: "azure-native:containerservice:ManagedCluster",
        source: "AKS docs, node resource group (https://learn.microsoft.com/azure/aks/node-resource-group)",
    },
    "ebs.csi.aws.com": {
        backing: "an EBS volume",
        source: "kubernetes-sigs/aws-ebs-csi-driver (dynamic provisioning)",
    },
    "pd.csi.storage.gke.io": {
        backing: "a Compute Engine persistent disk",
        source: "GKE docs, persistent volumes (https://cloud.google.com/kubernetes-engine/docs/concepts/persistent-volumes)",
    },
};

/**
 * Pulumi-owned resources whose existence blocks another's deletion: the engine deletes dependents
 * first, so each must depend (directly or through others) on what it blocks.
 */
export const blocksDeletionOf: Record<string, { blocks: string; source: string }> = {
    "gcp:filestore/instance:Instance": {
        blocks: "gcp:compute/network:Network",
        source: "Filestore peers with the VPC; a network with a peering cannot be deleted (https://cloud.google.com/filestore/docs/creating-instances)",
    },
    "aws:efs/accessPoint:AccessPoint": {
        blocks: "aws:efs/fileSystem:FileSystem",
        source: "an EFS file system is deleted only once nothing uses it (https://docs.aws.amazon.com/efs/latest/ug/delete-efs-fs.html)",
    },
    "aws:efs/mountTarget:MountTarget": {
        blocks: "aws:efs/fileSystem:FileSystem",
        source: "DeleteFileSystem fails while mount targets exist (https://docs.aws.amazon.com/efs/latest/ug/API_DeleteFileSystem.html)",
    },
};

/**
 * Charts whose StatefulSets claim volumes through a template configured under a values key other
 * than `volumeClaimTemplate` (found generically): the claims outlive `helm uninstall` unless the
 * chart sets `persistentVolumeClaimRetentionPolicy.whenDeleted: Delete`.
 */
export interface ChartClaimTemplate {
    /** Values path of the persistence block; the template exists when `<path>.enabled` is true. */
    path: string;
    /** Values path of the switch that adds a Delete retention policy, when the chart has one. */
    autoDelete?: string;
    source: string;
}

export const chartClaimTemplates: Record<string, ChartClaimTemplate[]> = {
    loki: [
        {
            path: "singleBinary.persistence",
            autoDelete: "singleBinary.persistence.enableStatefulSetAutoDeletePVC",
            source: "grafana loki chart 18.11.0 (test/data/charts/loki-18.11.0.tgz): templates/_workload.tpl adds persistentVolumeClaimRetentionPolicy only with persistence.enableStatefulSetAutoDeletePVC, false by default in values.yaml (singleBinary.persistence)",
        },
    ],
};
