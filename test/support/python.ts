// Running the Python scripts the program ships (drain, readiness, fetch) under a python3 driver.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { requireTool, runs, Skippable } from "./tools";

/** Whether python3 runs here. */
export const hasPython = runs("python3");

/** For a suite's first `before`: python3 present, or the suite skipped locally and failed under CI. */
export function requirePython(ctx: Skippable): void {
    requireTool(ctx, "python3", hasPython, "apt-get install -y python3");
}

/**
 * Each named scenario's result: `script` is written as `fileName` into a fresh temporary directory,
 * then `driver` runs once (`python3 -c driver <script path> <directory>`) with the scenarios, in
 * order, as JSON on stdin, and prints their results as a JSON list. The directory is removed after.
 */
export function runPythonScenarios<S, R>(
    driver: string,
    fileName: string,
    script: string,
    scenarios: Record<string, S>,
    timeoutMs: number,
): Record<string, R> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "py-"));
    try {
        const file = path.join(dir, fileName);
        fs.writeFileSync(file, script);
        const names = Object.keys(scenarios);
        const r = spawnSync("python3", ["-c", driver, file, dir], {
            input: JSON.stringify(names.map((n) => scenarios[n])),
            encoding: "utf8",
            timeout: timeoutMs,
        });
        assert.equal(r.status, 0, r.stderr);
        const out = JSON.parse(r.stdout) as R[];
        return Object.fromEntries(names.map((n, i) => [n, out[i]]));
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
