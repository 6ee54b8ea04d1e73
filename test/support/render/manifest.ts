// Kubernetes objects as Helm renders them: a multi-document YAML manifest split into objects,
// each with the template it came from. The same document text (a CRD rendered for several stacks)
// is parsed once per test run.
import * as yaml from "js-yaml";

/** A Kubernetes object (only the fields every check reads are typed). */
export interface K8sObject {
    apiVersion: string;
    kind: string;
    metadata: {
        name: string;
        namespace?: string;
        labels?: Record<string, string>;
        annotations?: Record<string, string>;
        [k: string]: unknown;
    };
    [field: string]: any;
}

/** An object and where it comes from. */
export interface Placed {
    object: K8sObject;
    /** `release <name>` or `program <resource name>`, for messages. */
    origin: string;
    /** URN of the Helm release or program resource that creates it. */
    urn: string;
    /** Template path (`# Source:` line) for rendered objects. */
    template?: string;
}

const parsed = new Map<string, unknown>();

/** The documents of a manifest, in order, skipping empty ones; `template` from `# Source:` comments. */
export function parseManifest(text: string): { object: K8sObject; template?: string }[] {
    const out: { object: K8sObject; template?: string }[] = [];
    for (const doc of text.split(/^---[ \t]*$/m)) {
        const template = /^# Source: (.+)$/m.exec(doc)?.[1].trim();
        const body = doc.replace(/^#.*$/gm, "").trim();
        if (!body) continue;
        let value = parsed.get(body);
        if (value === undefined) {
            value = yaml.load(body) ?? null;
            parsed.set(body, value);
        }
        if (value === null) continue;
        const object = value as K8sObject;
        if (typeof object.kind !== "string" || typeof object.apiVersion !== "string") {
            throw new Error(`${template ?? "manifest"}: a document without apiVersion/kind`);
        }
        out.push({ object, template });
    }
    return out;
}

/** "monitoring.coreos.com/v1" → {group: "monitoring.coreos.com", version: "v1"}; "v1" → core group "". */
export function groupVersion(apiVersion: string): { group: string; version: string } {
    const i = apiVersion.lastIndexOf("/");
    return i < 0
        ? { group: "", version: apiVersion }
        : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/**
 * Whether an API group is Kubernetes' own (core, apps, batch, policy, autoscaling, `*.k8s.io`,
 * `*.kubernetes.io`): served by the API server itself or by an aggregated API, never by a CRD of ours.
 */
export function isKubernetesGroup(group: string): boolean {
    return !group.includes(".") || group.endsWith(".k8s.io") || group.endsWith(".kubernetes.io");
}

/** Kubernetes' own kinds that are not namespaced (objects without metadata.namespace stay so). */
const clusterScopedKinds = new Set([
    "Namespace",
    "Node",
    "PersistentVolume",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "MutatingAdmissionPolicy",
    "MutatingAdmissionPolicyBinding",
    "APIService",
    "PriorityClass",
    "StorageClass",
    "CSIDriver",
    "CSINode",
    "VolumeAttachment",
    "IngressClass",
    "RuntimeClass",
    "FlowSchema",
    "PriorityLevelConfiguration",
    "CertificateSigningRequest",
    "DeviceClass",
]);

/** Whether objects of `kind` live in a namespace; custom kinds follow their CRD's scope. */
export function isNamespaced(object: Pick<K8sObject, "apiVersion" | "kind">, crds: K8sObject[]): boolean {
    const { group } = groupVersion(object.apiVersion);
    if (isKubernetesGroup(group)) return !clusterScopedKinds.has(object.kind);
    const crd = crds.find((c) => c.spec?.group === group && c.spec?.names?.kind === object.kind);
    return crd ? crd.spec.scope !== "Cluster" : true;
}

/** `kind namespace/name` (or `kind name`), for messages. */
export function describe(o: K8sObject): string {
    return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata.name}`;
}
