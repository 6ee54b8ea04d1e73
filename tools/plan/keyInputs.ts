// What a reviewer reads first about each resource type in a plan summary (plans/<stack>.md): a label
// and the input path it shows (`[*]` expands to every element, named by its `name`). Types not
// listed show their top-level scalar inputs. Data only; summary.ts renders it.

export type KeyInput = [label: string, path: string];

const containers: KeyInput[] = [
    ["image", "spec.template.spec.containers[*].image"],
    ["resources", "spec.template.spec.containers[*].resources"],
    ["init image", "spec.template.spec.initContainers[*].image"],
    ["nodeSelector", "spec.template.spec.nodeSelector"],
];

export const keyInputs: Record<string, KeyInput[]> = {
    "kubernetes:apps/v1:Deployment": [
        ["replicas", "spec.replicas"],
        ["strategy", "spec.strategy"],
        ...containers,
        ["tolerations", "spec.template.spec.tolerations"],
    ],
    "kubernetes:apps/v1:DaemonSet": containers,
    "kubernetes:core/v1:Service": [
        ["type", "spec.type"],
        ["port", "spec.ports[*].port"],
    ],
    "kubernetes:core/v1:PersistentVolumeClaim": [
        ["storageClassName", "spec.storageClassName"],
        ["accessModes", "spec.accessModes"],
        ["size", "spec.resources.requests.storage"],
    ],
    "kubernetes:storage.k8s.io/v1:StorageClass": [
        ["name", "metadata.name"],
        ["provisioner", "provisioner"],
        ["parameters", "parameters"],
        ["reclaimPolicy", "reclaimPolicy"],
        ["volumeBindingMode", "volumeBindingMode"],
        ["allowVolumeExpansion", "allowVolumeExpansion"],
        ["default", 'metadata.annotations["storageclass.kubernetes.io/is-default-class"]'],
    ],
    "kubernetes:core/v1:Namespace": [
        ["name", "metadata.name"],
        ["labels", "metadata.labels"],
    ],
    "kubernetes:networking.k8s.io/v1:NetworkPolicy": [
        ["policyTypes", "spec.policyTypes"],
        ["ingress rule", "spec.ingress[*]"],
    ],
    "kubernetes:policy/v1:PodDisruptionBudget": [
        ["minAvailable", "spec.minAvailable"],
        ["maxUnavailable", "spec.maxUnavailable"],
    ],
    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": [
        ["min", "spec.minReplicas"],
        ["max", "spec.maxReplicas"],
        ["metrics", "spec.metrics"],
    ],
    "kubernetes:helm.sh/v3:Release": [
        ["chart", "chart"],
        ["version", "version"],
        ["repo", "repositoryOpts.repo"],
        ["namespace", "namespace"],
    ],
    "aws:eks/nodeGroup:NodeGroup": [
        ["instanceTypes", "instanceTypes"],
        ["amiType", "amiType"],
        ["capacityType", "capacityType"],
        ["scaling", "scalingConfig"],
        ["diskSize", "diskSize"],
        ["labels", "labels"],
        ["taints", "taints"],
    ],
    "eks:index:Cluster": [
        ["name", "name"],
        ["version", "version"],
        ["authenticationMode", "authenticationMode"],
        ["deletionProtection", "deletionProtection"],
    ],
    "aws:efs/fileSystem:FileSystem": [
        ["encrypted", "encrypted"],
        ["performanceMode", "performanceMode"],
        ["throughputMode", "throughputMode"],
    ],
    "gcp:container/cluster:Cluster": [
        ["name", "name"],
        ["location", "location"],
        ["version", "minMasterVersion"],
        ["releaseChannel", "releaseChannel.channel"],
        ["deletionProtection", "deletionProtection"],
    ],
    "gcp:container/nodePool:NodePool": [
        ["machineType", "nodeConfig.machineType"],
        ["accelerators", "nodeConfig.guestAccelerators"],
        ["autoscaling", "autoscaling"],
        ["spot", "nodeConfig.spot"],
        ["diskSizeGb", "nodeConfig.diskSizeGb"],
        ["taints", "nodeConfig.taints"],
    ],
    "azure-native:containerservice:ManagedCluster": [
        ["kubernetesVersion", "kubernetesVersion"],
        ["location", "location"],
        ["system pool", "agentPoolProfiles"],
    ],
    "azure-native:containerservice:AgentPool": [
        ["vmSize", "vmSize"],
        ["count", "count"],
        ["min", "minCount"],
        ["max", "maxCount"],
        ["priority", "scaleSetPriority"],
        ["osDiskSizeGB", "osDiskSizeGB"],
        ["taints", "nodeTaints"],
    ],
};
