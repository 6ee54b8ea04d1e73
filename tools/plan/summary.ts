// plans/<stack>.md: a plan as a reviewer reads it — config warnings first, then every resource under
// the component that creates it with the inputs that matter (keyInputs.ts). Deterministic: a pure
// function of the plan, which is itself byte-stable.
import * as path from "path";
import { projectRoot } from "../../harness/stackFiles";
import { componentLabel, componentOf } from "./diff";
import { isOpaqueComponent } from "./graph";
import { KeyInput, keyInputs } from "./keyInputs";
import { code, inline, skim } from "./markdown";
import { compare, Plan, PlanResource } from "./model";
import { estimateCost } from "./cost";
import { costSection } from "./costMarkdown";
import { ANY, parseRulePath } from "./paths";
import { parseProperties } from "./properties";
import { COMPUTED } from "./wire";

export function summaryPath(stack: string, root = projectRoot): string {
    return path.join(root, "plans", `${stack}.md`);
}

/** The values at `path` (`[*]` expanded), each with what names it: "" or the element's name/index. */
export function select(value: unknown, pathText: string): [string, unknown][] {
    let found: [string, unknown][] = [["", value]];
    for (const seg of parseRulePath(pathText)) {
        const next: [string, unknown][] = [];
        for (const [label, v] of found) {
            if (seg === ANY) {
                if (!Array.isArray(v)) continue;
                v.forEach((e, i) => {
                    const name = e && typeof e === "object" && typeof e.name === "string" ? e.name : String(i);
                    next.push([label ? `${label}, ${name}` : name, e]);
                });
            } else if (
                v &&
                typeof v === "object" &&
                !Array.isArray(v) &&
                (v as Record<string, unknown>)[seg] !== undefined
            ) {
                next.push([label, (v as Record<string, unknown>)[seg]]);
            }
        }
        found = next;
    }
    return found;
}

/** Whether anything of `v` is known before deployment. */
function known(v: unknown): boolean {
    if (v === COMPUTED) return false;
    if (Array.isArray(v)) return v.some(known);
    if (v && typeof v === "object") return Object.values(v).some(known);
    return true;
}

/** Inputs of a type without a keyInputs entry: its top-level inputs, where anything is known. */
function fallbackInputs(r: PlanResource): KeyInput[] {
    return Object.keys(r.inputs)
        .filter((k) => !["apiVersion", "kind"].includes(k) && known(r.inputs[k]))
        .sort(compare)
        .slice(0, 8)
        .map((k) => [k, /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : `[${JSON.stringify(k)}]`] as KeyInput);
}

/** The bullet lines under a resource: its key inputs. */
export function keyInputLines(r: PlanResource): string[] {
    const lines: string[] = [];
    if (r.type === "kubernetes:core/v1:ConfigMap" || r.type === "kubernetes:core/v1:Secret") {
        const data = (r.inputs.data ?? r.inputs.stringData ?? {}) as Record<string, unknown>;
        for (const key of Object.keys(data).sort(compare)) {
            const v = data[key];
            if (typeof v === "string" && key.endsWith(".properties")) {
                lines.push(`- ${code(key)} (Java properties):`);
                for (const [k, x] of parseProperties(v)) {
                    const json = tryJson(x);
                    // A JSON object value (TorchServe's `models`): one line per top-level key.
                    if (json && typeof json === "object" && !Array.isArray(json) && Object.keys(json).length) {
                        for (const [sub, y] of Object.entries(json))
                            lines.push(`  - ${code(`${k}.${sub}`)}: ${code(skim(y))}`);
                    } else lines.push(`  - ${code(k)}: ${code(skim(json))}`);
                }
            } else lines.push(`- ${code(key)}: ${inline(v)}`);
        }
        return lines;
    }
    for (const [label, p] of keyInputs[r.type] ?? fallbackInputs(r)) {
        for (const [element, v] of select(r.inputs, p)) {
            lines.push(`- ${label}${element ? ` [${element}]` : ""}: ${code(skim(v))}`);
        }
    }
    return lines;
}

function tryJson(s: string): unknown {
    if (!/^\s*[[{]/.test(s)) return s;
    try {
        return JSON.parse(s);
    } catch {
        return s;
    }
}

/** `kubernetes:apps/v1:Deployment` **torchserve** (torchserve/torchserve), protected, … */
export function resourceLine(r: PlanResource): string {
    const meta = (r.inputs.metadata ?? {}) as Record<string, unknown>;
    const object =
        r.type.startsWith("kubernetes:") && typeof meta.name === "string" && meta.name !== COMPUTED
            ? ` (${typeof meta.namespace === "string" ? `${meta.namespace}/` : ""}${meta.name})`
            : "";
    const notes = [
        ...(r.options?.protect ? ["**protected** from deletion"] : []),
        ...(r.options?.ignoreChanges ? [`ignores changes to ${r.options.ignoreChanges.map(code).join(", ")}`] : []),
    ];
    return `${code(r.type)} **${r.name}**${object}${notes.length ? ` — ${notes.join("; ")}` : ""}`;
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

/** The text of plans/<stack>.md. */
export function renderSummary(plan: Plan): string {
    const component = componentOf(plan);
    const listed = (r: PlanResource) => r.custom || isOpaqueComponent(r);
    const members = new Map<string, PlanResource[]>();
    for (const r of plan.resources) {
        if (!listed(r)) continue;
        const c = component(r);
        members.set(c, [...(members.get(c) ?? []), r]);
    }
    const childComponents = new Map<string, PlanResource[]>();
    for (const r of plan.resources) {
        if (listed(r) || r.type === "pulumi:pulumi:Stack") continue;
        const c = component(r);
        childComponents.set(c, [...(childComponents.get(c) ?? []), r]);
    }
    const custom = plan.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")).length;
    const components = plan.resources.filter((r) => !r.custom && r.type !== "pulumi:pulumi:Stack").length;
    const providers = plan.resources.filter((r) => r.type.startsWith("pulumi:providers:")).length;
    const out: string[] = [
        `# Plan of stack \`${plan.stack}\``,
        "",
        `<!-- Generated by \`npm run plan\` from Pulumi.${plan.stack}.yaml; do not edit. -->`,
        "",
        `A preview of \`Pulumi.${plan.stack}.yaml\` under Pulumi mocks, without credentials: \`[unknown]\` is known only after deployment, \`[secret]\` is masked. Every input is in [${plan.stack}.json](${plan.stack}.json); \`npm run plan -- --diff\` compares a change with it.`,
        "",
        `**${plan.total} resources**: ${custom} cloud and Kubernetes resources, ${plural(components, "component")}, ${plural(providers, "provider")}. Longest provisioning chain: ${plan.longestChain.length} resources created one after another.`,
        "",
        "## Config warnings",
        "",
        ...(plan.warnings.length ? plan.warnings.map((w) => `- ${w}`) : ["None."]),
        "",
        ...costSection(estimateCost(plan)),
    ];
    const outputs = Object.keys(plan.outputs).sort(compare);
    if (outputs.length) {
        out.push("", "## Outputs", "");
        for (const k of outputs) out.push(`- ${code(k)}: ${code(skim(plan.outputs[k]))}`);
    }
    if (plan.unmockedInvokes.length) {
        out.push("", `Invokes answered with \`{}\` under mocks: ${plan.unmockedInvokes.map(code).join(", ")}.`);
    }
    const label = componentLabel(plan);
    const heading = (id: string): string => label(id) || "Stack";
    const walk = (id: string) => {
        const rs = members.get(id) ?? [];
        if (rs.length) {
            out.push("", `## ${heading(id)}`);
            for (const r of rs) {
                out.push("", `${resourceLine(r)}`, "");
                const lines = keyInputLines(r);
                out.push(...(lines.length ? lines : ["- (no inputs known before deployment)"]));
            }
        }
        for (const c of (childComponents.get(id) ?? []).sort((a, b) => compare(a.id, b.id))) walk(c.id);
    };
    walk("");
    return out.join("\n") + "\n";
}
