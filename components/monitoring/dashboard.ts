// The TorchServe Grafana dashboard, kept as plain JSON in dashboards/ so it can be edited in Grafana
// and exported back. Provisioning only sets the namespace variable's default.
// Imported (not read from disk) so the compiled program in bin/ carries it: tsc emits imported JSON.
import { FreeForm } from "../cluster/freeform";
import torchserveDashboard from "./dashboards/torchserve.json";
import { grafanaLokiDatasourceUid } from "./values";

const dashboards = { torchserve: torchserveDashboard } as const;

/** A fresh copy of dashboards/<name>.json (callers may modify it). */
export function loadDashboard(name: keyof typeof dashboards): FreeForm {
    return JSON.parse(JSON.stringify(dashboards[name]));
}

/**
 * The TorchServe dashboard with `$namespace` defaulting to the namespace TorchServe runs in; with
 * `logs`, also the access-log panels (errors per model, error lines) on the Loki datasource.
 */
export function torchServeDashboard(torchServeNamespace: string, options: { logs?: boolean } = {}): FreeForm {
    const dashboard = loadDashboard("torchserve");
    for (const v of dashboard.templating?.list ?? []) {
        if (v.name === "namespace") v.current = { text: torchServeNamespace, value: torchServeNamespace };
    }
    if (options.logs) dashboard.panels = [...(dashboard.panels ?? []), ...logsPanels(dashboard.panels ?? [])];
    return dashboard;
}

/**
 * Line filter of the errors-per-model panel: leaves out management API calls (`/models…`), above
 * all the readiness check's `GET /models/<name>/<version>`, answered 404 while a starting pod has
 * not registered the model yet (components/torchserve/readiness.ts): every pod start would show as
 * errors. The inference APIs' URIs (/predictions, /explanations, /v1/models, /v2/models) never match.
 */
export const managementCallFilter = '"[A-Za-z]+ /models';

/**
 * LogQL of the logs panels. `model` and `status` are labels the shipper sets on TorchServe's access
 * log lines (components/logging/alloy.ts); gRPC calls carry gRPC codes, never 4xx/5xx.
 */
export const logsQueries = {
    errorsPerModel: `sum by (model, status) (count_over_time({namespace="$namespace", status=~"[45].."} !~ \`${managementCallFilter}\` [$__auto]))`,
    errorLines: '{namespace="$namespace", status=~"5.."}',
} as const;

/** Below every existing panel: a time series of errors per model and the 5xx lines themselves. */
function logsPanels(existing: FreeForm[]): FreeForm[] {
    const bottom = Math.max(0, ...existing.map((p) => (p.gridPos?.y ?? 0) + (p.gridPos?.h ?? 0)));
    const maxId = Math.max(0, ...existing.map((p) => p.id ?? 0));
    const loki = { type: "loki", uid: grafanaLokiDatasourceUid };
    return [
        {
            id: maxId + 1,
            type: "timeseries",
            title: "Inference errors per model (access log, 4xx/5xx)",
            datasource: loki,
            gridPos: { x: 0, y: bottom, w: 12, h: 8 },
            targets: [
                {
                    refId: "A",
                    datasource: loki,
                    expr: logsQueries.errorsPerModel,
                    legendFormat: "{{model}} {{status}}",
                },
            ],
        },
        {
            id: maxId + 2,
            type: "logs",
            title: "5xx responses (access log)",
            datasource: loki,
            gridPos: { x: 12, y: bottom, w: 12, h: 8 },
            targets: [{ refId: "A", datasource: loki, expr: logsQueries.errorLines }],
        },
    ];
}
