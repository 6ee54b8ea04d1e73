// `npm run bench [-- --runs N] [--typescript] [stack...]`: how fast the program starts.
//
// For each example stack, a fresh node process loads the program as the Pulumi Node.js host does
// (@pulumi/pulumi first, then bin/index.js: Pulumi.yaml runs the compiled program with
// `typescript: false`; the bench builds it first if it is missing or stale) and evaluates it under
// mocks in preview mode. Measured inside the child: time from process start
// (performance.timeOrigin) until every resource is registered, peak RSS
// (process.resourceUsage().maxRSS) and which @pulumi/* packages ended up in require.cache. The
// baseline is `node -e "require('@pulumi/pulumi')"` measured the same way in the same run. Medians
// of N runs (default 5). `--typescript` adds the same stacks loaded from index.ts through ts-node
// (transpile-only), to show what compiling ahead of time saves.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { checkBuildIsCurrent } from "../stacks/build";
import { writeBuildStamp } from "./build-stamp";
import { emptyHome, machineEnv } from "../harness/environment";
import { exampleStacks, projectName, projectRoot, stackConfig } from "../harness/stackFiles";

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

/** Where the bench compiles the mock evaluator, so compiled rows load no TypeScript at all. */
const harnessDir = path.join(projectRoot, ".bench");

/**
 * The program child: `bin/index.js` as Pulumi runs it, or (`typescript`) index.ts through ts-node in
 * transpile-only mode, as Pulumi would with `runtime.options.typescript: true`. The stack's config
 * comes from the parent (BENCH_CONFIG), so the child reads no YAML.
 */
function programChild(typescript: boolean): string {
    const harness = typescript ? "./harness" : "./.bench/harness";
    return `
require("@pulumi/pulumi");
${typescript ? 'require("ts-node").register({ transpileOnly: true });' : ""}
const { evaluate } = require("${harness}/evaluate");
const { cloudCall } = require("${harness}/cloudMocks");
const stack = process.env.BENCH_STACK;
const config = JSON.parse(process.env.BENCH_CONFIG);
const program = require(${typescript ? '"./index.ts"' : '"./bin/index.js"'});
evaluate({ project: "${projectName}", stack, config, preview: true, call: cloudCall(config) }, async () => program())
    .then((ev) => {
        ${report.replace(/\n/g, " ")}
        report({ resources: ev.resources.length });
    })
    .catch((e) => { console.error(e && e.message || e); process.exit(1); });
`;
}

function tsc(args: string[]): void {
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), ...args], {
        cwd: projectRoot,
        stdio: "inherit",
    });
}

/** Builds and stamps bin/ (`npm run build`) unless it is current, and compiles the mock evaluator into .bench/. */
function ensureBuilt(): void {
    const entry = path.join(projectRoot, "bin", "index.js");
    if (!fs.existsSync(entry) || checkBuildIsCurrent(entry) !== undefined) {
        // `npm run build`: compile, then stamp what was compiled.
        tsc(["-p", "tsconfig.build.json"]);
        writeBuildStamp(projectRoot);
    }
    fs.rmSync(harnessDir, { recursive: true, force: true });
    fs.mkdirSync(harnessDir);
    const config = path.join(harnessDir, "tsconfig.json");
    fs.writeFileSync(
        config,
        JSON.stringify({
            extends: "../tsconfig.json",
            compilerOptions: { outDir: ".", rootDir: ".." },
            include: [],
            files: ["../harness/evaluate.ts", "../harness/cloudMocks.ts"],
        }),
    );
    tsc(["-p", config]);
}

/** The environment a child runs in: no kubeconfig or cloud credentials of this machine (as `npm run plan`). */
function childEnv(stack?: string): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
        // ts-node or Node options of this shell would change what a child loads.
        if (!machineEnv.test(k) && !/^(TS_NODE_|NODE_OPTIONS)/.test(k)) env[k] = v;
    }
    env.HOME = emptyHome("bench-home");
    if (stack) {
        env.BENCH_STACK = stack;
        env.BENCH_CONFIG = JSON.stringify(stackConfig(stack));
    }
    return env;
}

function runChild(script: string, stack?: string, cwd = projectRoot): Sample {
    const out = execFileSync(process.execPath, ["-e", script], {
        cwd,
        env: childEnv(stack),
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
    });
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
    let typescript = false;
    const stacks: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--runs") runs = Number(argv[++i]);
        else if (argv[i] === "--typescript") typescript = true;
        else stacks.push(argv[i]);
    }
    const selected = stacks.length ? stacks : exampleStacks();
    ensureBuilt();
    const baseline = measure("node -e \"require('@pulumi/pulumi')\"", children.baseline, runs);
    const rows: BenchRow[] = [];
    for (const s of selected) rows.push(measure(`stack ${s}`, programChild(false), runs, s));
    if (typescript) {
        rows.push(measure("ts-node + @pulumi/pulumi", children["ts-node + @pulumi/pulumi"], runs));
        for (const s of selected)
            rows.push(measure(`stack ${s}, from TypeScript (ts-node)`, programChild(true), runs, s));
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
    const fmt = (row: string[]) =>
        row.map((c, i) => (i === 0 || i === row.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
    console.log(`node ${process.version}, ${runs} runs each (median time, max peak RSS), preview mode under mocks\n`);
    console.log(fmt(header));
    for (const row of table) console.log(fmt(row));

    // Targets: the aws stack within 2× the bare SDK and 300 MB, loading only its cloud's SDKs.
    const aws = rows.find((r) => r.name === "stack eks");
    if (aws) {
        const foreign = aws.pulumiPackages.filter((p) => ["azure-native", "gcp"].includes(p));
        const ok = aws.medianMs <= 2 * baseline.medianMs && aws.maxRssMb <= 300 && foreign.length === 0;
        console.log(
            `\naws stack (eks): ${(aws.medianMs / baseline.medianMs).toFixed(2)}× baseline (target ≤ 2), ${aws.maxRssMb.toFixed(0)} MB (target ≤ 300)` +
                `${foreign.length ? `, loads other clouds' SDKs: ${foreign.join(", ")}` : ""} — ${ok ? "meets the targets" : "MISSES a target"}`,
        );
        return ok ? 0 : 1;
    }
    return 0;
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
