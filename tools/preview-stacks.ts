// `npx ts-node --transpile-only tools/preview-stacks.ts` (first job of .github/workflows/preview.yml):
// which stacks a pull request can `pulumi preview` for real. Every Pulumi.<stack>.yaml is a candidate
// (a new stack file needs no workflow edit); a stack runs only when the credentials and variables its
// cloud needs are present, and is otherwise skipped with a `::notice::` rather than failed — pull
// requests from forks and from Dependabot get neither repository secrets nor an OIDC token.
//
// In GitHub Actions it writes `matrix` ({"include": [{stack, cloud}, …]}) and `any` to $GITHUB_OUTPUT.
// The workflow passes presence flags, never secret values: `HAS_<SECRET>=true|false`.
import * as fs from "fs";
import { exampleStacks, projectName, stackConfig } from "../harness/stackFiles";

/** Settings every preview needs, then those of each cloud (README.md, "Repository settings"). */
export const required: Record<string, string[]> = {
    all: ["HAS_PULUMI_ACCESS_TOKEN", "PULUMI_ORG"],
    aws: ["AWS_ROLE_ARN"],
    azure: ["AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_SUBSCRIPTION_ID"],
    gcp: ["GCP_WORKLOAD_IDENTITY_PROVIDER", "GCP_SERVICE_ACCOUNT"],
    // An adopted cluster is reached through a kubeconfig kept as a repository secret.
    existing: ["HAS_PREVIEW_KUBECONFIG"],
};

export interface StackCloud {
    stack: string;
    /** `torchserve-platform:cloud` of the stack file (undefined when absent or not a string). */
    cloud: string | undefined;
}

export interface PullRequest {
    /** The head repository differs from the base one. */
    fork: boolean;
    /** `github.actor`. */
    actor: string;
}

export interface Selection {
    run: { stack: string; cloud: string }[];
    skipped: { stack: string; reason: string }[];
}

/** Whether a setting is present: a variable's value, or a `HAS_` flag set to "true". */
function present(env: Record<string, string | undefined>, name: string): boolean {
    const v = env[name]?.trim();
    return name.startsWith("HAS_") ? v === "true" : !!v;
}

/** Which stacks to preview, and why each other one is skipped. Pure: tested row by row. */
export function selectStacks(
    stacks: StackCloud[],
    env: Record<string, string | undefined>,
    pr: PullRequest,
): Selection {
    const out: Selection = { run: [], skipped: [] };
    for (const { stack, cloud } of stacks) {
        const skip = (reason: string) => out.skipped.push({ stack, reason });
        if (pr.fork) skip("pull request from a fork: GitHub gives it no secrets and no OIDC token");
        else if (pr.actor === "dependabot[bot]")
            skip(
                "Dependabot pull request: GitHub gives it a read-only token, Dependabot secrets only and no OIDC token",
            );
        else if (!cloud || !required[cloud] || cloud === "all")
            skip(`Pulumi.${stack}.yaml sets no known ${projectName}:cloud (${JSON.stringify(cloud ?? null)})`);
        else {
            const missing = [...required.all, ...required[cloud]].filter((n) => !present(env, n));
            if (missing.length) {
                const names = missing.map((n) => (n.startsWith("HAS_") ? `secret ${n.slice(4)}` : `variable ${n}`));
                skip(
                    `${cloud} stack without ${names.join(", ")} (repository settings, README "CI and pull-request previews")`,
                );
            } else out.run.push({ stack, cloud });
        }
    }
    return out;
}

function main(): void {
    const stacks = exampleStacks().map((stack) => {
        const cloud = stackConfig(stack)[`${projectName}:cloud`];
        return { stack, cloud: typeof cloud === "string" ? cloud : undefined };
    });
    const env = process.env;
    const selection = selectStacks(stacks, env, { fork: env.PR_IS_FORK === "true", actor: env.GITHUB_ACTOR ?? "" });
    for (const s of selection.skipped)
        console.log(`::notice title=preview skipped (${s.stack})::${s.stack}: ${s.reason}`);
    for (const s of selection.run) console.log(`preview ${s.stack} (${s.cloud})`);
    const matrix = JSON.stringify({ include: selection.run });
    if (env.GITHUB_OUTPUT) {
        fs.appendFileSync(env.GITHUB_OUTPUT, `matrix=${matrix}\nany=${selection.run.length > 0}\n`);
    } else console.log(matrix);
}

if (require.main === module) main();
