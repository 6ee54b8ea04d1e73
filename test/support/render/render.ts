// Renders a program's Helm releases with a real `helm template`, as the Kubernetes provider's
// install would: release name, namespace and values from the release's inputs, CRDs included,
// the cluster's Kubernetes version, and as API versions the CRDs (and aggregated APIs) that are
// in the cluster by the time the release installs: those of the releases it depends on, and its
// own crds/ directories (Helm installs those before building its capabilities). Each distinct
// render runs once per test run; independent releases render concurrently.
import { helmShowCrds, helmTemplate } from "../helm";
import { chartPackage } from "./charts";
import { groupVersion, isNamespaced, K8sObject, parseManifest, Placed } from "./manifest";
import { ReleaseSpec } from "./releases";

export interface RenderedRelease {
    release: ReleaseSpec;
    /** Rendered objects, namespaced ones in the release namespace when the template sets none. */
    objects: Placed[];
}

const templates = new Map<string, Promise<string>>();
const chartCrds = new Map<string, Promise<K8sObject[]>>();

function cached<T>(map: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
    let p = map.get(key);
    if (!p) {
        p = make();
        map.set(key, p);
    }
    return p;
}

/** `group/version` and `group/version/Kind` of every served version of the CRDs, and of APIServices. */
export function providedApiVersions(objects: K8sObject[]): string[] {
    const out = new Set<string>();
    for (const o of objects) {
        if (o.kind === "CustomResourceDefinition") {
            for (const v of o.spec?.versions ?? []) {
                if (v.served === false) continue;
                out.add(`${o.spec.group}/${v.name}`);
                out.add(`${o.spec.group}/${v.name}/${o.spec.names.kind}`);
            }
        } else if (o.kind === "APIService" && o.spec?.group) {
            out.add(`${o.spec.group}/${o.spec.version}`);
        }
    }
    return [...out].sort();
}

/**
 * Every release rendered. `closure` maps each URN to every URN it waits for (transitively);
 * `kubeVersion` is the cluster's Kubernetes version.
 */
export async function renderReleases(
    releases: ReleaseSpec[],
    closure: Map<string, Set<string>>,
    kubeVersion: string,
): Promise<RenderedRelease[]> {
    const byUrn = new Map(releases.map((r) => [r.urn, r]));
    const raw = new Map<string, Promise<{ object: K8sObject; template?: string }[]>>();
    const render = (r: ReleaseSpec): Promise<{ object: K8sObject; template?: string }[]> =>
        cached(raw, r.urn, async () => {
            const chart = chartPackage(r.chart, r.version, r.repo);
            const deps = [...(closure.get(r.urn) ?? [])]
                .map((u) => byUrn.get(u))
                .filter((d): d is ReleaseSpec => d !== undefined);
            const before = (await Promise.all(deps.map(render))).flat().map((d) => d.object);
            const own = r.skipCrds
                ? []
                : await cached(chartCrds, chart, async () =>
                      parseManifest(await helmShowCrds(chart)).map((d) => d.object),
                  );
            const apiVersions = providedApiVersions([...before, ...own]);
            const args = {
                releaseName: r.name,
                namespace: r.namespace,
                chart,
                values: r.values,
                kubeVersion,
                apiVersions,
                includeCrds: !r.skipCrds,
            };
            const text = await cached(templates, JSON.stringify(args), () => helmTemplate(args));
            return parseManifest(text);
        });
    const rendered = await Promise.all(releases.map(async (r) => ({ release: r, docs: await render(r) })));
    const crds = rendered
        .flatMap((r) => r.docs.map((d) => d.object))
        .filter((o) => o.kind === "CustomResourceDefinition");
    return rendered.map(({ release, docs }) => ({
        release,
        objects: docs.map(({ object, template }) => ({
            object:
                object.metadata?.namespace || !isNamespaced(object, crds)
                    ? object
                    : { ...object, metadata: { ...object.metadata, namespace: release.namespace } },
            origin: `release ${release.name}`,
            urn: release.urn,
            template,
        })),
    }));
}

/** The CRD serving `apiVersion`/`kind` among `crds`, if any. */
export function crdFor(crds: K8sObject[], apiVersion: string, kind: string): K8sObject | undefined {
    const { group, version } = groupVersion(apiVersion);
    return crds.find(
        (c) =>
            c.spec?.group === group &&
            c.spec?.names?.kind === kind &&
            (c.spec.versions ?? []).some((v: any) => v.name === version),
    );
}
