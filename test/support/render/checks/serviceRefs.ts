// Cross-check (c): in-cluster addresses point at Services that exist and listen on the port used.
// Two kinds of reference: `<service>.<namespace>.svc[.cluster.local][:port]` written anywhere in
// an object (URLs in datasources, flags, mesh config; also in Secret data), and the structured
// service references of APIServices, admission webhooks and CRD conversion webhooks.
import { describe, K8sObject, Placed } from "../manifest";

export interface ServiceReference {
    namespace: string;
    name: string;
    /** Port the address uses; undefined = any (no port and no scheme that implies one). */
    port?: number;
    text: string;
}

const address =
    /(?<![a-z0-9.-])(?:([a-z][a-z0-9+.-]*):\/\/)?([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\.([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\.svc(?:\.cluster\.local)?\.?(?::(\d+))?(?![a-z0-9.-])/g;
const schemePorts: Record<string, number> = { http: 80, https: 443, ws: 80, wss: 443 };

/** The in-cluster service addresses in `text`. */
export function addressesIn(text: string): ServiceReference[] {
    const out: ServiceReference[] = [];
    for (const m of text.matchAll(address)) {
        const port = m[4] !== undefined ? Number(m[4]) : m[1] !== undefined ? schemePorts[m[1]] : undefined;
        out.push({ name: m[2], namespace: m[3], ...(port !== undefined ? { port } : {}), text: m[0] });
    }
    return out;
}

function strings(value: unknown, visit: (s: string) => void): void {
    if (typeof value === "string") visit(value);
    else if (Array.isArray(value)) value.forEach((v) => strings(v, visit));
    else if (value && typeof value === "object") Object.values(value).forEach((v) => strings(v, visit));
}

/** Every service reference an object makes. CRDs are skipped: their descriptions hold examples. */
export function serviceReferences(o: K8sObject): ServiceReference[] {
    if (o.kind === "CustomResourceDefinition") {
        const svc = o.spec?.conversion?.webhook?.clientConfig?.service;
        return svc
            ? [{ namespace: svc.namespace, name: svc.name, port: svc.port ?? 443, text: "conversion webhook" }]
            : [];
    }
    const refs: ServiceReference[] = [];
    strings(o, (s) => refs.push(...addressesIn(s)));
    if (o.kind === "Secret")
        strings(o.data ?? {}, (s) => refs.push(...addressesIn(Buffer.from(s, "base64").toString("utf8"))));
    if (o.kind === "APIService" && o.spec?.service) {
        const s = o.spec.service;
        refs.push({ namespace: s.namespace, name: s.name, port: s.port ?? 443, text: "spec.service" });
    }
    if (o.kind === "MutatingWebhookConfiguration" || o.kind === "ValidatingWebhookConfiguration") {
        for (const w of o.webhooks ?? []) {
            const s = w.clientConfig?.service;
            if (s) refs.push({ namespace: s.namespace, name: s.name, port: s.port ?? 443, text: `webhook ${w.name}` });
        }
    }
    return refs;
}

/** References among `placed` to Services (in `placed` or `clusterObjects`) that do not exist or lack the port. */
export function serviceReferenceProblems(placed: Placed[], clusterObjects: K8sObject[] = []): string[] {
    const services = [...placed.map((p) => p.object), ...clusterObjects].filter(
        (o) => o.kind === "Service" && o.apiVersion === "v1",
    );
    const problems: string[] = [];
    for (const { object, origin } of placed) {
        for (const ref of serviceReferences(object)) {
            const svc = services.find((s) => s.metadata.name === ref.name && s.metadata.namespace === ref.namespace);
            const what = `${origin}: ${describe(object)} refers to ${ref.text}`;
            if (!svc) problems.push(`${what}, but there is no Service ${ref.namespace}/${ref.name}`);
            else if (ref.port !== undefined && !(svc.spec?.ports ?? []).some((p: any) => p.port === ref.port)) {
                problems.push(
                    `${what}, but Service ${ref.namespace}/${ref.name} has no port ${ref.port} (ports ${(svc.spec?.ports ?? []).map((p: any) => p.port).join(", ")})`,
                );
            }
        }
    }
    return problems;
}
