// Network-policy enforcement on every cluster the stack creates: the program's NetworkPolicy
// objects (TorchServe's management and metrics ports reachable only from where they must be) are
// inert on a cluster whose network plugin does not enforce them. Mandatory: the program enables
// enforcement on every cluster it creates (components/eks/security.ts, components/aks/index.ts,
// components/gke/security.ts), and the pack's tests (test/policyStacks.test.ts) expect no violation
// on any example stack.
//
// A stack policy, because on EKS the setting is not on the cluster but on its vpc-cni add-on.
// Stack policies see each resource's outputs, which for these resources include their inputs.
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { known, unknown } from "./unknowns";
import {
    aksClusterType,
    eksAddonType,
    eksClusterType,
    gkeClusterType,
    pulumiEksClusterType,
    pulumiEksVpcCniType,
} from "./types";

/**
 * AKS: networkProfile.networkPolicy is azure, calico or cilium; "none" (the default when unset)
 * enforces nothing (azure-native containerservice NetworkPolicy enum;
 * learn.microsoft.com/azure/aks/use-network-policies).
 */
export function aksProblem(props: Record<string, any>): string | undefined {
    const policy = props.networkProfile?.networkPolicy;
    return ["azure", "calico", "cilium"].includes(policy)
        ? undefined
        : `AKS cluster enforces no network policy: networkProfile.networkPolicy is ${JSON.stringify(policy ?? null)} (set azure, calico or cilium)`;
}

/**
 * GKE: Dataplane V2 (datapathProvider ADVANCED_DATAPATH) enforces network policy; on the legacy
 * datapath it takes networkPolicy.enabled plus the network-policy add-on
 * (addonsConfig.networkPolicyConfig.disabled false). Pulumi gcp container.Cluster docs;
 * cloud.google.com/kubernetes-engine/docs/how-to/network-policy.
 */
export function gkeProblem(props: Record<string, any>): string | undefined {
    if (props.datapathProvider === "ADVANCED_DATAPATH") return undefined;
    if (props.networkPolicy?.enabled === true && props.addonsConfig?.networkPolicyConfig?.disabled === false)
        return undefined;
    return "GKE cluster enforces no network policy: set datapathProvider ADVANCED_DATAPATH (Dataplane V2), or networkPolicy.enabled with addonsConfig.networkPolicyConfig.disabled false";
}

/**
 * EKS enforces network policy through the VPC CNI add-on's `enableNetworkPolicy: "true"`
 * configuration value (docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html),
 * which pulumi-eks sets from vpcCniOptions.enableNetworkPolicy on its VpcCniAddon child
 * (pulumi/pulumi-eks nodejs/eks/addons/cni-addon.ts, mergeConfigurationValues).
 */
export function vpcCniEnforces(addon: Record<string, any>): boolean {
    if (addon.addonName !== "vpc-cni") return false;
    let config: any = addon.configurationValues;
    if (typeof config === "string") {
        try {
            config = JSON.parse(config);
        } catch {
            return false;
        }
    }
    return String(config?.enableNetworkPolicy) === "true";
}

function ancestors(r: PolicyResource): PolicyResource[] {
    const out: PolicyResource[] = [];
    for (let p = r.parent; p; p = p.parent) out.push(p);
    return out;
}

/** The EKS clusters of a stack, each with the resources that may carry its network-policy setting. */
function eksProblems(resources: PolicyResource[]): { urn: string; message: string }[] {
    // A pulumi-eks Cluster creates an aws.eks.Cluster child; under test mocks (which do not run the
    // component's provider) the component stands alone, and its recorded inputs are what it sets.
    const clusters = resources.filter(
        (r) =>
            r.type === eksClusterType ||
            (r.type === pulumiEksClusterType &&
                !resources.some((c) => c.type === eksClusterType && ancestors(c).includes(r))),
    );
    // Settings a preview does not know yet count as not set.
    const evidence = resources.filter(
        (r) =>
            known(
                () =>
                    (r.type === eksAddonType && vpcCniEnforces(r.props)) ||
                    (r.type === pulumiEksVpcCniType && r.props.enableNetworkPolicy === true) ||
                    (r.type === pulumiEksClusterType &&
                        r.props.vpcCniOptions?.enableNetworkPolicy === true &&
                        r.props.useDefaultVpcCni === false),
            ) === true,
    );
    // A cluster name a preview does not know yet (a new cluster's) matches nothing.
    const nameOf = (r: PolicyResource) => {
        const name = known(() =>
            r.type === eksAddonType || r.type === pulumiEksVpcCniType ? r.props.clusterName : r.props.name,
        );
        return name === unknown || name === undefined ? undefined : String(name);
    };
    return clusters
        .filter((cluster) => {
            const family = [cluster, ...ancestors(cluster).filter((a) => a.type === pulumiEksClusterType)];
            return !evidence.some(
                (e) =>
                    family.includes(e) ||
                    family.some((f) => ancestors(e).includes(f)) ||
                    (nameOf(e) !== undefined && family.some((f) => nameOf(f) === nameOf(e))) ||
                    clusters.length === 1,
            );
        })
        .map((cluster) => ({
            urn: cluster.urn,
            message:
                'EKS cluster enforces no network policy: give it the vpc-cni add-on with configuration value enableNetworkPolicy "true" (pulumi-eks: vpcCniOptions.enableNetworkPolicy with useDefaultVpcCni false)',
        }));
}

export const clusterNetworkPolicy: StackValidationPolicy = {
    name: "cluster-network-policy-enforced",
    description:
        "Every cluster the stack creates enforces Kubernetes NetworkPolicy (EKS: VPC CNI network policy; AKS: networkProfile.networkPolicy; GKE: Dataplane V2 or network policy enabled).",
    validateStack: (args, reportViolation) => {
        for (const r of args.resources) {
            const problem =
                r.type === aksClusterType
                    ? aksProblem(r.props)
                    : r.type === gkeClusterType
                      ? gkeProblem(r.props)
                      : undefined;
            if (problem) reportViolation(`${r.name}: ${problem}.`, r.urn);
        }
        for (const { urn, message } of eksProblems(args.resources)) reportViolation(`${message}.`, urn);
    },
};
