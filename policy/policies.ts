// The pack: its name, its policies and their default enforcement. index.ts serves it to Pulumi;
// the tests run the same list (test/support/policyPack.ts), so what is tested is what is served.
import type { Policies, PolicyPackArgs } from "@pulumi/policy";
import { chartVersionsPinned } from "./charts";
import { requestsAndLimits } from "./containerResources";
import { noCredentialsInConfig } from "./credentials";
import { noPublicManagementPorts } from "./exposure";
import { gpuPodsPlaced, gpuPoolsTainted } from "./gpu";
import { imagesPinned } from "./images";
import { clusterNetworkPolicy } from "./networkPolicy";
import { modelStoresProtected } from "./protection";

export const packName = "torchserve-platform";

export const policies: Policies = [
    imagesPinned,
    gpuPoolsTainted,
    gpuPodsPlaced,
    requestsAndLimits,
    noPublicManagementPorts,
    // Mandatory like the rest: the program enables enforcement on every cluster it creates (networkPolicy.ts).
    clusterNetworkPolicy,
    modelStoresProtected,
    noCredentialsInConfig,
    chartVersionsPinned,
];

export const packArgs: PolicyPackArgs = {
    description:
        "The guarantees of the torchserve-platform program: pinned images and charts, tainted GPU pools, GPU pods placed on them, resource requests and limits, no public management port, enforced network policy, protected model stores, no credentials in configuration.",
    // Every policy blocks `pulumi up` unless it says otherwise or the stack's policy config lowers it.
    enforcementLevel: "mandatory",
    policies,
};
