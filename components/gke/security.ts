// The GKE cluster's and node pools' security settings, as pure functions so tests read exactly what
// they get. What each does to a cluster created before it (hashicorp/terraform-provider-google, the
// provider @pulumi/gcp wraps: google/services/container/resource_container_cluster.go, node_config.go):
// - network policy and its add-on: in place (UpdateCluster for the add-on, then SetNetworkPolicy,
//   in that order as GKE requires); GKE recreates the nodes to start the Calico agents. Dataplane V2
//   (`datapathProvider`) would be ForceNew, i.e. a new cluster: not used here, see the README;
// - master authorized networks, private nodes (cluster default and node pool network config): in place;
// - the node service account and shielded-instance settings are ForceNew on a node pool: an existing
//   pool is replaced (deleted first: pools have fixed names), see the README.
import type * as pulumi from "@pulumi/pulumi";

/** Roles of the nodes' own service account: GKE's least-privilege role for nodes (logs, metrics). */
export const nodeServiceAccountRoles = ["roles/container.defaultNodeServiceAccount"];

/**
 * Account ID of the nodes' service account: 6-30 characters, `[a-z][a-z0-9-]*[a-z0-9]`. Cluster names
 * (1-40 characters, starting with a letter) are cut to fit; two clusters in one project whose names
 * share their first 24 characters would need distinct names.
 */
export function nodeServiceAccountId(clusterName: string): string {
    return `${clusterName.slice(0, 24).replace(/-+$/, "")}-nodes`;
}

/**
 * The nodes' service account's email, as IAM forms it: `<account ID>@<project ID>.iam.gserviceaccount.com`
 * (https://cloud.google.com/iam/docs/service-account-overview; `gcp:project` is a plain project ID,
 * stacks/config/sections/cluster.ts). Known before the account exists, so the GPU pool's name can
 * fingerprint it; the pools still wait for the account and its roles.
 */
export function nodeServiceAccountEmail(clusterName: string, project: string): string {
    return `${nodeServiceAccountId(clusterName)}@${project}.iam.gserviceaccount.com`;
}

/**
 * Cluster arguments: NetworkPolicy enforced (Calico, with the network-policy add-on that must be on
 * for it), the public endpoint open only to `apiAllowedCidrs` (Google Cloud's own public addresses
 * included only if listed), nodes without external addresses, shielded nodes.
 */
export function clusterSecurity(apiAllowedCidrs: string[]) {
    return {
        networkPolicy: { enabled: true, provider: "CALICO" },
        masterAuthorizedNetworksConfig: {
            cidrBlocks: apiAllowedCidrs.map((cidrBlock) => ({ cidrBlock, displayName: "cluster.apiAllowedCidrs" })),
            gcpPublicCidrsAccessEnabled: false,
        },
        privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: false },
        enableShieldedNodes: true,
    };
}

/** The add-on `clusterSecurity`'s network policy needs (merged into the cluster's addonsConfig). */
export const networkPolicyAddon = { networkPolicyConfig: { disabled: false } };

/**
 * The cluster's own `nodeConfig`: what GKE gives the default node pool it creates with the cluster and
 * the program removes right after (`removeDefaultNodePool`). Without it that pool runs as the Compute
 * Engine default account, which fails where that account is disabled or lacks roles
 * (hashicorp/terraform-provider-google#4435) and elsewhere runs Editor-privileged VMs for minutes.
 * The same account, scopes and shielded settings as the program's pools.
 *
 * `node_config` on the cluster cannot change on an existing cluster: its ForceNew fields (service
 * account, OAuth scopes, shielded instance config; node_config.go schemaNodeConfig) replace the cluster,
 * and the rest updates a `default-pool` that no longer exists (resource_container_cluster.go
 * resourceContainerClusterUpdate, `d.HasChange("node_config")`). So the cluster ignores changes to it
 * (`clusterNodeConfigIgnored`): a new cluster is created with it, an existing one keeps its state.
 */
export function clusterNodeConfig(serviceAccountEmail: pulumi.Input<string>, oauthScopes: readonly string[]) {
    return {
        serviceAccount: serviceAccountEmail,
        oauthScopes: [...oauthScopes],
        shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
    };
}

/** The cluster's `ignoreChanges`: its `nodeConfig` is the creation-time default pool's only. */
export const clusterNodeConfigIgnored = ["nodeConfig"];

/** Node pool arguments: the dedicated service account, Secure Boot and integrity monitoring, no external IPs. */
export function nodePoolSecurity(serviceAccountEmail: pulumi.Input<string>) {
    return {
        nodeConfig: {
            serviceAccount: serviceAccountEmail,
            shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
        },
        networkConfig: { enablePrivateNodes: true },
    };
}

/**
 * TCP ports on the nodes that GKE's control plane must reach for the add-ons' admission webhooks and
 * aggregated APIs. A cluster with private nodes gets a firewall rule from GKE for 443 and 10250 only
 * (Cloud Service Mesh docs, "Open ports on a private cluster":
 * https://cloud.google.com/service-mesh/docs/private-cluster-open-port), so without a rule of its own
 * the API server's calls to these time out and every admission they guard fails:
 * - istio: istiod's sidecar injector and config validation, 15017 (same page);
 * - keda: KEDA's admission webhooks, 9443, and its metrics API server behind `external.metrics.k8s.io`,
 *   6443 (kedacore/charts keda/values.yaml `service.portHttpsTarget: 6443`, the webhooks' port 9443).
 */
export const controlPlaneWebhookPorts = { istio: [15017], keda: [9443, 6443] } as const;

/**
 * Where the control plane's calls to the nodes come from, as the cluster reports it: the control
 * plane's range (`privateClusterConfig.masterIpv4CidrBlock`) on a cluster that has one, otherwise its
 * Private Service Connect endpoint (`privateClusterConfig.privateEndpoint`, one address in the nodes'
 * subnetwork), which is what clusters created without a range use.
 */
export function controlPlaneSourceRange(
    config: { masterIpv4CidrBlock?: string; privateEndpoint?: string } | undefined,
): string[] {
    if (config?.masterIpv4CidrBlock) return [config.masterIpv4CidrBlock];
    if (config?.privateEndpoint) return [`${config.privateEndpoint}/32`];
    return [];
}
