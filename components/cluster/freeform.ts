// Free-form documents whose shape belongs to someone else: Helm values (each chart's values.yaml),
// Istio resource specs and Grafana dashboard JSON. Typed loosely on purpose; tests check them
// against their real schemas (chart key lists, @kubernetes-models/istio, the dashboard's queries
// through promtool).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type FreeForm = any;

/** Helm values for one release. */
export type HelmValues = Record<string, FreeForm>;
