// A plan diff (diff.ts) as Markdown: what `npm run plan -- --diff` prints, and what CI puts in the job
// summary and the pull-request comment. One section per stack: counts, config warnings, then each
// resource that changes under the component that creates it, one line per field.
import { FieldChange, PlanDiff, ResourceDiff } from "./diff";
import { code, inline } from "./markdown";
import { compare } from "./model";
import { Effect } from "./effects";
import { costDiffLines } from "./costMarkdown";
import { Verdict } from "./verdicts";

/** First line of the document: how CI finds its earlier comment to replace it. */
export const COMMENT_MARKER = "<!-- torchserve-platform:plan-diff -->";

const effectText: Record<Effect, string> = {
    replace: "**forces replacement**",
    rejected: "**the API refuses this update** (immutable field)",
    "recreates-nodes": "recreates the pool's nodes",
    "rolls-pods": "rolls the pods",
};

/** Changed lines of two texts (longest common subsequence), at most `limit` of them. */
export function lineDiff(a: string, b: string, limit = 30): string[] {
    const x = a.split("\n");
    const y = b.split("\n");
    // Trim the common head and tail so the table stays small.
    let head = 0;
    while (head < x.length && head < y.length && x[head] === y[head]) head++;
    let tail = 0;
    while (tail < x.length - head && tail < y.length - head && x[x.length - 1 - tail] === y[y.length - 1 - tail])
        tail++;
    const xs = x.slice(head, x.length - tail);
    const ys = y.slice(head, y.length - tail);
    const lcs: number[][] = Array.from({ length: xs.length + 1 }, () => new Array<number>(ys.length + 1).fill(0));
    for (let i = xs.length - 1; i >= 0; i--)
        for (let j = ys.length - 1; j >= 0; j--)
            lcs[i][j] = xs[i] === ys[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    const out: string[] = [];
    let i = 0;
    let j = 0;
    while (i < xs.length || j < ys.length) {
        if (i < xs.length && j < ys.length && xs[i] === ys[j]) {
            i++;
            j++;
        } else if (j < ys.length && (i === xs.length || lcs[i][j + 1] >= lcs[i + 1][j])) out.push(`+ ${ys[j++]}`);
        else out.push(`- ${xs[i++]}`);
    }
    return out.length > limit ? [...out.slice(0, limit), `… ${out.length - limit} more changed lines`] : out;
}

const multiline = (v: unknown) => typeof v === "string" && v.includes("\n");

/** One field change as Markdown lines (the first a list item at `indent`). */
export function fieldLines(f: FieldChange, indent = ""): string[] {
    const effects = [...new Set(f.effects.map((e) => e.effect))].map((e) => effectText[e]);
    const suffix = effects.length ? ` — ${effects.join(", ")}` : "";
    const p = code(f.path || "(whole value)");
    if (f.kind === "changed" && multiline(f.before) && multiline(f.after)) {
        const changed = lineDiff(String(f.before), String(f.after));
        return [
            `${indent}- ${p}: ${changed.filter((l) => /^[-+] /.test(l)).length} lines differ${suffix}`,
            `${indent}  \`\`\`diff`,
            ...changed.map((l) => `${indent}  ${l}`),
            `${indent}  \`\`\``,
        ];
    }
    switch (f.kind) {
        case "added":
            return [`${indent}- ${p}: added ${inline(f.after)}${suffix}`];
        case "removed":
            return [`${indent}- ${p}: removed (was ${inline(f.before)})${suffix}`];
        case "reordered":
            return [`${indent}- ${p}: order ${inline(f.before)} → ${inline(f.after)}${suffix}`];
        default:
            return [`${indent}- ${p}: ${inline(f.before)} → ${inline(f.after)}${suffix}`];
    }
}

export function verb(r: ResourceDiff): string {
    switch (r.status) {
        case "added":
            return "create";
        case "removed":
            return "delete";
        case "renamed":
            return r.replace ? "rename and replace" : "rename";
        default:
            return r.replace ? "replace" : "update";
    }
}

function resourceLines(r: ResourceDiff): string[] {
    const was =
        r.status === "renamed" && r.previousId
            ? ` — was ${code(r.previousId)}, kept through its \`aliases\` (not recreated)`
            : "";
    const lines = [`- **${verb(r)}** ${code(r.type)} **${r.name}**${was}`];
    for (const f of r.fields) lines.push(...fieldLines(f, "  "));
    const why = new Map<string, string>();
    for (const f of r.fields)
        for (const e of f.effects)
            if (e.effect !== "rolls-pods")
                why.set(e.rule.source, e.rule.note ? `${e.rule.note}; ${e.rule.source}` : e.rule.source);
    for (const w of why.values()) lines.push(`  - why: ${w}`);
    return lines;
}

/** Counts in the order a reviewer weighs them: what is destroyed first. */
export function counts(d: PlanDiff): string {
    const n = (s: string) =>
        d.resources.filter((r) => verb(r) === s || (s === "rename" && r.status === "renamed")).length;
    const parts = [
        ["delete", n("delete")],
        ["replace", d.resources.filter((r) => r.replace).length],
        ["create", n("create")],
        ["update", n("update")],
        ["rename", n("rename")],
    ].filter(([, c]) => c) as [string, number][];
    return parts.length ? parts.map(([what, c]) => `${c} to ${what}`).join(", ") : "no changes";
}

/** One stack's section. */
export function renderStackDiff(d: PlanDiff): string[] {
    const out = [`### \`${d.stack}\`: ${counts(d)} (${d.total} resources, ${d.unchanged} unchanged)`];
    const replaced = new Set(d.resources.filter((r) => r.replace).map((r) => r.id));
    const cost = costDiffLines(d.cost.before, d.cost.after, replaced);
    if (cost.length) out.push("", ...cost);
    if (d.warnings.all.length || d.warnings.removed.length) {
        out.push("", `**Config warnings** (Pulumi.${d.stack}.yaml):`, "");
        for (const w of d.warnings.all) out.push(`- ${w}${d.warnings.added.includes(w) ? " _(new)_" : ""}`);
        for (const w of d.warnings.removed) out.push(`- ~~${w}~~ _(gone)_`);
    }
    const groups = new Map<string, ResourceDiff[]>();
    for (const r of d.resources) groups.set(r.componentLabel, [...(groups.get(r.componentLabel) ?? []), r]);
    for (const label of [...groups.keys()].sort(compare)) {
        out.push("", `#### ${label || "Stack"}`, "");
        for (const r of groups.get(label)!) out.push(...resourceLines(r));
    }
    if (d.outputs.length) {
        out.push("", "#### Stack outputs", "");
        for (const f of d.outputs) out.push(...fieldLines(f));
    }
    return out;
}

/**
 * The day-2 verdicts, first in the document: what stops `pulumi up` or serving, then what the change
 * needs. `checked`: whether the transition checks ran (they need the stack files at a git ref).
 */
export function verdictLines(verdicts: Verdict[], checked: boolean): string[] {
    const out = ["### Day-2 verdicts", ""];
    const stops = verdicts.filter((v) => v.level === "stop");
    const notes = verdicts.filter((v) => v.level === "note");
    for (const v of stops) out.push(`- :stop_sign: \`${v.stack}\`: ${v.text}`);
    for (const v of notes) out.push(`- \`${v.stack}\`: ${v.text}`);
    if (!verdicts.length)
        out.push(
            checked
                ? "None: no stack file change fails, interrupts serving or needs more GPU quota than before (harness/transitions checks)."
                : "No GPU quota beyond what the stacks needed before. The transition checks run on the stack files at a git ref: `--base <ref>`.",
        );
    else if (!checked) out.push("", "The transition checks run on the stack files at a git ref: `--base <ref>`.");
    return out;
}

/** The whole document: every stack, against `base` (a git ref, or "the committed plans"). */
export function renderDiffs(diffs: PlanDiff[], base: string, verdicts?: { list: Verdict[]; checked: boolean }): string {
    const out = [COMMENT_MARKER, `## Plan changes against ${base}`, ""];
    if (verdicts) out.push(...verdictLines(verdicts.list, verdicts.checked), "");
    out.push(
        "Previews of every `Pulumi.<stack>.yaml` under Pulumi mocks (no cloud credentials): `[unknown]` is known only after deployment. Replacements follow harness/transitions/rules.ts. Costs are hourly list prices from `tools/plan/prices.ts` (region, date and source per row; nothing fetched when planning).",
    );
    for (const d of diffs) out.push("", ...renderStackDiff(d));
    return out.join("\n") + "\n";
}
