// Suites that need an external tool (promtool, python3) never skip silently: the guard fails a CI
// run without the tool, and no test file skips a suite or test unconditionally or by a ternary
// around describe.skip (whose hooks never run, so its guard could not fail).
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { requireTool, underCi } from "./support/tools";

describe("external tools: missing under CI fails the run, missing locally skips aloud", () => {
    const ctx = () => {
        const c = { skipped: false, skip: () => void (c.skipped = true) };
        return c;
    };

    it("a present tool: the suite runs", () => {
        const c = ctx();
        requireTool(c, "promtool", true, "apt-get install -y prometheus", { CI: "true" });
        assert.strictEqual(c.skipped, false);
    });

    it("a missing tool under CI=true: the hook throws, naming the tool and how to install it", () => {
        const c = ctx();
        assert.throws(
            () => requireTool(c, "promtool", false, "apt-get install -y prometheus", { CI: "true" }),
            /promtool is required under CI \(install: apt-get install -y prometheus\)/,
        );
        assert.strictEqual(c.skipped, false);
    });

    it("a missing tool locally: the suite is skipped", () => {
        const c = ctx();
        const warn = console.warn;
        console.warn = () => undefined;
        try {
            requireTool(c, "python3", false, "apt-get install -y python3", {});
        } finally {
            console.warn = warn;
        }
        assert.strictEqual(c.skipped, true);
    });

    it("CI is a CI run when set to anything but empty or false", () => {
        assert.deepStrictEqual(
            [{ CI: "true" }, { CI: "1" }, {}, { CI: "" }, { CI: "false" }].map((e) => underCi(e)),
            [true, true, false, false, false],
        );
    });

    it("no test file skips a suite or a test with describe.skip / it.skip", () => {
        const dir = __dirname;
        const offenders = fs
            .readdirSync(dir)
            .filter((f) => f.endsWith(".test.ts"))
            .filter((f) => /\b(describe|it)\.skip\b/.test(fs.readFileSync(path.join(dir, f), "utf8")))
            .filter((f) => f !== path.basename(__filename));
        assert.deepStrictEqual(offenders, []);
    });
});
