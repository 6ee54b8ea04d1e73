// docs/architecture.md (Data flow): index.ts loads only the selected cloud's module (an aws stack never loads
// @pulumi/azure-native or @pulumi/gcp). Each example stack's whole program runs in a fresh process
// (test/support/loadedSdks.ts), which reports the @pulumi packages it loaded.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as path from "path";

/** The cloud SDKs each example stack's program uses. */
const sdkRoots: Record<string, string[]> = {
    eks: ["@pulumi/aws", "@pulumi/eks"],
    aks: ["@pulumi/azure-native"],
    gke: ["@pulumi/gcp"],
};

describe("only the selected cloud's SDK is loaded", function () {
    this.timeout(120000);
    const script = path.join(__dirname, "support", "loadedSdks.ts");
    for (const [stack, roots] of Object.entries(sdkRoots)) {
        it(`${stack}: the whole program loads ${roots.join(" + ")} and no other cloud SDK`, () => {
            const out = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", script, stack], {
                encoding: "utf8",
                cwd: path.join(__dirname, ".."),
            });
            const files: Record<string, number> = JSON.parse(out.trim().split("\n").pop()!);
            const others = Object.values(sdkRoots)
                .flat()
                .filter((r) => !roots.includes(r));
            for (const root of roots) assert.ok(files[root] > 0, `${root} loaded`);
            for (const root of others) assert.ok(!(root in files), `${root} must not be loaded for ${stack}`);
            // azure-native and gcp: the submodules the program uses, not the thousands (azure-native) or
            // ~160 (gcp) modules behind the package root, which would cost seconds on every run.
            for (const root of ["@pulumi/azure-native", "@pulumi/gcp"])
                if (root in files) assert.ok(files[root] < 50, `${files[root]} ${root} modules loaded`);
        });
    }
});
