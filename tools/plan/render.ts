// A plan as text: the plan file (plans/<stack>.json, sorted keys so diffs are stable) and the
// summary `npm run plan` prints (resource tree, counts, longest chain, outputs; the CLI adds the
// config warnings on stderr).
import * as path from "path";
import { projectRoot } from "../../harness/stackFiles";
import { compare, DEFAULT_PROVIDER, Plan, PlanResource } from "./model";

function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(sortKeys);
    if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        return Object.fromEntries(
            Object.keys(obj)
                .sort(compare)
                .map((k) => [k, sortKeys(obj[k])]),
        );
    }
    return value;
}

/** The plan file's exact text: sorted keys, two-space indent, final newline. */
export function renderPlan(plan: Plan): string {
    return JSON.stringify(sortKeys(plan), null, 2) + "\n";
}

export function planPath(stack: string, root = projectRoot): string {
    return path.join(root, "plans", `${stack}.json`);
}

/** Parent/child tree, counts per type, total and the longest chain, for a terminal. */
export function formatPlan(plan: Plan): string {
    const lines: string[] = [
        `Plan for stack ${plan.stack} (preview under mocks; [unknown] = known after deployment)`,
        "",
    ];
    const children = new Map<string, PlanResource[]>();
    for (const r of plan.resources) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    const walk = (parent: string, indent: string) => {
        for (const r of children.get(parent) ?? []) {
            const provider =
                r.provider && r.provider !== DEFAULT_PROVIDER ? `  (provider ${r.provider.split("::").pop()})` : "";
            lines.push(`${indent}+ ${r.type}  ${r.name}${provider}`);
            walk(r.id, indent + "    ");
        }
    };
    walk("", "");
    lines.push("", "Resources by type:");
    const width = Math.max(...Object.keys(plan.counts).map((t) => t.length));
    for (const t of Object.keys(plan.counts).sort(compare)) lines.push(`  ${t.padEnd(width)}  ${plan.counts[t]}`);
    lines.push(`  ${"total".padEnd(width)}  ${plan.total}`);
    lines.push("", `Longest provisioning chain (${plan.longestChain.length} resources created one after another):`);
    plan.longestChain.path.forEach((id, i) => lines.push(`  ${i + 1}. ${describe(plan, id)}`));
    const outputs = Object.keys(plan.outputs).sort(compare);
    if (outputs.length) {
        lines.push("", "Outputs:");
        for (const k of outputs) lines.push(`  ${k}: ${JSON.stringify(plan.outputs[k])}`);
    }
    if (plan.unmockedInvokes.length)
        lines.push(
            "",
            `Note: invokes answered with {} (add them to harness/cloudMocks.ts): ${plan.unmockedInvokes.join(", ")}`,
        );
    return lines.join("\n") + "\n";
}

function describe(plan: Plan, id: string): string {
    const r = plan.resources.find((x) => x.id === id);
    return r ? `${r.type}  ${r.name}` : id;
}
