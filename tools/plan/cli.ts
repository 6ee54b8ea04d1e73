// `npm run plan -- <stack>` / `npm run plan -- --all` [--manifests DIR] [--quiet]
//
// A preview without the Pulumi CLI, credentials or network: evaluates the program for
// Pulumi.<stack>.yaml under mocks in preview mode (planner.ts) and writes plans/<stack>.json — every
// resource with its type, name, parent, provider, what it waits for and its inputs, secrets masked.
// The committed plans make a pull request's effect on every example stack reviewable as a plain
// diff; CI fails when they drift (test/plan.test.ts).
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { exampleStacks, projectRoot } from "../../harness/stackFiles";
import { writeManifests } from "./manifests";
import { Plan } from "./model";
import { planStack } from "./planner";
import { formatPlan, planPath, renderPlan } from "./render";

const usage = "usage: npm run plan -- <stack>... | --all  [--manifests DIR] [--quiet]";

async function cli(argv: string[]): Promise<number> {
    let all = false;
    let quiet = false;
    let manifests: string | undefined;
    const stacks: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--all") all = true;
        else if (a === "--quiet") quiet = true;
        else if (a === "--manifests") manifests = argv[++i];
        else if (a.startsWith("--manifests=")) manifests = a.slice("--manifests=".length);
        else if (a === "-h" || a === "--help") {
            console.log(usage);
            return 0;
        } else if (a.startsWith("-")) {
            console.error(`unknown option ${a}\n${usage}`);
            return 2;
        } else stacks.push(a);
    }
    if (manifests === "") {
        console.error(usage);
        return 2;
    }
    const known = exampleStacks();
    const selected = all ? known : stacks;
    if (selected.length === 0) {
        console.error(`${usage}\nexample stacks: ${known.join(", ")}`);
        return 2;
    }
    for (const s of selected) {
        if (!known.includes(s)) {
            console.error(`no Pulumi.${s}.yaml in ${projectRoot} (example stacks: ${known.join(", ")})`);
            return 2;
        }
    }
    fs.mkdirSync(path.join(projectRoot, "plans"), { recursive: true });
    if (all) {
        // A removed stack's plan goes with it.
        for (const f of fs.readdirSync(path.join(projectRoot, "plans"))) {
            const m = /^(.+)\.json$/.exec(f);
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
        if (!quiet) console.log(formatPlan(plan));
        console.log(
            `wrote ${path.relative(projectRoot, planPath(stack))} (${plan.total} resources, longest chain ${plan.longestChain.length})`,
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
