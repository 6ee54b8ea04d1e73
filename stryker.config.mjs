// StrykerJS over the modules that guard security, capacity, the day-2 rules and the policy pack
// (`npm run mutate`; CI job `mutation`). A surviving mutant is a behaviour no test pins down: a defect.
//
// One group per run, chosen by MUTATE_GROUP (default: every group in turn, see package.json
// "mutate"): each group names the modules it mutates and the mocha files that guard them, run by
// Stryker's command runner (the mocha runner plugin does not load mocha 12, whose CLI modules are
// .cjs). The TypeScript checker first discards mutants that do not compile. Concurrency 1: the
// development machines have 2 shared cores. Node.js >= 22 (StrykerJS 10's engines).
const mocha = (...files) => `npx mocha --no-parallel --bail --reporter dot ${files.join(" ")}`;

const groups = {
    security: {
        mutate: ["stacks/config/security.ts", "stacks/config/urls.ts"],
        command: mocha("test/config.test.ts"),
    },
    capacity: { mutate: ["stacks/config/capacity.ts"], command: mocha("test/config.test.ts") },
    rules: {
        mutate: ["harness/transitions/rules.ts", "harness/transitions/checks.ts"],
        command: mocha("test/ruleFacts.test.ts", "test/transitions.test.ts"),
    },
    policy: { mutate: ["policy/*.ts", "!policy/index.ts"], command: mocha("test/policy.test.ts") },
};

const group = groups[process.env.MUTATE_GROUP ?? "security"];
if (!group) throw new Error(`MUTATE_GROUP must be one of ${Object.keys(groups).join(", ")}`);

export default {
    packageManager: "npm",
    testRunner: "command",
    commandRunner: { command: group.command },
    checkers: ["typescript"],
    tsconfigFile: "tsconfig.stryker.json",
    typescriptChecker: { prioritizePerformanceOverAccuracy: true },
    mutate: group.mutate,
    coverageAnalysis: "off",
    concurrency: 1,
    timeoutMS: 120000,
    ignorePatterns: ["bin", "plans", ".bench", ".scratch", "manifests", "reports"],
    reporters: ["clear-text", "progress", "html", "json"],
    htmlReporter: { fileName: `reports/mutation/${process.env.MUTATE_GROUP ?? "security"}.html` },
    jsonReporter: { fileName: `reports/mutation/${process.env.MUTATE_GROUP ?? "security"}.json` },
    tempDirName: ".stryker-tmp",
    cleanTempDir: true,
};
