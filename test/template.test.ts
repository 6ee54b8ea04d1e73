// `pulumi new` from this repository (Pulumi.yaml `template:`): a description and prompts for the cloud,
// region and GPU pool, whose default answers make a stack the program evaluates as it is.
import * as assert from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { runProgram } from "../harness/program";
import { projectName, projectRoot } from "../harness/stackFiles";

interface Prompt {
    description?: string;
    default?: unknown;
    secret?: boolean;
}
const project = yaml.load(fs.readFileSync(path.join(projectRoot, "Pulumi.yaml"), "utf8")) as {
    name: string;
    template?: { description?: string; config?: Record<string, Prompt> };
};

/** The stack config `pulumi new` writes from the defaults: bare keys in the project's namespace, values as text. */
function defaultAnswers(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, p] of Object.entries(project.template?.config ?? {}))
        out[k.includes(":") ? k : `${project.name}:${k}`] = String(p.default);
    return out;
}

describe("pulumi new template (Pulumi.yaml template:)", function () {
    this.timeout(60000);

    it("describes the template and prompts for cloud, region and the GPU pool, each with a description and a default", () => {
        assert.strictEqual(project.name, projectName);
        assert.ok(project.template?.description, "template.description");
        const prompts = project.template?.config ?? {};
        for (const key of ["cloud", "aws:region", "gpuNodePool"]) assert.ok(prompts[key], `no prompt for ${key}`);
        for (const [k, p] of Object.entries(prompts)) {
            assert.ok(p.description, `${k}: no description`);
            assert.ok(p.default !== undefined, `${k}: no default`);
        }
        assert.strictEqual(JSON.parse(String(prompts.gpuNodePool.default)).instanceType, "g5.xlarge");
    });

    it("makes a stack the program evaluates from the default answers, GPU pool included", async () => {
        const ev = await runProgram({ stack: "new", config: defaultAnswers(), preview: true });
        const groups = ev.resources.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup");
        assert.deepStrictEqual(groups.map((g) => g.inputs.instanceTypes).sort(), [["g5.xlarge"], ["m6i.large"]]);
        assert.deepStrictEqual(
            ev.logs.filter((l) => l.severity === "error"),
            [],
        );
    });
});
