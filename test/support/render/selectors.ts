// Kubernetes' matching rules, as the API documents them: label selectors (matchLabels AND
// matchExpressions), node selector terms (terms ORed, expressions ANDed) and taint tolerations.
import type { NodeTaint } from "./cluster";

export interface LabelSelectorRequirement {
    key: string;
    operator: string;
    values?: string[];
}

export interface LabelSelector {
    matchLabels?: Record<string, string>;
    matchExpressions?: LabelSelectorRequirement[];
}

/** One requirement against `labels`: In, NotIn, Exists, DoesNotExist, and for nodes Gt and Lt. */
export function matchesRequirement(labels: Record<string, string>, r: LabelSelectorRequirement): boolean {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    const v = labels[r.key];
    switch (r.operator) {
        case "In":
            return has && (r.values ?? []).includes(v);
        case "NotIn":
            return !has || !(r.values ?? []).includes(v);
        case "Exists":
            return has;
        case "DoesNotExist":
            return !has;
        case "Gt":
            return has && Number(v) > Number(r.values?.[0]);
        case "Lt":
            return has && Number(v) < Number(r.values?.[0]);
        default:
            throw new Error(`unknown selector operator ${r.operator}`);
    }
}

/**
 * Whether a label selector selects `labels`. An empty selector selects everything; an absent one
 * (undefined) selects nothing, as for a ServiceMonitor's or Prometheus's selectors.
 */
export function selects(selector: LabelSelector | undefined | null, labels: Record<string, string> = {}): boolean {
    if (!selector) return false;
    for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
    return (selector.matchExpressions ?? []).every((r) => matchesRequirement(labels, r));
}

export interface NodeSelectorTerm {
    matchExpressions?: LabelSelectorRequirement[];
    matchFields?: LabelSelectorRequirement[];
}

/**
 * Whether a node with `labels` satisfies a pod's nodeSelector and its required node affinity
 * (any term; a term with no expressions matches nothing). matchFields (metadata.name) are not
 * about pools and are taken as satisfiable.
 */
export function nodeQualifies(
    labels: Record<string, string>,
    nodeSelector: Record<string, string> | undefined,
    requiredTerms: NodeSelectorTerm[] | undefined,
): boolean {
    for (const [k, v] of Object.entries(nodeSelector ?? {})) if (labels[k] !== v) return false;
    if (!requiredTerms) return true;
    return requiredTerms.some((t) => {
        const exprs = t.matchExpressions ?? [];
        if (exprs.length === 0 && (t.matchFields ?? []).length === 0) return false;
        return exprs.every((r) => matchesRequirement(labels, r));
    });
}

export interface Toleration {
    key?: string;
    operator?: "Equal" | "Exists";
    value?: string;
    effect?: string;
}

/** A toleration's match: empty key with Exists tolerates every taint; empty effect every effect. */
export function tolerationMatches(t: Toleration, taint: NodeTaint): boolean {
    if (t.effect && t.effect !== taint.effect) return false;
    if (!t.key) return t.operator === "Exists";
    if (t.key !== taint.key) return false;
    return t.operator === "Exists" || (t.value ?? "") === (taint.value ?? "");
}

/** Taints that keep a pod with `tolerations` off the node (PreferNoSchedule only discourages). */
export function untoleratedTaints(taints: NodeTaint[], tolerations: Toleration[] | undefined): NodeTaint[] {
    return taints.filter(
        (taint) => taint.effect !== "PreferNoSchedule" && !(tolerations ?? []).some((t) => tolerationMatches(t, taint)),
    );
}
