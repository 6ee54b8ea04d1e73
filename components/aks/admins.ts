// Who administers an AKS cluster: Entra ID principals given the built-in role "Azure Kubernetes
// Service RBAC Cluster Admin" (clusterAdminRoleDefinitionId, ./security.ts). None is keyed on the
// identity running `pulumi up`: another person's `up` would otherwise replace the assignment
// (azure-native replaces a RoleAssignment when principalId changes: pulumi-azure-native
// provider/pkg/gen/replacement.go forceNewMap @1b7112af33c6) and take the first person's access.
//
// The assignments are made on the cluster's resource group as soon as the group exists, and the
// cluster waits for them: Azure RBAC takes up to 5 minutes to honour a new assignment
// (learn.microsoft.com/azure/aks/manage-azure-rbac, "Create role assignments for users to access
// the cluster"), and the cluster's creation (several minutes) passes before the Kubernetes provider
// makes its first call, so the first `pulumi up` needs no second run. A role assigned on a resource
// group applies to the clusters in it (learn.microsoft.com/azure/role-based-access-control/scope-overview);
// the group `<cluster>-rg` holds this cluster only.
import * as authorization from "@pulumi/azure-native/authorization";
import * as pulumi from "@pulumi/pulumi";
import { clusterAdminRoleDefinitionId } from "./security";

import { AksClusterAdmin } from "./adminTypes";

export * from "./adminTypes";

export interface AksAdminAssignmentArgs {
    /** Subscription of the role definition. */
    subscriptionId: pulumi.Input<string>;
    /** ARM id of the scope: the cluster's resource group. */
    scope: pulumi.Input<string>;
}

/** The role definition's ARM id in a subscription. */
export function clusterAdminRoleId(subscriptionId: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.interpolate`/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${clusterAdminRoleDefinitionId}`;
}

/**
 * The role assignment of one admin, named after its object id so adding or removing another admin
 * leaves it alone.
 */
export function aksAdminAssignment(
    name: string,
    admin: AksClusterAdmin,
    args: AksAdminAssignmentArgs,
    opts: pulumi.CustomResourceOptions,
): authorization.RoleAssignment {
    return new authorization.RoleAssignment(
        `${name}-admin-${admin.objectId}`,
        {
            scope: args.scope,
            principalId: admin.objectId,
            principalType: admin.principalType,
            roleDefinitionId: clusterAdminRoleId(args.subscriptionId),
        },
        opts,
    );
}
