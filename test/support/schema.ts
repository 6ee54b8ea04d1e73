// Validates registered Kubernetes objects against the upstream OpenAPI schemas shipped by the
// `kubernetes-models` packages (generated from Kubernetes' and Istio's own specs, not by us).
import { RegisteredResource } from "../../harness/evaluate";

/** Package that models each API group; core ("" group) lives under kubernetes-models/v1. */
const modelPackages: Record<string, string> = {
    "networking.istio.io": "@kubernetes-models/istio",
    "security.istio.io": "@kubernetes-models/istio",
    "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
};

/** `kubernetes:apps/v1:Deployment` → {group: "apps", version: "v1", kind: "Deployment"}. */
export function parseKubernetesType(type: string): { group: string; version: string; kind: string } | undefined {
    const m = /^kubernetes:([^:]+)\/([^/:]+):([A-Za-z0-9]+)$/.exec(type);
    if (!m || m[1] === "helm.sh") return undefined;
    return { group: m[1] === "core" ? "" : m[1], version: m[2], kind: m[3] };
}

/** Kubernetes objects among the registrations (not Helm releases, providers or components). */
export function kubernetesObjects(resources: RegisteredResource[]): RegisteredResource[] {
    return resources.filter((r) => r.custom && parseKubernetesType(r.type) !== undefined);
}

/** Pulumi's secret envelope on the wire: {[secretSig]: secretSigValue, value}. */
const secretSig = "4dabf18193072939515e22adb298388d";
const secretSigValue = "1b47061264138c4ac30d75fd1eb44270";

/** Inputs with every secret envelope replaced by its value, as the provider sends them to the API server. */
export function revealed(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(revealed);
    if (!v || typeof v !== "object") return v;
    const o = v as Record<string, unknown>;
    if (o[secretSig] === secretSigValue) return revealed(o.value);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, revealed(x)]));
}

// A real dynamic import: the model packages are ES modules only.
const importEsm = new Function("specifier", "return import(specifier)") as (s: string) => Promise<any>;

/**
 * Throws a message naming the object and the schema violation. Objects are built from the inputs
 * Pulumi would send, with apiVersion and kind taken from the resource type.
 */
export async function validateKubernetesObject(r: RegisteredResource): Promise<void> {
    const t = parseKubernetesType(r.type);
    if (!t) throw new Error(`${r.type} is not a Kubernetes object type`);
    const pkg = modelPackages[t.group] ?? "kubernetes-models";
    const modulePath = `${pkg}/${t.group === "" ? "" : t.group + "/"}${t.version}/${t.kind}`;
    const mod = await importEsm(modulePath);
    const Model = mod[t.kind] ?? mod.default;
    const { apiVersion: _a, kind: _k, ...body } = revealed(r.inputs) as Record<string, unknown>;
    const obj = new Model({ ...body });
    try {
        obj.validate();
    } catch (e) {
        throw new Error(`${r.type} "${r.name}" fails its schema: ${(e as Error).message}`);
    }
}
