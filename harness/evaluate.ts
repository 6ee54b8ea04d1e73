// Evaluates a Pulumi program under the SDK's mock monitor and records every registration with
// what a reviewer reads in a preview: type, name, parent, provider, dependencies and inputs.
// The primitive of the harness: tests of single components call it directly; a whole stack goes
// through program.ts. Shared by the tests and by `npm run plan` / `npm run bench`.
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor, Mocks, MockResourceArgs, MockCallArgs } from "@pulumi/pulumi/runtime/mocks";
import { withProviderName } from "./providerNames";

export interface RegisteredResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    /** URN of the parent resource ("" for the stack itself). */
    parent: string;
    /** Provider reference `urn::id` ("" = default provider). */
    provider: string;
    /** URNs this resource waits for: explicit `dependsOn` plus those flowing in through inputs. */
    dependencies: string[];
    /** Per top-level input property, the URNs its value came from (the register request's propertyDependencies). */
    propertyDependencies?: Record<string, string[]>;
    /**
     * Resource options a reviewer must see, and that decide what the engine does on a change
     * (harness/transitions): each only when set.
     */
    options: RecordedOptions;
    /** `aliases` as the engine receives them, when any (the engine adds those children inherit). */
    aliases?: RecordedAlias[];
    /** Input properties as the provider receives them (unknowns are absent). */
    inputs: Record<string, any>;
    /**
     * The same inputs in Pulumi's wire form, where secrets stay marked where they are nested
     * (`{[specialSigKey]: specialSecretSig, value}`, the SDK's `runtime/rpc` constants) and
     * unknowns are the unknown sentinel string. `inputs` pushes secretness up to the top-level
     * property; `npm run plan` masks from this instead.
     */
    serializedInputs?: Record<string, any>;
}

/** The resource options the engine's diff and delete honour, as the register request carries them. */
export interface RecordedOptions {
    protect?: true;
    ignoreChanges?: string[];
    replaceOnChanges?: string[];
    /** Set by the program (either way: `false` overrides a provider that asks to delete first). */
    deleteBeforeReplace?: boolean;
    retainOnDelete?: true;
    /** URN of the resource whose deletion deletes this one (`deletedWith`). */
    deletedWith?: string;
}

/**
 * One alias of a registration: an old URN, or the parts that differ from the resource's own (empty =
 * the same; `parentUrn` is the parent the SDK sends, `noParent` an alias to a parentless resource).
 */
export type RecordedAlias =
    | { urn: string }
    | { name: string; type: string; stack: string; project: string; parentUrn: string; noParent: boolean };

export interface Evaluation {
    resources: RegisteredResource[];
    /** Stack outputs, resolved (secrets unwrapped). */
    outputs: Record<string, any>;
    /** Names of outputs that are secrets. */
    secretOutputs: string[];
    /** Invoke tokens called during the run. */
    calls: string[];
    /**
     * In order: `created <type> <name>` when the engine answered a registration (its outputs known),
     * `call <token>` when an invoke was sent. Tells whether a lookup waited for a resource.
     */
    events?: string[];
    /** Messages logged through pulumi.log (warnings, errors). */
    logs: { severity: string; message: string }[];
}

export interface EvaluateOptions {
    project: string;
    stack: string;
    /** Flat Pulumi config: `namespace:key` → value (objects are serialised as Pulumi stores them). */
    config: Record<string, unknown>;
    /** Config keys (`namespace:key`) set as secrets (`pulumi config set --secret`). */
    secretKeys?: string[];
    /** Preview (dry run): resources get no ids and their computed outputs stay unknown. */
    preview: boolean;
    /** Outputs the mocked provider computes for a type during an update, beyond echoing inputs. */
    computed?: (args: MockResourceArgs) => Record<string, any> | undefined;
    /** Results of provider functions (invokes). */
    call?: (args: MockCallArgs) => Record<string, any>;
    /**
     * With `preview`: the resources (by type and name) the preview would create or replace. Only they
     * get no id and unknown computed outputs; the rest answer as after an update (they exist).
     */
    pending?: (args: MockResourceArgs) => boolean;
}

/** The id an update under these mocks gives a resource named `name`: what references to it resolve to. */
export function mockId(name: string): string {
    return `${name}-id`;
}

/** MockMonitor that also records parent, provider and dependencies, which `Mocks` never sees. */
class RecordingMonitor extends MockMonitor {
    readonly registered: RegisteredResource[] = [];
    readonly callTokens: string[] = [];
    readonly events: string[] = [];

    async registerResource(req: any, callback: (err: any, resp: any) => void): Promise<void> {
        const record: RegisteredResource = {
            urn: "",
            type: req.getType(),
            name: req.getName(),
            custom: req.getCustom(),
            parent: req.getParent(),
            provider: req.getProvider(),
            dependencies: [],
            options: recordOptions(req),
            inputs: {},
        };
        const aliases = req.getAliasesList().map(recordAlias);
        if (aliases.length) record.aliases = aliases;
        const deps = new Set<string>(req.getDependenciesList());
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((v: any, key: string) => {
            const urns: string[] = v.getUrnsList();
            urns.forEach((u) => deps.add(u));
            if (urns.length) propertyDependencies[key] = [...urns].sort();
        });
        if (Object.keys(propertyDependencies).length) record.propertyDependencies = propertyDependencies;
        record.dependencies = [...deps].sort();
        record.inputs = await pulumi.runtime.deserializeProperties(req.getObject());
        record.serializedInputs = req.getObject()?.toJavaScript() ?? {};
        this.registered.push(record);
        return super.registerResource(req, (err, resp) => {
            if (resp) record.urn = resp.getUrn();
            this.events.push(`created ${record.type} ${record.name}`);
            callback(err, resp);
        });
    }

    async invoke(req: any, callback: (err: any, resp: any) => void): Promise<void> {
        this.callTokens.push(req.getTok());
        this.events.push(`call ${req.getTok()}`);
        return super.invoke(req, callback);
    }
}

/** The options of a register request (proto pulumirpc.RegisterResourceRequest) that change what the engine does. */
function recordOptions(req: any): RecordedOptions {
    const options: RecordedOptions = {};
    if (req.getProtect()) options.protect = true;
    if (req.getIgnorechangesList().length) options.ignoreChanges = [...req.getIgnorechangesList()].sort();
    if (req.getReplaceonchangesList().length) options.replaceOnChanges = [...req.getReplaceonchangesList()].sort();
    if (req.getDeletebeforereplacedefined()) options.deleteBeforeReplace = req.getDeletebeforereplace();
    else if (req.getDeletebeforereplace()) options.deleteBeforeReplace = true;
    if (req.getRetainondelete()) options.retainOnDelete = true;
    if (req.getDeletedwith()) options.deletedWith = req.getDeletedwith();
    return options;
}

/** An alias from the register request (proto pulumirpc.Alias, @pulumi/pulumi proto/alias_pb.js). */
function recordAlias(a: any): RecordedAlias {
    if (a.hasUrn()) return { urn: a.getUrn() };
    const spec = a.getSpec();
    return {
        name: spec.getName(),
        type: spec.getType(),
        stack: spec.getStack(),
        project: spec.getProject(),
        parentUrn: spec.getParenturn(),
        noParent: spec.getNoparent(),
    };
}

function stripUnknowns(value: any): any {
    if (value === pulumi.runtime.unknownValue) return undefined;
    if (Array.isArray(value)) return value.map(stripUnknowns);
    if (value && typeof value === "object") {
        const out: Record<string, any> = {};
        for (const [k, v] of Object.entries(value)) {
            const s = stripUnknowns(v);
            if (s !== undefined) out[k] = s;
        }
        return out;
    }
    return value;
}

/**
 * Runs `program` as the body of a stack under mocks and returns what it registered. The program is
 * evaluated exactly as Pulumi would: config through pulumi.Config, resources through the monitor.
 */
export async function evaluate(
    opts: EvaluateOptions,
    program: () => Promise<Record<string, any> | void>,
): Promise<Evaluation> {
    const logs: Evaluation["logs"] = [];
    const mocks: Mocks = {
        newResource: (args) => {
            // A transition's pending resource is being created or replaced: a replacement's name is new.
            const replacement = !!opts.pending && opts.pending(args);
            const inputs = withProviderName(args, stripUnknowns(args.inputs), replacement);
            if (opts.preview && (!opts.pending || opts.pending(args))) {
                return { id: undefined, state: inputs };
            }
            const extra = opts.computed?.(args) ?? {};
            return { id: mockId(args.name), state: { ...inputs, ...extra } };
        },
        call: (args) => opts.call?.(args) ?? {},
    };
    const monitor = new RecordingMonitor(mocks);
    pulumi.runtime.setMockOptions(monitor, opts.project, opts.stack, opts.preview);
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.config)) {
        flat[k] = typeof v === "string" ? v : JSON.stringify(v);
    }
    pulumi.runtime.setAllConfig(flat, opts.secretKeys ?? []);

    const restoreLog = captureLogs(logs);
    try {
        // Keep the program's own Output objects: the stack's resolved outputs lose secretness
        // and collapse to undefined in a preview as soon as one value is unknown.
        let outputs: Record<string, any> = {};
        await pulumi.runtime.runInPulumiStack(async () => {
            outputs = (await program()) ?? {};
            return outputs;
        });
        const resolved: Record<string, any> = {};
        const secretOutputs: string[] = [];
        for (const [k, v] of Object.entries(outputs)) {
            if (v === undefined) continue;
            const out = pulumi.output(v);
            if (await pulumi.isSecret(out)) secretOutputs.push(k);
            resolved[k] = await valueOf(out);
        }
        // Resources created inside applies register late; let them land.
        await pulumi.runtime.disconnect().catch(() => undefined);
        return {
            resources: monitor.registered,
            outputs: resolved,
            secretOutputs,
            calls: monitor.callTokens,
            events: monitor.events,
            logs,
        };
    } catch (e) {
        // Let callers see what was registered before the failure (a config error must leave nothing).
        if (e && typeof e === "object") (e as { registered?: RegisteredResource[] }).registered = monitor.registered;
        throw e;
    } finally {
        restoreLog();
    }
}

/** The value of an output; `UNKNOWN` where a preview cannot know it. */
export const UNKNOWN = "<unknown>";
async function valueOf(o: pulumi.Output<any>): Promise<any> {
    // Output.promise(withUnknowns) is internal but stable; apply() never fires on unknowns.
    const v = await (o as any).promise(true);
    return replaceUnknowns(v);
}

function replaceUnknowns(value: any): any {
    if (value === pulumi.runtime.unknownValue || pulumi.isUnknown(value)) return UNKNOWN;
    if (Array.isArray(value)) return value.map(replaceUnknowns);
    if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceUnknowns(v)]));
    }
    return value;
}

function captureLogs(sink: Evaluation["logs"]): () => void {
    const log = pulumi.log as any;
    const saved = { warn: log.warn, error: log.error, info: log.info };
    log.warn = (message: string) => {
        sink.push({ severity: "warning", message });
        return Promise.resolve();
    };
    log.error = (message: string) => {
        sink.push({ severity: "error", message });
        return Promise.resolve();
    };
    log.info = (message: string) => {
        sink.push({ severity: "info", message });
        return Promise.resolve();
    };
    return () => Object.assign(log, saved);
}
