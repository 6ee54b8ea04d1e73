// Pure functions from TorchServeSpec to what the pod runs with: config.properties, paths,
// quantities. The Deployment and the ConfigMap both read these, so they cannot disagree.
// Key names checked against pytorch/serve v0.12.0 (ConfigManager.java, docs/configuration.md).
import { createHash } from "crypto";
import * as path from "path";
import { grpcMaxConnectionAgeGraceSeconds, grpcMaxConnectionAgeSeconds } from "./drain";
import { logConfigFileName } from "./logging";
import { heapJvmArgs, maxMessageBytes } from "./memory";
import { archiveFile } from "./modelBucket";
import { TorchServeSpec } from "./spec";

/** Where the ConfigMap with config.properties is mounted in the TorchServe container. */
export const configMountDir = "/etc/torchserve";
export const configFileName = "config.properties";
export const configFilePath = `${configMountDir}/${configFileName}`;
/** The log4j2 configuration (logging.ts), mounted from the same ConfigMap. */
export const logConfigFilePath = `${configMountDir}/${logConfigFileName}`;

/** `model_store`: the `model-store` directory on the mounted volume. */
export function modelStoreDir(spec: Pick<TorchServeSpec, "modelStorePath">): string {
    return path.posix.join(spec.modelStorePath, "model-store");
}

/** `<name>.mar`: the archive file the fetcher writes and `load_models` names. */
export function marName(modelName: string): string {
    return `${modelName}.mar`;
}

/**
 * `models=` value: per-model worker and batching settings keyed by model name, then version
 * (TorchServe looks them up by the name and version inside the archive). Keys as pytorch/serve
 * v0.12.0 reads them (ConfigManager.getJsonIntValue: a value ≤ 0 counts as unset; values in the
 * archive's own model-config.yaml win when > 0). `maxRetryTimeoutInSec` is read only from that
 * model-config.yaml (ModelConfig), never from here, so it is not offered.
 */
export function modelsConfig(
    spec: Pick<TorchServeSpec, "models" | "modelStore">,
): Record<string, Record<string, object>> {
    const out: Record<string, Record<string, object>> = {};
    for (const m of spec.models) {
        out[m.name] = {
            [m.version]: {
                defaultVersion: true,
                marName: archiveFile(spec, m),
                minWorkers: m.minWorkers,
                maxWorkers: m.maxWorkers,
                batchSize: m.batchSize,
                maxBatchDelay: m.maxBatchDelay,
                responseTimeout: m.responseTimeout,
                startupTimeout: m.startupTimeout,
            },
        };
    }
    return out;
}

/** A character of a URL origin as a Java regex matches it literally. */
function javaRegexLiteral(c: string): string {
    if (/[A-Za-z0-9_~%:-]/.test(c)) return c;
    if (c === ".") return "\\.";
    const code = c.charCodeAt(0);
    // \xHH and \uHHHH mean the same in Java's Pattern as in JavaScript's RegExp; a comma must not
    // appear as itself, since TorchServe splits the list on commas.
    return code < 0x80 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * `allowed_urls` for models fetched from `modelUrls`: one Java regex per distinct origin
 * (`<scheme>://<authority>/.*`, every character literal), so the model registration API accepts
 * archives only from where the configured models come from, instead of TorchServe's default
 * `file://.*|http(s)?://.*` (any URL and the server's whole file system). TorchServe splits the
 * value on commas and tests each regex against the whole URL, case-insensitively
 * (pytorch/serve v0.12.0 ConfigManager.getAllowedUrls; ArchiveUtils.validateURL:
 * `Pattern.compile(temp, Pattern.CASE_INSENSITIVE).matcher(url).matches()`). Names of archives
 * already in the model store are not URLs and are not checked. No models = an empty list, which
 * refuses every URL. Any scheme works (object-store URLs included): the origin is the text between
 * `://` and the next `/`.
 */
export function allowedUrls(modelUrls: string[]): string[] {
    const origins: string[] = [];
    for (const url of modelUrls) {
        const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)/.exec(url);
        if (!m) continue;
        // TorchServe matches case-insensitively, so origins differing only in case are one.
        const origin = `${m[1]}://${m[2]}`.toLowerCase();
        if (!origins.includes(origin)) origins.push(origin);
    }
    // Per UTF-16 unit: a character outside the BMP becomes its two \uHHHH surrogates.
    const literal = (text: string) => text.split("").map(javaRegexLiteral).join("");
    return origins.map((o) => `${literal(o.split("://")[0])}://${literal(o.split("://")[1])}/.*`);
}

/** Frontend netty threads: at least 2, else one per requested core. */
export function nettyThreads(spec: Pick<TorchServeSpec, "nCpu">): number {
    return Math.max(2, Math.ceil(spec.nCpu));
}

/**
 * `vmargs`: JVM options ts/model_server.py (v0.12.0) appends to the java command line: the heap
 * (memory.ts), and the log4j2 file that replaces the image's file-writing default (logging.ts).
 */
export function jvmArgs(spec: Pick<TorchServeSpec, "memoryLimit">): string[] {
    return [...heapJvmArgs(spec), `-Dlog4j.configurationFile=file://${logConfigFilePath}`];
}

/** config.properties as key → value, in file order. */
export function configEntries(spec: TorchServeSpec): [string, string][] {
    const entries: [string, string][] = [
        ["inference_address", `http://0.0.0.0:${spec.inferencePort}`],
        ["management_address", `http://0.0.0.0:${spec.managementPort}`],
        ["metrics_address", `http://0.0.0.0:${spec.metricsPort}`],
        // gRPC binds to 127.0.0.1 unless told otherwise, which no Service could reach.
        ["grpc_inference_address", "0.0.0.0"],
        ["grpc_inference_port", String(spec.grpcInferencePort)],
        ["grpc_management_address", "0.0.0.0"],
        ["grpc_management_port", String(spec.grpcManagementPort)],
        // Clients move off a draining pod and onto new replicas (drain.ts).
        ["grpc_inference_max_connection_age_ms", String(grpcMaxConnectionAgeSeconds * 1000)],
        ["grpc_inference_max_connection_age_grace_ms", String(grpcMaxConnectionAgeGraceSeconds(spec) * 1000)],
        ["metrics_mode", "prometheus"],
        ["enable_metrics_api", "true"],
        ["number_of_gpu", String(spec.nGpu)],
        ["model_store", modelStoreDir(spec)],
    ];
    if (spec.models.length > 0) {
        entries.push(["load_models", spec.models.map((m) => `${m.name}=${archiveFile(spec, m)}`).join(",")]);
        entries.push(["models", JSON.stringify(modelsConfig(spec))]);
    }
    entries.push(
        // Only for models without their own minWorkers/maxWorkers (e.g. registered later).
        ["default_workers_per_model", String(Math.max(1, spec.nGpu))],
        ["job_queue_size", String(spec.jobQueueSize)],
        ["number_of_netty_threads", String(nettyThreads(spec))],
        ["netty_client_threads", String(nettyThreads(spec))],
        // Derived from the heap so that full queues of the largest requests fit (memory.ts).
        ["max_request_size", String(maxMessageBytes(spec))],
        ["max_response_size", String(maxMessageBytes(spec))],
        // Token auth would make /ping and every client need a key file from inside the pod; the
        // NetworkPolicy guards management and the edge (Istio) authenticates inference instead.
        ["disable_token_authorization", "true"],
        ["enable_model_api", String(spec.enableModelApi)],
        ["allowed_urls", allowedUrls(spec.models.map((m) => m.url)).join(",")],
        ["vmargs", jvmArgs(spec).join(" ")],
    );
    return entries;
}

/**
 * A value as java.util.Properties.load reads it back (TorchServe loads config.properties with
 * it): a backslash starts an escape, so a literal one is written twice.
 */
export function propertiesValue(value: string): string {
    return value.replace(/\\/g, "\\\\");
}

/** The config.properties file TorchServe starts with. */
export function configProperties(spec: TorchServeSpec): string {
    const header =
        "# Generated by torchserve-platform from the stack's `torchserve` config; change that, not this file.\n";
    return (
        header +
        configEntries(spec)
            .map(([k, v]) => `${k}=${propertiesValue(v)}`)
            .join("\n") +
        "\n"
    );
}

/** The server command: config.properties is the single source of every other setting. */
export function torchserveCommand(spec: TorchServeSpec): string[] {
    return [
        "torchserve",
        "--start",
        "--foreground",
        "--model-store",
        modelStoreDir(spec),
        "--ts-config",
        configFilePath,
        "--disable-token-auth",
        // Config snapshots would let a restarted server prefer its last state over this config.
        "--no-config-snapshots",
    ];
}

/** Hex SHA-256, for pod-template annotations that roll pods when a mounted file changes. */
export function checksum(text: string): string {
    return createHash("sha256").update(text).digest("hex");
}

/** CPU cores as a Kubernetes quantity (`2`, `500m`). */
export function cpuQuantity(cores: number): string {
    return Number.isInteger(cores) ? String(cores) : `${Math.round(cores * 1000)}m`;
}
