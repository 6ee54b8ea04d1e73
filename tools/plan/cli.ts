// `npm run plan -- <stack>` / `npm run plan -- --all` [--manifests DIR] [--quiet]
// `npm run plan -- --diff [--base <git-ref>] [--output FILE] [<stack>...]`
//
// A preview without the Pulumi CLI, credentials or network: evaluates the program for
// Pulumi.<stack>.yaml under mocks in preview mode (planner.ts) and writes plans/<stack>.json — every
// resource with its type, name, parent, provider, what it waits for and its inputs, secrets masked —
// and plans/<stack>.md, the same plan for a reviewer (summary.ts). Both are committed; a test fails
// when they drift (test/plan.test.ts).
//
// --diff writes nothing: it plans the stacks (all by default) and prints, as Markdown, what changes
// against the committed plans, or against the plans committed at a git ref (--base), resource by
// resource and field by field, replacements flagged (diff.ts, diffMarkdown.ts).
import * as pulumi from "@pulumi/pulumi";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { exampleStacks, projectRoot, StackFileError } from "../../harness/stackFiles";
import { diffPlans, emptyPlan, PlanDiff } from "./diff";
import { renderDiffs } from "./diffMarkdown";
import { writeManifests } from "./manifests";
import { compare, Plan } from "./model";
import { planStack } from "./planner";
import { formatPlan, planPath, renderPlan } from "./render";
import { renderSummary, summaryPath } from "./summary";
import { quotaVerdicts, stackFileAt, transitionVerdicts, Verdict } from "./verdicts";

const usage = [
    "usage: npm run plan -- <stack>... | --all  [--manifests DIR] [--quiet]",
    "       npm run plan -- --diff [--base <git-ref>] [--output FILE] [<stack>...]",
].join("\n");

interface Options {
    all: boolean;
    quiet: boolean;
    diff: boolean;
    base?: string;
    output?: string;
    manifests?: string;
    stacks: string[];
}

/** The command line as options, or the text of a usage error. */
export function parseArgs(argv: string[]): Options | string {
    const o: Options = { all: false, quiet: false, diff: false, stacks: [] };
    const value = (i: number): string | undefined => {
        const v = argv[i + 1];
        return v === undefined || v.startsWith("-") ? undefined : v;
    };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const [flag, inline] =
            a.startsWith("--") && a.includes("=")
                ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]
                : [a, undefined];
        if (flag === "--all") o.all = true;
        else if (flag === "--quiet") o.quiet = true;
        else if (flag === "--diff") o.diff = true;
        else if (flag === "--manifests" || flag === "--base" || flag === "--output") {
            const v = inline ?? value(i);
            if (!v) return `${flag} needs a value`;
            if (inline === undefined) i++;
            if (flag === "--manifests") o.manifests = v;
            else if (flag === "--base") o.base = v;
            else o.output = v;
        } else if (a.startsWith("-")) return `unknown option ${a}`;
        else o.stacks.push(a);
    }
    if (o.diff && o.manifests) return "--manifests writes files; --diff writes none: run them separately";
    if (!o.diff && (o.base || o.output)) return "--base and --output go with --diff";
    return o;
}

/** Config warnings on stderr; in GitHub Actions as annotations on the stack file. */
function reportWarnings(plan: Plan): void {
    for (const w of plan.warnings) {
        if (process.env.GITHUB_ACTIONS === "true") {
            const message = w.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
            console.error(`::warning file=Pulumi.${plan.stack}.yaml,title=config warning (${plan.stack})::${message}`);
        } else console.error(`Stack ${plan.stack}: ${w}`);
    }
}

/** The plan committed for `stack` (in the working tree, or at git ref `base`); undefined where there is none. */
export function committedPlan(stack: string, base?: string): Plan | undefined {
    if (!base) {
        const file = planPath(stack);
        return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as Plan) : undefined;
    }
    try {
        const text = execFileSync("git", ["show", `${base}:plans/${stack}.json`], {
            cwd: projectRoot,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
            maxBuffer: 64 * 1024 * 1024,
        });
        return JSON.parse(text) as Plan;
    } catch {
        return undefined;
    }
}

/** Stacks that have a committed plan (in the working tree, or at `base`). */
function committedStacks(base?: string): string[] {
    const names = base
        ? execFileSync("git", ["ls-tree", "--name-only", `${base}`, "plans/"], { cwd: projectRoot, encoding: "utf8" })
              .split("\n")
              .map((f) => path.posix.basename(f))
        : fs.existsSync(path.join(projectRoot, "plans"))
          ? fs.readdirSync(path.join(projectRoot, "plans"))
          : [];
    return names.flatMap((f) => (f.endsWith(".json") ? [f.slice(0, -5)] : [])).sort(compare);
}

async function diffCommand(o: Options, known: string[]): Promise<number> {
    if (o.base) {
        try {
            execFileSync("git", ["rev-parse", "--verify", "--quiet", `${o.base}^{commit}`], {
                cwd: projectRoot,
                stdio: "ignore",
            });
        } catch {
            console.error(
                `--base ${o.base}: not a commit in this repository (fetch it first, e.g. git fetch origin main)`,
            );
            return 2;
        }
    }
    // Every stack by default, including stacks whose file is gone (all of their resources go too).
    const selected = o.stacks.length ? o.stacks : [...new Set([...known, ...committedStacks(o.base)])].sort(compare);
    const diffs: PlanDiff[] = [];
    const verdicts: Verdict[] = [];
    let failed = 0;
    for (const stack of selected) {
        const before = committedPlan(stack, o.base) ?? emptyPlan(stack);
        let after: Plan;
        if (known.includes(stack)) {
            try {
                after = await planStack(stack);
            } catch (e) {
                failed++;
                console.error(describeFailure(stack, e));
                continue;
            }
            reportWarnings(after);
        } else after = emptyPlan(stack);
        const d = diffPlans(before, after);
        diffs.push(d);
        // The day-2 verdict on the change of this stack's file (needs the base's stack file).
        if (o.base)
            verdicts.push(
                ...(await transitionVerdicts(stack, stackFileAt(o.base, stack), o.base, known.includes(stack))),
            );
        verdicts.push(...quotaVerdicts(d));
    }
    const text = renderDiffs(diffs, o.base ? `\`${o.base}\`` : "the committed plans", {
        list: verdicts,
        checked: !!o.base,
    });
    if (o.output) fs.writeFileSync(o.output, text);
    else process.stdout.write(text);
    return failed ? 1 : 0;
}

async function cli(argv: string[]): Promise<number> {
    if (argv.includes("-h") || argv.includes("--help")) {
        console.log(usage);
        return 0;
    }
    const parsed = parseArgs(argv);
    if (typeof parsed === "string") {
        console.error(`${parsed}\n${usage}`);
        return 2;
    }
    const { all, quiet, manifests, stacks } = parsed;
    const known = exampleStacks();
    for (const s of stacks) {
        if (!known.includes(s) && !(parsed.diff && committedStacks(parsed.base).includes(s))) {
            console.error(`no Pulumi.${s}.yaml in ${projectRoot} (example stacks: ${known.join(", ")})`);
            return 2;
        }
    }
    if (parsed.diff) return diffCommand(parsed, known);
    const selected = all ? known : stacks;
    if (selected.length === 0) {
        console.error(`${usage}\nexample stacks: ${known.join(", ")}`);
        return 2;
    }
    fs.mkdirSync(path.join(projectRoot, "plans"), { recursive: true });
    if (all) {
        // A removed stack's plan goes with it.
        for (const f of fs.readdirSync(path.join(projectRoot, "plans"))) {
            const m = /^(.+)\.(?:json|md)$/.exec(f);
            if (m && !known.includes(m[1])) fs.rmSync(path.join(projectRoot, "plans", f));
        }
    }
    let failed = 0;
    for (const stack of selected) {
        let plan: Plan;
        try {
            plan = await planStack(stack);
        } catch (e) {
            failed++;
            console.error(describeFailure(stack, e));
            continue;
        }
        fs.writeFileSync(planPath(stack), renderPlan(plan));
        fs.writeFileSync(summaryPath(stack), renderSummary(plan));
        if (!quiet) console.log(formatPlan(plan));
        reportWarnings(plan);
        console.log(
            `wrote ${path.relative(projectRoot, planPath(stack))} and .md (${plan.total} resources, longest chain ${plan.longestChain.length})`,
        );
        if (manifests) {
            const n = writeManifests(plan, path.resolve(manifests));
            console.log(`wrote ${n} Kubernetes manifests to ${path.join(manifests, stack)}`);
        }
    }
    return failed ? 1 : 0;
}

/**
 * What the CLI prints when a stack cannot be planned. A config mistake (pulumi.RunError, thrown by
 * stacks/program.ts with one line per problem) prints those lines and no stack trace.
 */
export function describeFailure(stack: string, e: unknown): string {
    if (e instanceof StackFileError) return `Stack ${stack}: ${e.message}`;
    if (e instanceof pulumi.RunError || (e as Error)?.constructor?.name === "RunError") {
        return `Stack ${stack}: invalid configuration in Pulumi.${stack}.yaml:\n${indent((e as Error).message)}`;
    }
    return `Stack ${stack}: the program failed under mocks:\n${(e as Error)?.stack ?? e}`;
}

function indent(s: string): string {
    return s
        .split("\n")
        .map((l) => `  ${l}`)
        .join("\n");
}

if (require.main === module) {
    cli(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (e) => {
            console.error(e);
            process.exit(2);
        },
    );
}
