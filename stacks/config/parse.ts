// Raw stack config → validated Settings. Pure: every problem is collected and reported at once,
// before the program registers a single resource.
import { checkCapacity, checkCombinations } from "./capacity";
import { ConfigError, didYouMean, Problems } from "./problems";
import { RawStackConfig } from "./read";
import { readAutoscaling, readGrafana, readIstio, readPrometheus } from "./sections/addons";
import { readCloud, readCluster, readGpuNodePool, readLocation } from "./sections/cluster";
import { readTorchServe, seedAliases, torchserveKeys } from "./sections/torchserve";
import { Settings } from "./settings";

export { ConfigError } from "./problems";

export const topLevelKeys = [
    "cloud",
    "cluster",
    "gpuNodePool",
    "torchserve",
    "prometheus",
    "grafana",
    "autoscaling",
    "istio",
] as const;

export interface ParsedConfig {
    settings: Settings;
    /** Non-fatal findings (e.g. capacity checks skipped for an unknown instance type). */
    warnings: string[];
}

/** Throws ConfigError listing every problem, one line each. */
export function parseStackConfig(raw: RawStackConfig): ParsedConfig {
    const problems = new Problems();
    const key = (k: string) => `${raw.project}:${k}`;
    const v = raw.values;

    for (const k of Object.keys(v)) {
        if (!(topLevelKeys as readonly string[]).includes(k)) {
            const hint =
                didYouMean(k, topLevelKeys) ??
                (didYouMean(k, torchserveKeys, seedAliases) &&
                    `torchserve.${didYouMean(k, torchserveKeys, seedAliases)}`);
            problems.errorText(
                key(k),
                `unknown key${hint ? `; did you mean "${hint}"?` : ""} (allowed: ${topLevelKeys.join(", ")})`,
            );
        }
    }
    // Settings flow into ConfigMaps, Helm values and plans in clear text: refuse rather than leak.
    for (const k of raw.secretKeys ?? []) {
        problems.errorText(
            key(k),
            "is set as a secret, but this program would store it in clear text (ConfigMaps, Helm values, plans); secret config is not supported yet: set it without --secret (model URLs: use URLs that carry no credentials)",
        );
    }
    const cloud = readCloud(problems, key("cloud"), v.cloud);
    const settings: Settings = {
        project: raw.project,
        stack: raw.stack,
        cloud: cloud ?? "existing",
        location: readLocation(problems, cloud, raw.location, raw.allKeys),
        cluster: readCluster(problems, key("cluster"), v.cluster, raw.stack, cloud),
        gpuNodePool: readGpuNodePool(problems, key("gpuNodePool"), v.gpuNodePool, cloud),
        torchserve: readTorchServe(problems, key("torchserve"), v.torchserve, cloud),
        prometheus: readPrometheus(problems, key("prometheus"), v.prometheus),
        grafana: readGrafana(problems, key("grafana"), v.grafana),
        autoscaling: readAutoscaling(problems, key("autoscaling"), v.autoscaling),
        istio: readIstio(problems, key("istio"), v.istio),
    };
    if (cloud) {
        checkCombinations(settings, problems, raw.project);
        checkCapacity(settings, problems, raw.project);
    }
    if (problems.errors.length > 0) throw new ConfigError(problems.errors);
    return { settings, warnings: problems.warnings };
}
