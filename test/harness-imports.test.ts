// One evaluation harness (harness/), shared by tests and tools: tools/ holds CLIs built on it, and
// neither harness/ nor the tests use tools/ as their harness. A test may import the tool it tests
// (test/plan.test.ts → tools/plan/..., test/build.test.ts → tools/build-stamp.ts), and a test of one
// part of a tool that tool (test/plan-diff.test.ts → tools/plan/...); type-only imports (erased at
// run time) are allowed.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../harness/stackFiles";

/** Relative module specifiers a file loads at run time (`import type` is erased, so left out). */
export function runtimeImports(text: string): string[] {
    const out: string[] = [];
    const statement = /^\s*(?:import|export)\s+(type\s+)?(?:[^;]*?\s+from\s+)?["']([^"']+)["']/gm;
    for (const m of text.matchAll(statement)) if (!m[1]) out.push(m[2]);
    for (const m of text.matchAll(/\b(?:require|import)\(\s*["']([^"']+)["']\s*\)/g)) out.push(m[1]);
    return out.filter((s) => s.startsWith("."));
}

/** The problems of `file` (relative to the root, / separators): imports of tools/ it must not make. */
export function harnessViolations(file: string, text: string): string[] {
    const dir = path.posix.dirname(file);
    const testedTool = /^test\/([^/]+)\.test\.ts$/.exec(file)?.[1];
    const toolOfPart = testedTool?.split("-")[0];
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return runtimeImports(text)
        .map((spec) => path.posix.normalize(path.posix.join(dir, spec)))
        .filter((target) => target.startsWith("tools/"))
        .filter((target) => !(testedTool && new RegExp(`^tools/${escape(testedTool)}(?:$|[/-])`).test(target)))
        .filter((target) => !(toolOfPart && toolOfPart !== testedTool && target.startsWith(`tools/${toolOfPart}/`)))
        .map((target) => `${file} imports ${target}`);
}

function tsFiles(dir: string): string[] {
    return fs
        .readdirSync(path.join(projectRoot, dir), { withFileTypes: true })
        .flatMap((e) =>
            e.isDirectory() ? tsFiles(`${dir}/${e.name}`) : e.name.endsWith(".ts") ? [`${dir}/${e.name}`] : [],
        );
}

describe("the evaluation harness", () => {
    // Specifiers built at run time, so this file's own rows are not imports it makes.
    const up = "../";
    const rows: [string, string, string, number][] = [
        ["a support module importing a tool", "test/support/x.ts", 'import { a } from "../../tools/plan/model";', 1],
        ["a test importing another tool", "test/eks.test.ts", 'import { planStack } from "../tools/plan/planner";', 1],
        ["the harness importing a tool", "harness/x.ts", `const m = require("${up}tools/bench");`, 1],
        ["a test importing its own tool", "test/plan.test.ts", 'import { Plan } from "../tools/plan/model";', 0],
        ["… or its tool's part", "test/build.test.ts", 'import { buildStamp } from "../tools/build-stamp";', 0],
        ["… not a tool that merely starts alike", "test/plan.test.ts", 'import { x } from "../tools/planner";', 1],
        ["a test of a tool's part", "test/plan-diff.test.ts", 'import { diffPlans } from "../tools/plan/diff";', 0],
        ["… not of another tool", "test/plan-diff.test.ts", 'import { bench } from "../tools/bench";', 1],
        ["a type-only import", "test/support/x.ts", 'import type { T } from "../../tools/chart-value-keys";', 0],
        ["the harness", "test/eks.test.ts", 'import { runCluster } from "../harness/cluster";', 0],
    ];
    for (const [what, file, text, problems] of rows) {
        it(`${what}: ${problems ? "rejected" : "allowed"}`, () => {
            assert.strictEqual(
                harnessViolations(file, text).length,
                problems,
                harnessViolations(file, text).join("; "),
            );
        });
    }

    it("harness/ and test/ use no tool as their harness", () => {
        const problems = [...tsFiles("harness"), ...tsFiles("test")].flatMap((f) =>
            harnessViolations(f, fs.readFileSync(path.join(projectRoot, f), "utf8")),
        );
        assert.deepStrictEqual(problems, []);
    });
});
