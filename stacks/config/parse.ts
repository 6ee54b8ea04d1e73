// Raw stack config → validated Settings. Pure: every problem is collected and reported at once,
// before the program registers a single resource.
import { checkCapacity, checkCombinations } from "./capacity";
import { chartKeysUnder } from "./helmChart";
import { ConfigError, didYouMean, Problems, show } from "./problems";
import { RawStackConfig } from "./read";
import { readAlertReceivers, readAutoscaling, readGrafana, readIstio, readPrometheus } from "./sections/addons";
import { warnNetworkPolicyUnchecked } from "./sections/apiAccess";
import { readLogging } from "./sections/logging";
import { checkGpuZones, readCloud, readCluster, readGpuNodePool, readLocation } from "./sections/cluster";
import { readTorchServe, seedAliases, torchserveKeys } from "./sections/torchserve";
import { checkSecurity } from "./security";
import { readTriton } from "./sections/triton";
import { checkTriton } from "./triton";
import { Settings } from "./settings";
import { diskGib } from "../../components/cluster/storage";

/**
 * On EKS, Prometheus's and Loki's volumes are gp3 EBS volumes the program creates
 * (components/eks/blockStorage.ts): CreateVolume takes 1-16384 GiB for gp3
 * (https://docs.aws.amazon.com/ebs/latest/userguide/general-purpose.html#gp3-ebs-volume-type).
 */
export const gp3MaxGib = 16384;

function checkOwnedVolumeSizes(settings: Settings, problems: Problems, project: string): void {
    if (settings.cloud !== "aws") return;
    const sizes: [string, boolean, string][] = [
        ["prometheus.storageSize", settings.prometheus.enabled, settings.prometheus.storageSize],
        [
            "logging.storageSize",
            settings.logging.enabled && settings.logging.backend === "loki",
            settings.logging.storageSize,
        ],
    ];
    for (const [k, used, size] of sizes)
        if (used && diskGib(size) > gp3MaxGib)
            problems.error(`${project}:${k}`, size, `an EBS gp3 volume holds at most ${gp3MaxGib} GiB (16Ti)`);
}

export { ConfigError } from "./problems";

export const topLevelKeys = [
    "cloud",
    "cluster",
    "gpuNodePool",
    "torchserve",
    "triton",
    "prometheus",
    "grafana",
    "autoscaling",
    "istio",
    "logging",
    "alertReceivers",
] as const;

/** The only keys that may (and must) be Pulumi secrets: credentials that end up in Kubernetes Secrets only. */
export const secretTopLevelKeys: readonly string[] = ["alertReceivers"];

/**
 * Config namespaces read by the providers this program uses (package.json's @pulumi/* packages, and
 * `pulumi:` for the engine itself). A key in any other namespace is read by nobody.
 */
export const providerNamespaces = ["aws", "azure-native", "eks", "gcp", "kubernetes", "pulumi", "random"] as const;

export interface ParsedConfig {
    settings: Settings;
    /** Non-fatal findings (e.g. capacity checks skipped for an unknown instance type). */
    warnings: string[];
}

/** Namespaces people reach for that belong to providers this program does not use. */
const namespaceAliases: Record<string, string> = { azure: "azure-native", google: "gcp", k8s: "kubernetes" };

/**
 * A key in a namespace nobody reads (`torchserve_platform:torchserve`) would be ignored whole, and
 * the stack deployed on defaults: refuse it, pointing at the namespace it most likely meant.
 */
function checkNamespaces(problems: Problems, raw: RawStackConfig): void {
    const known = [raw.project, ...providerNamespaces];
    for (const full of raw.allKeys) {
        const colon = full.indexOf(":");
        const ns = full.slice(0, colon);
        if (colon < 0 || known.includes(ns)) continue;
        const near = didYouMean(ns, known, namespaceAliases);
        const rest = full.slice(colon + 1);
        problems.errorText(
            full,
            `unknown config namespace "${ns}", so nothing reads this key${near ? `; did you mean ${near}:${rest}?` : ""} (this program reads ${raw.project}:* and its providers' ${providerNamespaces.map((n) => `${n}:*`).join(", ")})`,
        );
    }
}

/** Hint for an unknown top-level key: the original chart's name for it, a typo, or a torchserve key. */
function unknownTopLevelKey(k: string, value: unknown): string {
    const chart = chartKeysUnder(k);
    if (chart.length > 0) {
        const where = chart
            .map((c) => `${c.chart} ${c.key ? `is ${c.key} here` : `has no counterpart: ${c.note}`}`)
            .join("; ");
        return `${show(value)} is a key of the original Helm chart's values.yaml: ${where}`;
    }
    const hint =
        didYouMean(k, topLevelKeys) ??
        (didYouMean(k, torchserveKeys, seedAliases) && `torchserve.${didYouMean(k, torchserveKeys, seedAliases)}`);
    return `unknown key${hint ? `; did you mean "${hint}"?` : ""} (allowed: ${topLevelKeys.join(", ")})`;
}

/** Throws ConfigError listing every problem, one line each. */
export function parseStackConfig(raw: RawStackConfig): ParsedConfig {
    const problems = new Problems();
    const key = (k: string) => `${raw.project}:${k}`;
    const v = raw.values;

    checkNamespaces(problems, raw);
    for (const k of Object.keys(v)) {
        if (!(topLevelKeys as readonly string[]).includes(k)) problems.errorText(key(k), unknownTopLevelKey(k, v[k]));
    }
    // Settings flow into ConfigMaps, Helm values and plans in clear text: refuse rather than leak.
    for (const k of (raw.secretKeys ?? []).filter((x) => !secretTopLevelKeys.includes(x))) {
        problems.errorText(
            key(k),
            "is set as a secret, but this program would store it in clear text (ConfigMaps, Helm values, plans); secret config is not supported yet: set it without --secret (model URLs: use URLs that carry no credentials)",
        );
    }
    const cloud = readCloud(problems, key("cloud"), v.cloud);
    warnNetworkPolicyUnchecked(problems, key("cloud"), cloud);
    const settings: Settings = {
        project: raw.project,
        stack: raw.stack,
        cloud: cloud ?? "existing",
        location: readLocation(problems, cloud, raw.location, raw.allKeys),
        cluster: readCluster(problems, key("cluster"), v.cluster, raw.stack, cloud),
        gpuNodePool: readGpuNodePool(problems, key("gpuNodePool"), v.gpuNodePool, cloud),
        torchserve: readTorchServe(problems, key("torchserve"), v.torchserve, cloud),
        // Triton's pods share TorchServe's namespace (set just below, once it is read).
        triton: readTriton(problems, key("triton"), v.triton, cloud, ""),
        prometheus: readPrometheus(problems, key("prometheus"), v.prometheus),
        grafana: readGrafana(problems, key("grafana"), v.grafana),
        autoscaling: readAutoscaling(problems, key("autoscaling"), v.autoscaling),
        istio: readIstio(problems, key("istio"), v.istio),
        logging: readLogging(problems, key("logging"), v.logging, cloud),
        alertReceivers: readAlertReceivers(problems, key("alertReceivers"), v.alertReceivers),
    };
    settings.triton.namespace = settings.torchserve.namespace;
    for (const k of secretTopLevelKeys) {
        if (v[k] !== undefined && !(raw.secretKeys ?? []).includes(k))
            problems.errorText(
                key(k),
                `holds credentials but is not a secret: set it with \`pulumi config set --secret --path '${k}.<name>' <value>\``,
            );
    }
    if (cloud) {
        checkCombinations(settings, problems, raw.project);
        checkCapacity(settings, problems, raw.project);
        checkSecurity(settings, problems, raw.project);
        checkGpuZones(settings, problems, raw.project);
        checkOwnedVolumeSizes(settings, problems, raw.project);
        checkTriton(settings, problems, raw.project);
    }
    if (problems.errors.length > 0) throw new ConfigError(problems.errors);
    return { settings, warnings: problems.warnings };
}
