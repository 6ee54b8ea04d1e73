// Cross-check (a): every workload fits some node pool the program creates (nodeSelector and
// required node affinity against the pool's labels, tolerations against its taints), and the
// DaemonSets meant for GPU nodes (or for every node) fit every such pool.
import type { NodePool } from "../cluster";
import { describe, K8sObject, Placed } from "../manifest";
import { nodeQualifies, NodeSelectorTerm, Toleration, untoleratedTaints } from "../selectors";

/** The scheduling-relevant part of a pod spec. */
export interface PodPlacement {
    nodeSelector?: Record<string, string>;
    affinity?: {
        nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] } };
    };
    tolerations?: Toleration[];
}

const podTemplateKinds = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"]);
/** prometheus-operator resources whose spec carries the pod placement of the StatefulSet it makes. */
const operatorPodKinds = new Set([
    "monitoring.coreos.com:Prometheus",
    "monitoring.coreos.com:Alertmanager",
    "monitoring.coreos.com:ThanosRuler",
]);

/** Where the pods of `o` may go; undefined when `o` makes no pods. */
export function podPlacementOf(o: K8sObject): PodPlacement | undefined {
    const group = o.apiVersion.includes("/") ? o.apiVersion.slice(0, o.apiVersion.lastIndexOf("/")) : "";
    if (podTemplateKinds.has(o.kind) && (group === "apps" || group === "batch")) return o.spec?.template?.spec ?? {};
    if (o.kind === "CronJob" && group === "batch") return o.spec?.jobTemplate?.spec?.template?.spec ?? {};
    if (o.kind === "Pod" && group === "") return o.spec ?? {};
    if (operatorPodKinds.has(`${group}:${o.kind}`)) return o.spec ?? {};
    return undefined;
}

/** Why pods placed as `p` cannot run on `pool`; undefined when they can. */
export function whyNot(p: PodPlacement, pool: NodePool): string | undefined {
    const terms = p.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    if (!nodeQualifies(pool.labels, p.nodeSelector, undefined))
        return `nodeSelector ${JSON.stringify(p.nodeSelector)} does not match its labels`;
    if (!nodeQualifies(pool.labels, undefined, terms))
        return `required node affinity ${JSON.stringify(terms)} does not match its labels`;
    const blocking = untoleratedTaints(pool.taints, p.tolerations);
    if (blocking.length)
        return `taint ${blocking.map((t) => `${t.key}${t.value !== undefined ? `=${t.value}` : ""}:${t.effect}`).join(", ")} not tolerated`;
    return undefined;
}

/** What a stack expects of particular workloads beyond fitting some pool. */
export interface SchedulingExpectations {
    /**
     * Pools a DaemonSet must run on, with the reason: every GPU pool for GPU agents (device plugin,
     * GPU metrics), every pool for node agents. Undefined = no such requirement.
     */
    mustCover?(p: Placed): { pool: (pool: NodePool) => boolean; because: string } | undefined;
    /**
     * DaemonSets that by design run on no node until one gets a label nothing in the stack sets;
     * the reason. They are reported if they do fit some pool after all.
     */
    idleByDesign?(p: Placed): string | undefined;
}

/** Problems: workloads that fit no pool, DaemonSets missing a pool they must cover, and idle ones that are not. */
export function schedulingProblems(
    objects: Placed[],
    pools: NodePool[],
    expect: SchedulingExpectations = {},
): string[] {
    if (pools.length === 0) return ["the cluster has no node pools"];
    const problems: string[] = [];
    for (const placed of objects) {
        const p = podPlacementOf(placed.object);
        if (!p) continue;
        const reasons = pools.map((pool) => ({ pool, why: whyNot(p, pool) }));
        const what = `${placed.origin}: ${describe(placed.object)}`;
        const isDaemonSet = placed.object.kind === "DaemonSet";
        const idle = isDaemonSet ? expect.idleByDesign?.(placed) : undefined;
        if (idle !== undefined) {
            const fits = reasons.filter((r) => !r.why).map((r) => r.pool.name);
            if (fits.length) problems.push(`${what} should run nowhere (${idle}) but fits ${fits.join(", ")}`);
            continue;
        }
        if (reasons.every((r) => r.why)) {
            problems.push(`${what} fits no node pool (${reasons.map((r) => `${r.pool.name}: ${r.why}`).join("; ")})`);
            continue;
        }
        const cover = isDaemonSet ? expect.mustCover?.(placed) : undefined;
        for (const r of reasons) {
            if (cover && cover.pool(r.pool) && r.why)
                problems.push(`${what} must run on ${r.pool.name} (${cover.because}) but cannot: ${r.why}`);
        }
    }
    return problems;
}
