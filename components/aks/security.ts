// The AKS cluster's identity and access settings, as a pure function so tests read exactly what the
// cluster gets. On a cluster created before them each is an in-place update (a PUT of the managed
// cluster, what `az aks update` sends), never a replacement:
// - Entra ID integration (`--enable-aad`) and Azure RBAC (`--enable-azure-rbac`) are added in place
//   and cannot be turned off again (learn.microsoft.com/azure/aks/enable-authentication-microsoft-entra-id);
// - local accounts are disabled in place (`--disable-local-accounts`): the admin client certificate
//   stops working (learn.microsoft.com/azure/aks/manage-local-accounts-managed-azure-ad);
// - authorized IP ranges are set in place (learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges).
// The Cilium dataplane (NetworkPolicy enforcement) is different: azure-native would replace the
// cluster to add it, so an older cluster is migrated with `az aks update` instead (./network.ts).

import { anyAddress } from "../cluster/apiAccess";

/**
 * Built-in role "Azure Kubernetes Service RBAC Cluster Admin": every Kubernetes action on the cluster
 * (learn.microsoft.com/azure/role-based-access-control/built-in-roles/containers).
 */
export const clusterAdminRoleDefinitionId = "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b";

/**
 * ManagedCluster arguments that make Entra ID the only way in, Azure RBAC the authorizer, and the API
 * server reachable only from `apiAllowedCidrs` (at most 200 blocks). A list that allows any address
 * becomes AKS's own spelling of that, no ranges (an empty list turns the feature off), rather than
 * 0.0.0.0/0, which AKS's documentation does not describe.
 */
export function clusterSecurity(apiAllowedCidrs: string[]) {
    return {
        aadProfile: { managed: true, enableAzureRBAC: true },
        disableLocalAccounts: true,
        apiServerAccessProfile: { authorizedIPRanges: apiAllowedCidrs.includes(anyAddress) ? [] : apiAllowedCidrs },
    };
}
