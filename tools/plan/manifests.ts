// Every Kubernetes object of a plan as a YAML manifest (`npm run plan -- --manifests DIR`), for
// `kubectl diff -R -f` or a GitOps review.
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { compare, Plan } from "./model";
import { COMPUTED } from "./wire";

/** `kubernetes:apps/v1:Deployment` → {apiVersion: "apps/v1", kind: "Deployment"}; core → "v1". */
export function kubernetesKind(type: string): { apiVersion: string; kind: string } | undefined {
    const m = /^kubernetes:([^:]+)\/([^:/]+):([A-Za-z0-9]+)$/.exec(type);
    if (!m) return undefined;
    const [, group, version, kind] = m;
    // Helm releases and charts are installs, not objects `kubectl diff` understands.
    if (group.startsWith("helm.sh") || group === "yaml" || group === "kustomize") return undefined;
    return { apiVersion: group === "core" ? version : `${group}/${version}`, kind };
}

export interface Manifest {
    /** Relative path: <namespace or _cluster>/<kind>.<group>-<name>.yaml */
    file: string;
    text: string;
}

/** Each Kubernetes object of a plan as a YAML document (inputs as sent, secrets masked). */
export function kubernetesManifests(plan: Plan): Manifest[] {
    const out: Manifest[] = [];
    for (const r of plan.resources) {
        const gvk = r.custom ? kubernetesKind(r.type) : undefined;
        if (!gvk) continue;
        const metadata = (r.inputs.metadata ?? {}) as Record<string, unknown>;
        const name = typeof metadata.name === "string" && metadata.name !== COMPUTED ? metadata.name : r.name;
        const namespace = typeof metadata.namespace === "string" ? metadata.namespace : "_cluster";
        const object = { ...r.inputs, apiVersion: gvk.apiVersion, kind: gvk.kind };
        const group = gvk.apiVersion.includes("/") ? gvk.apiVersion.split("/")[0] : "core";
        const file = path.join(safe(namespace), `${gvk.kind.toLowerCase()}.${group}-${safe(name)}.yaml`);
        out.push({ file, text: `# ${r.id}\n` + yaml.dump(object, { sortKeys: true, noRefs: true, lineWidth: -1 }) });
    }
    return out.sort((a, b) => compare(a.file, b.file));
}

function safe(s: string): string {
    return s.replace(/[^A-Za-z0-9._-]/g, "_");
}

export function writeManifests(plan: Plan, dir: string): number {
    const stackDir = path.join(dir, plan.stack);
    fs.rmSync(stackDir, { recursive: true, force: true });
    const manifests = kubernetesManifests(plan);
    for (const m of manifests) {
        const file = path.join(stackDir, m.file);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, m.text);
    }
    return manifests.length;
}
