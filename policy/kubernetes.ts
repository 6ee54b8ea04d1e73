// Reading Kubernetes objects as policies receive them: the resource's inputs, in Kubernetes'
// own shape (the Pulumi Kubernetes provider passes the object through as it is written).

/** The kinds that carry a pod template, and where it sits in each (Patch kinds are partial: skipped). */
const podSpecPaths: Record<string, string[]> = {
    Pod: ["spec"],
    PodTemplate: ["template", "spec"],
    ReplicationController: ["spec", "template", "spec"],
    Deployment: ["spec", "template", "spec"],
    DaemonSet: ["spec", "template", "spec"],
    StatefulSet: ["spec", "template", "spec"],
    ReplicaSet: ["spec", "template", "spec"],
    Job: ["spec", "template", "spec"],
    CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
};

/** `kubernetes:<group>/<version>:<Kind>` → Kind, for core, apps, batch and extensions objects. */
const workloadType = /^kubernetes:(?:core|apps|batch|extensions)\/v[0-9a-z]+:([A-Za-z]+)$/;

/** The Kubernetes kind of a Pulumi type token of a workload, or undefined for any other type. */
export function workloadKind(type: string): string | undefined {
    const kind = workloadType.exec(type)?.[1];
    return kind !== undefined && kind in podSpecPaths ? kind : undefined;
}

/** The pod spec of a workload resource's inputs (undefined for other types or an absent spec). */
export function podSpecOf(type: string, props: Record<string, any>): Record<string, any> | undefined {
    const kind = workloadKind(type);
    if (kind === undefined) return undefined;
    let at: any = props;
    for (const key of podSpecPaths[kind]) at = at?.[key];
    return at && typeof at === "object" ? at : undefined;
}

export interface NamedContainer {
    /** `containers`, `initContainers` or `ephemeralContainers`. */
    list: string;
    container: Record<string, any>;
}

/** Every container of a pod spec, init and ephemeral ones included. */
export function containersOf(pod: Record<string, any>): NamedContainer[] {
    const out: NamedContainer[] = [];
    for (const list of ["initContainers", "containers", "ephemeralContainers"]) {
        for (const container of asArray(pod[list])) out.push({ list, container });
    }
    return out;
}

/** How a container is named in messages: `containers[torchserve]`. */
export function containerLabel(c: NamedContainer): string {
    return `${c.list}[${c.container.name ?? "?"}]`;
}

/** The extended resource name the NVIDIA device plugin (and GKE's) advertises GPUs under. */
export const gpuResource = "nvidia.com/gpu";

/** Whether a container asks for a GPU (a limit is enough: Kubernetes copies it to the request). */
export function requestsGpu(container: Record<string, any>): boolean {
    const r = container.resources ?? {};
    return [r.limits?.[gpuResource], r.requests?.[gpuResource]].some((q) => q !== undefined && Number(q) > 0);
}

export interface Toleration {
    key?: string;
    operator?: string;
    value?: string;
    effect?: string;
}

/** A node taint, with the effect spelt as Kubernetes spells it (NoSchedule, not NO_SCHEDULE). */
export interface Taint {
    key: string;
    value?: string;
    effect: string;
}

/** Whether `t` tolerates `taint` (Kubernetes' rule: key, then Exists or an equal value, then effect). */
export function tolerates(t: Toleration, taint: Taint): boolean {
    if (t.key !== undefined && t.key !== "" && t.key !== taint.key) return false;
    if ((t.key === undefined || t.key === "") && t.operator !== "Exists") return false;
    if (t.effect !== undefined && t.effect !== "" && t.effect !== taint.effect) return false;
    if (t.operator === "Exists") return true;
    return (t.value ?? "") === (taint.value ?? "");
}

/** Kubernetes' spelling of a cloud API's taint effect (EKS and GKE write NO_SCHEDULE). */
export function kubernetesEffect(effect: string): string {
    return (
        { NO_SCHEDULE: "NoSchedule", PREFER_NO_SCHEDULE: "PreferNoSchedule", NO_EXECUTE: "NoExecute" }[effect] ?? effect
    );
}

export function asArray(v: unknown): any[] {
    return Array.isArray(v) ? v : [];
}
