// Kubernetes vocabulary every component shares: Service types, where pods go (placement and
// tolerations), and the namespaces Kubernetes itself owns. Literal sets are `as const` objects
// with a type of the same name, which Pulumi's component analyzer turns into enums (it refuses
// string-literal unions).

/** How a Service is exposed. */
export const ServiceType = {
    ClusterIP: "ClusterIP",
    LoadBalancer: "LoadBalancer",
    NodePort: "NodePort",
} as const;
export type ServiceType = (typeof ServiceType)[keyof typeof ServiceType];

/** How a toleration matches a taint's value. */
export const TolerationOperator = { Equal: "Equal", Exists: "Exists" } as const;
export type TolerationOperator = (typeof TolerationOperator)[keyof typeof TolerationOperator];

/** What a taint does to pods that do not tolerate it. */
export const TaintEffect = {
    NoSchedule: "NoSchedule",
    PreferNoSchedule: "PreferNoSchedule",
    NoExecute: "NoExecute",
} as const;
export type TaintEffect = (typeof TaintEffect)[keyof typeof TaintEffect];

/** A Kubernetes toleration, as the pod spec takes it. */
export interface Toleration {
    /** Taint key. */
    key: string;
    /** `Exists` matches any value; `Equal` only `value`. */
    operator: TolerationOperator;
    /** Taint value (with `Equal`). */
    value?: string;
    /** Effect of the tolerated taint. */
    effect: TaintEffect;
}

/** Where a class of pods goes: the node labels to select and the taints to tolerate. */
export interface Placement {
    /** Node labels the pods select (empty = any node). */
    nodeSelector: Record<string, string>;
    /** Taints the pods tolerate. */
    tolerations: Toleration[];
}

/** Namespaces Kubernetes creates and owns; a program must not create or delete them. */
export const kubernetesNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];
