// tools/preview-stacks.ts, the first job of .github/workflows/preview.yml: every stack file is a
// candidate, and a stack whose cloud settings are absent (forks, Dependabot, an unconfigured
// repository) is skipped with a reason instead of failing the workflow.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { exampleStacks, projectRoot, stackConfig } from "../harness/stackFiles";
import { clouds } from "../stacks/config/settings";
import { required, selectStacks, StackCloud } from "../tools/preview-stacks";

/** Every setting of every cloud present, as the workflow passes them. */
const full: Record<string, string> = {
    HAS_PULUMI_ACCESS_TOKEN: "true",
    PULUMI_ORG: "acme",
    AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/preview",
    AZURE_CLIENT_ID: "c",
    AZURE_TENANT_ID: "t",
    AZURE_SUBSCRIPTION_ID: "s",
    GCP_WORKLOAD_IDENTITY_PROVIDER: "projects/1/locations/global/workloadIdentityPools/p/providers/q",
    GCP_SERVICE_ACCOUNT: "preview@p.iam.gserviceaccount.com",
    HAS_PREVIEW_KUBECONFIG: "true",
};
const without = (...names: string[]) => Object.fromEntries(Object.entries(full).filter(([k]) => !names.includes(k)));
const sameRepo = { fork: false, actor: "octocat" };
const one = (cloud: string | undefined): StackCloud[] => [{ stack: "s", cloud }];

describe("preview stack selection", () => {
    const rows: [string, StackCloud[], Record<string, string>, { fork: boolean; actor: string }, string | undefined][] =
        [
            ["aws with its role", one("aws"), full, sameRepo, undefined],
            ["aws without AWS_ROLE_ARN", one("aws"), without("AWS_ROLE_ARN"), sameRepo, "variable AWS_ROLE_ARN"],
            ["azure with its identity", one("azure"), full, sameRepo, undefined],
            ["azure without a tenant", one("azure"), without("AZURE_TENANT_ID"), sameRepo, "variable AZURE_TENANT_ID"],
            ["gcp with workload identity", one("gcp"), full, sameRepo, undefined],
            [
                "gcp without either setting",
                one("gcp"),
                without("GCP_WORKLOAD_IDENTITY_PROVIDER", "GCP_SERVICE_ACCOUNT"),
                sameRepo,
                "variable GCP_WORKLOAD_IDENTITY_PROVIDER, variable GCP_SERVICE_ACCOUNT",
            ],
            ["existing with a kubeconfig secret", one("existing"), full, sameRepo, undefined],
            [
                "existing without it",
                one("existing"),
                without("HAS_PREVIEW_KUBECONFIG"),
                sameRepo,
                "secret PREVIEW_KUBECONFIG",
            ],
            [
                "any cloud without the Pulumi token",
                one("aws"),
                without("HAS_PULUMI_ACCESS_TOKEN"),
                sameRepo,
                "secret PULUMI_ACCESS_TOKEN",
            ],
            [
                "a secret flag that is not true",
                one("aws"),
                { ...full, HAS_PULUMI_ACCESS_TOKEN: "false" },
                sameRepo,
                "secret PULUMI_ACCESS_TOKEN",
            ],
            ["a variable that is blank", one("aws"), { ...full, PULUMI_ORG: "  " }, sameRepo, "variable PULUMI_ORG"],
            ["a fork, settings or not", one("aws"), full, { fork: true, actor: "someone" }, "from a fork"],
            ["Dependabot", one("aws"), full, { fork: false, actor: "dependabot[bot]" }, "Dependabot pull request"],
            [
                "a stack without a cloud",
                one(undefined),
                full,
                sameRepo,
                "sets no known torchserve-platform:cloud (null)",
            ],
            [
                "a stack with an unknown cloud",
                one("ibm"),
                full,
                sameRepo,
                'sets no known torchserve-platform:cloud ("ibm")',
            ],
        ];
    for (const [what, stacks, env, pr, skipped] of rows) {
        it(`${what}: ${skipped ? "skipped" : "previewed"}`, () => {
            const s = selectStacks(stacks, env, pr);
            if (!skipped) {
                assert.deepStrictEqual(s.skipped, []);
                assert.deepStrictEqual(s.run, [{ stack: "s", cloud: stacks[0].cloud }]);
            } else {
                assert.deepStrictEqual(s.run, []);
                assert.strictEqual(s.skipped.length, 1);
                assert.ok(s.skipped[0].reason.includes(skipped), s.skipped[0].reason);
            }
        });
    }

    it("knows every cloud the config accepts", () => {
        for (const cloud of clouds) assert.ok(required[cloud], cloud);
    });

    it("previews every example stack when everything is configured, each with its cloud", () => {
        const stacks = exampleStacks().map((stack) => ({
            stack,
            cloud: stackConfig(stack)["torchserve-platform:cloud"] as string,
        }));
        assert.deepStrictEqual(
            selectStacks(stacks, full, sameRepo).run.map((r) => r.stack),
            exampleStacks(),
        );
    });
});

describe("preview stack selection, as the workflow runs it", function () {
    this.timeout(30000);
    it("writes the matrix of the stack files present and a notice per skipped stack", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "preview-stacks-"));
        const output = path.join(dir, "github_output");
        const env: Record<string, string> = {
            PATH: process.env.PATH ?? "",
            HOME: process.env.HOME ?? "",
            GITHUB_OUTPUT: output,
            GITHUB_ACTOR: "octocat",
            PR_IS_FORK: "false",
            ...without("AWS_ROLE_ARN"),
        };
        const stdout = execFileSync(
            process.execPath,
            [require.resolve("ts-node/dist/bin"), "--transpile-only", "tools/preview-stacks.ts"],
            { cwd: projectRoot, env, encoding: "utf8" },
        );
        const written = fs.readFileSync(output, "utf8");
        const matrix = JSON.parse(/^matrix=(.*)$/m.exec(written)![1]) as { include: { stack: string }[] };
        const aws = exampleStacks().filter((s) => stackConfig(s)["torchserve-platform:cloud"] === "aws");
        assert.deepStrictEqual(
            matrix.include.map((m) => m.stack),
            exampleStacks().filter((s) => !aws.includes(s)),
        );
        for (const s of aws)
            assert.match(
                stdout,
                new RegExp(
                    `^::notice title=preview skipped \\(${s}\\)::${s}: aws stack without variable AWS_ROLE_ARN`,
                    "m",
                ),
            );
        assert.match(written, /^any=true$/m);
        fs.rmSync(dir, { recursive: true, force: true });
    });
});
