// Pulumi runs bin/index.js (compiled). The entry refuses a build older than its sources, and the
// compiled program evaluates exactly like the TypeScript one.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkBuildIsCurrent, staleSources } from "../stacks/build";
import { evaluate } from "../harness/evaluate";
import { projectName, projectRoot, stackConfig } from "../harness/stackFiles";

function layout(): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "torchserve-build-"));
    for (const f of [
        "index.ts",
        "stacks/program.ts",
        "components/monitoring/dashboards/torchserve.json",
        "components/cluster/target.d.ts",
    ]) {
        fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
        fs.writeFileSync(path.join(root, f), "");
    }
    for (const f of ["index.js", "stacks/program.js", "components/monitoring/dashboards/torchserve.json"]) {
        fs.mkdirSync(path.dirname(path.join(root, "bin", f)), { recursive: true });
        fs.writeFileSync(path.join(root, "bin", f), "");
    }
    return root;
}

function touch(file: string, secondsFromNow: number): void {
    const t = new Date(Date.now() + secondsFromNow * 1000);
    fs.utimesSync(file, t, t);
}

describe("build freshness", () => {
    it("a build at least as new as every source is current", () => {
        const root = layout();
        for (const f of ["index.js", "stacks/program.js", "components/monitoring/dashboards/torchserve.json"])
            touch(path.join(root, "bin", f), 10);
        assert.deepStrictEqual(staleSources(root, path.join(root, "bin")), []);
        assert.strictEqual(checkBuildIsCurrent(path.join(root, "bin", "index.js")), undefined);
    });

    it("names sources edited after the build, and sources never built", () => {
        const root = layout();
        touch(path.join(root, "stacks/program.ts"), 10);
        fs.writeFileSync(path.join(root, "stacks/new.ts"), "");
        touch(path.join(root, "stacks/new.ts"), 10);
        assert.deepStrictEqual(staleSources(root, path.join(root, "bin")), [
            path.join("stacks", "new.ts"),
            path.join("stacks", "program.ts"),
        ]);
        const message = checkBuildIsCurrent(path.join(root, "bin", "index.js"))!;
        assert.match(message, /older than stacks\/new\.ts, stacks\/program\.ts: run `npm run build`/);
        assert.ok(!message.includes("\n"), "one line");
    });

    it("has nothing to check when running from TypeScript", () => {
        assert.strictEqual(checkBuildIsCurrent(path.join(projectRoot, "index.ts")), undefined);
    });
});

describe("the compiled entry point (what Pulumi loads)", function () {
    this.timeout(60000);
    const entry = path.join(projectRoot, "bin", "index.js");

    it("evaluates the dev stack like the sources do", async function () {
        if (!fs.existsSync(entry) || checkBuildIsCurrent(entry)) {
            // CI builds in `npm ci` (prepare); a developer may not have built since editing.
            if (process.env.CI)
                assert.fail(`bin/ is missing or stale under CI: ${checkBuildIsCurrent(entry) ?? "no bin/index.js"}`);
            this.skip();
        }
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, only when a program runs
        const program = require(entry) as () => Promise<Record<string, unknown>>;
        const ev = await evaluate(
            { project: projectName, stack: "dev", config: stackConfig("dev"), preview: false },
            async () => program() as any,
        );
        assert.strictEqual(ev.outputs.cloud, "existing");
        assert.ok(ev.resources.some((r) => r.type === "kubernetes:apps/v1:Deployment"));
    });
});
