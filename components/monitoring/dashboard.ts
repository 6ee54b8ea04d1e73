// The TorchServe Grafana dashboard, kept as plain JSON in dashboards/ so it can be edited in Grafana
// and exported back. Provisioning only sets the namespace variable's default.
// Imported (not read from disk) so the compiled program in bin/ carries it: tsc emits imported JSON.
import { FreeForm } from "../cluster/freeform";
import torchserveDashboard from "./dashboards/torchserve.json";

const dashboards = { torchserve: torchserveDashboard } as const;

/** File names (without `.json`) of the dashboards shipped in dashboards/. */
export const dashboardFiles = Object.keys(dashboards) as (keyof typeof dashboards)[];

/** A fresh copy of dashboards/<name>.json (callers may modify it). */
export function loadDashboard(name: keyof typeof dashboards): FreeForm {
    return JSON.parse(JSON.stringify(dashboards[name]));
}

/** The TorchServe dashboard with `$namespace` defaulting to the namespace TorchServe runs in. */
export function torchServeDashboard(torchServeNamespace: string): FreeForm {
    const dashboard = loadDashboard("torchserve");
    for (const v of dashboard.templating?.list ?? []) {
        if (v.name === "namespace") v.current = { text: torchServeNamespace, value: torchServeNamespace };
    }
    return dashboard;
}

/** Every PromQL expression of a dashboard's panels (rows included), as written (with variables). */
export function dashboardExpressions(dashboard: FreeForm): { panel: string; expr: string }[] {
    const out: { panel: string; expr: string }[] = [];
    const visit = (panels: FreeForm[] | undefined) => {
        for (const p of panels ?? []) {
            for (const t of p.targets ?? []) if (typeof t.expr === "string") out.push({ panel: p.title, expr: t.expr });
            visit(p.panels);
        }
    };
    visit(dashboard.panels);
    return out;
}
