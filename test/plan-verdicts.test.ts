// The day-2 verdict on a pull request's own change (tools/plan/verdicts.ts): the transition checks run
// from the stack file at the base commit to the working tree's, and their verdicts head the plan
// diff's Markdown, the PR comment. Runs with the day-2 suite (`npm run test:day2`): each case
// evaluates the program two or three times.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parseStackFile, projectRoot } from "../harness/stackFiles";
import { describeFailure } from "../tools/plan/cli";
import { diffPlans } from "../tools/plan/diff";
import { renderDiffs } from "../tools/plan/diffMarkdown";
import { Plan } from "../tools/plan/model";
import { planPath } from "../tools/plan/render";
import { quotaVerdicts, transitionVerdicts } from "../tools/plan/verdicts";

const eksFile = fs.readFileSync(path.join(projectRoot, "Pulumi.eks.yaml"), "utf8");
const committed = (stack: string): Plan => JSON.parse(fs.readFileSync(planPath(stack), "utf8")) as Plan;

describe("day-2 verdicts on a change of stack files", function () {
    this.timeout(180000);

    it("stops a GPU type change that leaves no replica serving, naming the setting that avoids it", async () => {
        // The base had another GPU type: the working tree's g5.xlarge replaces the group, and the
        // example's one autoscaled replica rolls with maxUnavailable 1 (README Day-2: gpu-type-eks-autoscaled).
        assert.match(eksFile, /instanceType: g5\.xlarge/);
        const base = eksFile.replace("instanceType: g5.xlarge", "instanceType: g6.xlarge");
        const verdicts = await transitionVerdicts("eks", base, "base", true);
        const serving = verdicts.filter((v) => /serving drops to 0 pods/.test(v.text));
        assert.strictEqual(serving.length, 1, JSON.stringify(verdicts, null, 2));
        assert.strictEqual(serving[0].level, "stop");
        assert.match(serving[0].text, /set `autoscaling\.minReplicas: 2`/);
    });

    it("has nothing to say when the stack file's config did not change", async () => {
        assert.deepStrictEqual(await transitionVerdicts("eks", `# a comment only\n${eksFile}`, "base", true), []);
    });

    it("says what `pulumi destroy` does when the stack file is removed: refused at the protected cluster", async () => {
        // cluster.deletionProtection (on in the eks example) is a Pulumi protect on the cluster: the
        // engine refuses the destroy before deleting anything (README: Destroy).
        const verdicts = await transitionVerdicts("eks", eksFile, "base", false);
        assert.ok(
            verdicts.some((v) => v.level === "stop" && /^`pulumi destroy`: .*Cluster eks is protected/.test(v.text)),
            JSON.stringify(verdicts, null, 2),
        );
    });
});

describe("npm run plan on a stack file it cannot read offline", () => {
    it("prints the one line that says why, without a stack trace", () => {
        let error: unknown;
        try {
            parseStackFile("environment: [proj/missing]\n", "Pulumi.x.yaml", projectRoot);
        } catch (e) {
            error = e;
        }
        assert.strictEqual(
            describeFailure("x", error),
            'Stack x: Pulumi.x.yaml imports ESC environment "proj/missing", which has no definition at esc/proj/missing.yaml: add the YAML `pulumi env edit proj/missing` holds there to plan offline',
        );
    });
});

describe("quota verdicts and their place in the PR comment", () => {
    const before = committed("eks");
    const after = structuredClone(before);
    const group = after.resources.find((r) => r.type === "aws:eks/nodeGroup:NodeGroup" && /gpu/.test(r.name))!;
    group.inputs.instanceTypes = ["g5.2xlarge"];
    const d = diffPlans(before, after);

    it("says how much more GPU quota the change needs while old and new pools coexist", () => {
        const [v] = quotaVerdicts(d);
        // 2 × g5.xlarge (4 vCPUs) and 2 × g5.2xlarge (8 vCPUs) side by side, against 8 before.
        assert.match(v.text, /^needs 16 more vCPUs of quota Running On-Demand G and VT instances \(L-DB2E81BA\)/);
        assert.deepStrictEqual(quotaVerdicts(diffPlans(before, before)), []);
    });

    it("puts the verdicts above every stack's section", () => {
        const text = renderDiffs([d], "`main`", { list: quotaVerdicts(d), checked: true });
        const lines = text.split("\n");
        const verdicts = lines.indexOf("### Day-2 verdicts");
        assert.ok(verdicts > 0 && verdicts < lines.findIndex((l) => l.startsWith("### `eks`")), text);
        assert.match(lines[verdicts + 2], /^- `eks`: needs 16 more vCPUs/);
    });
});
