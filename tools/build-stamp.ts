// `npm run build`, second step (after `tsc -p tsconfig.build.json`): writes bin/.build-stamp.json,
// which the compiled program checks before it runs (stacks/build.ts).
//
// The files are the ones TypeScript compiles for tsconfig.build.json, listed by TypeScript's own
// config parser (getParsedCommandLineOfConfigFile), plus the config files (compiler options change
// the output too). Two checks keep that list exact, so the run-time check needs no compiler:
//  - every relative import of a listed file is listed: tsc also compiles what the program imports
//    from outside `include`, and the stamp would not cover it;
//  - stacks/build.ts's port of TypeScript's wildcards selects exactly TypeScript's list: that port
//    is what notices new files at run time.
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { BuildStamp, hashFile, includedFiles, stampFileName } from "../stacks/build";

const toPosix = (p: string) => p.split(path.sep).join("/");

/** The config file and those it extends, relative to `root`. */
function configChain(root: string, configFile: string): string[] {
    const chain: string[] = [];
    let file: string | undefined = path.resolve(root, configFile);
    while (file && !chain.includes(file)) {
        chain.push(file);
        const raw = ts.readConfigFile(file, ts.sys.readFile).config as { extends?: unknown } | undefined;
        // Only relative `extends` are followed: a package's config changes with node_modules, not the checkout.
        file =
            typeof raw?.extends === "string" && raw.extends.startsWith(".")
                ? path.resolve(path.dirname(file), raw.extends.endsWith(".json") ? raw.extends : `${raw.extends}.json`)
                : undefined;
    }
    return chain.map((f) => toPosix(path.relative(root, f)));
}

/** The stamp for the build `configFile` (relative to `root`) describes; throws when it cannot be exact. */
export function buildStamp(root: string, configFile = "tsconfig.build.json"): { stamp: BuildStamp; outDir: string } {
    const host: ts.ParseConfigFileHost = {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
            throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
        },
    };
    const parsed = ts.getParsedCommandLineOfConfigFile(path.resolve(root, configFile), {}, host);
    if (!parsed) throw new Error(`cannot read ${configFile}`);
    if (parsed.errors.length)
        throw new Error(parsed.errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")).join("\n"));
    const outDir = parsed.options.outDir ?? root;
    const rel = (f: string) => toPosix(path.relative(root, f));
    const sources = parsed.fileNames.map(rel).sort();
    const listed = new Set(sources);

    const outside: string[] = [];
    for (const source of sources.filter((f) => !f.endsWith(".json"))) {
        const file = path.join(root, source);
        for (const ref of ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true).importedFiles) {
            if (!ref.fileName.startsWith(".")) continue;
            const resolved = ts.resolveModuleName(ref.fileName, file, parsed.options, ts.sys).resolvedModule;
            if (resolved && !resolved.isExternalLibraryImport && !listed.has(rel(resolved.resolvedFileName)))
                outside.push(`${source} imports ${rel(resolved.resolvedFileName)}`);
        }
    }
    if (outside.length)
        throw new Error(
            `${configFile} does not include files the program imports (tsc compiles them, the build stamp would miss them): ${outside.join(", ")}`,
        );

    // TypeScript's raw spec strings, relative to the config's directory; the default exclude is the outDir.
    const raw = parsed.raw as { include?: string[]; exclude?: string[] };
    const configDir = path.dirname(path.resolve(root, configFile));
    const fromConfig = (spec: string) => rel(path.resolve(configDir, spec));
    const include = (raw.include ?? ["**/*"]).map(fromConfig);
    const exclude = raw.exclude ? raw.exclude.map(fromConfig) : parsed.options.outDir ? [rel(outDir)] : [];
    const ported = includedFiles(root, include, exclude);
    if (ported.join("\n") !== sources.join("\n")) {
        const only = (a: string[], b: string[]) => a.filter((f) => !b.includes(f));
        throw new Error(
            `stacks/build.ts's wildcard matching disagrees with TypeScript on ${configFile} (` +
                `only TypeScript: ${only(sources, ported).join(", ") || "-"}; only stacks/build.ts: ${only(ported, sources).join(", ") || "-"}); ` +
                "keep include/exclude to what includedFiles supports, or extend it",
        );
    }

    const files: Record<string, string> = {};
    for (const f of [...sources, ...configChain(root, configFile)].sort()) files[f] = hashFile(path.join(root, f));
    return { stamp: { version: 1, config: rel(path.resolve(root, configFile)), include, exclude, files }, outDir };
}

/** Writes the stamp into the build's outDir; returns its path. */
export function writeBuildStamp(root: string, configFile = "tsconfig.build.json"): string {
    const { stamp, outDir } = buildStamp(root, configFile);
    fs.mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, stampFileName);
    fs.writeFileSync(file, JSON.stringify(stamp, null, 2) + "\n");
    return file;
}

if (require.main === module) {
    try {
        const file = writeBuildStamp(path.resolve(__dirname, ".."));
        const n = Object.keys((JSON.parse(fs.readFileSync(file, "utf8")) as BuildStamp).files).length;
        console.log(`stamped ${path.relative(process.cwd(), file)} (${n} files)`);
    } catch (e) {
        console.error(`build stamp: ${(e as Error).message}`);
        process.exit(1);
    }
}
