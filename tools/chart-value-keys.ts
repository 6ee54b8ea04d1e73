// One-off generator for test/data/chart-values/<chart>-<version>.json: the key paths a pinned chart's
// values.yaml defines, so tests can reject a misspelt Helm value (Helm ignores unknown keys silently).
// Run by a developer against a copy of the chart, never by the program or the tests:
//
//   npx ts-node tools/chart-value-keys.ts <chart-dir> <source> [--sub <alias>=<values.yaml>@<source>]…
//       [--documented <path>]… > test/data/chart-values/<chart>-<version>.json
//
// <chart-dir> holds Chart.yaml and values.yaml; `--sub` merges a dependency chart's values under its
// alias; `--documented` adds a key the chart documents only in a comment (e.g. grafana `adminPassword`).
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

export interface ChartValueKeys {
    chart: string;
    version: string;
    /** Where the values came from (repository, path, commit). */
    source: string[];
    /** Every mapping key path, dot-joined. */
    keys: string[];
    /** Paths whose default is an empty map, an empty list or null: free-form below. */
    open: string[];
    /** Keys only documented in a comment of values.yaml, added by hand. */
    documentedInComments: string[];
}

function walk(value: unknown, prefix: string, keys: Set<string>, open: Set<string>): void {
    if (value === null || value === undefined) {
        if (prefix) open.add(prefix);
        return;
    }
    if (Array.isArray(value)) {
        if (prefix && value.length === 0) open.add(prefix);
        return;
    }
    if (typeof value !== "object") return;
    const entries = Object.entries(value as Record<string, unknown>);
    if (prefix && entries.length === 0) open.add(prefix);
    for (const [k, v] of entries) {
        const p = prefix ? `${prefix}.${k}` : k;
        keys.add(p);
        walk(v, p, keys, open);
    }
}

function main(argv: string[]): void {
    const [chartDir, source, ...rest] = argv;
    if (!chartDir || !source) throw new Error("usage: chart-value-keys <chart-dir> <source> [--sub alias=file@source] [--documented path]");
    const chart = yaml.load(fs.readFileSync(path.join(chartDir, "Chart.yaml"), "utf8")) as { name: string; version: string };
    const keys = new Set<string>();
    const open = new Set<string>();
    const sources = [source];
    walk(yaml.load(fs.readFileSync(path.join(chartDir, "values.yaml"), "utf8")), "", keys, open);
    const documented: string[] = [];
    for (let i = 0; i < rest.length; i += 2) {
        const [flag, arg] = [rest[i], rest[i + 1]];
        if (flag === "--sub") {
            const m = /^([^=]+)=([^@]+)@(.+)$/.exec(arg);
            if (!m) throw new Error(`bad --sub ${arg}`);
            keys.add(m[1]);
            walk(yaml.load(fs.readFileSync(m[2], "utf8")), m[1], keys, open);
            sources.push(`${m[1]}: ${m[3]}`);
        } else if (flag === "--documented") {
            keys.add(arg);
            documented.push(arg);
        } else {
            throw new Error(`unknown flag ${flag}`);
        }
    }
    const out: ChartValueKeys = {
        chart: chart.name,
        version: String(chart.version),
        source: sources,
        keys: [...keys].sort(),
        open: [...open].sort(),
        documentedInComments: documented.sort(),
    };
    process.stdout.write(JSON.stringify(out, null, 1) + "\n");
}

if (require.main === module) main(process.argv.slice(2));
