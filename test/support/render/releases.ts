// The Helm releases a program registers, read from their `kubernetes:helm.sh/v3:Release` inputs
// the way Pulumi's Kubernetes provider reads them (provider/pkg/provider/helm_release.go in
// pulumi/pulumi-kubernetes, commit 01799d56995683adc30ed8be5c42157d9a6d3c06: Check, setDefaults,
// getValues).
import { createHash } from "crypto";
import type { ProgramResource } from "./evaluation";

export const releaseType = "kubernetes:helm.sh/v3:Release";

export interface ReleaseSpec {
    urn: string;
    /** Pulumi resource name. */
    resourceName: string;
    /** Helm release name. */
    name: string;
    chart: string;
    version: string;
    /** `repositoryOpts.repo`. */
    repo?: string;
    namespace: string;
    values: Record<string, unknown>;
    /** `skipCrds`: CRDs in the chart's crds/ directories are not installed. */
    skipCrds: boolean;
}

/**
 * Release name when the program sets none: the provider's assignNameIfAutonameable takes the
 * resource name plus "-" and 8 random hex digits. Here the digits come from the URN, so renders
 * stay the same from run to run.
 */
export function autoName(resourceName: string, urn: string): string {
    return `${resourceName}-${createHash("sha256").update(urn).digest("hex").slice(0, 8)}`;
}

/** Null values are dropped (allowNullValues defaults to false: excludeNulls). */
function withoutNulls(v: unknown): unknown {
    if (Array.isArray(v)) return v.filter((x) => x !== null && x !== undefined).map(withoutNulls);
    if (v && typeof v === "object") {
        return Object.fromEntries(
            Object.entries(v)
                .filter(([, x]) => x !== null && x !== undefined)
                .map(([k, x]) => [k, withoutNulls(x)]),
        );
    }
    return v;
}

/** Every Helm release among `resources`. */
export function helmReleases(resources: ProgramResource[]): ReleaseSpec[] {
    return resources
        .filter((r) => r.type === releaseType)
        .map((r) => {
            const i = r.inputs;
            if (typeof i.chart !== "string" || typeof i.version !== "string")
                throw new Error(`release ${r.name}: chart and version must be set (got ${i.chart}@${i.version})`);
            if (i.valueYamlFiles?.length) throw new Error(`release ${r.name}: valueYamlFiles are not read here`);
            return {
                urn: r.urn,
                resourceName: r.name,
                name: i.name || autoName(r.name, r.urn),
                chart: i.chart,
                version: i.version,
                repo: i.repositoryOpts?.repo,
                // The provider's default namespace: the kubeconfig's, which the program never sets.
                namespace: i.namespace || "default",
                values: withoutNulls(i.values ?? {}) as Record<string, unknown>,
                skipCrds: i.skipCrds === true,
            };
        });
}

/** For each resource, every URN it waits for, directly or through its dependencies. */
export function dependencyClosure(
    resources: Pick<ProgramResource, "urn" | "dependencies">[],
): Map<string, Set<string>> {
    const direct = new Map(resources.map((r) => [r.urn, r.dependencies]));
    const closure = new Map<string, Set<string>>();
    const visit = (urn: string, trail: Set<string>): Set<string> => {
        const done = closure.get(urn);
        if (done) return done;
        if (trail.has(urn)) throw new Error(`dependency cycle through ${urn}`);
        trail.add(urn);
        const all = new Set<string>();
        for (const d of direct.get(urn) ?? []) {
            all.add(d);
            for (const t of visit(d, trail)) all.add(t);
        }
        trail.delete(urn);
        closure.set(urn, all);
        return all;
    };
    for (const r of resources) visit(r.urn, new Set());
    return closure;
}
