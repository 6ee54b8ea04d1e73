// Pulumi ESC environments imported by a stack file (harness/stackFiles.ts): offline planning reads
// each environment's values.pulumiConfig from esc/<project>/<environment>.yaml as ordinary config,
// secrets as secrets, the stack file's own config first, and says in one line when an imported
// environment has no definition there or holds what only ESC can compute at run time.
import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runProgram } from "../harness/program";
import { escDefinitionPath, parseStackFile, projectRoot, StackFileError } from "../harness/stackFiles";

/** A project root holding only ESC definitions. */
function root(envs: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "esc-"));
    for (const [name, text] of Object.entries(envs)) {
        const file = escDefinitionPath(name, dir);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, text);
    }
    return dir;
}

const base = `values:
  region: us-west-2
  pulumiConfig:
    aws:region: \${region}
    torchserve-platform:prometheus: {enabled: true, retention: 7d}
    cloud: aws
`;
const team = `imports:
  - proj/base
values:
  webhook: https://hooks.example.com/alerts
  pulumiConfig:
    torchserve-platform:prometheus: {retention: 30d}
    torchserve-platform:alertReceivers:
      webhookUrl:
        fn::secret: \${webhook}
`;

describe("ESC environments in stack files", () => {
    const dir = root({ "proj/base": base, "proj/team": team });

    it("hands the program each imported environment's pulumiConfig, nested imports first, the stack file's config last", () => {
        const file = parseStackFile(
            "environment:\n  - proj/team\nconfig:\n  torchserve-platform:cloud: existing\n",
            "Pulumi.x.yaml",
            dir,
        );
        assert.deepStrictEqual(file.environments, ["proj/base", "proj/team"]);
        assert.deepStrictEqual(file.config, {
            "aws:region": "us-west-2", // ${region} resolved
            "torchserve-platform:prometheus": { enabled: true, retention: "30d" }, // merged, later wins
            "torchserve-platform:cloud": "existing", // bare key in the project namespace; the stack file wins
            "torchserve-platform:alertReceivers": { webhookUrl: "https://hooks.example.com/alerts" },
        });
        assert.deepStrictEqual(file.secretKeys, ["torchserve-platform:alertReceivers"]);
    });

    it("accepts the {imports: [...]} form and a stack file without environments", () => {
        const file = parseStackFile("environment:\n  imports: [proj/base]\n", "Pulumi.x.yaml", dir);
        assert.strictEqual(file.config["aws:region"], "us-west-2");
        assert.deepStrictEqual(parseStackFile("config: {a:b: 1}\n", "Pulumi.x.yaml", dir).environments, []);
    });

    it("says which environment has no definition, and where it was looked for", () => {
        assert.throws(
            () => parseStackFile("environment: [proj/missing]\n", "Pulumi.x.yaml", dir),
            (e: Error) =>
                e instanceof StackFileError &&
                e.message ===
                    'Pulumi.x.yaml imports ESC environment "proj/missing", which has no definition at esc/proj/missing.yaml: add the YAML `pulumi env edit proj/missing` holds there to plan offline',
        );
        // A bare name is in ESC's `default` project.
        assert.throws(() => parseStackFile("environment: [solo]\n", "Pulumi.x.yaml", dir), /esc\/default\/solo\.yaml/);
    });

    it("says when a value is computed by ESC at run time, unless the stack file sets the key", () => {
        const d = root({
            "p/login":
                "values:\n  login:\n    fn::open::aws-login: {oidc: {roleArn: r}}\n  pulumiConfig:\n    aws:region: ${login.region}\n",
        });
        assert.throws(
            () => parseStackFile("environment: [p/login]\n", "Pulumi.x.yaml", d),
            /pulumiConfig\.aws:region: \$\{login\.region\} is an output of fn::open::aws-login, computed by ESC at run time/,
        );
        const ok = parseStackFile("environment: [p/login]\nconfig:\n  aws:region: eu-west-1\n", "Pulumi.x.yaml", d);
        assert.strictEqual(ok.config["aws:region"], "eu-west-1");
    });

    it("ships OIDC login definitions for the three clouds, each resolvable offline", () => {
        const expected: Record<string, [string, string]> = {
            "torchserve-platform/aws-login": ["aws:region", "fn::open::aws-login"],
            "torchserve-platform/azure-login": ["azure-native:location", "fn::open::azure-login"],
            "torchserve-platform/gcp-login": ["gcp:region", "fn::open::gcp-login"],
        };
        for (const [name, [key, provider]] of Object.entries(expected)) {
            const text = fs.readFileSync(escDefinitionPath(name), "utf8");
            assert.ok(text.includes(provider) && /oidc/.test(text), name);
            const file = parseStackFile(`environment: [${name}]\n`, "Pulumi.x.yaml", projectRoot);
            assert.ok(typeof file.config[key] === "string", `${name}: ${JSON.stringify(file.config)}`);
        }
    });

    it("lets the program see an environment's secret as a secret (and refuse it where a key holds no secret)", async () => {
        const d = root({ "p/s": "values:\n  pulumiConfig:\n    prometheus:\n      fn::secret: true\n" });
        const file = parseStackFile("environment: [p/s]\n", "Pulumi.dev.yaml", d);
        const dev = parseStackFile(fs.readFileSync(path.join(projectRoot, "Pulumi.dev.yaml"), "utf8"), "dev");
        await assert.rejects(
            runProgram({
                stack: "dev",
                config: { ...dev.config, ...file.config },
                secretKeys: file.secretKeys,
                preview: true,
            }),
            (e: Error) => e instanceof pulumi.RunError && /torchserve-platform:prometheus.*secret/i.test(e.message),
        );
    });
});
