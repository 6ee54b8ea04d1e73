// Read access to the Blob containers TorchServe's models come from, through AKS workload identity:
// no keys in the cluster; a user-assigned identity reads blobs of the named containers only.
import * as authorization from "@pulumi/azure-native/authorization";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as pulumi from "@pulumi/pulumi";

/**
 * Built-in role "Storage Blob Data Reader": read and list blobs
 * (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/storage#storage-blob-data-reader).
 */
export const storageBlobDataReaderRoleId = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";

/** Audience of federated service-account tokens (https://learn.microsoft.com/azure/aks/workload-identity-overview). */
export const federatedTokenAudience = "api://AzureADTokenExchange";

/** The ServiceAccount annotation and pod label the workload-identity webhook acts on. */
export const clientIdAnnotation = "azure.workload.identity/client-id";
export const useWorkloadIdentityLabel = "azure.workload.identity/use";

/** One container the models are read from. */
export interface BlobContainer {
    /** Storage account name. */
    account: string;
    /** Container name. */
    container: string;
}

/** The role assignment scope of one container. */
export function containerScope(subscriptionId: string, resourceGroup: string, c: BlobContainer): string {
    return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Storage/storageAccounts/${c.account}/blobServices/default/containers/${c.container}`;
}

export interface AksModelReaderArgs {
    /** Resource group of the identity (the cluster's). */
    resourceGroupName: pulumi.Input<string>;
    /** Azure location of the identity. */
    location: pulumi.Input<string>;
    /** The cluster's OIDC issuer URL (ManagedCluster.oidcIssuerProfile.issuerURL). */
    oidcIssuerUrl: pulumi.Input<string>;
    /** Subscription of the storage accounts. */
    subscriptionId: pulumi.Input<string>;
    /** Resource group holding the storage accounts. */
    storageResourceGroup: pulumi.Input<string>;
    /** Namespace of TorchServe's ServiceAccount. */
    namespace: string;
    /** TorchServe's ServiceAccount name. */
    serviceAccount: string;
    /** Containers the model blobs are in. */
    containers: BlobContainer[];
}

/**
 * A user-assigned identity, its federated credential for TorchServe's ServiceAccount and
 * `Storage Blob Data Reader` on each container. `annotations` go on the ServiceAccount and
 * `podLabels` on the pods (the webhook then injects the token file and AZURE_* variables).
 */
export class AksModelReader extends pulumi.ComponentResource {
    public readonly identity: managedidentity.UserAssignedIdentity;
    public readonly annotations: Record<string, pulumi.Output<string>>;
    public readonly podLabels: Record<string, string> = { [useWorkloadIdentityLabel]: "true" };

    constructor(name: string, args: AksModelReaderArgs, opts?: pulumi.ComponentResourceOptions) {
        super("torchserve-platform:index:AksModelReader", name, {}, opts);
        const parent = { parent: this };
        this.identity = new managedidentity.UserAssignedIdentity(
            name,
            { resourceGroupName: args.resourceGroupName, location: args.location },
            parent,
        );
        const credential = new managedidentity.FederatedIdentityCredential(
            name,
            {
                resourceGroupName: args.resourceGroupName,
                resourceName: this.identity.name,
                issuer: args.oidcIssuerUrl,
                subject: `system:serviceaccount:${args.namespace}:${args.serviceAccount}`,
                audiences: [federatedTokenAudience],
            },
            parent,
        );
        const seen = new Set<string>();
        const containers = args.containers.filter((c) => {
            const k = `${c.account}/${c.container}`;
            return !seen.has(k) && !!seen.add(k);
        });
        const grants = containers.map(
            (c) =>
                new authorization.RoleAssignment(
                    `${name}-${c.account}-${c.container}`,
                    {
                        scope: pulumi
                            .all([args.subscriptionId, args.storageResourceGroup])
                            .apply(([sub, rg]) => containerScope(sub, rg, c)),
                        roleDefinitionId: pulumi.interpolate`/subscriptions/${args.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${storageBlobDataReaderRoleId}`,
                        principalId: this.identity.principalId,
                        principalType: authorization.PrincipalType.ServicePrincipal,
                    },
                    parent,
                ),
        );
        // An output of every grant: pods created with the annotation wait until they can read.
        const clientId = pulumi
            .all([this.identity.clientId, credential.id, ...grants.map((g) => g.id)])
            .apply(([id]) => id);
        this.annotations = { [clientIdAnnotation]: clientId };
        this.registerOutputs({ clientId: this.identity.clientId });
    }
}
