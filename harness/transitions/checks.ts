// Rules every transition must satisfy, and what a `pulumi destroy` from a state would leave behind.
// Each check returns violations (empty = the rule holds); tests assert none and prove each check
// fails on a broken transition.
import type { Evaluation, RegisteredResource } from "../evaluate";
import { getPath, parsePath } from "./paths";
import type { Transition } from "./plan";
import { AddonView, minorOf, NodePoolView, rulesFor } from "./rules";

export interface Violation {
    rule:
        | "refused-update"
        | "protected"
        | "name-collision"
        | "invalid-input"
        | "serving-capacity"
        | "version-reach"
        | "unpinned-addon"
        | "reference-gap"
        | "bound-volume"
        | "admin-access";
    urn: string;
    message: string;
}

const label = (s: { type: string; name: string }) => `${s.type} ${s.name}`;

/** No in-place update of a field the API refuses. */
export function refusedUpdates(t: Transition): Violation[] {
    return t.steps.flatMap((s) =>
        s.refused.map((r) => ({
            rule: "refused-update" as const,
            urn: s.urn,
            message: `${label(s)}: ${r.path} ${JSON.stringify(r.before)} → ${JSON.stringify(r.after)} is refused: ${r.message} (${r.source})`,
        })),
    );
}

/** No replacement or deletion of a resource the state marks `protect`. */
export function protectedChanges(t: Transition): Violation[] {
    return t.steps
        .filter((s) => (s.action === "replace" || s.action === "delete") && s.old?.options.protect)
        .map((s) => ({
            rule: "protected" as const,
            urn: s.urn,
            message: `${label(s)} is protected but would be ${s.action === "delete" ? "deleted" : `replaced (${s.replaceBecause.map((b) => b.path).join(", ")})`}`,
        }));
}

/** A create-first replacement must not take the physical name the old resource still holds. */
export function nameCollisions(t: Transition): Violation[] {
    return t.steps
        .filter((s) => s.nameCollision !== undefined)
        .map((s) => ({
            rule: "name-collision" as const,
            urn: s.urn,
            message: `${label(s)} is replaced create-first under the same name ${s.nameCollision}: the create fails while the old one exists`,
        }));
}

/** Inputs the provider would send (ignoreChanges values merged in) must be valid for the API. */
export function invalidInputs(t: Transition): Violation[] {
    const out: Violation[] = [];
    for (const s of t.steps) {
        if (s.action === "delete" || s.action === "same") continue;
        const v = rulesFor(s.type)?.validate;
        if (!v) continue;
        for (const problem of v.check(s.inputs)) {
            const kept = s.kept.length
                ? ` (kept by ignoreChanges: ${s.kept.map((k) => `${k.path}=${JSON.stringify(k.value)}`).join(", ")})`
                : "";
            out.push({ rule: "invalid-input", urn: s.urn, message: `${label(s)}: ${problem}${kept} (${v.source})` });
        }
    }
    return out;
}

function poolOf(r: RegisteredResource | undefined, inputs?: any): NodePoolView | undefined {
    if (!r) return undefined;
    return rulesFor(r.type)?.nodePool?.(inputs ?? r.inputs);
}

/** Deployments whose pods request GPUs: what serves. */
function servingDeployments(ev: Evaluation): RegisteredResource[] {
    return ev.resources.filter(
        (r) =>
            r.type === "kubernetes:apps/v1:Deployment" &&
            ((getPath(r.inputs, parsePath("spec.template.spec.containers")) as any[]) ?? []).some(
                (c) => c?.resources?.limits?.["nvidia.com/gpu"] !== undefined,
            ),
    );
}

/**
 * Serving capacity never drops to zero when a GPU pool is replaced or swapped: the new pool exists
 * before the old one is deleted (create-first, and under another name), and the GPU workload is
 * rolled onto it — its pod template changes, it waits for the new pool, and its rollout keeps a
 * replica up — before the old pool goes (Pulumi deletes replaced and removed resources last).
 */
export function servingCapacity(t: Transition): Violation[] {
    const out: Violation[] = [];
    const gone = t.steps.filter((s) => {
        const p = poolOf(s.old);
        return p?.role === "gpu" && p.maxNodes > 0 && (s.action === "replace" || s.action === "delete");
    });
    if (gone.length === 0) return out;
    const serving = servingDeployments(t.to);
    const newPools = t.steps.filter(
        (s) => (s.action === "replace" || s.action === "create") && poolOf(s.resource, s.inputs)?.role === "gpu",
    );
    for (const s of gone) {
        if (s.action === "replace" && s.deleteBeforeReplace) {
            out.push({
                rule: "serving-capacity",
                urn: s.urn,
                message: `${label(s)} is deleted before its replacement exists (deleteBeforeReplace): no GPU nodes until the new pool is up`,
            });
            continue;
        }
        if (serving.length === 0) continue;
        if (newPools.length === 0) {
            out.push({
                rule: "serving-capacity",
                urn: s.urn,
                message: `${label(s)} is deleted and no GPU pool replaces it`,
            });
            continue;
        }
        for (const d of serving) {
            const step = t.steps.find((x) => x.resource === d);
            const rolled = step?.action === "update" && step.changed.some((c) => c.startsWith("spec.template"));
            const waits = newPools.some((p) => d.dependencies.includes(p.resource!.urn));
            const strategy = getPath(d.inputs, parsePath("spec.strategy.rollingUpdate")) as any;
            const replicas = (getPath(d.inputs, parsePath("spec.replicas")) as number | undefined) ?? 1;
            const keepsOne = strategy?.maxUnavailable === 0 || replicas > Number(strategy?.maxUnavailable ?? 1);
            const why = [
                rolled ? "" : "its pod template does not change, so its pods stay on the old pool until it is drained",
                waits ? "" : "it does not wait for the new pool",
                keepsOne
                    ? ""
                    : `its rollout may take every replica down (maxUnavailable ${strategy?.maxUnavailable}, replicas ${replicas})`,
            ].filter(Boolean);
            if (why.length)
                out.push({
                    rule: "serving-capacity",
                    urn: s.urn,
                    message: `${label(s)} goes away while ${label(d)} still serves from it: ${why.join("; ")}`,
                });
        }
    }
    return out;
}

function addonsOf(r: RegisteredResource, inputs: any): AddonView[] {
    return rulesFor(r.type)?.addons?.(inputs) ?? [];
}

/** Versions a run time lookup resolved rather than the program pinned (the mocks answer v0.0.0-mock). */
const pinnedAddonVersion = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;

/** Every managed add-on version is pinned in the program: a routine `up` cannot roll the data plane. */
export function unpinnedAddons(ev: Evaluation): Violation[] {
    return ev.resources.flatMap((r) =>
        addonsOf(r, r.inputs)
            .filter((a) => !pinnedAddonVersion.test(String(a.version ?? "")))
            .map((a) => ({
                rule: "unpinned-addon" as const,
                urn: r.urn,
                message: `${r.type} ${r.name}: add-on ${a.addon} version ${a.version === undefined ? "left to the cloud's default" : JSON.stringify(a.version)} is not pinned`,
            })),
    );
}

/**
 * A Kubernetes version change reaches every node pool (pinned to the new minor, or upgraded by the
 * cloud with the control plane) and every managed add-on (kube-proxy on the new minor; every add-on
 * moved to the version pinned for it).
 */
export function versionReach(t: Transition): Violation[] {
    const out: Violation[] = [];
    const minors = (ev: Evaluation) =>
        ev.resources.map((r) => rulesFor(r.type)?.controlPlaneVersion?.(r.inputs)).filter((v): v is string => !!v);
    const before = minors(t.from)[0];
    const after = minors(t.to)[0];
    if (!before || !after || before === after) return out;
    for (const s of t.steps) {
        if (s.action === "delete" || !s.resource) continue;
        const pool = poolOf(s.resource, s.inputs);
        if (pool && pool.version !== "follows" && minorOf(pool.version) !== after)
            out.push({
                rule: "version-reach",
                urn: s.urn,
                message: `${label(s)}: the control plane moves to ${after} but the pool stays on ${pool.version ?? "the version it was created with"}`,
            });
        for (const a of addonsOf(s.resource, s.inputs)) {
            // kube-proxy is versioned with Kubernetes itself: it must follow the control plane's minor.
            if (a.addon === "kube-proxy" && minorOf(a.version) !== after)
                out.push({
                    rule: "version-reach",
                    urn: s.urn,
                    message: `${label(s)}: kube-proxy ${a.version} on a ${after} control plane`,
                });
        }
    }
    return out;
}

/** Every transition rule at once. */
export function checkTransition(t: Transition): Violation[] {
    return [
        ...refusedUpdates(t),
        ...protectedChanges(t),
        ...nameCollisions(t),
        ...invalidInputs(t),
        ...servingCapacity(t),
        ...versionReach(t),
        ...unpinnedAddons(t.to),
        ...referenceGaps(t),
        ...boundVolumes(t),
        ...adminAccess(t),
        ...aksMinorUpgrades(t),
    ];
}

const managedClusterType = "azure-native:containerservice:ManagedCluster";
const agentPoolType = "azure-native:containerservice:AgentPool";

/** The AKS rule and where it is documented. */
export const aksUpgradeTogether = {
    source: 'AKS docs, Automatically upgrade an AKS cluster, "Cluster autoupgrade limitations" (https://learn.microsoft.com/azure/aks/auto-upgrade-cluster): with an autoupgrade channel the control plane and the node pools upgrade together, a control-plane-only upgrade is refused; pulumi/pulumi-azure-native#2094, Azure/ARO-HCP#662 (separate agent pool resources), hashicorp/terraform-provider-azurerm#17839 (channel patch)',
    message:
        "NotAllAgentPoolOrchestratorVersionSpecifiedAndUnchanged: Using managed cluster api, all Agent pools' OrchestratorVersion must be all specified or all unspecified. If all specified, they must be stay unchanged or the same with control plane.",
};

/**
 * An AKS minor upgrade through the managed cluster API: one PUT of the ManagedCluster (azure-native
 * sends one request per update) carries the control plane's version and its inline pools only. A
 * separate AgentPool with a pinned orchestratorVersion is not in that request: it would move after
 * the control plane, in its own request, which AKS refuses with an autoupgrade channel set (the pools
 * upgrade with the control plane or not at all).
 */
export function aksMinorUpgrades(t: Transition): Violation[] {
    const out: Violation[] = [];
    for (const s of t.steps) {
        if (s.type !== managedClusterType || s.action !== "update" || !s.old) continue;
        const before = minorOf(s.old.inputs.kubernetesVersion);
        const after = minorOf(s.inputs.kubernetesVersion);
        if (!before || !after || before === after) continue;
        const channel = s.inputs.autoUpgradeProfile?.upgradeChannel;
        if (channel === undefined || channel === "none") continue;
        const separate = t.from.resources.filter((r) => r.type === agentPoolType && r.inputs.orchestratorVersion);
        if (separate.length)
            out.push({
                rule: "refused-update",
                urn: s.urn,
                message: `${label(s)}: kubernetesVersion ${before} → ${after} with upgrade channel ${channel} while ${separate.map((p) => p.name).join(", ")} (separate agent pools) stay on their version in that request: ${aksUpgradeTogether.message} (${aksUpgradeTogether.source})`,
            });
    }
    return out;
}

/** Built-in role "Azure Kubernetes Service RBAC Cluster Admin" (components/aks/security.ts). */
const aksClusterAdminRole = "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b";
const roleAssignmentType = "azure-native:authorization:RoleAssignment";

const isAksAdminAssignment = (r: RegisteredResource) =>
    r.type === roleAssignmentType && String(r.inputs.roleDefinitionId ?? "").endsWith(`/${aksClusterAdminRole}`);

/**
 * No cluster admin loses access: every principal with an AKS RBAC Cluster Admin assignment the
 * state holds still has one after the `up` (its own kept, or a new one on the cluster or its group).
 * Pulumi creates the new assignments before it deletes the old ones, so access never lapses during
 * the `up`; a principal left out of `cluster.admins` is what this reports.
 */
export function adminAccess(t: Transition): Violation[] {
    const after = new Set(t.to.resources.filter(isAksAdminAssignment).map((r) => String(r.inputs.principalId)));
    return t.steps
        .filter((s) => s.old && isAksAdminAssignment(s.old) && (s.action === "delete" || s.action === "replace"))
        .filter((s) => !after.has(String(s.old!.inputs.principalId)))
        .map((s) => ({
            rule: "admin-access" as const,
            urn: s.urn,
            message: `${label(s)}: principal ${s.old!.inputs.principalId} loses AKS cluster admin (no assignment of the role remains for it)`,
        }));
}

const workloadTypes = [
    "kubernetes:apps/v1:Deployment",
    "kubernetes:apps/v1:DaemonSet",
    "kubernetes:apps/v1:StatefulSet",
];

/** `ConfigMap/<name>` and `Secret/<name>` a pod spec reads: volumes (projected too), envFrom, env. */
export function podReferences(pod: any): string[] {
    const out: string[] = [];
    const volumeRefs = (v: any) => {
        if (v?.configMap?.name) out.push(`ConfigMap/${v.configMap.name}`);
        if (v?.secret?.secretName) out.push(`Secret/${v.secret.secretName}`);
        for (const p of v?.projected?.sources ?? [])
            volumeRefs({ configMap: p.configMap, secret: p.secret && { secretName: p.secret.name } });
    };
    for (const v of pod?.volumes ?? []) volumeRefs(v);
    for (const c of [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])]) {
        for (const f of c.envFrom ?? []) {
            if (f.configMapRef?.name) out.push(`ConfigMap/${f.configMapRef.name}`);
            if (f.secretRef?.name) out.push(`Secret/${f.secretRef.name}`);
        }
        for (const e of c.env ?? []) {
            if (e.valueFrom?.configMapKeyRef?.name) out.push(`ConfigMap/${e.valueFrom.configMapKeyRef.name}`);
            if (e.valueFrom?.secretKeyRef?.name) out.push(`Secret/${e.valueFrom.secretKeyRef.name}`);
        }
    }
    return out;
}

/**
 * A ConfigMap or Secret that pods read is never deleted before its replacement exists: between the
 * delete and the create, a pod that starts (the rollout, a restart, a rescheduled pod) cannot mount
 * it and waits, and if the create fails the running pods' config is gone. pulumi-kubernetes deletes
 * first when the object keeps a name the program set (provider.go Diff), so such objects must be
 * left to autonaming (a new name, created first) or never replaced.
 */
export function referenceGaps(t: Transition): Violation[] {
    const out: Violation[] = [];
    for (const s of t.steps) {
        if (s.action !== "replace" || !s.deleteBeforeReplace || !s.old) continue;
        const kind = /^kubernetes:core\/v1:(ConfigMap|Secret)$/.exec(s.type)?.[1];
        const name = s.old.inputs.metadata?.name;
        if (!kind || name === undefined) continue;
        const ns = s.old.inputs.metadata?.namespace;
        const readers = [...t.from.resources, ...t.to.resources].filter(
            (r) =>
                workloadTypes.includes(r.type) &&
                r.inputs.metadata?.namespace === ns &&
                podReferences(r.inputs.spec?.template?.spec).includes(`${kind}/${name}`),
        );
        const names = [...new Set(readers.map((r) => r.name))];
        if (names.length)
            out.push({
                rule: "reference-gap",
                urn: s.urn,
                message: `${label(s)} is replaced delete-first under its fixed name ${name}, which ${names.join(", ")} mount(s): pods that start between the delete and the create wait for it, and a failed create leaves them without it`,
            });
    }
    return out;
}

/**
 * A PersistentVolume is never deleted (or replaced, which deletes it) while the claim bound to it
 * stays: Kubernetes postpones removing a PV "until the PV is no longer bound to a PVC" (kubernetes.io
 * docs/concepts/storage/persistent-volumes.md "Storage Object in Use Protection", finalizer
 * kubernetes.io/pv-protection), so Pulumi's delete waits until it times out and a delete-first
 * replacement under the same name is never created. Bound = the claim's `spec.volumeName` or the
 * volume's `spec.claimRef`; the claim stays when its own step neither deletes nor replaces it.
 */
export function boundVolumes(t: Transition): Violation[] {
    const out: Violation[] = [];
    const claimType = "kubernetes:core/v1:PersistentVolumeClaim";
    const claimSteps = t.steps.filter((s) => s.type === claimType && s.old);
    for (const s of t.steps) {
        if (s.type !== "kubernetes:core/v1:PersistentVolume" || !s.old) continue;
        if (s.action !== "delete" && s.action !== "replace") continue;
        const pv = s.old.inputs;
        const name = pv.metadata?.name;
        const ref = pv.spec?.claimRef;
        const kept = claimSteps.filter((c) => {
            if (c.action === "delete" || c.action === "replace") return false;
            const claim = c.old!.inputs;
            const byVolume = name !== undefined && claim.spec?.volumeName === name;
            const byRef =
                ref?.name !== undefined &&
                claim.metadata?.name === ref.name &&
                (claim.metadata?.namespace ?? "default") === (ref.namespace ?? "default");
            return byVolume || byRef;
        });
        if (kept.length)
            out.push({
                rule: "bound-volume",
                urn: s.urn,
                message: `${label(s)} is ${s.action === "delete" ? "deleted" : "replaced"} while ${kept.map((c) => c.name).join(", ")} stays bound to it: Kubernetes keeps a bound volume (pv-protection), so the delete waits until Pulumi gives up`,
            });
    }
    return out;
}

/** A readable list, for assertion messages. */
export function describe(violations: Violation[]): string {
    return violations.map((v) => `[${v.rule}] ${v.message}`).join("\n");
}
