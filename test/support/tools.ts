// External tools some suites run (promtool, python3): present → the suite runs; missing under CI
// (CI set, as GitHub Actions sets it) → the run fails; missing locally → the suite is skipped with
// a line saying what to install. No suite skips on its own (test/tools.test.ts checks every file).
import { spawnSync } from "child_process";

/** Whether `command --version` runs here. */
export const runs = (command: string): boolean => spawnSync(command, ["--version"]).status === 0;

/** Whether this run is a CI run (`CI` set to anything but "" or "false"). */
export const underCi = (env: NodeJS.ProcessEnv = process.env): boolean =>
    env.CI !== undefined && env.CI !== "" && env.CI !== "false";

/** The part of mocha's context the guard needs. */
export interface Skippable {
    skip(): void;
}

/**
 * For a suite's `before` hook, first in the suite: returns when `present`; throws under CI; skips
 * the suite (with a warning naming `install`) otherwise.
 */
export function requireTool(
    ctx: Skippable,
    tool: string,
    present: boolean,
    install: string,
    env: NodeJS.ProcessEnv = process.env,
): void {
    if (present) return;
    if (underCi(env)) throw new Error(`${tool} is required under CI (install: ${install})`);
    console.warn(`    ${tool} not found: skipping (install: ${install})`);
    ctx.skip();
}
