// `cluster.apiAllowedCidrs`, and what the program cannot check on an adopted cluster.
import { anyAddress, cidrProblem, maxApiAllowedCidrs } from "../../../components/cluster/apiAccess";
import { Raw } from "../fields";
import { isUnset, Problems } from "../problems";
import { Cloud } from "../settings";

const example = `e.g. ["203.0.113.0/24"] (your office or VPN egress; a single address is /32)`;

/**
 * Who may reach the API server of a cluster the program creates. Required, with no default: every
 * default is wrong for someone (0.0.0.0/0 publishes the API server to the internet, anything else
 * can lock its owner out), so the stack says it, and `0.0.0.0/0` is accepted with a warning.
 * Refused on `existing`, whose API server the program does not manage.
 */
export function readApiAllowedCidrs(
    problems: Problems,
    prefix: string,
    obj: Raw,
    cloud: Cloud | undefined,
): string[] | undefined {
    const key = `${prefix}.apiAllowedCidrs`;
    const value = obj.apiAllowedCidrs;
    if (cloud === undefined) return undefined;
    if (cloud === "existing") {
        if (!isUnset(value))
            problems.errorText(key, "only used when the program creates the cluster (cloud aws, azure or gcp)");
        return undefined;
    }
    if (isUnset(value)) {
        problems.errorText(
            key,
            `required: the address blocks that may reach the cluster's Kubernetes API server, ${example}; ["${anyAddress}"] allows any address (the API server still requires credentials)`,
        );
        return undefined;
    }
    const max = maxApiAllowedCidrs[cloud];
    if (!Array.isArray(value) || value.length === 0 || value.length > max) {
        problems.error(key, value, `expected a list of 1 to ${max} IPv4 CIDR blocks, ${example}`);
        return undefined;
    }
    const wrong = value.map((c) => (typeof c === "string" ? cidrProblem(c) : `${JSON.stringify(c)} is not a string`));
    const first = wrong.find((w) => w !== undefined);
    if (first) {
        problems.error(key, value, first);
        return undefined;
    }
    const cidrs = value as string[];
    if (new Set(cidrs).size !== cidrs.length) {
        problems.error(key, value, "lists a block twice");
        return undefined;
    }
    if (cidrs.includes(anyAddress)) {
        problems.warn(
            key,
            `${anyAddress} lets any address reach the Kubernetes API server (it still requires credentials); list your own blocks to close it`,
        );
    }
    return cidrs;
}

/**
 * On `existing` the program cannot see the cluster's network plugin, and TorchServe's management and
 * metrics ports are closed only by NetworkPolicies that nothing enforces without one that does.
 */
export function warnNetworkPolicyUnchecked(problems: Problems, cloudKey: string, cloud: Cloud | undefined): void {
    if (cloud !== "existing") return;
    problems.warn(
        cloudKey,
        "existing: the program cannot check that this cluster enforces NetworkPolicy; TorchServe's management and metrics ports are closed only by NetworkPolicies, so the cluster's network plugin must enforce them (EKS: vpc-cni enableNetworkPolicy; AKS: a network policy engine; GKE: Dataplane V2 or network policy enabled; elsewhere a plugin such as Calico or Cilium)",
    );
}
