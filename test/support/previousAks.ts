// What earlier versions of the program registered for the AKS cluster, for transition tests from a
// stack they created. Up to e18e7d6 (the parent of 0b3b41f, which added Cilium, Entra ID, local
// accounts off and authorized IP ranges) components/aks/index.ts gave the ManagedCluster this network
// profile and none of the identity keys below (`git show e18e7d6:components/aks/index.ts`).
import type { Evaluation, RegisteredResource } from "../../harness/evaluate";
import { refreshedInputs } from "../../harness/transitions/refresh";
import { mockId } from "../../harness/evaluate";

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

const roleAssignmentType = "azure-native:authorization:RoleAssignment";

/**
 * The state of a stack created by the version before `cluster.admins` (up to 8a4328f,
 * components/aks/index.ts `deployerAccess`): one RoleAssignment `<name>-deployer`, on the cluster,
 * for the object id of whoever ran the last `up` (the mocks' caller, …0003), with no principalType,
 * which the cluster did not wait for; none of the admins' assignments.
 */
export function deployerAssignment(
    ev: Evaluation,
    callerObjectId = "00000000-0000-0000-0000-000000000003",
): Evaluation {
    const admins = ev.resources.filter((r) => r.type === roleAssignmentType && /-admin-[0-9a-f-]{36}$/.test(r.name));
    if (admins.length === 0) throw new Error("expected the admins' role assignments");
    const cluster = ev.resources.find((r) => r.type === managedClusterType)!;
    const urn = admins[0].urn.replace(/::[^:]+$/, `::${cluster.name}-deployer`);
    const deployer: RegisteredResource = {
        ...admins[0],
        urn,
        name: `${cluster.name}-deployer`,
        dependencies: [cluster.urn],
        propertyDependencies: { scope: [cluster.urn] },
        inputs: {
            scope: mockId(cluster.name),
            principalId: callerObjectId,
            roleDefinitionId: admins[0].inputs.roleDefinitionId,
        },
        serializedInputs: undefined,
    };
    const adminUrns = new Set(admins.map((a) => a.urn));
    const resources = ev.resources
        .filter((r) => !adminUrns.has(r.urn))
        .map((r) => ({ ...r, dependencies: r.dependencies.filter((d) => !adminUrns.has(d)) }));
    return { ...ev, resources: [...resources, deployer] };
}

/**
 * The state after `az aks upgrade --kubernetes-version <minor>` (control plane and every pool together)
 * and `pulumi refresh`: azure-native copies the changed versions into the stored inputs of the
 * ManagedCluster (its version, the inline pool's) and of each AgentPool (harness/transitions/refresh.ts).
 */
export function upgradedWithAz(minor: string): (ev: Evaluation) => Evaluation {
    return (ev) => {
        const resources = ev.resources.map((r): RegisteredResource => {
            if (r.type === managedClusterType) {
                const profiles = (r.inputs.agentPoolProfiles ?? []) as Record<string, any>[];
                const upgraded = profiles.map((p) =>
                    p.orchestratorVersion ? { ...p, orchestratorVersion: minor } : p,
                );
                return {
                    ...r,
                    inputs: refreshedInputs(
                        r.inputs,
                        { kubernetesVersion: r.inputs.kubernetesVersion, agentPoolProfiles: profiles },
                        { kubernetesVersion: minor, agentPoolProfiles: upgraded },
                    ),
                };
            }
            if (r.type === "azure-native:containerservice:AgentPool" && r.inputs.orchestratorVersion)
                return {
                    ...r,
                    inputs: refreshedInputs(
                        r.inputs,
                        { orchestratorVersion: r.inputs.orchestratorVersion },
                        { orchestratorVersion: minor },
                    ),
                };
            return r;
        });
        return { ...ev, resources };
    };
}
