// docs/architecture.md is the contract code and tests cite: every config key the program reads and
// every stack output appear in it, and nothing cites a DESIGN.md the repository does not have.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { topLevelKeys } from "../stacks/config/parse";

const root = path.join(__dirname, "..");
const doc = fs.readFileSync(path.join(root, "docs", "architecture.md"), "utf8");

/** Keys an object reader of stacks/config/sections allows (its string-literal key lists). */
function sectionKeys(): string[] {
    const dir = path.join(root, "stacks", "config", "sections");
    const keys = new Set<string>();
    for (const f of fs.readdirSync(dir)) {
        const text = fs.readFileSync(path.join(dir, f), "utf8");
        for (const list of text.matchAll(
            /(?:allowed|Keys|keys)\s*=\s*\[([^\]]*)\]|toggle\(\s*value,\s*\[([^\]]*)\]|object\([^[]*\[([^\]]*)\]/g,
        ))
            for (const k of (list[1] ?? list[2] ?? list[3] ?? "").matchAll(/"([A-Za-z]+)"/g)) keys.add(k[1]);
    }
    return [...keys].sort();
}

describe("docs/architecture.md: the contract", () => {
    it("names every top-level config key as a row of its table", () => {
        for (const k of topLevelKeys) assert.ok(doc.includes(`| \`${k}\` |`), `config key ${k} is missing`);
    });

    it("names every key the section readers allow", () => {
        const keys = sectionKeys();
        assert.ok(keys.length > 50, `only ${keys.length} keys found: the scan broke`);
        const missing = keys.filter((k) => !new RegExp(`\\b${k}\\b`).test(doc));
        assert.deepStrictEqual(missing, []);
    });

    it("names every stack output", () => {
        for (const k of [
            "cloud",
            "clusterName",
            "namespace",
            "inferenceUrl",
            "managementUrl",
            "metricsUrl",
            "grpcUrl",
            "kubeconfig",
            "grafanaUrl",
            "grafanaAdminPassword",
            "ingressUrl",
        ])
            assert.ok(doc.includes(`\`${k}\``), `output ${k} is missing`);
    });

    it("is what code and tests cite: no DESIGN.md", () => {
        const cites: string[] = [];
        const walk = (dir: string) => {
            for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
                if (["node_modules", "bin", ".git", ".stryker-tmp", "reports"].includes(e.name)) continue;
                const p = path.join(dir, e.name);
                if (e.isDirectory()) walk(p);
                else if (
                    /\.(ts|md)$/.test(e.name) &&
                    p !== __filename &&
                    fs.readFileSync(p, "utf8").includes("DESIGN" + ".md")
                )
                    cites.push(path.relative(root, p));
            }
        };
        walk(root);
        assert.deepStrictEqual(cites, []);
    });
});
