// What earlier versions of the program registered for TorchServe's ConfigMaps, for transition tests
// from a stack they created: up to dc9182c components/torchserve/torchserve.ts named them
// `torchserve-config` and `torchserve-model-fetch`, and the pods mounted them by those names.
import type { Evaluation, RegisteredResource } from "../../harness/evaluate";

/** Logical name → the fixed name earlier versions gave the object. */
export const previousConfigMapNames: Record<string, string> = {
    "torchserve-config": "torchserve-config",
    "torchserve-model-fetch": "torchserve-model-fetch",
};
const volumeOf: Record<string, string> = { config: "torchserve-config", "model-fetch": "torchserve-model-fetch" };

/** `ev` as a stack created by those versions holds it: fixed ConfigMap names, mounted by them. */
export function withFixedConfigMapNames(ev: Evaluation): Evaluation {
    const resources = ev.resources.map((r): RegisteredResource => {
        if (r.type === "kubernetes:core/v1:ConfigMap" && previousConfigMapNames[r.name])
            return {
                ...r,
                inputs: { ...r.inputs, metadata: { ...r.inputs.metadata, name: previousConfigMapNames[r.name] } },
            };
        if (r.type !== "kubernetes:apps/v1:Deployment") return r;
        const spec = r.inputs.spec.template.spec;
        const volumes = spec.volumes.map((v: any) =>
            volumeOf[v.name] && v.configMap ? { ...v, configMap: { ...v.configMap, name: volumeOf[v.name] } } : v,
        );
        const template = { ...r.inputs.spec.template, spec: { ...spec, volumes } };
        return { ...r, inputs: { ...r.inputs, spec: { ...r.inputs.spec, template } } };
    });
    return { ...ev, resources };
}
