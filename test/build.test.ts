// Pulumi runs bin/index.js (compiled). `npm run build` stamps bin/ with a content hash of what it
// compiled (tools/build-stamp.ts); the entry refuses a build of other sources (stacks/build.ts), and
// the compiled program evaluates exactly like the TypeScript one.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { checkBuildIsCurrent, includedFiles, staleSources, stampFileName } from "../stacks/build";
import { runProgram } from "../harness/program";
import { projectRoot } from "../harness/stackFiles";
import { buildStamp, writeBuildStamp } from "../tools/build-stamp";

function write(root: string, files: Record<string, string>): void {
    for (const [f, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
        fs.writeFileSync(path.join(root, f), text);
    }
}

/** A project with the real build configs, a few sources, and a stamped bin/. */
function layout(): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "torchserve-build-"));
    for (const f of ["tsconfig.json", "tsconfig.build.json"])
        fs.copyFileSync(path.join(projectRoot, f), path.join(root, f));
    write(root, {
        "index.ts": 'import { main } from "./stacks/program";\nexport = main;\n',
        "stacks/program.ts": "export const main = () => 1;\n",
        "components/monitoring/dashboards/torchserve.json": "{}\n",
        "components/cluster/target.d.ts": "export type T = 1;\n",
        "bin/index.js": "",
    });
    writeBuildStamp(root);
    return root;
}

const bin = (root: string) => path.join(root, "bin");
const entry = (root: string) => path.join(root, "bin", "index.js");

function touchAll(dir: string, secondsFromNow: number): void {
    const t = new Date(Date.now() + secondsFromNow * 1000);
    for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true }))
        if (e.isFile()) fs.utimesSync(path.join(e.parentPath, e.name), t, t);
}

/** What TypeScript's config parser selects for `config` under `root` (relative, sorted). */
function typescriptFiles(root: string, config: string): string[] {
    const parsed = ts.getParsedCommandLineOfConfigFile(
        path.join(root, config),
        {},
        {
            ...ts.sys,
            onUnRecoverableConfigFileDiagnostic: () => undefined,
        },
    )!;
    return parsed.fileNames.map((f) => path.relative(root, f).split(path.sep).join("/")).sort();
}

describe("build stamp", () => {
    it("a fresh stamp is current; it lists the compiled sources and the configs", () => {
        const root = layout();
        assert.deepStrictEqual(staleSources(root, bin(root)), []);
        assert.strictEqual(checkBuildIsCurrent(entry(root)), undefined);
        const stamp = JSON.parse(fs.readFileSync(path.join(bin(root), stampFileName), "utf8"));
        assert.deepStrictEqual(Object.keys(stamp.files), [
            "components/cluster/target.d.ts",
            "components/monitoring/dashboards/torchserve.json",
            "index.ts",
            "stacks/program.ts",
            "tsconfig.build.json",
            "tsconfig.json",
        ]);
    });

    it("only new mtimes (git checkout, touch) leave the build current", () => {
        const root = layout();
        touchAll(root, 60);
        touchAll(bin(root), -60);
        assert.strictEqual(checkBuildIsCurrent(entry(root)), undefined);
    });

    it("an edited source makes it stale, named in one line", () => {
        const root = layout();
        fs.appendFileSync(path.join(root, "stacks/program.ts"), "export const x = 2;\n");
        assert.deepStrictEqual(staleSources(root, bin(root)), ["stacks/program.ts"]);
        const message = checkBuildIsCurrent(entry(root))!;
        assert.match(message, /in bin\/ was built before changes to stacks\/program\.ts: run `npm run build`/);
        assert.ok(!message.includes("\n"), "one line");
    });

    it("a new file the build's include patterns match makes it stale; other new files do not", () => {
        const root = layout();
        write(root, {
            "stacks/notes.md": "",
            "stacks/.scratch/try.ts": "",
            "components/node_modules/x/index.ts": "",
            "stacks/data.json": "{}",
            "test/x.test.ts": "",
            "tools/x.ts": "",
            "bin/stacks/program.d.ts": "",
        });
        assert.deepStrictEqual(staleSources(root, bin(root)), []);
        write(root, { "stacks/clouds/new.ts": "", "components/grafana.json": "{}" });
        assert.deepStrictEqual(staleSources(root, bin(root)), [
            "components/grafana.json (new)",
            "stacks/clouds/new.ts (new)",
        ]);
    });

    it("a removed source, or an edited build config, makes it stale", () => {
        const root = layout();
        fs.rmSync(path.join(root, "components/cluster/target.d.ts"));
        fs.appendFileSync(path.join(root, "tsconfig.json"), "\n");
        assert.deepStrictEqual(staleSources(root, bin(root)), [
            "components/cluster/target.d.ts (removed)",
            "tsconfig.json",
        ]);
    });

    it("a bin/ without a stamp is stale", () => {
        const root = layout();
        fs.rmSync(path.join(bin(root), stampFileName));
        assert.strictEqual(staleSources(root, bin(root)), undefined);
        assert.match(
            checkBuildIsCurrent(entry(root))!,
            /bin\/ has no build stamp \(\.build-stamp\.json\): run `npm run build`/,
        );
    });

    it("has nothing to check when running from TypeScript", () => {
        assert.strictEqual(checkBuildIsCurrent(path.join(projectRoot, "index.ts")), undefined);
    });
});

describe("build stamp: the file list is TypeScript's", () => {
    it("for this repository's tsconfig.build.json (stacks/build.ts selects what TypeScript does)", () => {
        const { stamp } = buildStamp(projectRoot);
        const sources = typescriptFiles(projectRoot, "tsconfig.build.json");
        assert.ok(sources.includes("index.ts") && sources.includes("components/monitoring/dashboards/torchserve.json"));
        assert.deepStrictEqual(includedFiles(projectRoot, stamp.include, stamp.exclude), sources);
        assert.deepStrictEqual(
            Object.keys(stamp.files).filter((f) => !f.startsWith("tsconfig")),
            sources,
        );
    });

    // Wildcard forms TypeScript documents (https://www.typescriptlang.org/tsconfig/#include): `**/`,
    // `*`, `?`, a bare directory, exclude; plus what its wildcards skip (dot and package folders,
    // a .d.ts beside its .ts, .json unless named).
    const tree = {
        "src/a.ts": "",
        "src/b.tsx": "",
        "src/c.d.ts": "",
        "src/c.ts": "",
        "src/only.d.ts": "",
        "src/data.json": "{}",
        "src/.hidden/h.ts": "",
        "src/node_modules/p/index.ts": "",
        "src/skip/s.ts": "",
        "src/deep/er/gen/g.ts": "",
        "src/deep/er/d.ts": "",
        "lib/xab1.ts": "",
        "lib/ab.ts": "",
        "lib/sub/yab.ts": "",
        "lib/.zab.ts": "",
        "conf/app.json": "{}",
        "conf/x/more.json": "{}",
        "index.ts": "",
        "out/o.ts": "",
    };
    const configs: [string, object][] = [
        ["bare directory, exclude with **", { include: ["src"], exclude: ["src/skip", "**/gen"] }],
        ["? and * in a file name, ** before it", { include: ["lib/**/?ab*.ts", "index.ts"] }],
        ["* as a directory, ./ prefix, exclude with *", { include: ["./src/*/er/**/*.ts"], exclude: ["src/*/er/gen"] }],
        [
            "json where named; the outDir excluded by default",
            { include: ["**/*.json", "**/*.ts"], compilerOptions: { outDir: "out", resolveJsonModule: true } },
        ],
    ];
    for (const [what, config] of configs) {
        it(what, () => {
            const root = fs.mkdtempSync(path.join(os.tmpdir(), "torchserve-globs-"));
            write(root, { ...tree, "tsconfig.json": JSON.stringify(config) });
            const expected = typescriptFiles(root, "tsconfig.json");
            assert.ok(expected.length > 0);
            const { stamp } = buildStamp(root, "tsconfig.json");
            assert.deepStrictEqual(includedFiles(root, stamp.include, stamp.exclude), expected);
        });
    }

    it("refuses to stamp a build whose files TypeScript selects otherwise (a `files` list)", () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "torchserve-globs-"));
        write(root, { ...tree, "tsconfig.json": JSON.stringify({ include: ["src"], files: ["index.ts"] }) });
        assert.throws(
            () => buildStamp(root, "tsconfig.json"),
            /disagrees with TypeScript .*only TypeScript: index\.ts/,
        );
    });

    it("refuses to stamp a program that imports a file outside include", () => {
        const root = layout();
        write(root, { "stacks/program.ts": 'import "../tools/helper";\n', "tools/helper.ts": "" });
        assert.throws(
            () => writeBuildStamp(root),
            /does not include files the program imports .*stacks\/program\.ts imports tools\/helper\.ts/,
        );
    });
});

describe("the compiled entry point (what Pulumi loads)", function () {
    this.timeout(60000);
    const entry = path.join(projectRoot, "bin", "index.js");
    const built = function (this: Mocha.Context): void {
        if (!fs.existsSync(entry) || checkBuildIsCurrent(entry)) {
            // CI builds in `npm ci` (prepare); a developer may not have built since editing.
            if (process.env.CI)
                assert.fail(`bin/ is missing or stale under CI: ${checkBuildIsCurrent(entry) ?? "no bin/index.js"}`);
            this.skip();
        }
    };

    it("checks its build without loading the TypeScript compiler", function () {
        built.call(this);
        const script = `const m = require("./bin/stacks/build.js").checkBuildIsCurrent(require.resolve("./bin/index.js"));
console.log(JSON.stringify({ m: m ?? null, ts: Object.keys(require.cache).filter((f) => /[\\\\/]typescript[\\\\/]/.test(f)) }));`;
        const out = spawnSync(process.execPath, ["-e", script], { cwd: projectRoot, encoding: "utf8" });
        assert.strictEqual(out.status, 0, out.stderr);
        assert.deepStrictEqual(JSON.parse(out.stdout), { m: null, ts: [] });
    });

    it("evaluates the dev stack like the sources do", async function () {
        built.call(this);
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, only when a program runs
        const program = require(entry) as () => Promise<Record<string, unknown>>;
        const ev = await runProgram({ stack: "dev", preview: false, program });
        assert.strictEqual(ev.outputs.cloud, "existing");
        assert.ok(ev.resources.some((r) => r.type === "kubernetes:apps/v1:Deployment"));
    });
});
