// Test-only: what a Grafana dashboard queries (kept out of components/, which ships in bin/).
import type { FreeForm } from "../../components/cluster/freeform";

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
