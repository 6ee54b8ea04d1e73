// The AKS cluster's network profile, and how a cluster created before the Cilium dataplane keeps its
// own until it is migrated.
//
// azure-native replaces a ManagedCluster when `networkProfile.networkDataplane` or `networkPolicy`
// changes, including when they are added to inputs that lacked them (pulumi/pulumi-azure-native
// provider/pkg/gen/replacement.go forceNewMap @1b7112af33c6; provider/pkg/provider/diff.go
// calculateObjectDiff: an added force-new key is ADD_REPLACE). Azure itself moves an Azure CNI
// overlay cluster to the Cilium dataplane in place (`az aks update --network-dataplane cilium`,
// MicrosoftDocs/azure-aks-docs articles/aks/upgrade-aks-ipam-and-dataplane.md @2d806155ca73,
// "Upgrade an existing cluster to Azure CNI Powered by Cilium": every node pool is reimaged at once,
// Cilium enforces NetworkPolicy once all nodes are). So the program never asks for the change: the
// operator runs the migration, `pulumi refresh` copies the new values into the state's inputs
// (azure-native provider.go Read applies the change between old and new outputs to the inputs), and
// then the program asks for what the cluster already has.
import * as containerservice from "@pulumi/azure-native/containerservice";
import { AksNetworkDataplane } from "./dataplane";

/**
 * The network profile: Azure CNI overlay (pod IPs from a private range, not the VNet), and on
 * `cilium` the Cilium dataplane and policy engine. On `azure` it is exactly what earlier versions of
 * the program registered (no dataplane, no policy), so an existing cluster's inputs do not change.
 */
export function aksNetworkProfile(dataplane: AksNetworkDataplane) {
    return {
        networkPlugin: containerservice.NetworkPlugin.Azure,
        networkPluginMode: containerservice.NetworkPluginMode.Overlay,
        ...(dataplane === AksNetworkDataplane.Cilium
            ? {
                  networkDataplane: containerservice.NetworkDataplane.Cilium,
                  networkPolicy: containerservice.NetworkPolicy.Cilium,
              }
            : {}),
        podCidr: "10.244.0.0/16",
        serviceCidr: "10.0.0.0/16",
        dnsServiceIP: "10.0.0.10",
        loadBalancerSku: containerservice.LoadBalancerSku.Standard,
        outboundType: containerservice.OutboundType.LoadBalancer,
    };
}
