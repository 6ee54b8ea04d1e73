// ESLint flat config: typescript-eslint's recommended rules with type information (needed by
// @pulumi/eslint-plugin's Output-in-template-literal rules); Prettier owns formatting.
import js from "@eslint/js";
import pulumi from "@pulumi/eslint-plugin";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["bin/", "node_modules/", "plans/", "manifests/", ".scratch/", ".bench/", "**/*.js", "**/*.mjs"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
        plugins: { "@pulumi": pulumi },
        rules: {
            "@pulumi/no-output-in-template-literal": "error",
            "@pulumi/no-output-instance-in-template-literal": "error",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
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
