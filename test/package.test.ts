// The components as a multi-language component package: what `pulumi package add <git-url>` serves.
// Pulumi's own analyzer (the one GetSchema runs) infers the schema from the Args interfaces; it runs in
// a child process started when this file loads, so its TypeScript build overlaps the rest of the suite.
import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import type { PackageSpec } from "@pulumi/pulumi/provider/experimental/schema";
import type { PackageReport } from "./support/packageSchema";

const root = path.join(__dirname, "..");
const packageName = "torchserve-platform";

/** Components the package serves, and the input each must document (besides every other input). */
const components: Record<string, string[]> = {
    EksCluster: ["clusterName", "kubernetesVersion", "systemPool"],
    AksCluster: ["clusterName", "kubernetesVersion"],
    GkeCluster: ["project", "region", "clusterName"],
    TorchServe: ["spec"],
    Triton: ["spec", "gpuPlacement"],
    Monitoring: ["prometheus", "serving"],
    Grafana: ["grafana", "serving", "prometheusUrl"],
    Autoscaling: ["autoscaling", "serving"],
    IstioMesh: ["istio"],
    InferenceRoutes: ["istio"],
    NvidiaDevicePlugin: ["placement"],
    EksModelReader: ["clusterName", "namespace", "serviceAccount", "objects"],
    GkeModelReader: ["project", "workloadPool", "namespace", "serviceAccount", "buckets"],
    AksModelReader: ["oidcIssuerUrl", "storageResourceGroup", "namespace", "serviceAccount", "containers"],
    Loki: ["loki", "serving"],
    // AKS's bucket model store volume (it names the reader's identity, so it is not AksCluster's child).
    BlobModelBucket: ["mount", "location"],
};

const report: Promise<PackageReport> = new Promise((resolve, reject) => {
    const child = spawn(
        process.execPath,
        [
            "-r",
            "ts-node/register/transpile-only",
            path.join(__dirname, "support", "packageSchema.ts"),
            root,
            ...Object.keys(components),
        ],
        { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
        try {
            resolve(JSON.parse(out) as PackageReport);
        } catch {
            reject(new Error(`package schema process exited ${code}: ${err.trim() || out.trim()}`));
        }
    });
});
// Rejections are awaited by the tests; keep an early one from counting as unhandled.
report.catch(() => undefined);

async function schema(): Promise<PackageSpec> {
    const r = await report;
    assert.strictEqual(r.error, undefined, `the analyzer refused the package: ${r.error}`);
    return r.schema!;
}

/**
 * `$ref`s that cannot bind when a consumer's SDK is generated: a local type the schema lacks, or a
 * reference into another package that is not `/<pkg>/v<version>/schema.json#/(resources|types)/<pkg>:<module>:<Name>`
 * (a provider reference such as `#/resources/kubernetes` is the usual one).
 */
export function unboundRefs(spec: Pick<PackageSpec, "types">, json: string): string[] {
    const refs = [...json.matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]);
    const bad = refs.filter((ref) => {
        if (ref === "pulumi.json#/Any" || ref.startsWith("pulumi.json#/")) return false;
        const local = /^#\/types\/(.+)$/.exec(ref);
        if (local) return !(decodeURIComponent(local[1]) in spec.types);
        return !/^\/[a-z0-9-]+\/v\d+\.\d+\.\d+\/schema\.json#\/(resources|types)\/[a-z0-9-]+:[^:]+:[A-Za-z0-9]+$/.test(
            ref,
        );
    });
    return [...new Set(bad)];
}

describe("component package", function () {
    this.timeout(180_000);

    it("is a nodejs plugin whose entry is the components, beside the program's own entry", () => {
        const plugin = yaml.load(fs.readFileSync(path.join(root, "PulumiPlugin.yaml"), "utf8")) as { runtime: string };
        assert.strictEqual(plugin.runtime, "nodejs");
        const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
        assert.strictEqual(pkg.name, packageName);
        assert.strictEqual(pkg.main, "components/index.ts");
        // The analyzer needs the TypeScript compiler from node_modules (else it falls back to TS 3.8).
        assert.ok(pkg.devDependencies.typescript || pkg.dependencies.typescript);
        const program = yaml.load(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { main: string };
        assert.strictEqual(program.main, "bin/index.js");
    });

    it("serves exactly the documented components, as run-plugin finds them in the entry", async () => {
        const r = await report;
        assert.strictEqual(r.error, undefined, r.error);
        assert.deepStrictEqual([...r.served!].sort(), Object.keys(components).sort());
    });

    it("every component is in the schema as torchserve-platform:index:<Name>, every input documented", async () => {
        const spec = await schema();
        assert.strictEqual(spec.name, packageName);
        for (const [name, inputs] of Object.entries(components)) {
            const resource = spec.resources[`${packageName}:index:${name}`];
            assert.ok(resource?.isComponent, `${name} is not a component of the schema`);
            const properties = resource.inputProperties ?? {};
            for (const input of inputs) assert.ok(input in properties, `${name} has no input ${input}`);
            for (const [input, p] of Object.entries(properties)) {
                assert.ok((p.description ?? "").trim().length > 0, `${name}.${input} has no description`);
            }
        }
        for (const [token, type] of Object.entries(spec.types)) {
            for (const [field, p] of Object.entries(type.properties ?? {})) {
                assert.ok((p.description ?? "").trim().length > 0, `${token}.${field} has no description`);
            }
        }
    });

    it("every reference binds (no provider references, no missing types)", async () => {
        const spec = await schema();
        assert.deepStrictEqual(unboundRefs(spec, JSON.stringify(spec)), []);
    });

    it("cluster components output their kubeconfig, not their Kubernetes provider", async () => {
        const spec = await schema();
        for (const name of ["EksCluster", "AksCluster", "GkeCluster"]) {
            const outputs = Object.keys(spec.resources[`${packageName}:index:${name}`].properties ?? {});
            assert.ok(outputs.includes("kubeconfig"), `${name}: ${outputs.join(", ")}`);
            assert.ok(!outputs.some((o) => /provider/i.test(o)), `${name}: ${outputs.join(", ")}`);
        }
    });

    describe("unboundRefs", () => {
        const types = { "torchserve-platform:index:Spec": { type: "object" as const } };
        const rows: [string, string, string[]][] = [
            ["local type present", "#/types/torchserve-platform:index:Spec", []],
            [
                "local type missing",
                "#/types/torchserve-platform:index:Nope",
                ["#/types/torchserve-platform:index:Nope"],
            ],
            [
                "resource of another package",
                "/kubernetes/v4.34.2/schema.json#/resources/kubernetes:core%2Fv1:Namespace",
                [],
            ],
            [
                "provider as a resource",
                "/kubernetes/v4.34.2/schema.json#/resources/kubernetes",
                ["/kubernetes/v4.34.2/schema.json#/resources/kubernetes"],
            ],
            ["any", "pulumi.json#/Any", []],
        ];
        for (const [what, ref, expected] of rows) {
            it(what, () => assert.deepStrictEqual(unboundRefs({ types }, JSON.stringify({ $ref: ref })), expected));
        }
    });
});
