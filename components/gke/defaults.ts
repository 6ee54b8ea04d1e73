// Names and defaults of the GKE cluster that other code (tests, docs, the platform) relies on.
import { gpuTaintKey, poolLabelKey, poolNames } from "../cluster/nodePool";
import { Placement } from "../cluster/target";

/**
 * Minimum Kubernetes version when `cluster.kubernetesVersion` is absent (GKE takes `1.35` as "newest
 * 1.35.x"); new clusters start on it and the release channel upgrades from there. A channel offers
 * new clusters only its current minors (`gcloud container get-server-config --region <region>`).
 */
export const defaultKubernetesVersion = "1.35";

/** Release channel: upgrades are GKE's to schedule, never below the pinned minimum version. */
export const releaseChannel = "REGULAR";

/** Machine type of the system pool when `cluster.systemNodePool.instanceType` is absent (4 vCPU, 16 GiB). */
export const defaultSystemMachineType = "e2-standard-4";

/** Node pool names; GKE labels every node with its pool (`cloud.google.com/gke-nodepool`). */
export const systemPoolName = poolNames.system;
export const gpuPoolName = poolNames.gpu;

/** Label we put on every GPU node; GPU pods select it. (GKE also sets `cloud.google.com/gke-accelerator`.) */
export const gpuNodeLabel = { key: poolLabelKey, value: poolNames.gpu } as const;

/**
 * The taint GKE itself puts on GPU nodes when the cluster has non-GPU pools; declared so the pool
 * is tainted the same way whatever else the cluster has.
 */
export const gpuTaint = { key: gpuTaintKey, value: "present", effect: "NO_SCHEDULE" } as const;

/** Nodes may call Google APIs as far as their service account's IAM roles allow. */
export const nodeOauthScopes = ["https://www.googleapis.com/auth/cloud-platform"];

/**
 * VPC-native address plan: nodes, pods (secondary range, up to ~1000 nodes at 110 pods) and
 * Services (secondary range, 4096 ClusterIPs). Private ranges that do not overlap each other.
 */
export const addressPlan = {
    nodes: "10.0.0.0/20",
    pods: { rangeName: "pods", ipCidrRange: "10.16.0.0/14" },
    services: { rangeName: "services", ipCidrRange: "10.20.0.0/20" },
} as const;

/**
 * Most nodes the cluster can have: GKE gives each node a /24 of the pods' range (110 pods per node,
 * its default; GKE docs, "Optimize IP address allocation"), and `addressPlan.pods` is a /14: 2^(24-14).
 * Beyond it the autoscaler cannot add nodes.
 */
export const maxClusterNodes = 2 ** (24 - Number(addressPlan.pods.ipCidrRange.split("/")[1]));

/** Label GKE puts on every node: the name of its node pool. */
export const nodePoolLabel = "cloud.google.com/gke-nodepool";

/** Where GPU pods go: our GPU label, tolerating the GPU taint (GKE Spot nodes carry no taint). */
export const gpuPlacement: Placement = {
    nodeSelector: { [gpuNodeLabel.key]: gpuNodeLabel.value },
    tolerations: [{ key: gpuTaint.key, operator: "Exists", effect: "NoSchedule" }],
};

/** GPU placement on the pool named `poolName` (during a blue/green swap, the new pool). */
export function gpuPlacementOn(poolName: string): Placement {
    return { ...gpuPlacement, nodeSelector: { ...gpuPlacement.nodeSelector, [nodePoolLabel]: poolName } };
}

/** Where system add-ons go: the system pool. */
export const systemPlacement: Placement = {
    nodeSelector: { [nodePoolLabel]: systemPoolName },
    tolerations: [],
};

/**
 * APIs the stack calls, enabled by it (left enabled on destroy, since other things in the project
 * may use them); everything that calls one waits for it (components/gke/CONTRACT.md):
 * - compute: network, subnetwork, router, NAT, firewall, the zone lookup; container: the cluster and pools;
 * - file: the Filestore model store; iam: the service accounts and their bindings;
 * - iamcredentials: Workload Identity's tokens for a Google service account (GKE docs, "Authenticate to
 *   Google Cloud APIs from GKE workloads": enable the IAM Service Account Credentials API), which the
 *   models' reader was until it was granted to the pods' own principal; kept enabled (a user's
 *   workloads may impersonate) and so that existing stacks see no change;
 * - storage: the models' bucket's IAM bindings (Cloud Storage JSON API).
 * Service Usage and Cloud Resource Manager must already be on: enabling an API needs them (README).
 */
export const requiredServices = [
    "compute.googleapis.com",
    "container.googleapis.com",
    "file.googleapis.com",
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",
    "storage.googleapis.com",
] as const;
