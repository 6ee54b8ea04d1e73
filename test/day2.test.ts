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
import { evaluateExisting, runTransition } from "../harness/transitions/run";
import { checkTeardown } from "../harness/transitions/teardown";
import { createdBeforeCilium, deployerAssignment, migratedToCilium, upgradedWithAz } from "./support/previousAks";
import { withFixedConfigMapNames } from "./support/previousTorchServe";
import { createdWithModelReaderAccount, createdWithoutClusterNodeConfig } from "./support/previousGke";

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
    stack: "eks" | "aks" | "gke" | "dev";
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
    /**
     * A `pulumi destroy` from state A is refused by the engine before it deletes anything, because this
     * resource type (the cluster) is `protect`ed.
     */
    destroyRefusedAt?: string;
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
const roleAssignment = "azure-native:authorization:RoleAssignment";
/** The identity the mocks run as (harness/cloudMocks.ts getClientConfig): the last `up`'s deployer. */
const caller = "00000000-0000-0000-0000-000000000003";
const callerAdmin = { cluster: { admins: [{ objectId: caller, principalType: "User" }] } };
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

/**
 * An inline kubeconfig for the dev stack (cloud: existing): contexts `a` and `a-admin` on cluster
 * `a`, `b` on another cluster.
 */
const twoClusters = JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    "current-context": "a",
    clusters: [
        { name: "a", cluster: { server: "https://a.example:6443" } },
        { name: "b", cluster: { server: "https://b.example:6443" } },
    ],
    contexts: [
        { name: "a", context: { cluster: "a", user: "u" } },
        { name: "a-admin", context: { cluster: "a", user: "admin" } },
        { name: "b", context: { cluster: "b", user: "u" } },
    ],
    users: [
        { name: "u", user: { token: "t" } },
        { name: "admin", user: { token: "t2" } },
    ],
});
const onContext = (context: string) => ({ cluster: { kubeconfig: twoClusters, context } });

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
        // The new pool sends no upgrade settings: AKS refuses them on Spot (rules.ts AgentPool validate).
        id: "spot-on-aks",
        stack: "aks",
        to: { gpuNodePool: { spot: true } },
        expect: [{ type: "azure-native:containerservice:AgentPool", action: "replace" }],
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
        id: "gpu-upgrade-unavailable-eks",
        stack: "eks",
        to: { gpuNodePool: { upgrade: { maxSurge: 0, maxUnavailable: 2 } } },
        expect: [
            {
                type: "aws:eks/nodeGroup:NodeGroup",
                name: "eks-gpu",
                action: "update",
                changed: "updateConfig",
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
        // The config edit alone: AKS refuses the managed cluster request (checks.ts aksMinorUpgrades).
        id: "k8s-upgrade-aks",
        stack: "aks",
        from: { cluster: { kubernetesVersion: "1.34" } },
        to: { cluster: { kubernetesVersion: "1.35" } },
        expect: [
            { type: "azure-native:containerservice:ManagedCluster", action: "update", changed: "kubernetesVersion" },
        ],
        refused: ["refused-update"],
    },
    {
        // `az aks upgrade` moves the control plane and both pools together; refreshed, the edit is a no-op.
        id: "k8s-upgrade-aks-az",
        stack: "aks",
        from: { cluster: { kubernetesVersion: "1.34" } },
        fromState: upgradedWithAz("1.35"),
        to: { cluster: { kubernetesVersion: "1.35" } },
        expect: [
            { type: "azure-native:containerservice:ManagedCluster", action: "same" },
            { type: "azure-native:containerservice:AgentPool", action: "same" },
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
        // GKE needs 48 hours in every 32 days: a weekly window of 12 hours or more (a shorter one is
        // refused at preview, test/config.test.ts; the harness checks every cluster input, rules.ts).
        id: "maintenance-window-gke",
        stack: "gke",
        to: { cluster: { maintenanceWindow: { day: "Sunday", startHour: 1, durationHours: 12 } } },
        expect: [{ type: "gcp:container/cluster:Cluster", action: "update", changed: "maintenancePolicy" }],
    },
    {
        // A GKE cluster created before the cluster's own nodeConfig (issue 20): the cluster is kept
        // (nodeConfig is ForceNew on the cluster; the program ignores changes to it), nothing replaced.
        id: "gke-default-pool-account-existing",
        stack: "gke",
        fromState: createdWithoutClusterNodeConfig,
        to: {},
        expect: [{ type: "gcp:container/cluster:Cluster", action: "same" }],
    },
    {
        // A GKE stack created when the models' reader was a Google service account (issue 20 item 2):
        // the bucket grant moves to the pods' own principal. Order: the new grant is created (a
        // create-first replace: another member of the same role), then the ServiceAccount loses its
        // annotation (it waits for the grants, test/modelIdentity.test.ts), the Deployment is untouched
        // (no rollout), and the old grant, the account and its binding are deleted last (the engine
        // deletes what left the program after every create and update). Nothing stateful is replaced.
        id: "gke-model-reader-principal-existing",
        stack: "gke",
        from: { torchserve: bucketModels("gs://my-gcp-project-torchserve-models/serving") },
        to: { torchserve: bucketModels("gs://my-gcp-project-torchserve-models/serving") },
        fromState: createdWithModelReaderAccount,
        expect: [
            {
                type: "gcp:storage/bucketIAMMember:BucketIAMMember",
                name: "torchserve-models-my-gcp-project-torchserve-models",
                action: "replace",
                changed: "member",
            },
            {
                type: "kubernetes:core/v1:ServiceAccount",
                name: "torchserve-service-account",
                action: "update",
                changed: "metadata.annotations",
            },
            { type: "gcp:serviceaccount/account:Account", name: "torchserve-models", action: "delete" },
            {
                type: "gcp:serviceaccount/iAMMember:IAMMember",
                name: "torchserve-models-workload-identity",
                action: "delete",
            },
            { type: "kubernetes:apps/v1:Deployment", name: "torchserve", action: "same" },
            { type: "kubernetes:core/v1:PersistentVolume", name: "torchserve-gke-model-bucket", action: "same" },
            { type: "gcp:container/cluster:Cluster", action: "same" },
        ],
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
        // A stack created before cluster.admins: its deployer's assignment on the cluster goes at the
        // end of the up, after the listed admins' assignments on the group exist.
        id: "aks-admins-from-deployer",
        stack: "aks",
        from: callerAdmin,
        fromState: deployerAssignment,
        to: callerAdmin,
        expect: [
            { type: roleAssignment, name: `torchserve-aks-admin-${caller}`, action: "create" },
            { type: roleAssignment, name: "torchserve-aks-deployer", action: "delete" },
        ],
    },
    {
        // The same stack with admins that leave the last deployer out: it would lose its access.
        id: "aks-admins-deployer-left-out",
        stack: "aks",
        from: callerAdmin,
        fromState: deployerAssignment,
        to: {},
        expect: [{ type: roleAssignment, name: "torchserve-aks-deployer", action: "delete" }],
        refused: ["admin-access"],
    },
    {
        id: "aks-admin-added",
        stack: "aks",
        from: callerAdmin,
        to: {
            cluster: {
                admins: [
                    { objectId: caller, principalType: "User" },
                    { objectId: "11111111-2222-4333-8444-555555555555", principalType: "Group" },
                ],
            },
        },
        expect: [
            {
                type: roleAssignment,
                name: "torchserve-aks-admin-11111111-2222-4333-8444-555555555555",
                action: "create",
            },
            { type: roleAssignment, name: `torchserve-aks-admin-${caller}`, action: "same" },
        ],
    },
    {
        // The monitoring add-on is sent disabled rather than left out (a missing profile may be "no change").
        id: "cloud-logging-off-aks",
        stack: "aks",
        to: { logging: { enabled: false } },
        expect: [
            { type: managedCluster, action: "update", changed: "addonProfiles.omsagent.enabled" },
            { type: "azure-native:operationalinsights:Workspace", action: "delete" },
            { type: "azure-native:monitor:DiagnosticSetting", action: "delete" },
        ],
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
        // Private nodes: GKE opens 443 and 10250 from the control plane; istiod's injector needs 15017.
        id: "istio-on-gke",
        stack: "gke",
        // Triton is refused with istio (not routed by the gateway yet): the example's is turned off first.
        from: { triton: { enabled: false } },
        to: { istio: { enabled: true }, triton: { enabled: false } },
        expect: [
            { type: "gcp:compute/firewall:Firewall", action: "create" },
            { type: "kubernetes:networking.istio.io/v1:Gateway", action: "create" },
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
            {
                type: "gcp:storage/bucketIAMMember:BucketIAMMember",
                name: "triton-models-my-gcp-project-torchserve-models",
                action: "create",
            },
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
            {
                type: "gcp:storage/bucketIAMMember:BucketIAMMember",
                name: "triton-models-my-gcp-project-torchserve-models",
                action: "delete",
            },
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
    // The Kubernetes provider's configuration (pulumi-kubernetes DiffConfig): another cluster replaces
    // the provider, and the engine every object it manages; another user of the same cluster does not.
    {
        id: "existing-context-other-cluster",
        stack: "dev",
        from: onContext("a"),
        to: onContext("b"),
        expect: [
            { type: "pulumi:providers:kubernetes", action: "replace" },
            { type: "kubernetes:core/v1:Namespace", action: "replace" },
            { type: "kubernetes:apps/v1:Deployment", name: "torchserve", action: "replace" },
        ],
    },
    {
        id: "existing-context-same-cluster",
        stack: "dev",
        from: onContext("a"),
        to: onContext("a-admin"),
        expect: [{ type: "pulumi:providers:kubernetes", action: "update", changed: "context" }],
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
        // Before step 1 the cluster itself is protected: the destroy fails at preview, nothing deleted.
        destroyRefusedAt: {
            eks: "eks:index:Cluster",
            aks: "azure-native:containerservice:ManagedCluster",
            gke: "gcp:container/cluster:Cluster",
        }[stack],
        // The eks example runs Prometheus: its volume is the program's (an EBS volume and its
        // PersistentVolume), deleted after the release; nothing is left.
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
        const change = JSON.stringify(row.to).replace(twoClusters.replace(/"/g, '\\"'), "<two clusters>");
        it(`${row.id}: ${row.stack} ${change}`, async () => {
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
            if (row.destroyRefusedAt) {
                const refused = checkTeardown(t.from).violations;
                assert.ok(
                    refused.some((v) => v.startsWith(`${row.destroyRefusedAt} `)),
                    `a destroy of state A is not refused at ${row.destroyRefusedAt}:\n${refused.join("\n")}`,
                );
            }
            if (row.teardown) {
                const teardown = checkTeardown(t.to);
                assert.deepStrictEqual(teardown.violations, [], teardown.violations.join("\n"));
                assert.deepStrictEqual(teardown.leftovers, row.leftovers ?? []);
            }
        });
    }

    // Every add-on, logs in the cluster (Loki) rather than the cloud's: Prometheus's and Loki's volumes
    // are the program's on every cloud (a disk and its PersistentVolume on EKS and GKE; AKS's disks go
    // with its node resource group), so the destroy leaves nothing billing.
    for (const stack of ["eks", "aks", "gke"] as const)
        it(`all-addons-teardown (${stack}): with every add-on on, the destroy leaves nothing behind`, async () => {
            const everything = {
                ...addons,
                autoscaling: { enabled: true },
                istio: { enabled: true },
                logging: { enabled: true, backend: "loki" },
                // Refused with istio until the gateway routes to it (the gke example serves it).
                triton: false,
            };
            const t = await runTransition({
                stack,
                from: patchedConfig(stack, everything),
                to: patchedConfig(stack, { ...everything, cluster: { deletionProtection: false } }),
            });
            assert.deepStrictEqual(checkTransition(t), []);
            const teardown = checkTeardown(t.to);
            assert.deepStrictEqual(teardown.violations, [], teardown.violations.join("\n"));
            assert.deepStrictEqual(teardown.leftovers, [], teardown.leftovers.join("\n"));
            // Before step 1 the destroy is refused at the cluster, before anything is deleted.
            assert.ok(checkTeardown(t.from).violations.some((v) => / is protected: pulumi destroy refuses/.test(v)));
        });

    it("Prometheus scrapes the DNS server each cloud runs: kube-dns on GKE, CoreDNS elsewhere", async () => {
        for (const [stack, dns] of [
            ["gke", { coreDns: { enabled: false }, kubeDns: { enabled: true } }],
            ["aks", {}],
        ] as const) {
            // Evaluated by the prometheus-on rows above when they ran (the cache), here otherwise (--grep).
            const config = patchedConfig(stack, { prometheus: { enabled: true } });
            const e = await evaluateExisting(
                { stack, cache, callKey: "desired=undefined" },
                config,
                withLiveSize(stack, config, undefined),
            );
            const values = e.resources.find((r) => r.name === "kube-prometheus-stack")!.inputs.values;
            assert.deepStrictEqual(
                { coreDns: values.coreDns, kubeDns: values.kubeDns },
                { coreDns: undefined, kubeDns: undefined, ...dns },
            );
        }
    });

    it("docs/day2.md's table lists exactly these rows", () => {
        const section = fs.readFileSync(path.join(__dirname, "..", "docs", "day2.md"), "utf8");
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
