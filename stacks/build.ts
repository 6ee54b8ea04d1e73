// Pulumi runs the compiled program in bin/ (fast start, no TypeScript at run time). A build of other
// sources than the checkout's would deploy yesterday's infrastructure, so the program refuses to run
// one.
//
// `npm run build` stamps bin/.build-stamp.json (tools/build-stamp.ts): the SHA-256 of every file
// tsconfig.build.json compiles, as TypeScript itself lists them, of the config files, and the
// config's include/exclude patterns. Here, when Pulumi runs the program, the same files are hashed
// again — contents, not mtimes, which `git checkout` rewrites — and a source file the patterns match
// but the stamp does not list (added since the build) counts as a change too. The patterns are
// matched by a port of TypeScript's own wildcard rules (`includedFiles`), because loading the
// compiler here would cost more than the program; the stamp step refuses to stamp when the port and
// TypeScript disagree, so they cannot drift apart silently.
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

/** The stamp's file name inside the build directory (bin/). */
export const stampFileName = ".build-stamp.json";

export interface BuildStamp {
    version: 1;
    /** The build config the stamp was taken from (relative to the project root). */
    config: string;
    /** Its `include` patterns, relative to the project root. */
    include: string[];
    /** Its `exclude` patterns (TypeScript's default: the outDir), relative to the project root. */
    exclude: string[];
    /** Hex SHA-256 of each compiled source and each config file, by path relative to the project root (/ separators). */
    files: Record<string, string>;
}

/** Hex SHA-256 of a file's bytes. */
export function hashFile(file: string): string {
    return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

// ---------------------------------------------------------------------------------------------
// TypeScript's include/exclude wildcards, ported from getSubPatternFromSpec, filesMatcher and
// excludeMatcher in microsoft/TypeScript src/compiler/utilities.ts at v5.9.3, the version this
// repository builds with (https://github.com/microsoft/TypeScript/blob/v5.9.3/src/compiler/utilities.ts):
// `**/` is any number of directories, except ones starting with "." and node_modules,
// bower_components, jspm_packages; `*` and `?` never match "/" nor a leading "."; a last component
// without ".", "*" or "?" names a directory (`dir` = `dir/**/*`). Case-sensitive, as on Linux and
// macOS CI.
// ---------------------------------------------------------------------------------------------

const packageFolders = "(?!(?:node_modules|bower_components|jspm_packages)(?:/|$))";
const escape = (s: string) => s.replace(/[-[\]/{}()+.\\^$|]/g, "\\$&");

function components(spec: string): string[] {
    const parts = path.posix.normalize(spec.split(path.sep).join("/")).split("/");
    return parts.filter((p) => p !== "" && p !== ".");
}

// Both patterns are matched against "/" + the path relative to the project root: TypeScript's start
// from the absolute project directory, so every component, even the first, follows a "/".

/** A regular expression for the files an `include` pattern selects. */
export function includePattern(spec: string): RegExp | undefined {
    const parts = components(spec);
    const last = parts[parts.length - 1];
    if (last === "**") return undefined; // TypeScript ignores such a spec
    if (!/[.*?]/.test(last)) parts.push("**", "*");
    const star = "(?:[^./]|(?:\\.(?!min\\.js$))?)*";
    let re = "";
    for (const part of parts) {
        if (part === "**") {
            re += `(?:/${packageFolders}[^/.][^/]*)*?`;
            continue;
        }
        let p = "";
        let rest = part;
        if (rest.startsWith("*")) {
            p += `(?:[^./]${star})?`;
            rest = rest.slice(1);
        } else if (rest.startsWith("?")) {
            p += "[^./]";
            rest = rest.slice(1);
        }
        p += escape(rest).replace(/[*?]/g, (w) => (w === "*" ? star : "[^/]"));
        re += "/" + (p !== rest ? packageFolders : "") + p;
    }
    return new RegExp(`^${re}$`);
}

/** A regular expression for the paths an `exclude` pattern removes: the path itself and everything below. */
export function excludePattern(spec: string): RegExp {
    const re = components(spec)
        .map((p) =>
            p === "**" ? "(?:/.+?)?" : "/" + escape(p).replace(/[*?]/g, (w) => (w === "*" ? "[^/]*" : "[^/]")),
        )
        .join("");
    return new RegExp(`^${re}(?:$|/)`);
}

/** TypeScript picks these up through include wildcards; .json only where a pattern names .json. */
const sourceExtensions = [".d.ts", ".d.mts", ".d.cts", ".ts", ".tsx", ".mts", ".cts"];

/** The literal start of an include pattern: a file, or the directory to look for files in. */
function basePath(spec: string): string {
    const parts = components(spec);
    const firstWild = parts.findIndex((p) => /[*?]/.test(p));
    return (firstWild === -1 ? parts : parts.slice(0, firstWild)).join("/");
}

/** Files under `rel`, not descending where no include wildcard reaches (dot and package folders) or into excluded paths. */
function walk(root: string, rel: string, skip: (rel: string) => boolean, out: string[]): void {
    const full = path.join(root, rel);
    if (!fs.existsSync(full) || !fs.statSync(full).isDirectory()) return;
    for (const e of fs.readdirSync(full, { withFileTypes: true })) {
        const child = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) {
            if (!/^\.|^(node_modules|bower_components|jspm_packages)$/.test(e.name) && !skip(child))
                walk(root, child, skip, out);
        } else if (e.isFile()) out.push(child);
    }
}

/**
 * The files (relative, / separators, sorted) that `include`/`exclude` select under `root`, as
 * TypeScript's config parser would (without `files`, `allowJs` or case-insensitive file systems,
 * which tsconfig.build.json does not use).
 */
export function includedFiles(root: string, include: string[], exclude: string[]): string[] {
    const excludes = exclude.map(excludePattern);
    const found = new Set<string>();
    for (const spec of include) {
        const re = includePattern(spec);
        if (!re) continue;
        const json = spec.endsWith(".json");
        const excluded = (rel: string) => excludes.some((x) => x.test(`/${rel}`));
        const candidates: string[] = [];
        const base = basePath(spec);
        if (fs.statSync(path.join(root, base), { throwIfNoEntry: false })?.isFile()) candidates.push(base);
        else walk(root, base, excluded, candidates);
        for (const f of candidates) {
            if (!re.test(`/${f}`) || excluded(f)) continue;
            if (sourceExtensions.some((ext) => f.endsWith(ext)) || (json && f.endsWith(".json"))) found.add(f);
        }
    }
    // As TypeScript: a declaration file beside its source (x.d.ts next to x.ts) is not a separate input.
    const files = [...found].filter((f) => {
        const m = /^(.*)\.d\.(m|c)?ts$/.exec(f);
        return !m || !["ts", "tsx", "mts", "cts"].some((ext) => found.has(`${m[1]}.${ext}`));
    });
    return files.sort();
}

// ---------------------------------------------------------------------------------------------
// The check
// ---------------------------------------------------------------------------------------------

export function readStamp(buildDir: string): BuildStamp | undefined {
    const file = path.join(buildDir, stampFileName);
    if (!fs.existsSync(file)) return undefined;
    try {
        const stamp = JSON.parse(fs.readFileSync(file, "utf8")) as BuildStamp;
        return stamp.version === 1 ? stamp : undefined;
    } catch {
        return undefined; // unreadable: as good as none
    }
}

/**
 * What differs between `projectRoot` and the build in `buildDir`: files changed since the build,
 * `(new)` ones the build config would compile but the build did not, `(removed)` ones it compiled.
 * Undefined when there is no stamp to compare with. Empty when the build is current.
 */
export function staleSources(projectRoot: string, buildDir: string): string[] | undefined {
    const stamp = readStamp(buildDir);
    if (!stamp) return undefined;
    const out: string[] = [];
    for (const [rel, hash] of Object.entries(stamp.files)) {
        const file = path.join(projectRoot, rel);
        if (!fs.existsSync(file)) out.push(`${rel} (removed)`);
        else if (hashFile(file) !== hash) out.push(rel);
    }
    for (const rel of includedFiles(projectRoot, stamp.include, stamp.exclude))
        if (!Object.hasOwn(stamp.files, rel)) out.push(`${rel} (new)`);
    return out.sort();
}

/**
 * Called by the entry point: when it runs from bin/ (compiled), a one-line message if the build is
 * not of the sources beside it. From TypeScript (tests, ts-node) there is nothing to check.
 */
export function checkBuildIsCurrent(entryFile: string): string | undefined {
    if (!entryFile.endsWith(".js")) return undefined;
    const buildDir = path.dirname(entryFile);
    const dir = path.basename(buildDir);
    const fix = "run `npm run build` (npm ci does it too), then pulumi again";
    const stale = staleSources(path.dirname(buildDir), buildDir);
    if (stale === undefined) return `the compiled program in ${dir}/ has no build stamp (${stampFileName}): ${fix}`;
    if (stale.length === 0) return undefined;
    const shown = stale.slice(0, 3).join(", ") + (stale.length > 3 ? ` and ${stale.length - 3} more` : "");
    return `the compiled program in ${dir}/ was built before changes to ${shown}: ${fix}`;
}
