// `cluster.aksNetworkDataplane`: keeps an AKS cluster created before the Cilium dataplane as it is
// until its operator migrates it (README "Stacks created before these settings").
import { AksNetworkDataplane } from "../../../components/aks/dataplane";
import { Raw } from "../fields";
import { isUnset, Problems } from "../problems";
import { Cloud } from "../settings";

const values = Object.values(AksNetworkDataplane);

/**
 * `cilium` (default) for every new cluster; `azure` for a cluster that still runs the Azure dataplane
 * (what `az aks show --query networkProfile.networkDataplane` prints), which enforces no
 * NetworkPolicy: said at every preview. Refused off azure.
 */
export function readAksNetworkDataplane(
    problems: Problems,
    prefix: string,
    obj: Raw,
    cloud: Cloud | undefined,
): AksNetworkDataplane | undefined {
    const key = `${prefix}.aksNetworkDataplane`;
    const value = obj.aksNetworkDataplane;
    if (isUnset(value)) return undefined;
    if (cloud !== "azure") {
        if (cloud) problems.errorText(key, "only used with cloud: azure (the AKS cluster's dataplane)");
        return undefined;
    }
    if (typeof value !== "string" || !(values as string[]).includes(value)) {
        problems.error(key, value, `expected one of ${values.join(", ")}`);
        return undefined;
    }
    if (value === AksNetworkDataplane.Azure)
        problems.warn(
            key,
            `azure: this AKS cluster enforces no NetworkPolicy (TorchServe's management and metrics ports are open to every pod) until it is migrated to Cilium and this key removed; README "Stacks created before these settings"`,
        );
    return value as AksNetworkDataplane;
}
