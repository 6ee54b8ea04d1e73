// The Kubernetes objects the program registers itself (not through Helm), as the provider would
// send them: apiVersion and kind from the resource type, metadata.name auto-named when absent
// (the provider's autonaming, like a release's), namespaced objects in "default" when unset.
import { revealed } from "../schema";
import type { ProgramResource } from "./evaluation";
import { isNamespaced, K8sObject, Placed } from "./manifest";
import { autoName } from "./releases";

/** `kubernetes:apps/v1:Deployment` → apiVersion "apps/v1", kind "Deployment"; undefined for other types. */
export function kubernetesType(type: string): { apiVersion: string; kind: string } | undefined {
    const m = /^kubernetes:([^:]+)\/([^/:]+):([A-Za-z0-9]+)$/.exec(type);
    if (!m || m[1] === "helm.sh" || m[1] === "yaml") return undefined;
    return { apiVersion: m[1] === "core" ? m[2] : `${m[1]}/${m[2]}`, kind: m[3] };
}

/** Every Kubernetes object among `resources`; `crds` decide which custom kinds are namespaced. */
export function programObjects(resources: ProgramResource[], crds: K8sObject[]): Placed[] {
    const out: Placed[] = [];
    for (const r of resources) {
        const t = kubernetesType(r.type);
        if (!t) continue;
        // Secret values (a generated password) as the provider sends them, not in Pulumi's envelope.
        const { apiVersion: _a, kind: _k, ...body } = revealed(r.inputs) as Record<string, any>;
        const metadata = { ...(body.metadata ?? {}) };
        metadata.name ||= autoName(r.name, r.urn);
        const object = { ...body, ...t, metadata } as K8sObject;
        if (!metadata.namespace && isNamespaced(object, crds)) metadata.namespace = "default";
        out.push({ object, origin: `program ${r.name}`, urn: r.urn });
    }
    return out;
}
