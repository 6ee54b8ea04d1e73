// Running the policy pack (policy/) without the Pulumi CLI. @pulumi/policy ships no test harness:
//  - `validate` / `validateStack` call one policy's function directly with the argument bag the
//    SDK builds (props behind its unknown-checking proxy), for table-driven unit tests;
//  - `runPack` runs the whole pack over a stack's resources through the SDK's own Analyze and
//    AnalyzeStack handlers (what the gRPC server calls; @internal exports of @pulumi/policy 1.21.0,
//    pinned in policy/package.json), given the same protobuf requests the engine sends.
// `packResources` is the one adapter from evaluated resources (harness/evaluate.ts) to what the
// engine hands the pack.
import { spawn } from "child_process";
import type { Socket } from "net";
import * as path from "path";
import type {
    EnforcementLevel,
    Policy,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationPolicy,
} from "@pulumi/policy";
import { packArgs, packName } from "../../policy/policies";
import type { RegisteredResource } from "../../harness/evaluate";

/* eslint-disable @typescript-eslint/no-require-imports */
/** A module @pulumi/policy itself uses (gRPC, protobuf): the same copy, not a dependency of ours. */
const policySdkDir = path.dirname(require.resolve("@pulumi/policy"));
const fromPolicySdk = (m: string) => require(require.resolve(m, { paths: [policySdkDir] }));
const grpc = fromPolicySdk("@grpc/grpc-js");
const { Empty } = fromPolicySdk("google-protobuf/google/protobuf/empty_pb");
const { Struct } = fromPolicySdk("google-protobuf/google/protobuf/struct_pb");
const analyzerrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const analyzerproto = require("@pulumi/pulumi/proto/analyzer_pb");
const { makeAnalyzeRpcFun, makeAnalyzeStackRpcFun } = require("@pulumi/policy/server");
const { unknownCheckingProxy } = require("@pulumi/policy/proxy");
const { deserializeProperties } = require("@pulumi/policy/deserialize");

/** A resource as the engine describes it to a policy pack. */
export interface PackResource {
    urn: string;
    type: string;
    name: string;
    /** Properties in Pulumi's wire form (secrets and unknowns marked); plain JSON is valid wire form. */
    props: Record<string, any>;
    opts: { protect: boolean; ignoreChanges: string[] };
    /** URN of the parent ("" for none). */
    parent: string;
    dependencies: string[];
}

/**
 * What the engine hands the pack for each registered resource: the inputs the program gave it,
 * protect and ignoreChanges, parent and dependencies. Two differences from a real preview, both
 * harmless to these policies: the inputs are those before the provider's Check (which adds
 * defaults, such as a Helm release's timeout), and stack policies see these inputs where the
 * engine passes outputs (the mocks' outputs echo the inputs, harness/evaluate.ts).
 */
export function packResources(resources: RegisteredResource[]): PackResource[] {
    return resources.map((r) => ({
        urn: r.urn,
        type: r.type,
        name: r.name,
        props: r.serializedInputs ?? r.inputs,
        opts: { protect: r.options.protect === true, ignoreChanges: r.options.ignoreChanges ?? [] },
        parent: r.parent,
        dependencies: r.dependencies,
    }));
}

/** A resource written by hand for a unit test: type and plain props, the rest defaulted. */
export function crafted(type: string, props: Record<string, any>, more: Partial<PackResource> = {}): PackResource {
    const name = more.name ?? "r";
    return {
        urn: `urn:pulumi:test::proj::${type}::${name}`,
        type,
        name,
        props,
        opts: { protect: false, ignoreChanges: [] },
        parent: "",
        dependencies: [],
        ...more,
    };
}

/** The props a policy sees: secrets revealed, unknowns throwing when read (as @pulumi/policy does). */
function policyProps(r: PackResource): Record<string, any> {
    return unknownCheckingProxy(deserializeProperties({ toJavaScript: () => r.props }, false));
}

/** The violation messages one resource policy reports for `r` (its validateResource, called directly). */
export async function validate(policy: ResourceValidationPolicy, r: PackResource): Promise<string[]> {
    const messages: string[] = [];
    const props = policyProps(r);
    const args = {
        type: r.type,
        props,
        urn: r.urn,
        name: r.name,
        opts: {
            ...r.opts,
            aliases: [],
            additionalSecretOutputs: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        },
        stackTags: new Map<string, string>(),
        isType: () => false,
        asType: () => undefined,
        getConfig: () => ({}),
        notApplicable: (reason?: string) => {
            throw new Error(`not applicable: ${reason}`);
        },
    } as unknown as ResourceValidationArgs;
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource!];
    for (const v of validations) await v(args, (m: string) => messages.push(m));
    return messages;
}

/** The violations one stack policy reports over `resources`, as `{urn, message}`. */
export async function validateStack(
    policy: StackValidationPolicy,
    resources: PackResource[],
): Promise<{ urn?: string; message: string }[]> {
    const out: { urn?: string; message: string }[] = [];
    const byUrn = new Map<string, any>();
    const policyResources = resources.map((r) => {
        const pr: any = {
            type: r.type,
            props: policyProps(r),
            urn: r.urn,
            name: r.name,
            opts: r.opts,
            dependencies: [],
            propertyDependencies: {},
        };
        byUrn.set(r.urn, pr);
        return pr;
    });
    resources.forEach((r, i) => {
        policyResources[i].parent = byUrn.get(r.parent);
        policyResources[i].dependencies = r.dependencies.map((d) => byUrn.get(d)).filter(Boolean);
    });
    await policy.validateStack(
        {
            resources: policyResources,
            stackTags: new Map(),
            getConfig: () => ({}) as any,
            notApplicable: () => {
                throw new Error("not applicable");
            },
        } as any,
        (message: string, urn?: string) => out.push({ urn, message }),
    );
    return out;
}

/** One policy violation, as the engine would print it. */
export interface Diagnostic {
    policy: string;
    level: EnforcementLevel;
    /** The resource it concerns ("" for a stack-wide one). */
    urn: string;
    /** The policy's description, a newline, then the violation's own message. */
    message: string;
}

/**
 * A stack's policy config (`pulumi preview --policy-pack-config file.json`): policy name (or
 * "all") → enforcement level, or an object with `enforcementLevel`.
 */
export type PackConfig = Record<string, EnforcementLevel | { enforcementLevel?: EnforcementLevel }>;

function configuredPolicies(config: PackConfig): Policy[] {
    const level = (name: string): EnforcementLevel | undefined => {
        const c = config[name] ?? config.all;
        return typeof c === "string" ? c : c?.enforcementLevel;
    };
    // The server takes a configured level over the policy's own, and that over the pack's.
    return packArgs.policies.map((p) => ({ ...p, enforcementLevel: level(p.name) ?? p.enforcementLevel }));
}

const levels: Record<number, EnforcementLevel> = {
    [analyzerproto.EnforcementLevel.ADVISORY]: "advisory",
    [analyzerproto.EnforcementLevel.MANDATORY]: "mandatory",
    [analyzerproto.EnforcementLevel.REMEDIATE]: "remediate",
    [analyzerproto.EnforcementLevel.DISABLED]: "disabled",
};

function analyzerResource(r: PackResource): any {
    const options = new analyzerproto.AnalyzerResourceOptions();
    options.setProtect(r.opts.protect);
    options.setIgnorechangesList(r.opts.ignoreChanges);
    if (r.parent) options.setParent(r.parent);
    const msg = new analyzerproto.AnalyzerResource();
    msg.setUrn(r.urn);
    msg.setType(r.type);
    msg.setName(r.name);
    msg.setProperties(Struct.fromJavaScript(r.props));
    msg.setOptions(options);
    msg.setParent(r.parent);
    msg.setDependenciesList(r.dependencies);
    return msg;
}

/** The two analyzer calls a preview makes: per resource, then for the whole stack. */
interface Analyzer {
    analyze(request: any): Promise<any>;
    analyzeStack(request: any): Promise<any>;
}

function diagnostics(resp: any, urn: string): Diagnostic[] {
    return resp.getDiagnosticsList().map((d: any) => ({
        policy: d.getPolicyname(),
        level: levels[d.getEnforcementlevel()],
        urn: d.getUrn() || urn,
        message: d.getMessage(),
    }));
}

async function analyzeAll(analyzer: Analyzer, resources: PackResource[]): Promise<Diagnostic[]> {
    const out: Diagnostic[] = [];
    for (const r of resources) {
        const msg = analyzerResource(r);
        const request = new analyzerproto.AnalyzeRequest();
        request.setUrn(r.urn);
        request.setType(r.type);
        request.setName(r.name);
        request.setProperties(msg.getProperties());
        request.setOptions(msg.getOptions());
        out.push(...diagnostics(await analyzer.analyze(request), r.urn));
    }
    const stack = new analyzerproto.AnalyzeStackRequest();
    stack.setResourcesList(resources.map(analyzerResource));
    out.push(...diagnostics(await analyzer.analyzeStack(stack), ""));
    return out;
}

/** Runs the whole pack over a stack in this process, as the engine does: Analyze on each resource, then AnalyzeStack. */
export function runPack(resources: PackResource[], config: PackConfig = {}): Promise<Diagnostic[]> {
    const policies = configuredPolicies(config);
    const version = "0.0.0-test";
    const handler = (rpc: (call: any, cb: (err: any, resp: any) => void) => void) => (request: any) =>
        new Promise<any>((resolve, reject) => rpc({ request }, (err, resp) => (err ? reject(err) : resolve(resp))));
    return analyzeAll(
        {
            analyze: handler(makeAnalyzeRpcFun(packName, version, packArgs.enforcementLevel, policies)),
            analyzeStack: handler(makeAnalyzeStackRpcFun(packName, version, packArgs.enforcementLevel, policies)),
        },
        resources,
    );
}

/** The pack as `pulumi preview --policy-pack policy` starts it, and a gRPC client of it. */
export interface ServedPack {
    /** The policies it announces, with their enforcement levels. */
    policies(): Promise<{ name: string; level: EnforcementLevel }[]>;
    run(resources: PackResource[]): Promise<Diagnostic[]>;
    close(): void;
}

/**
 * Starts policy/ the way Pulumi's analyzer plugin does (sdk/nodejs/dist/pulumi-analyzer-policy in
 * pulumi/pulumi): node runs @pulumi/pulumi/cmd/run-policy-pack, resolved from the pack's
 * directory, with an engine address and the pack's path; the pack prints the port it serves on.
 */
export async function servePack(): Promise<ServedPack> {
    const dir = path.join(__dirname, "..", "..", "policy");
    const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [dir] });
    const child = spawn(process.execPath, [runner, "127.0.0.1:0", "."], {
        cwd: dir,
        stdio: ["ignore", "pipe", "pipe"],
    });
    // It may start long before it is used (while other tests run): it neither keeps this process
    // alive nor outlives it.
    child.unref();
    for (const stream of [child.stdout, child.stderr]) (stream as Socket).unref();
    const stop = () => child.kill();
    process.once("exit", stop);
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const port = await new Promise<string>((resolve, reject) => {
        child.stdout.once("data", (d) => resolve(String(d).trim()));
        child.once("exit", (code) => reject(new Error(`the policy pack exited (${code}): ${stderr}`)));
    });
    const client = new analyzerrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const rpc = (method: string) => (request: any) =>
        new Promise<any>((resolve, reject) =>
            client[method](request, (err: any, resp: any) => (err ? reject(err) : resolve(resp))),
        );
    return {
        policies: async () =>
            (await rpc("getAnalyzerInfo")(new Empty()))
                .getPoliciesList()
                .map((p: any) => ({ name: p.getName(), level: levels[p.getEnforcementlevel()] })),
        run: (resources) => analyzeAll({ analyze: rpc("analyze"), analyzeStack: rpc("analyzeStack") }, resources),
        close: () => {
            client.close();
            child.kill();
            process.removeListener("exit", stop);
        },
    };
}
