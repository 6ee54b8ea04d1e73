// Cost and quota (cost.ts) as Markdown: a section of plans/<stack>.md, and the lines of the plan
// diff that say what a change does to them.
import { CostEstimate, quotaDuringChange } from "./cost";
import { code } from "./markdown";
import { HOURS_PER_MONTH, PriceRow } from "./prices";

export const usd = (n: number): string => `$${n < 10 ? n.toFixed(3) : n.toFixed(2)}`;
const perHour = (n: number | undefined) => (n === undefined ? "no price" : `${usd(n)}/h`);
const monthly = (n: number) => `~$${Math.round(n * HOURS_PER_MONTH).toLocaleString("en-US")}/month`;
const rowText = (r: PriceRow) =>
    `${code(r.item)} ${r.region === "*" ? "(every region)" : r.region}: $${r.usd}/${r.unit}, ${r.date}, ${r.checked === "quoted" ? `quoted by ${r.source}${r.quotedRegion ? ` for ${r.quotedRegion}` : ""}` : `list price, ${r.source}, not confirmed by a lookup`}`;

/** "$1.50/h – $3.10/h" or one figure when min = max; "at least" when a price is missing. */
export function range(e: CostEstimate): string {
    const atLeast = e.incomplete ? "at least " : "";
    return e.min === e.max ? `${atLeast}${usd(e.min)}/h` : `${atLeast}${usd(e.min)}/h – ${usd(e.max)}/h`;
}

/** The "Cost and quota" section of plans/<stack>.md. */
export function costSection(e: CostEstimate): string[] {
    const out = ["## Cost and quota", ""];
    if (!e.cloud) return [...out, ...e.notes];
    out.push(
        `Hourly list prices in ${code(e.region ?? "an unknown region")} (on-demand / pay-as-you-go, before discounts and credits) from the table in \`tools/plan/prices.ts\`, not fetched when planning; minimum = every pool at \`minNodes\`, maximum = at \`maxNodes\`.`,
        "",
        "| item | at minimum | at maximum |",
        "|---|---:|---:|",
    );
    for (const l of e.lines)
        out.push(
            `| ${l.item}${l.missing.length ? ` — no price in the table for ${l.missing.map(code).join(", ")}` : ""} | ${perHour(l.min)} | ${perHour(l.max)} |`,
        );
    out.push(
        `| **total**${e.incomplete ? " (lower bound: some prices are missing)" : ""} | **${usd(e.min)}/h** (${monthly(e.min)}) | **${usd(e.max)}/h** (${monthly(e.max)}) |`,
    );
    if (e.usage.length) {
        out.push("", "Billed by use, not in the total:", "");
        for (const u of e.usage)
            out.push(
                `- ${u.item}: ${u.row ? `$${u.row.usd}/${u.row.unit}` : `no price in the table for ${code(u.missing!)}`}`,
            );
    }
    out.push("", "### GPU quota", "");
    if (!e.quota.length) out.push("No GPU pool: no GPU quota needed.");
    else {
        out.push(
            "| quota | where | with every pool at `maxNodes` | while a pool's nodes are upgraded | while the GPU pools are swapped (GPU type change) |",
            "|---|---|---:|---:|---:|",
        );
        for (const q of e.quota)
            out.push(
                `| ${q.quota} | ${q.scope} | ${q.atMax} ${q.unit} | ${q.duringUpgrade} ${q.unit} | ${q.duringSwap} ${q.unit} |`,
            );
        out.push("", "Surge while nodes are upgraded:", "");
        for (const p of e.pools.filter((x) => x.gpusPerNode > 0))
            out.push(`- ${p.name}: ${p.surge} node${p.surge === 1 ? "" : "s"} (${p.surgeWhy})`);
    }
    const rows = [...new Set(e.lines.flatMap((l) => l.rows).concat(e.usage.flatMap((u) => (u.row ? [u.row] : []))))];
    if (rows.length) {
        out.push("", "Prices used:", "");
        for (const r of rows) out.push(`- ${rowText(r)}`);
    }
    return out;
}

/** What a change does to a stack's cost and quota, for the plan diff. Empty when nothing moves. */
export function costDiffLines(before: CostEstimate, after: CostEstimate, replaced: Set<string>): string[] {
    const out: string[] = [];
    if (!before.cloud && !after.cloud) return out;
    const delta = (a: number, b: number) => (b - a >= 0 ? `+${usd(b - a)}` : `−${usd(a - b)}`);
    if (before.min !== after.min || before.max !== after.max || before.incomplete !== after.incomplete)
        out.push(
            `- **Cost**: ${range(before)} → ${range(after)} (minimum ${delta(before.min, after.min)}/h, maximum ${delta(before.max, after.max)}/h)`,
        );
    else out.push(`- Cost: ${range(after)}, unchanged`);
    for (const q of quotaDuringChange(before, after, replaced)) {
        const moved = q.before !== q.after || q.peak > Math.max(q.before, q.after);
        if (!moved) {
            const now = after.quota.find((x) => x.quota === q.quota && x.scope === q.scope);
            out.push(
                `- GPU quota ${q.quota} (${q.scope}): ${q.after} ${q.unit} at max scale${now ? `, ${now.duringUpgrade} while a pool's nodes are upgraded` : ""}, unchanged`,
            );
            continue;
        }
        out.push(
            `- **Quota** ${q.quota} (${q.scope}): ${q.before} → ${q.after} ${q.unit} at max scale${q.peak > Math.max(q.before, q.after) ? `; **${q.peak} ${q.unit} during the change** (old and new pools side by side)` : ""}`,
        );
    }
    return out;
}
