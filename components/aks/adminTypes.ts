// Who may administer an AKS cluster, without the Azure SDK: the config parser reads it on every
// cloud, and only `cloud: azure` may load @pulumi/azure-native (test/sdkLoading.test.ts). ./admins.ts
// makes the role assignments.

/** Entra ID principal types a role assignment names (a managed identity is a ServicePrincipal). */
export const AksAdminPrincipalType = { User: "User", Group: "Group", ServicePrincipal: "ServicePrincipal" } as const;
export type AksAdminPrincipalType = (typeof AksAdminPrincipalType)[keyof typeof AksAdminPrincipalType];

/** The principal types, in the order messages list them. */
export const aksAdminPrincipalTypes: readonly AksAdminPrincipalType[] = Object.values(AksAdminPrincipalType);

/** One cluster admin. */
export interface AksClusterAdmin {
    /** Entra ID object id (a GUID), lowercase. */
    objectId: string;
    /**
     * What the object is. Azure refuses an assignment whose type does not match the principal
     * (UnmatchedPrincipalType), and without one azure-native 3 sends `User`.
     */
    principalType: AksAdminPrincipalType;
}
