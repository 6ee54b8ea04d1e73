// Pulumi runs the compiled program in bin/ (fast start, no TypeScript at run time). A build older
// than its sources would deploy yesterday's infrastructure, so the program refuses to run one.
import * as fs from "fs";
import * as path from "path";

const sourceRoots = ["index.ts", "stacks", "components"];

function sourcesUnder(root: string, rel: string): string[] {
    const full = path.join(root, rel);
    if (!fs.existsSync(full)) return [];
    if (fs.statSync(full).isFile()) return [rel];
    return fs.readdirSync(full).flatMap((f) => sourcesUnder(root, path.join(rel, f)));
}

/** The compiled file tsc emits for a source (`x.ts` → `x.js`; JSON is copied as is). */
function compiledPath(source: string): string | undefined {
    if (source.endsWith(".d.ts")) return undefined;
    if (source.endsWith(".ts")) return source.slice(0, -3) + ".js";
    if (source.endsWith(".json")) return source;
    return undefined;
}

/**
 * Sources (relative to `projectRoot`) that are newer than their compiled copy in `buildDir`, or have
 * none. Empty when the build is current.
 */
export function staleSources(projectRoot: string, buildDir: string): string[] {
    const stale: string[] = [];
    for (const source of sourceRoots.flatMap((r) => sourcesUnder(projectRoot, r))) {
        const compiled = compiledPath(source);
        if (!compiled) continue;
        const out = path.join(buildDir, compiled);
        if (!fs.existsSync(out) || fs.statSync(out).mtimeMs < fs.statSync(path.join(projectRoot, source)).mtimeMs)
            stale.push(source);
    }
    return stale.sort();
}

/**
 * Called by the entry point: when it runs from bin/ (compiled), throws a one-line message if any
 * source changed since the build. From TypeScript (tests, ts-node) there is nothing to check.
 */
export function checkBuildIsCurrent(entryFile: string): string | undefined {
    if (!entryFile.endsWith(".js")) return undefined;
    const buildDir = path.dirname(entryFile);
    const stale = staleSources(path.dirname(buildDir), buildDir);
    if (stale.length === 0) return undefined;
    const shown = stale.slice(0, 3).join(", ") + (stale.length > 3 ? ` and ${stale.length - 3} more` : "");
    return `the compiled program in ${path.basename(buildDir)}/ is older than ${shown}: run \`npm run build\` (npm ci does it too), then pulumi again`;
}
