// Day-2 operations (README "Day-2 operations"): each row is a config change applied to an example
// stack's state, planned as the engine would (harness/transitions) and held to the rules every
// transition must satisfy (harness/transitions/checks.ts). The README's table lists these rows by id.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { MockCallArgs } from "@pulumi/pulumi/runtime/mocks";
import { cloudCall } from "../harness/cloudMocks";
import { Evaluation } from "../harness/evaluate";
import { configFor } from "../harness/program";
import { checkTransition, describe as describeViolations, Violation } from "../harness/transitions/checks";
import { patchedConfig } from "../harness/transitions/config";
import { Action, Step, Transition } from "../harness/transitions/plan";
import { cacheKey, evaluateExisting, runTransition } from "../harness/transitions/run";
import { checkTeardown } from "../harness/transitions/teardown";
import { createdBeforeCilium, migratedToCilium } from "./support/previousAks";
import { withFixedConfigMapNames } from "./support/previousTorchServe";

/** What a row expects of one resource: its action, and (for updates) a path that must change. */
interface Expect {
    type: string;
    name?: string;
    action: Action;
    changed?: string;
}

/** Replacements of ConfigMaps the pods mount go create-first (a new name); checked on every row. */
const createFirst = ["kubernetes:core/v1:ConfigMap"];

interface Row {
    id: string;
    stack: "eks" | "aks" | "gke";
    /** Config A (edits of the stack file); absent = the stack file as is. */
    from?: Record<string, unknown>;
    /** Config B. */
    to: Record<string, unknown>;
    expect: Expect[];
    /** Rules the engine's answer breaks on purpose (operations the clouds refuse). */
    refused?: Violation["rule"][];
    /** Node groups' current desired size, as the cloud would answer (EKS). */
    liveDesired?: number;
    /** Resources replaced on request (`pulumi up --replace`). */
    replace?: string[];
    /** Also check what `pulumi destroy` from state B leaves. */
    teardown?: boolean;
    /** What that destroy leaves behind, as the README names it. @default [] */
    leftovers?: string[];
    /**
     * The state is config A's evaluation edited into what an earlier version of the program
     * registered (test/support/previousAks.ts), instead of A's evaluation itself.
     */
    fromState?: (ev: Evaluation) => Evaluation;
    /** Violations that must be among those reported, when the rest follow from them (e.g. a replaced cluster). */
    refusedIncludes?: Violation["rule"][];
    /** Every resource the plan touches (not `same`) has a name this matches: nothing else changes. */
    only?: RegExp;
}

/**
 * The eks example runs KEDA at one replica, whose rollout replaces the pod in place (maxUnavailable 1):
 * the rows about the GPU group's own blue/green replacement run with autoscaling off (the default
 * surge rollout); `gpu-type-eks-autoscaled` shows the check refusing the example as shipped.
 */
const noAutoscaling = { autoscaling: { enabled: false } };

const addons = { prometheus: { enabled: true }, grafana: { enabled: true } };

/** An AKS stack keeping the Azure dataplane of a cluster created before Cilium (README: before these settings). */
const keepAzureDataplane = { cluster: { aksNetworkDataplane: "azure" } };
const managedCluster = "azure-native:containerservice:ManagedCluster";
const configMap = "kubernetes:core/v1:ConfigMap";

/** The examples' file-share store (what the eks and gke examples had before their bucket store). */
const fileShare = (stack: "eks" | "gke") => ({
    modelStore: "fileShare",
    persistenceSize: stack === "gke" ? "1Ti" : "10Gi",
});

/** The example's model, moved into `<dir>` of a bucket, with the bucket store chosen. */
const bucketModels = (dir: string) => ({
    modelStore: "bucket",
    persistenceSize: "1Gi",
    models: [{ name: "squeezenet1_1", url: `${dir}/squeezenet1_1.mar`, minWorkers: 1, maxWorkers: 1 }],
});

const rows: Row[] = [
    {
        id: "gpu-max-nodes",
        stack: "eks",
        to: { gpuNodePool: { maxNodes: 3 } },
        expect: [
            {
                type: "aws:eks/nodeGroup:NodeGroup",
                name: "eks-gpu",
                action: "update",
                changed: "scalingConfig.maxSize",
            },
        ],
    },
    {
        id: "gpu-min-nodes-from-zero",
        stack: "eks",
        from: { gpuNodePool: { minNodes: 0 } },
        to: { gpuNodePool: { minNodes: 1 } },
        liveDesired: 0,
        expect: [
            {
                type: "aws:eks/nodeGroup:NodeGroup",
                name: "eks-gpu",
                action: "update",
                changed: "scalingConfig.minSize",
            },
        ],
    },
    {
        id: "gpu-max-below-current",
        stack: "eks",
        from: { gpuNodePool: { maxNodes: 3 } },
        to: { gpuNodePool: { maxNodes: 2 } },
        liveDesired: 3,
        expect: [
            {
                type: "aws:eks/nodeGroup:NodeGroup",
                name: "eks-gpu",
                action: "update",
                changed: "scalingConfig.desiredSize",
            },
        ],
    },
    {
        id: "gpu-type-eks",
        stack: "eks",
        from: noAutoscaling,
        to: { ...noAutoscaling, gpuNodePool: { instanceType: "g6.xlarge" } },
        expect: [
            { type: "aws:eks/nodeGroup:NodeGroup", name: "eks-gpu", action: "replace" },
            { type: "kubernetes:apps/v1:Deployment", name: "torchserve", action: "update", changed: "spec.template" },
        ],
    },
    {
        id: "gpu-type-eks-autoscaled",
        stack: "eks",
        to: { gpuNodePool: { instanceType: "g6.xlarge" } },
        expect: [
            { type: "aws:eks/nodeGroup:NodeGroup", name: "eks-gpu", action: "replace" },
            { type: "kubernetes:apps/v1:Deployment", name: "torchserve", action: "update", changed: "spec.template" },
        ],
        refused: ["serving-capacity"],
    },
    {
        id: "gpu-type-aks",
        stack: "aks",
        to: { gpuNodePool: { instanceType: "Standard_NC8as_T4_v3" } },
        expect: [
            { type: "azure-native:containerservice:AgentPool", action: "replace" },
            { type: "kubernetes:apps/v1:Deployment", name: "torchserve", action: "update", changed: "spec.template" },
        ],
    },
    {
        id: "gpu-type-gke",
        stack: "gke",
        to: {
            gpuNodePool: {
                instanceType: "g2-standard-8",
                gpuType: "nvidia-l4",
                zones: ["us-central1-a", "us-central1-b"],
            },
        },
        expect: [
            { type: "gcp:container/nodePool:NodePool", name: "torchserve-gke-gpu", action: "replace" },
            { type: "kubernetes:apps/v1:Deployment", name: "torchserve", action: "update", changed: "spec.template" },
        ],
    },
    {
        id: "spot-on-eks",
        stack: "eks",
        from: noAutoscaling,
        to: { ...noAutoscaling, gpuNodePool: { spot: true } },
        expect: [{ type: "aws:eks/nodeGroup:NodeGroup", name: "eks-gpu", action: "replace" }],
    },
    {
        id: "spot-off-aks",
        stack: "aks",
        from: { gpuNodePool: { spot: true } },
        to: { gpuNodePool: { spot: false } },
        expect: [{ type: "azure-native:containerservice:AgentPool", action: "replace" }],
    },
    {
        id: "gpu-upgrade-surge",
        stack: "gke",
        to: { gpuNodePool: { upgrade: { maxSurge: 0, maxUnavailable: 1 } } },
        expect: [
            {
                type: "gcp:container/nodePool:NodePool",
                name: "torchserve-gke-gpu",
                action: "update",
                changed: "upgradeSettings",
            },
        ],
    },
    {
        id: "k8s-upgrade-eks",
        stack: "eks",
        from: { cluster: { kubernetesVersion: "1.34" } },
        to: { cluster: { kubernetesVersion: "1.35" } },
        expect: [
            { type: "eks:index:Cluster", action: "update", changed: "version" },
            { type: "aws:eks/nodeGroup:NodeGroup", name: "eks-system", action: "update", changed: "version" },
            { type: "aws:eks/nodeGroup:NodeGroup", name: "eks-gpu", action: "update", changed: "version" },
            { type: "aws:eks/addon:Addon", name: "eks-coredns", action: "update", changed: "addonVersion" },
        ],
    },
    {
        id: "k8s-upgrade-aks",
        stack: "aks",
        from: { cluster: { kubernetesVersion: "1.34" } },
        to: { cluster: { kubernetesVersion: "1.35" } },
        expect: [
            { type: "azure-native:containerservice:ManagedCluster", action: "update", changed: "kubernetesVersion" },
            { type: "azure-native:containerservice:AgentPool", action: "update", changed: "orchestratorVersion" },
        ],
    },
    {
        id: "k8s-upgrade-gke",
        stack: "gke",
        to: { cluster: { kubernetesVersion: "1.36" } },
        expect: [{ type: "gcp:container/cluster:Cluster", action: "update", changed: "minMasterVersion" }],
    },
    {
        id: "k8s-skip-minor",
        stack: "eks",
        from: { cluster: { kubernetesVersion: "1.34" } },
        to: { cluster: { kubernetesVersion: "1.36" } },
        refused: ["refused-update"],
        expect: [{ type: "eks:index:Cluster", action: "update", changed: "version" }],
    },
    {
        id: "maintenance-window",
        stack: "aks",
        to: { cluster: { maintenanceWindow: { day: "Sunday", startHour: 1 } } },
        expect: [{ type: "azure-native:containerservice:MaintenanceConfiguration", action: "update" }],
    },
    {
        // Without the key, the program's Cilium settings replace an older cluster: the check fails.
        id: "aks-cilium-unmigrated",
        stack: "aks",
        fromState: createdBeforeCilium,
        to: {},
        expect: [{ type: managedCluster, action: "replace", changed: "networkProfile.networkDataplane" }],
        refusedIncludes: ["protected"],
    },
    {
        id: "aks-keep-dataplane",
        stack: "aks",
        fromState: createdBeforeCilium,
        to: keepAzureDataplane,
        expect: [{ type: managedCluster, action: "update", changed: "aadProfile" }],
    },
    {
        // Migrated with `az aks update` and refreshed, the key still set: nothing changes either.
        id: "aks-migrated-key-kept",
        stack: "aks",
        from: keepAzureDataplane,
        fromState: migratedToCilium,
        to: keepAzureDataplane,
        expect: [{ type: managedCluster, action: "update", changed: "aadProfile" }],
    },
    {
        id: "aks-migrated-to-cilium",
        stack: "aks",
        from: keepAzureDataplane,
        fromState: migratedToCilium,
        to: {},
        expect: [{ type: managedCluster, action: "update", changed: "aadProfile" }],
    },
    {
        id: "prometheus-on",
        stack: "aks",
        to: { prometheus: { enabled: true } },
        expect: [{ type: "kubernetes:helm.sh/v3:Release", action: "create" }],
    },
    {
        id: "prometheus-on-gke",
        stack: "gke",
        to: { prometheus: { enabled: true } },
        expect: [{ type: "kubernetes:helm.sh/v3:Release", name: "kube-prometheus-stack", action: "create" }],
    },
    {
        id: "prometheus-off",
        stack: "aks",
        from: { prometheus: { enabled: true } },
        to: { prometheus: { enabled: false } },
        expect: [{ type: "kubernetes:helm.sh/v3:Release", action: "delete" }],
    },
    {
        id: "grafana-on",
        stack: "aks",
        from: { prometheus: { enabled: true } },
        to: addons,
        expect: [{ type: "random:index/randomPassword:RandomPassword", action: "create" }],
    },
    {
        id: "grafana-off",
        stack: "aks",
        from: addons,
        to: { ...addons, grafana: { enabled: false } },
        expect: [{ type: "random:index/randomPassword:RandomPassword", action: "delete" }],
    },
    {
        id: "autoscaling-on",
        stack: "aks",
        from: { prometheus: { enabled: true } },
        to: { prometheus: { enabled: true }, autoscaling: { enabled: true } },
        expect: [{ type: "kubernetes:keda.sh/v1alpha1:ScaledObject", action: "create" }],
    },
    {
        id: "autoscaling-off",
        stack: "aks",
        from: { prometheus: { enabled: true }, autoscaling: { enabled: true } },
        to: { prometheus: { enabled: true }, autoscaling: { enabled: false } },
        expect: [{ type: "kubernetes:keda.sh/v1alpha1:ScaledObject", action: "delete" }],
    },
    {
        id: "istio-on",
        stack: "aks",
        from: { istio: { enabled: false } },
        to: { istio: { enabled: true } },
        expect: [
            { type: "kubernetes:networking.istio.io/v1:Gateway", action: "create" },
            { type: "kubernetes:apps/v1:Deployment", name: "torchserve", action: "update", changed: "spec.template" },
        ],
    },
    {
        id: "istio-off",
        stack: "aks",
        from: { istio: { enabled: true } },
        to: { istio: { enabled: false } },
        expect: [{ type: "kubernetes:networking.istio.io/v1:Gateway", action: "delete" }],
    },
    {
        id: "canary-on",
        stack: "aks",
        from: { istio: { enabled: true } },
        to: {
            istio: { enabled: true },
            torchserve: { canary: { image: "pytorch/torchserve:0.12.0-gpu", weight: 10 } },
        },
        expect: [{ type: "kubernetes:apps/v1:Deployment", name: "torchserve-canary", action: "create" }],
    },
    {
        id: "canary-off",
        stack: "aks",
        from: {
            istio: { enabled: true },
            torchserve: { canary: { image: "pytorch/torchserve:0.12.0-gpu", weight: 10 } },
        },
        to: { istio: { enabled: true }, torchserve: { canary: null } },
        expect: [{ type: "kubernetes:apps/v1:Deployment", name: "torchserve-canary", action: "delete" }],
    },
    {
        id: "model-add",
        stack: "aks",
        to: {
            torchserve: {
                models: [
                    {
                        name: "squeezenet1_1",
                        url: "https://torchserve.pytorch.org/mar_files/squeezenet1_1.mar",
                        minWorkers: 1,
                        maxWorkers: 1,
                    },
                    {
                        name: "resnet-18",
                        url: "https://torchserve.pytorch.org/mar_files/resnet-18.mar",
                        minWorkers: 1,
                        maxWorkers: 1,
                    },
                ],
            },
        },
        expect: [
            // A new ConfigMap under a new name, created first; the pods roll onto it.
            { type: configMap, name: "torchserve-config", action: "replace", changed: "data" },
            { type: configMap, name: "torchserve-model-fetch", action: "replace", changed: "data" },
            {
                type: "kubernetes:apps/v1:Deployment",
                name: "torchserve",
                action: "update",
                changed: "spec.template.spec.volumes",
            },
        ],
    },
    {
        id: "model-remove",
        stack: "aks",
        from: {
            torchserve: {
                models: [
                    {
                        name: "squeezenet1_1",
                        url: "https://torchserve.pytorch.org/mar_files/squeezenet1_1.mar",
                        minWorkers: 1,
                        maxWorkers: 1,
                    },
                    {
                        name: "resnet-18",
                        url: "https://torchserve.pytorch.org/mar_files/resnet-18.mar",
                        minWorkers: 1,
                        maxWorkers: 1,
                    },
                ],
            },
        },
        to: {},
        expect: [
            { type: configMap, name: "torchserve-config", action: "replace", changed: "data" },
            {
                type: "kubernetes:apps/v1:Deployment",
                name: "torchserve",
                action: "update",
                changed: "spec.template.spec.volumes",
            },
        ],
    },
    {
        // A stack whose ConfigMaps carry the fixed names of earlier versions: replaced once, created first.
        id: "configmaps-unnamed-upgrade",
        stack: "aks",
        fromState: withFixedConfigMapNames,
        to: {},
        expect: [
            { type: configMap, name: "torchserve-config", action: "replace", changed: "metadata.name" },
            { type: configMap, name: "torchserve-model-fetch", action: "replace", changed: "metadata.name" },
            {
                type: "kubernetes:apps/v1:Deployment",
                name: "torchserve",
                action: "update",
                changed: "spec.template.spec.volumes",
            },
        ],
    },
    {
        id: "rotate-grafana-password",
        stack: "aks",
        from: addons,
        to: addons,
        replace: ["random:index/randomPassword:RandomPassword::grafana-admin-password"],
        expect: [
            { type: "random:index/randomPassword:RandomPassword", action: "replace" },
            { type: "kubernetes:helm.sh/v3:Release", name: "grafana", action: "update" },
        ],
    },
    // The model store: file share → the models' bucket (README "Model store"; the eks and gke examples
    // mount theirs). The file share holds only copies, but while deletion protection is on the program
    // refuses to delete it.
    {
        id: "model-store-bucket-gke",
        stack: "gke",
        // Without the example's Triton, whose repository bucket turns the FUSE add-on on by itself.
        from: { cluster: { deletionProtection: false }, torchserve: fileShare("gke"), triton: { enabled: false } },
        to: { cluster: { deletionProtection: false }, triton: { enabled: false } },
        expect: [
            { type: "gcp:container/cluster:Cluster", action: "update", changed: "addonsConfig" },
            { type: "gcp:filestore/instance:Instance", action: "delete" },
            { type: "kubernetes:storage.k8s.io/v1:StorageClass", action: "delete" },
            { type: "kubernetes:core/v1:PersistentVolume", name: "torchserve-gke-models", action: "delete" },
            { type: "kubernetes:core/v1:PersistentVolume", name: "torchserve-gke-model-bucket", action: "create" },
            { type: "kubernetes:core/v1:PersistentVolumeClaim", name: "torchserve-model-store", action: "delete" },
            { type: "kubernetes:core/v1:PersistentVolumeClaim", name: "torchserve-model-bucket", action: "create" },
            { type: "kubernetes:core/v1:ConfigMap", name: "torchserve-model-fetch", action: "delete" },
            { type: "kubernetes:apps/v1:Deployment", name: "torchserve", action: "update", changed: "spec.template" },
        ],
        // The bucket's volume is Pulumi's too: nothing is left behind (the bucket is the user's).
        teardown: true,
    },
    {
        id: "model-store-bucket-protected",
        stack: "gke",
        from: { torchserve: fileShare("gke") },
        to: {},
        expect: [{ type: "gcp:filestore/instance:Instance", action: "delete" }],
        refused: ["protected"],
    },
    {
        id: "model-store-bucket-eks",
        stack: "eks",
        from: { cluster: { deletionProtection: false }, torchserve: fileShare("eks") },
        to: { cluster: { deletionProtection: false } },
        expect: [
            { type: "aws:eks/addon:Addon", name: "eks-model-bucket-mountpoint", action: "create" },
            { type: "aws:efs/fileSystem:FileSystem", action: "delete" },
            { type: "aws:eks/addon:Addon", name: "eks-models-efs-csi", action: "delete" },
            { type: "kubernetes:core/v1:PersistentVolume", name: "eks-model-bucket-pv", action: "create" },
            { type: "kubernetes:core/v1:PersistentVolumeClaim", name: "torchserve-model-bucket", action: "create" },
            // Mountpoint lists the models' directory: the reader's policy gains s3:ListBucket on its prefix.
            { type: "aws:iam/rolePolicy:RolePolicy", name: "torchserve-models", action: "update", changed: "policy" },
        ],
        teardown: true,
        leftovers: [
            "kube-prometheus-stack: the volumes of its StatefulSet claim template (prometheus.prometheusSpec.storageSpec.volumeClaimTemplate), which neither Helm nor Pulumi deletes",
        ],
    },
    {
        id: "model-store-file-share-aks",
        stack: "aks",
        from: {
            torchserve: {
                ...bucketModels("https://acmemodels.blob.core.windows.net/models/serving"),
                storageResourceGroup: "models-rg",
            },
        },
        to: {
            torchserve: {
                ...bucketModels("https://acmemodels.blob.core.windows.net/models/serving"),
                storageResourceGroup: "models-rg",
                modelStore: "fileShare",
            },
        },
        expect: [
            { type: "kubernetes:core/v1:PersistentVolume", name: "torchserve-model-bucket-pv", action: "delete" },
            { type: "kubernetes:storage.k8s.io/v1:StorageClass", action: "create" },
            { type: "kubernetes:core/v1:PersistentVolumeClaim", name: "torchserve-model-store", action: "create" },
            { type: "kubernetes:core/v1:ConfigMap", name: "torchserve-model-fetch", action: "create" },
        ],
    },
    // The models move to another bucket or directory of a bucket store: a volume's source cannot change
    // in place and a bound volume cannot be deleted while its claim stays (check bound-volume), so
    // volume and claim are named after what they mount, replaced create-first, and the pods roll.
    {
        id: "model-bucket-moved-gke",
        stack: "gke",
        from: { torchserve: bucketModels("gs://my-gcp-project-torchserve-models/serving") },
        to: { torchserve: bucketModels("gs://other-torchserve-models/serving") },
        expect: [
            { type: "kubernetes:core/v1:PersistentVolume", name: "torchserve-gke-model-bucket", action: "replace" },
            // The reader's grant moves to the new bucket.
            { type: "gcp:storage/bucketIAMMember:BucketIAMMember", action: "create" },
            { type: "gcp:storage/bucketIAMMember:BucketIAMMember", action: "delete" },
            { type: "kubernetes:core/v1:PersistentVolumeClaim", name: "torchserve-model-bucket", action: "replace" },
            {
                type: "kubernetes:apps/v1:Deployment",
                name: "torchserve",
                action: "update",
                changed: "spec.template.spec.volumes",
            },
        ],
    },
    // Triton beside TorchServe (README "Triton"): turning it on, changing its image and turning it off
    // touch Triton's own objects only; TorchServe's Deployment and the cluster stay as they are.
    {
        id: "triton-on-gke",
        stack: "gke",
        only: /triton/,
        from: { triton: { enabled: false } },
        to: {},
        expect: [
            { type: "kubernetes:apps/v1:Deployment", name: "triton", action: "create" },
            { type: "kubernetes:core/v1:PersistentVolume", name: "torchserve-gke-triton-repository", action: "create" },
            { type: "kubernetes:core/v1:PersistentVolumeClaim", name: "triton-repository", action: "create" },
            { type: "gcp:serviceaccount/account:Account", name: "triton-models", action: "create" },
            { type: "kubernetes:core/v1:Service", name: "triton-service", action: "create" },
        ],
    },
    {
        id: "triton-image-gke",
        stack: "gke",
        only: /triton/,
        to: { triton: { image: "nvcr.io/nvidia/tritonserver:25.08-py3" } },
        expect: [{ type: "kubernetes:apps/v1:Deployment", name: "triton", action: "update", changed: "spec.template" }],
    },
    {
        id: "triton-off-gke",
        stack: "gke",
        only: /triton/,
        to: { triton: { enabled: false } },
        expect: [
            { type: "kubernetes:apps/v1:Deployment", name: "triton", action: "delete" },
            { type: "kubernetes:core/v1:PersistentVolume", name: "torchserve-gke-triton-repository", action: "delete" },
            { type: "gcp:serviceaccount/account:Account", name: "triton-models", action: "delete" },
        ],
    },
    {
        id: "model-directory-moved-eks",
        stack: "eks",
        from: { torchserve: bucketModels("s3://my-torchserve-models/serving") },
        to: { torchserve: bucketModels("s3://my-torchserve-models/v2") },
        expect: [
            { type: "kubernetes:core/v1:PersistentVolume", name: "eks-model-bucket-pv", action: "replace" },
            { type: "kubernetes:core/v1:PersistentVolumeClaim", name: "torchserve-model-bucket", action: "replace" },
            {
                type: "kubernetes:apps/v1:Deployment",
                name: "torchserve",
                action: "update",
                changed: "spec.template.spec.volumes",
            },
            { type: "aws:iam/rolePolicy:RolePolicy", name: "torchserve-models", action: "update", changed: "policy" },
        ],
    },
    ...(["eks", "aks", "gke"] as const).map((stack): Row => ({
        id: `teardown-${stack}`,
        stack,
        to: { cluster: { deletionProtection: false } },
        // The aks example's Azure Files class goes to reclaimPolicy Delete; the eks and gke examples
        // mount their bucket (no file share), so only the cluster's own deletion protection is lifted.
        expect:
            stack === "aks"
                ? [{ type: "kubernetes:storage.k8s.io/v1:StorageClass", action: "replace", changed: "reclaimPolicy" }]
                : stack === "eks"
                  ? [{ type: "eks:index:Cluster", action: "update", changed: "deletionProtection" }]
                  : [{ type: "gcp:container/cluster:Cluster", action: "update", changed: "deletionProtection" }],
        teardown: true,
        // The eks example runs Prometheus, whose volume outlives the release (README: teardown).
        leftovers:
            stack === "eks"
                ? [
                      "kube-prometheus-stack: the volumes of its StatefulSet claim template (prometheus.prometheusSpec.storageSpec.volumeClaimTemplate), which neither Helm nor Pulumi deletes",
                  ]
                : [],
    })),
];

/** Invoke answers with the node groups' Auto Scaling groups at `desired` nodes (EKS). */
function withLiveSize(stack: string, config: Record<string, unknown>, desired: number | undefined) {
    const base = cloudCall(configFor(stack, config));
    if (desired === undefined) return base;
    return (args: MockCallArgs) => {
        if (args.token === "aws:autoscaling/getAmiIds:getAmiIds") return { names: ["eks-gpu-asg"], arns: [] };
        if (args.token === "aws:autoscaling/getGroup:getGroup")
            return { name: args.inputs.name, desiredCapacity: desired };
        return base(args);
    };
}

const find = (t: Transition, e: Expect): Step | undefined =>
    t.steps.find((s) => s.type === e.type && (e.name === undefined || s.name === e.name) && s.action === e.action);

/** Evaluations shared by the rows (one row's config B is often another's A). */
const cache = new Map<string, Promise<Evaluation>>();

describe("day-2 operations: every documented change planned against the stack's state", function () {
    this.timeout(120000);
    for (const row of rows) {
        it(`${row.id}: ${row.stack} ${JSON.stringify(row.to)}`, async () => {
            const from = row.from ? patchedConfig(row.stack, row.from) : undefined;
            const to = patchedConfig(row.stack, row.to);
            const fromCall = withLiveSize(row.stack, from ?? {}, row.liveDesired);
            const callKey = `desired=${row.liveDesired}`;
            const state = row.fromState
                ? row.fromState(await evaluateExisting({ stack: row.stack, cache, callKey }, from, fromCall))
                : undefined;
            const t = await runTransition({
                stack: row.stack,
                from,
                to,
                state,
                fromCall,
                toCall: withLiveSize(row.stack, to, row.liveDesired),
                replace: row.replace,
                cache,
                callKey,
            });
            const summary = t.steps
                .filter((s) => s.action !== "same")
                .map((s) => `${s.action} ${s.type} ${s.name} ${s.changed.join(",")}`)
                .join("\n");
            if (row.only)
                for (const s of t.steps.filter((x) => x.action !== "same"))
                    assert.ok(
                        row.only.test(s.name),
                        `${s.action} of ${s.type} ${s.name} besides Triton's:\n${summary}`,
                    );
            for (const s of t.steps.filter((x) => x.action === "replace" && createFirst.includes(x.type)))
                assert.strictEqual(s.deleteBeforeReplace, false, `${s.type} ${s.name} is replaced delete-first`);
            for (const e of row.expect) {
                const step = find(t, e);
                assert.ok(step, `expected ${e.action} of ${e.type} ${e.name ?? ""}; the plan:\n${summary}`);
                if (e.changed)
                    assert.ok(
                        step.changed.some((c) => c.startsWith(e.changed!)),
                        `${e.changed} changes:\n${summary}`,
                    );
            }
            const violations = checkTransition(t);
            const reported = [...new Set(violations.map((v) => v.rule))].sort();
            if (row.refusedIncludes)
                for (const rule of row.refusedIncludes)
                    assert.ok(reported.includes(rule), `${rule} not reported:\n${describeViolations(violations)}`);
            else assert.deepStrictEqual(reported, [...(row.refused ?? [])].sort(), describeViolations(violations));
            if (row.teardown) {
                const teardown = checkTeardown(t.to);
                assert.deepStrictEqual(teardown.violations, [], teardown.violations.join("\n"));
                assert.deepStrictEqual(teardown.leftovers, row.leftovers ?? []);
            }
        });
    }

    it("with every add-on on, the destroy leaves only what the README names: Prometheus's and Loki's volumes", async () => {
        // Every add-on, logs in the cluster (Loki) rather than CloudWatch.
        const everything = {
            ...addons,
            autoscaling: { enabled: true },
            istio: { enabled: true },
            logging: { enabled: true, backend: "loki" },
        };
        const t = await runTransition({
            stack: "eks",
            from: patchedConfig("eks", everything),
            to: patchedConfig("eks", { ...everything, cluster: { deletionProtection: false } }),
        });
        assert.deepStrictEqual(checkTransition(t), []);
        const teardown = checkTeardown(t.to);
        assert.deepStrictEqual(teardown.violations, []);
        assert.strictEqual(teardown.leftovers.length, 2, teardown.leftovers.join("\n"));
        assert.match(teardown.leftovers[0], /kube-prometheus-stack.*volumeClaimTemplate/);
        assert.match(teardown.leftovers[1], /loki.*singleBinary\.persistence/);
    });

    it("Prometheus scrapes the DNS server each cloud runs: kube-dns on GKE, CoreDNS elsewhere", async () => {
        for (const [stack, dns] of [
            ["gke", { coreDns: { enabled: false }, kubeDns: { enabled: true } }],
            ["aks", {}],
        ] as const) {
            // Evaluated by the prometheus-on rows above.
            const e = await cache.get(
                cacheKey(stack, patchedConfig(stack, { prometheus: { enabled: true } }), "desired=undefined"),
            )!;
            const values = e.resources.find((r) => r.name === "kube-prometheus-stack")!.inputs.values;
            assert.deepStrictEqual(
                { coreDns: values.coreDns, kubeDns: values.kubeDns },
                { coreDns: undefined, kubeDns: undefined, ...dns },
            );
        }
    });

    it("the README's Day-2 table lists exactly these rows", () => {
        const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
        const section = readme.split("## Day-2 operations")[1]?.split("\n## ")[0] ?? "";
        const ids = [...section.matchAll(/`day2:([a-z0-9-]+)`/g)].map((m) => m[1]);
        assert.deepStrictEqual(
            [...new Set(ids)].sort(),
            rows
                .map((r) => r.id)
                .concat("all-addons-teardown")
                .sort(),
        );
    });
});
