// What earlier versions of the program registered for the AKS cluster, for transition tests from a
// stack they created. Up to e18e7d6 (the parent of 0b3b41f, which added Cilium, Entra ID, local
// accounts off and authorized IP ranges) components/aks/index.ts gave the ManagedCluster this network
// profile and none of the identity keys below (`git show e18e7d6:components/aks/index.ts`).
import type { Evaluation, RegisteredResource } from "../../harness/evaluate";
import { refreshedInputs } from "../../harness/transitions/refresh";

export const managedClusterType = "azure-native:containerservice:ManagedCluster";

/** The ManagedCluster's `networkProfile` up to e18e7d6: Azure CNI overlay, no dataplane, no policy. */
export const previousNetworkProfile = {
    networkPlugin: "azure",
    networkPluginMode: "overlay",
    podCidr: "10.244.0.0/16",
    serviceCidr: "10.0.0.0/16",
    dnsServiceIP: "10.0.0.10",
    loadBalancerSku: "standard",
    outboundType: "loadBalancer",
};

/** Keys 0b3b41f added to the ManagedCluster (components/aks/security.ts clusterSecurity). */
const addedSince = ["aadProfile", "disableLocalAccounts", "apiServerAccessProfile"];

/** `ev` with its ManagedCluster's inputs edited by `edit` (the state a stack would hold). */
function withCluster(ev: Evaluation, edit: (inputs: Record<string, any>) => Record<string, any>): Evaluation {
    let found = 0;
    const resources = ev.resources.map((r): RegisteredResource => {
        if (r.type !== managedClusterType) return r;
        found++;
        return { ...r, inputs: edit(r.inputs) };
    });
    if (found !== 1) throw new Error(`expected one ManagedCluster, found ${found}`);
    return { ...ev, resources };
}

/**
 * The state of a stack created by e18e7d6: the evaluation's ManagedCluster with that version's
 * network profile and without the identity keys added since (which are in-place updates). The other
 * resources are the evaluation's own.
 */
export function createdBeforeCilium(ev: Evaluation): Evaluation {
    return withCluster(ev, (inputs) => {
        const out: Record<string, any> = { ...inputs, networkProfile: previousNetworkProfile };
        for (const k of addedSince) delete out[k];
        return out;
    });
}

/**
 * That state after `az aks update --network-dataplane cilium` and `pulumi refresh`: the cluster's
 * outputs went from the Azure dataplane without a policy engine to Cilium for both, and azure-native's
 * refresh copies that change into the stored inputs (harness/transitions/refresh.ts).
 */
export function migratedToCilium(ev: Evaluation): Evaluation {
    const before = createdBeforeCilium(ev);
    return withCluster(before, (inputs) =>
        refreshedInputs(
            inputs,
            { networkProfile: { ...previousNetworkProfile, networkDataplane: "azure", networkPolicy: "none" } },
            { networkProfile: { ...previousNetworkProfile, networkDataplane: "cilium", networkPolicy: "cilium" } },
        ),
    );
}
