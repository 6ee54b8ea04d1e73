// `npm run bench [-- --runs N] [--compiled] [stack...]`: how fast the program starts.
//
// For each example stack, a fresh node process loads the program as the Pulumi Node.js host does
// (@pulumi/pulumi first, then index.ts through ts-node in transpile-only mode, as tsconfig.json's
// noCheck makes Pulumi do) and evaluates it under mocks in preview mode. Measured inside the child:
// time from process start (performance.timeOrigin) until every resource is registered, peak RSS
// (process.resourceUsage().maxRSS) and which @pulumi/* packages ended up in require.cache. The
// baseline is `node -e "require('@pulumi/pulumi')"` measured the same way in the same run. Medians
// of N runs (default 5).
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { exampleStacks, projectRoot } from "./stackFiles";

interface Sample {
    ms: number;
    maxRssMb: number;
    pulumiPackages: string[];
    resources?: number;
}

// Shared tail of every child: what it measured, as one JSON line on stdout.
const report = `
const pkgs = [...new Set(Object.keys(require.cache).map((f) => (/node_modules[\\\\/]@pulumi[\\\\/]([^\\\\/]+)[\\\\/]/.exec(f) || [])[1]).filter(Boolean))].sort();
const report = (extra) => { process.stdout.write(JSON.stringify({ ms: performance.now(), maxRssMb: process.resourceUsage().maxRSS / 1024, pulumiPackages: pkgs, ...extra }) + "\\n"); process.exit(0); };
`;

/** Child scripts (plain JavaScript for `node -e`, run with cwd = the project root). */
const children = {
    baseline: `require("@pulumi/pulumi");${report}report({});`,
    "ts-node + @pulumi/pulumi": `require("@pulumi/pulumi"); require("ts-node").register({ transpileOnly: true });${report}report({});`,
};

/**
 * The program child. `typescript`: load index.ts through ts-node (what Pulumi does with
 * `runtime.options.typescript: true`); otherwise load index.js from a tsc output directory.
 */
function programChild(typescript: boolean): string {
    return `
require("@pulumi/pulumi");
${typescript ? 'require("ts-node").register({ transpileOnly: true });' : ""}
const { evaluate } = require("./tools/evaluate");
const { cloudCall } = require("./tools/cloudMocks");
const { stackConfig, projectName } = require("./tools/stackFiles");
const stack = process.env.BENCH_STACK;
const config = stackConfig(stack);
const program = require(${typescript ? '"./index.ts"' : '"./index.js"'});
evaluate({ project: projectName, stack, config, preview: true, call: cloudCall(config) }, async () => program())
    .then((ev) => {
        ${report.replace(/\n/g, " ")}
        report({ resources: ev.resources.length });
    })
    .catch((e) => { console.error(e && e.message || e); process.exit(1); });
`;
}

/** Compiles the project with tsc into a scratch directory laid out like the project (for --compiled). */
function compileToScratch(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "torchserve-platform-bench-"));
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(projectRoot, "tsconfig.json"), "--outDir", dir], { stdio: "inherit" });
    fs.symlinkSync(path.join(projectRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
    for (const f of fs.readdirSync(projectRoot)) if (/^Pulumi(\..+)?\.yaml$/.test(f)) fs.copyFileSync(path.join(projectRoot, f), path.join(dir, f));
    return dir;
}

/** The environment a child runs in: no kubeconfig or cloud credentials of this machine (as `npm run plan`). */
function childEnv(stack?: string): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
        if (!/^(KUBECONFIG|KUBE_|AWS_|ARM_|AZURE_|GOOGLE_|GCLOUD_|CLOUDSDK_|PULUMI_K8S_|TS_NODE_|NODE_OPTIONS)/.test(k)) env[k] = v;
    }
    env.HOME = path.join(path.sep, "nonexistent", "bench-home");
    if (stack) env.BENCH_STACK = stack;
    return env;
}

function runChild(script: string, stack?: string, cwd = projectRoot): Sample {
    const out = execFileSync(process.execPath, ["-e", script], { cwd, env: childEnv(stack), encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const line = out.trim().split("\n").pop() ?? "";
    return JSON.parse(line) as Sample;
}

export function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface BenchRow {
    name: string;
    medianMs: number;
    maxRssMb: number;
    pulumiPackages: string[];
    resources?: number;
}

function measure(name: string, script: string, runs: number, stack?: string, cwd?: string): BenchRow {
    const samples: Sample[] = [];
    // One unmeasured warm-up run so every row reads files from the page cache alike.
    runChild(script, stack, cwd);
    for (let i = 0; i < runs; i++) samples.push(runChild(script, stack, cwd));
    return {
        name,
        medianMs: median(samples.map((s) => s.ms)),
        maxRssMb: Math.max(...samples.map((s) => s.maxRssMb)),
        pulumiPackages: samples[samples.length - 1].pulumiPackages,
        resources: samples[samples.length - 1].resources,
    };
}

async function cli(argv: string[]): Promise<number> {
    let runs = 5;
    let compiled = false;
    const stacks: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--runs") runs = Number(argv[++i]);
        else if (argv[i] === "--compiled") compiled = true;
        else stacks.push(argv[i]);
    }
    const selected = stacks.length ? stacks : exampleStacks();
    const baseline = measure("node -e \"require('@pulumi/pulumi')\"", children.baseline, runs);
    const rows: BenchRow[] = [measure("ts-node + @pulumi/pulumi", children["ts-node + @pulumi/pulumi"], runs)];
    for (const s of selected) rows.push(measure(`stack ${s}`, programChild(true), runs, s));
    if (compiled) {
        // The same program from tsc output: what TypeScript transpilation at start-up costs.
        const dir = compileToScratch();
        try {
            for (const s of selected) rows.push(measure(`stack ${s}, compiled JS`, programChild(false), runs, s, dir));
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }

    const header = ["", "median start→registered", "× baseline", "peak RSS", "resources", "@pulumi/* loaded"];
    const table = [baseline, ...rows].map((r) => [
        r.name,
        `${r.medianMs.toFixed(0)} ms`,
        (r.medianMs / baseline.medianMs).toFixed(2),
        `${r.maxRssMb.toFixed(0)} MB`,
        r.resources === undefined ? "" : String(r.resources),
        r.pulumiPackages.join(" "),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
    const fmt = (row: string[]) => row.map((c, i) => (i === 0 || i === row.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
    console.log(`node ${process.version}, ${runs} runs each (median time, max peak RSS), preview mode under mocks\n`);
    console.log(fmt(header));
    for (const row of table) console.log(fmt(row));

    // Targets: the aws stack within 2× the bare SDK and 300 MB, loading only its cloud's SDKs.
    const aws = rows.find((r) => r.name === "stack eks");
    if (aws) {
        const foreign = aws.pulumiPackages.filter((p) => ["azure-native", "gcp"].includes(p));
        const ok = aws.medianMs <= 2 * baseline.medianMs && aws.maxRssMb <= 300 && foreign.length === 0;
        console.log(`\naws stack (eks): ${(aws.medianMs / baseline.medianMs).toFixed(2)}× baseline (target ≤ 2), ${aws.maxRssMb.toFixed(0)} MB (target ≤ 300)` +
            `${foreign.length ? `, loads other clouds' SDKs: ${foreign.join(", ")}` : ""} — ${ok ? "meets the targets" : "MISSES a target"}`);
        return ok ? 0 : 1;
    }
    return 0;
}

if (require.main === module) {
    cli(process.argv.slice(2)).then((code) => process.exit(code), (e) => { console.error(e); process.exit(2); });
}
