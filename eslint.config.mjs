// ESLint flat config: typescript-eslint's recommended rules, with type information on the program's
// files (needed by @pulumi/eslint-plugin's Output-in-template-literal rules); Prettier owns formatting.
import js from "@eslint/js";
import pulumi from "@pulumi/eslint-plugin";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";

export default tseslint.config(
    {
        ignores: [
            "bin/",
            "node_modules/",
            "plans/",
            "manifests/",
            ".scratch/",
            ".bench/",
            ".stryker-tmp/",
            "reports/",
            "**/*.js",
            "**/*.mjs",
        ],
    },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        rules: {
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
        },
    },
    {
        // Type information only where Outputs are built (the program and the policy pack): it costs a
        // second TypeScript program besides `npm run typecheck`, which checks every file anyway.
        files: ["index.ts", "components/**/*.ts", "stacks/**/*.ts", "policy/**/*.ts"],
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
        plugins: { "@pulumi": pulumi },
        rules: {
            "@pulumi/no-output-in-template-literal": "error",
            "@pulumi/no-output-instance-in-template-literal": "error",
        },
    },
    {
        // The test harness, tools and policy pack walk resource inputs as the engine receives them:
        // untyped JSON whose shape is each provider's (@pulumi/policy types them Record<string, any>).
        // `any` is the honest type there; library code uses FreeForm.
        files: ["harness/**/*.ts", "test/**/*.ts", "tools/**/*.ts", "policy/**/*.ts"],
        rules: { "@typescript-eslint/no-explicit-any": "off" },
    },
    prettier,
);
