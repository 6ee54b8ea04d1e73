// Reads the example stacks' Pulumi.<stack>.yaml files, as the Pulumi CLI would hand their config
// to the program. Shared by the tests, `npm run plan` and `npm run bench`.
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";

export const projectRoot = path.resolve(__dirname, "..");
export const projectName = "torchserve-platform";

/** Stack names that have a Pulumi.<stack>.yaml next to Pulumi.yaml. */
export function exampleStacks(root = projectRoot): string[] {
    return fs
        .readdirSync(root)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/** The `config:` map of a stack file (`namespace:key` → value). */
export function stackConfig(stack: string, root = projectRoot): Record<string, unknown> {
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    const doc = yaml.load(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | undefined;
    return { ...(doc?.config ?? {}) };
}
