// Pulumi type tokens the policies look at, as the engine reports them (no SDK is loaded: the pack
// starts fast and works for any program, whatever providers it installs).

export const helmReleaseType = "kubernetes:helm.sh/v3:Release";
export const configMapType = "kubernetes:core/v1:ConfigMap";
export const serviceType = "kubernetes:core/v1:Service";
export const storageClassType = "kubernetes:storage.k8s.io/v1:StorageClass";

export const eksNodeGroupType = "aws:eks/nodeGroup:NodeGroup";
export const eksAddonType = "aws:eks/addon:Addon";
export const eksClusterType = "aws:eks/cluster:Cluster";
/** pulumi-eks components: their own inputs are visible only where the SDK records them (see networkPolicy.ts). */
export const pulumiEksClusterType = "eks:index:Cluster";
export const pulumiEksVpcCniType = "eks:index:VpcCniAddon";
export const pulumiEksManagedNodeGroupType = "eks:index:ManagedNodeGroup";

export const aksClusterType = "azure-native:containerservice:ManagedCluster";
export const aksAgentPoolType = "azure-native:containerservice:AgentPool";

export const gkeClusterType = "gcp:container/cluster:Cluster";
export const gkeNodePoolType = "gcp:container/nodePool:NodePool";
