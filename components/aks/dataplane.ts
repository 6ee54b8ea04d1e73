// The AKS dataplane setting, without the Azure SDK: the config parser reads it on every cloud, and
// only `cloud: azure` may load @pulumi/azure-native (test/clouds.test.ts). ./network.ts says why it exists.

/**
 * The cluster's network dataplane, as Azure names it (`az aks show --query
 * networkProfile.networkDataplane`): `cilium` enforces NetworkPolicy; `azure` is what this program
 * created before it set a dataplane, with no network policy engine.
 */
export const AksNetworkDataplane = { Cilium: "cilium", Azure: "azure" } as const;
export type AksNetworkDataplane = (typeof AksNetworkDataplane)[keyof typeof AksNetworkDataplane];

/** Input paths the program leaves to the cluster on `azure` (the migration changes them outside Pulumi). */
export const dataplaneFields = ["networkProfile.networkDataplane", "networkProfile.networkPolicy"] as const;

/**
 * `ignoreChanges` for the dataplane: on `azure` the state's values are kept whatever they are, so a
 * stack whose cluster was migrated and refreshed but whose config still says `azure` sees no change
 * (and never a replacement) either. On `cilium` the program owns them.
 */
export function dataplaneIgnoreChanges(dataplane: AksNetworkDataplane): string[] {
    return dataplane === AksNetworkDataplane.Azure ? [...dataplaneFields] : [];
}
