// `npm run plan -- <stack>` / `npm run plan -- --all` [--manifests DIR]
//
// A preview without the Pulumi CLI, credentials or network: evaluates the program for
// Pulumi.<stack>.yaml under mocks in preview mode (computed outputs stay unknown, as in a real
// `pulumi preview`) and writes plans/<stack>.json — every resource with its type, name, parent,
// provider, what it waits for and its inputs, secrets masked. The committed plans make a pull
// request's effect on every example stack reviewable as a plain diff; CI fails when they drift.
//
// Determinism: resources are keyed by their URN without the stack/project prefix
// (`ancestorTypes$…$type::name`, Pulumi's own identity, readable and stable), sorted; object keys are
// sorted; no timestamps; the machine's kubeconfig and cloud credentials are hidden from the program
// while it runs (see `planEnvironment`), so the same commit gives byte-identical plans anywhere.
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { cloudCall, isMockedInvoke } from "./cloudMocks";
import { evaluate, Evaluation, RegisteredResource, UNKNOWN } from "./evaluate";
import { exampleStacks, projectName, projectRoot, stackConfig } from "./stackFiles";

/** How a secret value appears in a plan (as in `pulumi preview`). */
export const SECRET = "[secret]";
/** How a value only known after deployment appears in a plan. */
export const COMPUTED = "[unknown]";
/** Where a resource uses the default provider of its package. */
export const DEFAULT_PROVIDER = "default";

const secretSigKey = "4dabf18193072939515e22adb298388d";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";
const resourceSig = "5cf8f73096256a8f31e491e813e4eb8e";
const assetSig = "c44067f5952c0a294b673a41bacd8c17";
const archiveSig = "0def7320c3a5731c473e5ecbe6d01bc7";
const outputValueSig = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

export interface PlanResource {
    /** `ancestorType$…$type::name`: the engine's URN without `urn:pulumi:<stack>::<project>::` (see `resourceIds`). */
    id: string;
    type: string;
    name: string;
    /** Custom resources are provisioned; component resources only group their children. */
    custom: boolean;
    /** Id of the parent ("" for the stack). */
    parent: string;
    /** Id of the explicit provider, or "default". Only custom resources have one. */
    provider?: string;
    /** Ids it waits for as the SDK reports them: explicit dependsOn plus those its inputs come from. */
    dependencies: string[];
    /** `protect` and `ignoreChanges` where set: what a destroy or a drift will not touch. */
    options?: { protect?: true; ignoreChanges?: string[] };
    /** Inputs as the provider would receive them; secrets are "[secret]", unknowns "[unknown]". */
    inputs: Record<string, unknown>;
}

export interface ProvisioningChain {
    /** Number of provisioned (custom, non-provider) resources on the longest chain. */
    length: number;
    /** Their ids, first created first. */
    path: string[];
}

export interface Plan {
    project: string;
    stack: string;
    resources: PlanResource[];
    /** Stack outputs; secret ones are "[secret]", unknown ones "[unknown]". */
    outputs: Record<string, unknown>;
    /** Registrations per type, and in total. */
    counts: Record<string, number>;
    total: number;
    /** Longest chain of resources that must be created one after another (see `waitsFor`). */
    longestChain: ProvisioningChain;
    /** Messages the program logged (config warnings). */
    warnings: string[];
    /** Invokes the program called that tools/cloudMocks.ts does not answer (they returned {}). */
    unmockedInvokes: string[];
}

// ---------------------------------------------------------------------------------------------
// Identities and masking
// ---------------------------------------------------------------------------------------------

/**
 * `urn:pulumi:dev::proj::parentType$type::name` → `parentType$type::name`. Pulumi keeps URNs unique
 * within a stack. Children of the stack itself carry no parent type in a real URN; the mock monitor
 * adds `pulumi:pulumi:Stack$`, dropped here.
 */
export function resourceId(urn: string): string {
    const parts = urn.split("::");
    if (parts.length < 4) return urn;
    return parts
        .slice(2)
        .join("::")
        .replace(/^pulumi:pulumi:Stack\$/, "");
}

/**
 * Ids as the Pulumi engine writes URNs, without the `urn:pulumi:<stack>::<project>::` prefix: the
 * types of every ancestor below the stack, then the resource's type, then its name
 * (`torchserve-platform:eks:Cluster$torchserve-platform:eks:NodeGroup$aws:eks/nodeGroup:NodeGroup::eks-gpu`).
 * Built from the recorded parent chain, because the mock monitor's URNs keep only the nearest
 * parent's type. Unique within a stack exactly when Pulumi's URNs are.
 */
export function resourceIds(resources: RegisteredResource[]): (urn: string) => string {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const qualified = new Map<string, string>();
    const qualifiedType = (urn: string): string => {
        const hit = qualified.get(urn);
        if (hit !== undefined) return hit;
        const r = byUrn.get(urn);
        let q: string;
        if (!r) q = resourceId(urn).split("::")[0];
        else if (r.type === "pulumi:pulumi:Stack") q = "";
        else {
            const parent = r.parent ? qualifiedType(r.parent) : "";
            q = parent ? `${parent}$${r.type}` : r.type;
        }
        qualified.set(urn, q);
        return q;
    };
    return (urn: string) => {
        const r = byUrn.get(urn);
        if (!r) return resourceId(urn);
        return r.type === "pulumi:pulumi:Stack" ? `${r.type}::${r.name}` : `${qualifiedType(urn)}::${r.name}`;
    };
}

/**
 * A wire-form (serialized) property value as a reviewer reads it: secrets masked where they are,
 * however deeply nested; unknowns marked; resource references by id; assets by what they name.
 */
export function presentValue(value: unknown, id: (urn: string) => string = resourceId): unknown {
    const present = (v: unknown) => presentValue(v, id);
    if (value === pulumi.runtime.unknownValue) return COMPUTED;
    if (typeof value === "string") return relativiseRoot(value);
    if (Array.isArray(value)) return value.map(present);
    if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        switch (obj[secretSigKey]) {
            case secretSig:
                return SECRET;
            case resourceSig:
                return id(String(obj.urn ?? ""));
            case assetSig:
                return { asset: present(obj.path ?? obj.uri ?? (obj.text !== undefined ? "<text>" : "")) };
            case archiveSig:
                return { archive: present(obj.path ?? obj.uri ?? Object.keys((obj.assets as object) ?? {}).sort()) };
            case outputValueSig:
                return obj.secret ? SECRET : obj.value === undefined ? COMPUTED : present(obj.value);
        }
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(obj)) if (obj[k] !== undefined) out[k] = present(obj[k]);
        return out;
    }
    return value;
}

/** An absolute path into the repository would make the plan depend on the checkout location. */
function relativiseRoot(s: string): string {
    return s.includes(projectRoot) ? s.split(projectRoot).join("<project>") : s;
}

/** A resolved stack output (evaluate's form) as a reviewer reads it. */
function presentOutput(value: unknown): unknown {
    if (value === UNKNOWN) return COMPUTED;
    if (typeof value === "string") return relativiseRoot(value);
    if (Array.isArray(value)) return value.map(presentOutput);
    if (value && typeof value === "object") {
        return Object.fromEntries(
            Object.entries(value)
                .filter(([, v]) => v !== undefined)
                .map(([k, v]) => [k, presentOutput(v)]),
        );
    }
    return value;
}

// ---------------------------------------------------------------------------------------------
// Plan from an evaluation
// ---------------------------------------------------------------------------------------------

export function planFromEvaluation(ev: Evaluation, stack: string, project = projectName): Plan {
    const id = resourceIds(ev.resources);
    const resources: PlanResource[] = ev.resources.map((r: RegisteredResource) => ({
        id: id(r.urn),
        type: r.type,
        name: r.name,
        custom: r.custom,
        parent: r.parent ? id(r.parent) : "",
        ...(r.custom
            ? { provider: r.provider ? id(r.provider.slice(0, r.provider.lastIndexOf("::"))) : DEFAULT_PROVIDER }
            : {}),
        dependencies: [...new Set(r.dependencies.map(id))].sort(),
        ...(Object.keys(r.options).length ? { options: r.options } : {}),
        inputs: presentValue(r.serializedInputs ?? r.inputs, id) as Record<string, unknown>,
    }));
    resources.sort((a, b) => compare(a.id, b.id));
    const counts: Record<string, number> = {};
    for (const r of resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
    const outputs: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(ev.outputs)) {
        outputs[k] = ev.secretOutputs.includes(k) ? SECRET : presentOutput(v);
    }
    return {
        project,
        stack,
        resources,
        outputs,
        counts,
        total: resources.length,
        longestChain: longestChain(resources),
        warnings: ev.logs.filter((l) => l.severity !== "info").map((l) => `${l.severity}: ${l.message}`),
        unmockedInvokes: [...new Set(ev.calls.filter((t) => !isMockedInvoke(t)))].sort(),
    };
}

function compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Provisioning order
// ---------------------------------------------------------------------------------------------

/**
 * What a resource waits for before it is created (ids), following how the SDK and engine order a
 * real deployment:
 *  - its dependencies (explicit dependsOn and every resource an input comes from); a dependency on
 *    a component means all of the component's descendants;
 *  - its explicit provider (a provider is configured from its own inputs, e.g. a cluster's
 *    kubeconfig, so a Kubernetes object waits for what its provider waits for);
 *  - its parent: a child is registered only once its parent's URN is known, and a component's URN
 *    is known only after the component's own dependencies exist. So a child of a component that
 *    dependsOn X waits for X, although X is not among the child's own dependencies. Parents are not
 *    edges otherwise: a component completes nothing itself.
 */
export function waitsFor(resources: PlanResource[]): Map<string, Set<string>> {
    const byId = new Map(resources.map((r) => [r.id, r]));
    const children = new Map<string, string[]>();
    for (const r of resources) if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r.id]);
    const descendants = (id: string): string[] => (children.get(id) ?? []).flatMap((c) => [c, ...descendants(c)]);
    const expand = (id: string): string[] => {
        const r = byId.get(id);
        return r && !r.custom && !isOpaqueComponent(r) ? descendants(id).filter((d) => isStep(byId.get(d)!)) : [id];
    };
    const own = (r: PlanResource): Set<string> => {
        const s = new Set<string>();
        for (const d of r.dependencies) for (const e of expand(d)) s.add(e);
        if (r.provider && r.provider !== DEFAULT_PROVIDER) s.add(r.provider);
        return s;
    };
    const memo = new Map<string, Set<string>>();
    const resolve = (r: PlanResource): Set<string> => {
        const hit = memo.get(r.id);
        if (hit) return hit;
        const s = own(r);
        const parent = r.parent ? byId.get(r.parent) : undefined;
        if (parent && parent.type !== "pulumi:pulumi:Stack") {
            if (parent.custom) s.add(parent.id);
            else for (const d of resolve(parent)) s.add(d);
        }
        s.delete(r.id);
        memo.set(r.id, s);
        return s;
    };
    return new Map(resources.map((r) => [r.id, resolve(r)]));
}

/**
 * A multi-language component (e.g. `eks:index:Cluster`): its provider builds its children, which a
 * mock run never sees, so it stands for the work inside it as one opaque step.
 */
export function isOpaqueComponent(r: PlanResource): boolean {
    return !r.custom && !r.type.startsWith("torchserve-platform:") && r.type !== "pulumi:pulumi:Stack";
}

/**
 * A provisioned step: a custom resource other than a provider, or an opaque component (providers
 * and our own components take no time).
 */
export function isStep(r: PlanResource): boolean {
    return (r.custom && !r.type.startsWith("pulumi:providers:")) || isOpaqueComponent(r);
}

/** Longest chain of steps ending at each resource (ties broken by id, so answers are deterministic). */
function chains(resources: PlanResource[]): Map<string, string[]> {
    const byId = new Map(resources.map((r) => [r.id, r]));
    const waits = waitsFor(resources);
    const memo = new Map<string, string[]>();
    const visiting = new Set<string>();
    const chainTo = (id: string): string[] => {
        const hit = memo.get(id);
        if (hit) return hit;
        if (visiting.has(id)) throw new Error(`dependency cycle through ${id}`);
        visiting.add(id);
        let best: string[] = [];
        for (const d of [...(waits.get(id) ?? [])].sort(compare)) {
            if (!byId.has(d)) continue;
            const c = chainTo(d);
            if (c.length > best.length) best = c;
        }
        visiting.delete(id);
        const chain = isStep(byId.get(id)!) ? [...best, id] : best;
        memo.set(id, chain);
        return chain;
    };
    for (const r of resources) chainTo(r.id);
    return memo;
}

/** The longest chain of steps that ends at (and includes, if a step) resource `id`. */
export function chainEndingAt(resources: PlanResource[], id: string): ProvisioningChain {
    const path = chains(resources).get(id) ?? [];
    return { length: path.length, path };
}

/** Longest chain of steps along `waitsFor`: the least number of sequential creations. */
export function longestChain(resources: PlanResource[]): ProvisioningChain {
    const all = chains(resources);
    let best: string[] = [];
    for (const id of [...all.keys()].sort(compare)) {
        const c = all.get(id)!;
        if (c.length > best.length) best = c;
    }
    return { length: best.length, path: best };
}

/** Every id `id` waits for, directly or not. */
export function transitiveWaits(resources: PlanResource[], id: string): Set<string> {
    const waits = waitsFor(resources);
    const seen = new Set<string>();
    const stack = [...(waits.get(id) ?? [])];
    while (stack.length) {
        const d = stack.pop()!;
        if (seen.has(d)) continue;
        seen.add(d);
        stack.push(...(waits.get(d) ?? []));
    }
    return seen;
}

// ---------------------------------------------------------------------------------------------
// Running a program
// ---------------------------------------------------------------------------------------------

/**
 * Environment variables through which a program or provider SDK would read this machine's
 * credentials or cluster (the Kubernetes provider defaults `kubeconfig` to $KUBECONFIG; the
 * existing-cluster module reads ~/.kube/config). Hidden while a plan runs.
 */
const machineEnv = /^(KUBECONFIG|KUBE_|AWS_|ARM_|AZURE_|GOOGLE_|GCLOUD_|CLOUDSDK_|PULUMI_K8S_)/;

/** Runs `fn` with the machine's credentials and kubeconfig out of the program's sight. */
export async function planEnvironment<T>(fn: () => Promise<T>): Promise<T> {
    const saved: Record<string, string | undefined> = {};
    for (const k of Object.keys(process.env)) {
        if (machineEnv.test(k)) {
            saved[k] = process.env[k];
            delete process.env[k];
        }
    }
    saved.HOME = process.env.HOME;
    process.env.HOME = path.join(path.sep, "nonexistent", "plan-home");
    try {
        return await fn();
    } finally {
        for (const [k, v] of Object.entries(saved)) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
    }
}

export interface PlanProgramOptions {
    stack: string;
    /** Flat config, `namespace:key` → value. */
    config: Record<string, unknown>;
    program: () => Promise<Record<string, any> | void>;
    project?: string;
}

/** Evaluates `program` in preview mode under the cloud mocks and returns its plan. */
export async function planProgram(opts: PlanProgramOptions): Promise<Plan> {
    const project = opts.project ?? projectName;
    const ev = await planEnvironment(() =>
        evaluate(
            { project, stack: opts.stack, config: opts.config, preview: true, call: cloudCall(opts.config) },
            opts.program,
        ),
    );
    return planFromEvaluation(ev, opts.stack, project);
}

/** The plan of an example stack: the real program (stacks/program.ts main) with Pulumi.<stack>.yaml. */
export async function planStack(stack: string, override: Record<string, unknown> = {}): Promise<Plan> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, only when a program runs
    const { main } = require("../stacks/program") as typeof import("../stacks/program");
    const config = stackConfig(stack);
    for (const [k, v] of Object.entries(override)) config[k.includes(":") ? k : `${projectName}:${k}`] = v;
    return planProgram({ stack, config, program: async () => (await main()) as unknown as Record<string, any> });
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(sortKeys);
    if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        return Object.fromEntries(
            Object.keys(obj)
                .sort(compare)
                .map((k) => [k, sortKeys(obj[k])]),
        );
    }
    return value;
}

/** The plan file's exact text: sorted keys, two-space indent, final newline. */
export function renderPlan(plan: Plan): string {
    return JSON.stringify(sortKeys(plan), null, 2) + "\n";
}

export function planPath(stack: string, root = projectRoot): string {
    return path.join(root, "plans", `${stack}.json`);
}

/** Parent/child tree, counts per type, total and the longest chain, for a terminal. */
export function formatPlan(plan: Plan): string {
    const lines: string[] = [
        `Plan for stack ${plan.stack} (preview under mocks; [unknown] = known after deployment)`,
        "",
    ];
    const children = new Map<string, PlanResource[]>();
    for (const r of plan.resources) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    const walk = (parent: string, indent: string) => {
        for (const r of children.get(parent) ?? []) {
            const provider =
                r.provider && r.provider !== DEFAULT_PROVIDER ? `  (provider ${r.provider.split("::").pop()})` : "";
            lines.push(`${indent}+ ${r.type}  ${r.name}${provider}`);
            walk(r.id, indent + "    ");
        }
    };
    walk("", "");
    lines.push("", "Resources by type:");
    const width = Math.max(...Object.keys(plan.counts).map((t) => t.length));
    for (const t of Object.keys(plan.counts).sort(compare)) lines.push(`  ${t.padEnd(width)}  ${plan.counts[t]}`);
    lines.push(`  ${"total".padEnd(width)}  ${plan.total}`);
    lines.push("", `Longest provisioning chain (${plan.longestChain.length} resources created one after another):`);
    plan.longestChain.path.forEach((id, i) => lines.push(`  ${i + 1}. ${describe(plan, id)}`));
    const outputs = Object.keys(plan.outputs).sort(compare);
    if (outputs.length) {
        lines.push("", "Outputs:");
        for (const k of outputs) lines.push(`  ${k}: ${JSON.stringify(plan.outputs[k])}`);
    }
    for (const w of plan.warnings) lines.push("", w);
    if (plan.unmockedInvokes.length)
        lines.push(
            "",
            `Note: invokes answered with {} (add them to tools/cloudMocks.ts): ${plan.unmockedInvokes.join(", ")}`,
        );
    return lines.join("\n") + "\n";
}

function describe(plan: Plan, id: string): string {
    const r = plan.resources.find((x) => x.id === id);
    return r ? `${r.type}  ${r.name}` : id;
}

// ---------------------------------------------------------------------------------------------
// Kubernetes manifests
// ---------------------------------------------------------------------------------------------

/** `kubernetes:apps/v1:Deployment` → {apiVersion: "apps/v1", kind: "Deployment"}; core → "v1". */
export function kubernetesKind(type: string): { apiVersion: string; kind: string } | undefined {
    const m = /^kubernetes:([^:]+)\/([^:/]+):([A-Za-z0-9]+)$/.exec(type);
    if (!m) return undefined;
    const [, group, version, kind] = m;
    // Helm releases and charts are installs, not objects `kubectl diff` understands.
    if (group.startsWith("helm.sh") || group === "yaml" || group === "kustomize") return undefined;
    return { apiVersion: group === "core" ? version : `${group}/${version}`, kind };
}

export interface Manifest {
    /** Relative path: <namespace or _cluster>/<kind>.<group>-<name>.yaml */
    file: string;
    text: string;
}

/** Each Kubernetes object of a plan as a YAML document (inputs as sent, secrets masked). */
export function kubernetesManifests(plan: Plan): Manifest[] {
    const out: Manifest[] = [];
    for (const r of plan.resources) {
        const gvk = r.custom ? kubernetesKind(r.type) : undefined;
        if (!gvk) continue;
        const metadata = (r.inputs.metadata ?? {}) as Record<string, unknown>;
        const name = typeof metadata.name === "string" && metadata.name !== COMPUTED ? metadata.name : r.name;
        const namespace = typeof metadata.namespace === "string" ? metadata.namespace : "_cluster";
        const object = { ...r.inputs, apiVersion: gvk.apiVersion, kind: gvk.kind };
        const group = gvk.apiVersion.includes("/") ? gvk.apiVersion.split("/")[0] : "core";
        const file = path.join(safe(namespace), `${gvk.kind.toLowerCase()}.${group}-${safe(name)}.yaml`);
        out.push({ file, text: `# ${r.id}\n` + yaml.dump(object, { sortKeys: true, noRefs: true, lineWidth: -1 }) });
    }
    return out.sort((a, b) => compare(a.file, b.file));
}

function safe(s: string): string {
    return s.replace(/[^A-Za-z0-9._-]/g, "_");
}

function writeManifests(plan: Plan, dir: string): number {
    const stackDir = path.join(dir, plan.stack);
    fs.rmSync(stackDir, { recursive: true, force: true });
    const manifests = kubernetesManifests(plan);
    for (const m of manifests) {
        const file = path.join(stackDir, m.file);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, m.text);
    }
    return manifests.length;
}

// ---------------------------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------------------------

const usage = "usage: npm run plan -- <stack>... | --all  [--manifests DIR] [--quiet]";

async function cli(argv: string[]): Promise<number> {
    let all = false;
    let quiet = false;
    let manifests: string | undefined;
    const stacks: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--all") all = true;
        else if (a === "--quiet") quiet = true;
        else if (a === "--manifests") manifests = argv[++i];
        else if (a.startsWith("--manifests=")) manifests = a.slice("--manifests=".length);
        else if (a === "-h" || a === "--help") {
            console.log(usage);
            return 0;
        } else if (a.startsWith("-")) {
            console.error(`unknown option ${a}\n${usage}`);
            return 2;
        } else stacks.push(a);
    }
    if (manifests === "") {
        console.error(usage);
        return 2;
    }
    const known = exampleStacks();
    const selected = all ? known : stacks;
    if (selected.length === 0) {
        console.error(`${usage}\nexample stacks: ${known.join(", ")}`);
        return 2;
    }
    for (const s of selected) {
        if (!known.includes(s)) {
            console.error(`no Pulumi.${s}.yaml in ${projectRoot} (example stacks: ${known.join(", ")})`);
            return 2;
        }
    }
    fs.mkdirSync(path.join(projectRoot, "plans"), { recursive: true });
    if (all) {
        // A removed stack's plan goes with it.
        for (const f of fs.readdirSync(path.join(projectRoot, "plans"))) {
            const m = /^(.+)\.json$/.exec(f);
            if (m && !known.includes(m[1])) fs.rmSync(path.join(projectRoot, "plans", f));
        }
    }
    let failed = 0;
    for (const stack of selected) {
        let plan: Plan;
        try {
            plan = await planStack(stack);
        } catch (e) {
            failed++;
            console.error(describeFailure(stack, e));
            continue;
        }
        fs.writeFileSync(planPath(stack), renderPlan(plan));
        if (!quiet) console.log(formatPlan(plan));
        console.log(
            `wrote ${path.relative(projectRoot, planPath(stack))} (${plan.total} resources, longest chain ${plan.longestChain.length})`,
        );
        if (manifests) {
            const n = writeManifests(plan, path.resolve(manifests));
            console.log(`wrote ${n} Kubernetes manifests to ${path.join(manifests, stack)}`);
        }
    }
    return failed ? 1 : 0;
}

/**
 * What the CLI prints when a stack cannot be planned. A config mistake (pulumi.RunError, thrown by
 * stacks/program.ts with one line per problem) prints those lines and no stack trace.
 */
export function describeFailure(stack: string, e: unknown): string {
    if (e instanceof pulumi.RunError || (e as Error)?.constructor?.name === "RunError") {
        return `Stack ${stack}: invalid configuration in Pulumi.${stack}.yaml:\n${indent((e as Error).message)}`;
    }
    return `Stack ${stack}: the program failed under mocks:\n${(e as Error)?.stack ?? e}`;
}

function indent(s: string): string {
    return s
        .split("\n")
        .map((l) => `  ${l}`)
        .join("\n");
}

if (require.main === module) {
    cli(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (e) => {
            console.error(e);
            process.exit(2);
        },
    );
}
