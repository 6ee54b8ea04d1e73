// Runs Pulumi's component analyzer (@pulumi/pulumi provider/experimental, what `pulumi package add`
// and GetSchema run) over the component package and prints the package schema as JSON. A separate
// process so its TypeScript program build (the cloud SDKs' declarations, several seconds of CPU)
// runs beside the rest of the suite.
//
// The analyzer reads `<dir>/tsconfig.json`; the repository's includes tests and tools, so the schema
// is built from a staging directory whose tsconfig covers components/ only. The analyzer's answer
// depends only on the entry point and the types it reaches, which are the same.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Analyzer } from "@pulumi/pulumi/provider/experimental/analyzer";
import { getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import { generateSchema, PackageSpec } from "@pulumi/pulumi/provider/experimental/schema";

export interface PackageJson {
    name: string;
    version: string;
    description?: string;
    main: string;
}

/** The package schema of the components `entry` exports, as GetSchema would serve it. */
export function packageSchema(root: string, componentNames: string[]): PackageSpec {
    const packageJson = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as PackageJson;
    const stage = fs.mkdtempSync(path.join(os.tmpdir(), "component-package-"));
    try {
        fs.symlinkSync(path.join(root, "components"), path.join(stage, "components"));
        fs.symlinkSync(path.join(root, "node_modules"), path.join(stage, "node_modules"));
        fs.writeFileSync(path.join(stage, "package.json"), JSON.stringify(packageJson));
        fs.writeFileSync(
            path.join(stage, "tsconfig.json"),
            JSON.stringify({ extends: path.join(root, "tsconfig.json"), include: ["components/**/*.ts"] }),
        );
        const name = packageJson.name;
        const analysis = new Analyzer(stage, name, packageJson, new Set(componentNames)).analyze();
        return generateSchema(
            name,
            packageJson.version,
            packageJson.description ?? "",
            analysis.components,
            analysis.typeDefinitions,
            analysis.dependencies,
            undefined,
        );
    } finally {
        fs.rmSync(stage, { recursive: true, force: true });
    }
}

/** What the child process reports: the schema, and the components the plugin host would serve. */
export interface PackageReport {
    schema?: PackageSpec;
    /** Class names `getPulumiComponents` finds in package.json's `main`, as run-plugin does. */
    served?: string[];
    error?: string;
}

if (require.main === module) {
    const [root, ...names] = process.argv.slice(2);
    const report: PackageReport = {};
    try {
        report.schema = packageSchema(root, names);
        const main = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as PackageJson).main;
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the entry the plugin host loads
        report.served = getPulumiComponents(require(path.join(root, main))).map((c) => c.name);
    } catch (e) {
        report.error = e instanceof Error ? e.message : String(e);
    }
    process.stdout.write(JSON.stringify(report));
}
