// Reads the example stacks' Pulumi.<stack>.yaml files, as the Pulumi CLI would hand their config
// to the program. Shared by the tests, `npm run plan` and `npm run bench`.
//
// A stack file may import Pulumi ESC environments (`environment:`). The CLI then hands the program
// each environment's `values.pulumiConfig` as ordinary config, secrets (`fn::secret`) as secrets, the
// stack file's own `config:` taking precedence
// (https://www.pulumi.com/docs/esc/integrations/infrastructure/pulumi-iac/). Offline, the environments
// come from their definitions kept in the repository: esc/<project>/<environment>.yaml, the YAML
// `pulumi env edit <org>/<project>/<environment>` holds. A bare name is in ESC's `default` project.
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";

export const projectRoot = path.resolve(__dirname, "..");
export const projectName = "torchserve-platform";

/** A stack file (or an ESC definition it imports) that cannot be read offline, said in one line. */
export class StackFileError extends Error {}

/** Stack names that have a Pulumi.<stack>.yaml next to Pulumi.yaml. */
export function exampleStacks(root = projectRoot): string[] {
    return fs
        .readdirSync(root)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

export interface StackFile {
    /** Flat config (`namespace:key` → value): the imported environments' `pulumiConfig`, then `config:`. */
    config: Record<string, unknown>;
    /** Config keys whose value an environment supplies as a secret. */
    secretKeys: string[];
    /** The environments imported, in order, nested imports first. */
    environments: string[];
}

/** Where the definition of ESC environment `name` lives in the repository. */
export function escDefinitionPath(name: string, root = projectRoot): string {
    const parts = name.split("/");
    // [org/]project/environment; a bare name is in the `default` project.
    const [project, env] = parts.length === 1 ? ["default", parts[0]] : parts.slice(-2);
    return path.join(root, "esc", project, `${env}.yaml`);
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/** ESC's merge: objects merge key by key, anything else replaces. */
function merge(a: unknown, b: unknown): unknown {
    if (!isObject(a) || !isObject(b)) return b;
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = k in out ? merge(out[k], v) : v;
    return out;
}

/** The environment names of a stack file's `environment:` (a list, or `{imports: [...]}`). */
function importsOf(value: unknown, where: string): string[] {
    const list = isObject(value) ? value.imports : value;
    if (list === undefined || list === null) return [];
    if (!Array.isArray(list) || list.some((e) => typeof e !== "string"))
        throw new StackFileError(`${where}: environment: must be a list of environment names`);
    return list as string[];
}

interface Resolved {
    values: Record<string, unknown>;
    environments: string[];
}

function loadEnvironment(name: string, root: string, importedBy: string, seen: string[]): Resolved {
    if (seen.includes(name))
        throw new StackFileError(`ESC environment ${name} imports itself (${[...seen, name].join(" → ")})`);
    const file = escDefinitionPath(name, root);
    if (!fs.existsSync(file))
        throw new StackFileError(
            `${importedBy} imports ESC environment "${name}", which has no definition at ${path.relative(root, file)}: add the YAML \`pulumi env edit ${name.includes("/") ? name : `default/${name}`}\` holds there to plan offline`,
        );
    const doc = (yaml.load(fs.readFileSync(file, "utf8")) ?? {}) as Record<string, unknown>;
    let values: unknown = {};
    const environments: string[] = [];
    for (const imported of importsOf(doc, path.relative(root, file))) {
        const sub = loadEnvironment(imported, root, `ESC environment ${name}`, [...seen, name]);
        values = merge(values, sub.values);
        environments.push(...sub.environments);
    }
    values = merge(values, doc.values ?? {});
    environments.push(name);
    return { values: values as Record<string, unknown>, environments };
}

/** `a.b[0].c` in an environment's values, or undefined. */
function lookup(values: unknown, ref: string, where: string): unknown {
    let v = values;
    for (const seg of ref.split(/\.|\[(\d+)\]/).filter((s) => s !== undefined && s !== "")) {
        const open = isObject(v) ? Object.keys(v).find((k) => k.startsWith("fn::open")) : undefined;
        if (open)
            throw new StackFileError(
                `${where}: \${${ref}} is an output of ${open}, computed by ESC at run time: set the key in the stack file to plan offline`,
            );
        if (Array.isArray(v)) v = v[Number(seg)];
        else if (isObject(v)) v = v[seg];
        else return undefined;
    }
    return v;
}

/**
 * A `pulumiConfig` value as plain data: `${path}` references resolved against the environment's
 * values, `fn::secret` unwrapped (and reported through `secret`). What only ESC can compute at run
 * time (`fn::open::…` providers, encrypted secrets) cannot be planned offline: one line says so.
 */
function evaluateValue(
    v: unknown,
    values: Record<string, unknown>,
    where: string,
    secret: () => void,
    depth = 0,
): unknown {
    if (depth > 20) throw new StackFileError(`${where}: references nest too deep (a cycle?)`);
    if (typeof v === "string") {
        const whole = /^\$\{([^}]+)\}$/.exec(v);
        if (whole) {
            const target = lookup(values, whole[1], where);
            if (target === undefined) throw new StackFileError(`${where}: \${${whole[1]}} refers to no value`);
            return evaluateValue(target, values, where, secret, depth + 1);
        }
        return v.replace(/\$\{([^}]+)\}/g, (_, ref: string) => {
            const target = evaluateValue(lookup(values, ref, where), values, where, secret, depth + 1);
            if (target === undefined || isObject(target) || Array.isArray(target))
                throw new StackFileError(`${where}: \${${ref}} is not a text value`);
            return String(target);
        });
    }
    if (Array.isArray(v)) return v.map((x) => evaluateValue(x, values, where, secret, depth + 1));
    if (isObject(v)) {
        const fns = Object.keys(v).filter((k) => k.startsWith("fn::"));
        if (fns.length === 1 && Object.keys(v).length === 1) {
            const [fn] = fns;
            if (fn === "fn::secret") {
                const inner = v[fn];
                if (isObject(inner) && "ciphertext" in inner)
                    throw new StackFileError(
                        `${where}: an encrypted secret cannot be read offline; keep a stand-in value (fn::secret: <text>) in the repository's definition`,
                    );
                secret();
                return evaluateValue(inner, values, where, secret, depth + 1);
            }
            throw new StackFileError(`${where}: ${fn} is computed by ESC at run time and cannot be planned offline`);
        }
        return Object.fromEntries(
            Object.entries(v).map(([k, x]) => [k, evaluateValue(x, values, where, secret, depth + 1)]),
        );
    }
    return v;
}

/** The config a stack file's text hands the program, imported ESC environments resolved. */
export function parseStackFile(text: string, label: string, root = projectRoot, project = projectName): StackFile {
    const doc = (yaml.load(text) ?? {}) as { config?: Record<string, unknown>; environment?: unknown };
    const config: Record<string, unknown> = {};
    const secretKeys: string[] = [];
    const environments: string[] = [];
    for (const name of importsOf(doc.environment, label)) {
        const env = loadEnvironment(name, root, label, []);
        environments.push(...env.environments);
        const pulumiConfig = env.values.pulumiConfig;
        if (pulumiConfig === undefined) continue;
        if (!isObject(pulumiConfig))
            throw new StackFileError(`ESC environment ${name}: values.pulumiConfig must be a map of config keys`);
        for (const [k, raw] of Object.entries(pulumiConfig)) {
            const key = k.includes(":") ? k : `${project}:${k}`;
            if (doc.config && key in doc.config) continue; // the stack file's own value wins
            let secret = false;
            config[key] = evaluateValue(raw, env.values, `ESC environment ${name}: pulumiConfig.${k}`, () => {
                secret = true;
            });
            const at = secretKeys.indexOf(key);
            if (secret && at < 0) secretKeys.push(key);
            if (!secret && at >= 0) secretKeys.splice(at, 1);
        }
    }
    // The stack file's own config wins over what environments supply.
    for (const [k, v] of Object.entries(doc.config ?? {})) {
        config[k] = v;
        const at = secretKeys.indexOf(k);
        if (at >= 0) secretKeys.splice(at, 1);
    }
    return { config, secretKeys: secretKeys.sort(), environments: [...new Set(environments)] };
}

/** Pulumi.<stack>.yaml read as the CLI would hand it to the program. */
export function readStackFile(stack: string, root = projectRoot): StackFile {
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    return parseStackFile(fs.readFileSync(file, "utf8"), `Pulumi.${stack}.yaml`, root);
}

/** The `config:` map of a stack file (`namespace:key` → value), imported environments included. */
export function stackConfig(stack: string, root = projectRoot): Record<string, unknown> {
    return { ...readStackFile(stack, root).config };
}
