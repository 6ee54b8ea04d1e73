// Every object against its schema: Kubernetes' own kinds against the OpenAPI schemas shipped in
// `kubernetes-models` (generated from Kubernetes' spec), custom resources against the
// openAPIV3Schema of the CRD the stack itself installs, read the way the API server reads it:
// fields a schema does not declare are pruned (dropped without error), so they are reported here,
// since a dropped field is a setting that silently does nothing.
import Ajv, { ValidateFunction } from "ajv";
import { crdFor } from "./render";
import { describe, groupVersion, isKubernetesGroup, K8sObject, Placed } from "./manifest";

// A real dynamic import: the model packages are ES modules only.
const importEsm = new Function("specifier", "return import(specifier)") as (s: string) => Promise<any>;

/** CRD patterns are Go (RE2) regular expressions: `(?i)` (as used, near the start) is JavaScript's `i` flag. */
function re2(pattern: string, flags: string): RegExp {
    return pattern.includes("(?i)")
        ? new RegExp(pattern.replaceAll("(?i)", ""), `${flags}i`)
        : new RegExp(pattern, flags);
}
const regExp = Object.assign(re2, { code: "re2" });

// No code optimisation: the Prometheus and Alertmanager schemas compile three times faster without it.
const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false, code: { regExp, optimize: false } });
const compiled = new WeakMap<object, Map<string, ValidateFunction>>();

/**
 * A CRD's structural schema as JSON Schema: `nullable` admits null, and an object that declares
 * properties and neither `additionalProperties` nor `x-kubernetes-preserve-unknown-fields`
 * admits no others (the API server would prune them).
 */
export function structuralToJsonSchema(s: any): any {
    if (Array.isArray(s)) return s.map(structuralToJsonSchema);
    if (!s || typeof s !== "object") return s;
    const out: any = {};
    for (const [k, v] of Object.entries(s)) {
        out[k] = ["properties", "patternProperties", "definitions"].includes(k)
            ? Object.fromEntries(Object.entries(v as object).map(([p, sub]) => [p, structuralToJsonSchema(sub)]))
            : typeof v === "object"
              ? structuralToJsonSchema(v)
              : v;
    }
    if (out.nullable === true && typeof out.type === "string") out.type = [out.type, "null"];
    if (
        out.properties &&
        out.additionalProperties === undefined &&
        out["x-kubernetes-preserve-unknown-fields"] !== true
    ) {
        out.additionalProperties = false;
    }
    return out;
}

function crdValidator(crd: K8sObject, version: string): ValidateFunction {
    let byVersion = compiled.get(crd);
    if (!byVersion) compiled.set(crd, (byVersion = new Map()));
    let fn = byVersion.get(version);
    if (!fn) {
        const schema = crd.spec.versions.find((v: any) => v.name === version)?.schema?.openAPIV3Schema;
        if (!schema) throw new Error(`CRD ${crd.metadata.name} ${version} has no openAPIV3Schema`);
        const root = structuralToJsonSchema(schema);
        // apiVersion, kind and metadata are every object's, whether or not the schema lists them.
        root.properties = {
            apiVersion: { type: "string" },
            kind: { type: "string" },
            metadata: { type: "object" },
            ...root.properties,
        };
        fn = ajv.compile(root);
        byVersion.set(version, fn);
    }
    return fn;
}

// Parsed documents are shared between stacks that render the same text (CRDs above all), and
// objects are never modified, so a Kubernetes kind's result holds for the object.
const kubernetesResults = new WeakMap<K8sObject, Promise<string[]>>();

/** Schema problems of one object (empty when valid); `crds` are the stack's CRDs. */
export function schemaProblems(object: K8sObject, crds: K8sObject[]): Promise<string[]> {
    if (!isKubernetesGroup(groupVersion(object.apiVersion).group)) return customResourceProblems(object, crds);
    let result = kubernetesResults.get(object);
    if (!result) {
        result = kubernetesObjectProblems(object);
        kubernetesResults.set(object, result);
    }
    return result;
}

async function kubernetesObjectProblems(object: K8sObject): Promise<string[]> {
    const { group, version } = groupVersion(object.apiVersion);
    const { status: _s, apiVersion: _a, kind: _k, ...fields } = object;
    let mod: any;
    try {
        mod = await importEsm(`kubernetes-models/${group ? `${group}/` : ""}${version}/${object.kind}`);
    } catch {
        return [`${describe(object)}: kubernetes-models has no schema for ${object.apiVersion} ${object.kind}`];
    }
    try {
        new (mod[object.kind] ?? mod.default)(fields).validate();
        return [];
    } catch (e) {
        return [`${describe(object)}: ${(e as Error).message}`];
    }
}

async function customResourceProblems(object: K8sObject, crds: K8sObject[]): Promise<string[]> {
    const { version } = groupVersion(object.apiVersion);
    const { status: _s, ...body } = object;
    const crd = crdFor(crds, object.apiVersion, object.kind);
    if (!crd) return [`${describe(object)}: no CRD the stack installs serves ${object.apiVersion} ${object.kind}`];
    const validate = crdValidator(crd, version);
    if (validate(body)) return [];
    return (validate.errors ?? []).map(
        (e) =>
            `${describe(object)}: ${e.instancePath || "/"} ${e.message}${e.params && "additionalProperty" in e.params ? ` (${e.params.additionalProperty})` : ""}`,
    );
}

/** Problems of every object, each prefixed with where it comes from. */
export async function allSchemaProblems(objects: Placed[], crds: K8sObject[]): Promise<string[]> {
    const out: string[] = [];
    for (const p of objects)
        for (const problem of await schemaProblems(p.object, crds)) out.push(`${p.origin}: ${problem}`);
    return out;
}
