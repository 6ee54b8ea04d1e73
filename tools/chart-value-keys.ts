// Generator for test/data/chart-values/*.json: the value key paths each pinned third-party Helm chart
// defines, so tests can reject a misspelt value (Helm ignores unknown keys silently). Run by a developer
// against copies of the charts' files; never by the program or the tests, which read only the JSON:
//
//   npx ts-node tools/chart-value-keys.ts <charts-dir> [--upstream <repository>:<path>=<local file>]…
//       [--only <output file>]…
//
// <charts-dir> holds <chart>/Chart.yaml, values.yaml (and values.schema.json) plus SOURCES.md naming
// repository, path and commit of each. Inputs from elsewhere (a dependency chart's values.yaml, Istio's
// MeshConfig proto) are passed with --upstream; each CHARTS entry names the commit to take them from
// (`git -C <clone> show <commit>:<path> > <local file>`).
//
// Output format (test/support/chartValues.ts reads it):
//   chart, version  the chart and the version it is pinned at in this program
//   source          where every path came from: repository, path, commit, files read, and `under`
//                   (the key the file's keys are merged below) where not the top level
//   fromComments    keys values.yaml documents only in a comment (checked to appear in one)
//   paths           every key path, dot-joined, sorted
//   openMaps        paths whose children are user-defined (labels, annotations, env, free-form specs):
//                   the default is an empty map, the schema gives an object without properties, the
//                   proto field is a map or message, or the entry lists it in `userMaps`
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

interface Source {
    repository: string;
    path: string;
    commit: string;
    files: string[];
    under?: string;
    note?: string;
}

export interface ChartValueKeys {
    chart: string;
    version: string;
    source: Source[];
    fromComments: string[];
    paths: string[];
    openMaps: string[];
}

/** A file from a repository other than the chart's own folder in <charts-dir>. */
interface Upstream {
    repository: string;
    path: string;
    commit: string;
    /** Key the file's keys are merged below. */
    under: string;
    note?: string;
}

interface ChartSpec {
    /** Output file name in test/data/chart-values. */
    file: string;
    /** Folder in <charts-dir> (and chart name in SOURCES.md). */
    dir: string;
    /** Version pinned in this program, where Chart.yaml carries a placeholder (Istio's main branch). */
    version?: string;
    note?: string;
    /** Key under which values.yaml keeps the defaults users set at the top level. */
    defaultsUnder?: string;
    /** Also take every property of values.schema.json. */
    schema?: boolean;
    /** Keys values.yaml documents only in a comment. */
    fromComments?: string[];
    /** User-defined maps whose default is not empty (e.g. annotation maps with example entries). */
    userMaps?: string[];
    /** A dependency chart's values.yaml merged under its alias. */
    subchart?: Upstream;
    /** A protobuf message whose fields (JSON names) the chart passes through under `under`. */
    proto?: Upstream & { message: string };
}

const istioNote =
    "Istio main branch (chart version placeholder 1.0.0); its keys match the pinned 1.31 release line (chart 1.31.1)";

export const CHARTS: ChartSpec[] = [
    {
        file: "nvidia-device-plugin-0.20.0.json",
        dir: "nvidia-device-plugin",
        note: "tag v0.20.0; values.yaml identical at the tag and at this commit",
        fromComments: ["devicePlugin.enableHostNetwork", "gfd.enableHostNetwork", "mps.enableHostNetwork"],
    },
    {
        file: "cluster-autoscaler-9.59.0.json",
        dir: "cluster-autoscaler",
        note: "tag cluster-autoscaler-chart-9.59.0",
        // The chart passes extraArgs through as --<flag>=<value>; values.yaml lists the flags it documents
        // in comments. extraArgs stays closed so a misspelt flag is caught.
        fromComments: [
            "extraArgs.balance-similar-node-groups",
            "extraArgs.expander",
            "extraArgs.leader-elect",
            "extraArgs.leader-elect-resource-lock",
            "extraArgs.max-node-provision-time",
            "extraArgs.min-replica-count",
            "extraArgs.node-deletion-batcher-interval",
            "extraArgs.node-deletion-delay-timeout",
            "extraArgs.scale-down-delay-after-add",
            "extraArgs.scale-down-delay-after-delete",
            "extraArgs.scale-down-delay-after-failure",
            "extraArgs.scale-down-enabled",
            "extraArgs.scale-down-non-empty-candidates-count",
            "extraArgs.scale-down-unneeded-time",
            "extraArgs.scale-down-utilization-threshold",
            "extraArgs.scan-interval",
            "extraArgs.skip-nodes-with-local-storage",
            "extraArgs.skip-nodes-with-system-pods",
            "extraArgs.status-config-map-name",
            "extraArgs.write-status-configmap",
            "podDisruptionBudget.minAvailable",
        ],
    },
    // securityContext is the container's SecurityContext, passed through whole (toYaml).
    { file: "dcgm-exporter-4.8.2.json", dir: "dcgm-exporter", userMaps: ["securityContext"] },
    {
        file: "grafana-12.11.1.json",
        dir: "grafana",
        fromComments: ["adminPassword", "podAnnotations"],
        userMaps: ["podAnnotations"],
    },
    { file: "keda-2.20.2.json", dir: "keda", note: "tag v2.20.2" },
    {
        file: "kube-prometheus-stack-88.5.3.json",
        dir: "kube-prometheus-stack",
        subchart: {
            repository: "prometheus-community/helm-charts",
            path: "charts/kube-state-metrics/values.yaml",
            commit: "1982f1c5828920f5d4ea5d04956169e81f8c5129",
            under: "kube-state-metrics",
            note: "kube-state-metrics chart 8.4.0, the dependency version Chart.yaml pins",
        },
    },
    {
        file: "loki-18.11.0.json",
        dir: "loki",
        note: "tag loki-18.11.0; values.schema.json marks Loki's own config sections (limits_config, commonConfig …) free-form",
        schema: true,
    },
    { file: "alloy-1.11.1.json", dir: "alloy", note: "tag helm-chart/1.11.1" },
    {
        file: "istio-base-1.31.1.json",
        dir: "istio-base",
        version: "1.31.1",
        note: istioNote,
        defaultsUnder: "_internal_defaults_do_not_set",
    },
    {
        file: "istio-istiod-1.31.1.json",
        dir: "istiod",
        version: "1.31.1",
        note: istioNote,
        defaultsUnder: "_internal_defaults_do_not_set",
        proto: {
            repository: "istio/api",
            path: "mesh/v1alpha1/config.proto",
            commit: "b8f8791d9653b2edc77a071d48887e582cfe84bf",
            under: "meshConfig",
            message: "MeshConfig",
            note: "branch release-1.31; istiod reads meshConfig as a MeshConfig (top-level fields, JSON names)",
        },
    },
    {
        file: "istio-gateway-1.31.1.json",
        dir: "istio-gateway",
        version: "1.31.1",
        note: istioNote + "; values.schema.json's top level has additionalProperties: false",
        defaultsUnder: "_internal_defaults_do_not_set",
        schema: true,
        userMaps: ["podAnnotations"],
    },
];

/** Adds every mapping key path below `prefix`; paths whose default is an empty map are open. */
function walkValues(value: unknown, prefix: string, keys: Set<string>, open: Set<string>): void {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return;
    const entries = Object.entries(value as Record<string, unknown>);
    if (prefix && entries.length === 0) open.add(prefix);
    for (const [k, v] of entries) {
        const p = prefix ? `${prefix}.${k}` : k;
        keys.add(p);
        walkValues(v, p, keys, open);
    }
}

type Schema = { $ref?: string; type?: string | string[]; properties?: Record<string, Schema> };

/** Adds every property path of a JSON schema; objects without listed properties are open. */
function walkSchema(node: Schema, root: any, prefix: string, keys: Set<string>, open: Set<string>, skip: string): void {
    while (node.$ref)
        node = node.$ref
            .replace(/^#\//, "")
            .split("/")
            .reduce((n: any, part: string) => n[part], root);
    const types = ([] as string[]).concat(node.type ?? []);
    if (!node.properties) {
        if (prefix && types.includes("object")) open.add(prefix);
        return;
    }
    for (const [k, v] of Object.entries(node.properties)) {
        if (!prefix && k === skip) continue;
        const p = prefix ? `${prefix}.${k}` : k;
        keys.add(p);
        walkSchema(v, root, p, keys, open, skip);
    }
}

const protoScalars = new Set([
    "double",
    "float",
    "int32",
    "int64",
    "uint32",
    "uint64",
    "sint32",
    "sint64",
    "fixed32",
    "fixed64",
    "sfixed32",
    "sfixed64",
    "bool",
    "string",
    "bytes",
]);
/** Well-known types whose JSON form is a scalar. */
const protoJsonScalars = new Set(
    [
        "Duration",
        "Timestamp",
        "BoolValue",
        "StringValue",
        "BytesValue",
        "DoubleValue",
        "FloatValue",
        "Int32Value",
        "UInt32Value",
        "Int64Value",
        "UInt64Value",
    ].map((t) => `google.protobuf.${t}`),
);

/**
 * Top-level fields of `message` in a .proto file, by JSON name; map fields and fields of message
 * type (not enums, lists or well-known scalar types) are open.
 */
export function protoFields(protoText: string, message: string): { name: string; open: boolean }[] {
    const text = protoText.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
    const enums = new Set([...text.matchAll(/\benum\s+(\w+)\s*\{/g)].map((m) => m[1]));
    // Statements and block headers in order, with the block path they stand in.
    const stack: string[] = [];
    const fields: { name: string; open: boolean }[] = [];
    let statement = "";
    let found = false;
    for (const ch of text) {
        if (ch !== "{" && ch !== "}" && ch !== ";") {
            statement += ch;
            continue;
        }
        const s = statement.trim().replace(/\s+/g, " ");
        statement = "";
        if (ch === "{") {
            stack.push(s);
            if (stack.length === 1 && s === `message ${message}`) found = true;
            continue;
        }
        if (ch === "}") {
            stack.pop();
            continue;
        }
        // A field of the message: directly in it, or in one of its oneofs.
        const inMessage =
            stack[0] === `message ${message}` &&
            (stack.length === 1 || (stack.length === 2 && stack[1].startsWith("oneof ")));
        if (!inMessage) continue;
        const m = /^(repeated |optional )?(map ?<[^>]+>|[\w.]+) (\w+) ?= ?\d+ ?(\[.*\])?$/.exec(s);
        if (!m) {
            if (!/^(reserved|option) /.test(s)) throw new Error(`unparsed statement in ${message}: ${s}`);
            continue;
        }
        const [, label, type, name, options] = m;
        const jsonName =
            /json_name ?= ?"([^"]+)"/.exec(options ?? "")?.[1] ??
            name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
        const isMap = type.startsWith("map");
        const isScalar = protoScalars.has(type) || protoJsonScalars.has(type) || enums.has(type.split(".").pop()!);
        fields.push({ name: jsonName, open: isMap || (label !== "repeated " && !isScalar) });
    }
    if (!found) throw new Error(`message ${message} not found`);
    return fields;
}

/** SOURCES.md rows: chart folder → repository, path, commit. */
function readSources(chartsDir: string): Map<string, { repository: string; path: string; commit: string }> {
    const rows = new Map<string, { repository: string; path: string; commit: string }>();
    for (const line of fs.readFileSync(path.join(chartsDir, "SOURCES.md"), "utf8").split("\n")) {
        const m = /^- ([\w-]+) \| ([\w./-]+) \| ([\w./-]+) \| ([0-9a-f]{40}) \|/.exec(line);
        if (m) rows.set(m[1], { repository: m[2], path: m[3], commit: m[4] });
    }
    return rows;
}

function assertDocumentedInComment(valuesText: string, key: string, chart: string): void {
    const leaf = key.split(".").pop()!;
    const escaped = leaf.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");
    if (!new RegExp(`^\\s*#\\s*${escaped}:`, "m").test(valuesText))
        throw new Error(`${chart}: no comment documents ${key}`);
}

export function generate(spec: ChartSpec, chartsDir: string, upstream: Map<string, string>): ChartValueKeys {
    const dir = path.join(chartsDir, spec.dir);
    const chartYaml = yaml.load(fs.readFileSync(path.join(dir, "Chart.yaml"), "utf8")) as {
        name: string;
        version: string;
    };
    const row = readSources(chartsDir).get(spec.dir);
    if (!row) throw new Error(`${spec.dir}: not in SOURCES.md`);
    const keys = new Set<string>();
    const open = new Set<string>();
    const valuesText = fs.readFileSync(path.join(dir, "values.yaml"), "utf8");
    let values = yaml.load(valuesText) as Record<string, unknown>;
    if (spec.defaultsUnder) values = values[spec.defaultsUnder] as Record<string, unknown>;
    walkValues(values, "", keys, open);
    const files = ["values.yaml"];
    if (spec.schema) {
        const schema = JSON.parse(fs.readFileSync(path.join(dir, "values.schema.json"), "utf8"));
        walkSchema(schema, schema, "", keys, open, spec.defaultsUnder ?? "");
        files.push("values.schema.json");
    }
    const source: Source[] = [
        {
            ...row,
            files,
            ...(spec.defaultsUnder ? { note: `defaults under ${spec.defaultsUnder}, set at the top level` } : {}),
        },
    ];
    if (spec.note) source[0].note = [source[0].note, spec.note].filter(Boolean).join("; ");
    const readUpstream = (u: Upstream): string => {
        const file = upstream.get(`${u.repository}:${u.path}`);
        if (!file)
            throw new Error(
                `${spec.file}: pass --upstream ${u.repository}:${u.path}=<file> (git show ${u.commit}:${u.path})`,
            );
        const dirname = path.posix.dirname(u.path);
        source.push({
            repository: u.repository,
            path: dirname,
            commit: u.commit,
            files: [path.posix.basename(u.path)],
            under: u.under,
            ...(u.note ? { note: u.note } : {}),
        });
        return fs.readFileSync(file, "utf8");
    };
    if (spec.subchart) {
        keys.add(spec.subchart.under);
        walkValues(yaml.load(readUpstream(spec.subchart)), spec.subchart.under, keys, open);
    }
    if (spec.proto) {
        keys.add(spec.proto.under);
        for (const f of protoFields(readUpstream(spec.proto), spec.proto.message)) {
            const p = `${spec.proto.under}.${f.name}`;
            keys.add(p);
            if (f.open) open.add(p);
        }
    }
    for (const k of spec.fromComments ?? []) {
        assertDocumentedInComment(valuesText, k, spec.dir);
        keys.add(k);
    }
    for (const k of spec.userMaps ?? []) {
        if (!keys.has(k)) throw new Error(`${spec.dir}: userMaps ${k} is not a key`);
        open.add(k);
    }
    const version = spec.version ?? String(chartYaml.version);
    if (spec.file !== `${spec.dir}-${version}.json` && !spec.file.endsWith(`-${chartYaml.name}-${version}.json`)) {
        throw new Error(`${spec.file}: expected <chart>-<version>.json`);
    }
    return {
        chart: chartYaml.name,
        version,
        source,
        fromComments: [...(spec.fromComments ?? [])].sort(),
        paths: [...keys].sort(),
        openMaps: [...open].sort(),
    };
}

function main(argv: string[]): void {
    const [chartsDir, ...rest] = argv;
    if (!chartsDir) throw new Error("usage: chart-value-keys <charts-dir> [--upstream repo:path=file]… [--only file]…");
    const upstream = new Map<string, string>();
    const only: string[] = [];
    for (let i = 0; i < rest.length; i += 2) {
        const [flag, arg] = [rest[i], rest[i + 1]];
        if (flag === "--upstream" && arg?.includes("="))
            upstream.set(arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1));
        else if (flag === "--only" && arg) only.push(arg);
        else throw new Error(`bad argument ${flag} ${arg ?? ""}`);
    }
    const outDir = path.join(__dirname, "..", "test", "data", "chart-values");
    for (const spec of CHARTS.filter((s) => only.length === 0 || only.includes(s.file))) {
        const data = generate(spec, chartsDir, upstream);
        fs.writeFileSync(path.join(outDir, spec.file), JSON.stringify(data, null, 1) + "\n");
        process.stdout.write(`${spec.file}: ${data.paths.length} paths, ${data.openMaps.length} open\n`);
    }
}

if (require.main === module) main(process.argv.slice(2));
