// `torchserve`: the original Helm chart's parameters plus what a real deployment needs.
import { dnsLabel } from "../dnsNames";
import { imagePopulatedDirs, imageSystemTrees } from "../../../components/torchserve/imagePaths";
import { kubernetesNamespaces } from "../../../components/cluster/kubernetes";
import { gatewayNamespace, istioSystemNamespace } from "../../../components/mesh/charts";
import { objectLocations, parseModelUrl, storeCloud } from "../../../components/torchserve/objectUrl";
import {
    jvmHeapMiB,
    jvmHeapShare,
    maxMessageBytes,
    minHeapMiB,
    minMessageBytes,
    queuedRequestsMax,
} from "../../../components/torchserve/memory";
import { ServiceAccountSpec, StorageAccessMode, TorchServeSpec } from "../../../components/torchserve/spec";
import { reservedMountPaths } from "../../../components/torchserve/workload";
import { cpuCoresRule, parseQuantity, SectionReader } from "../fields";
import { readSourceRanges } from "../sourceRanges";
import { chartAliasesUnderTorchserve } from "../helmChart";
import { hasInvisible, isUnset, Problems, show } from "../problems";
import { CanarySettings, Cloud, ModelSettings, serviceTypes, TorchServeSettings } from "../settings";
import { chooseModelStore } from "../modelStore";
import { urlProblem } from "../urls";

export const defaultImageRepository = "pytorch/torchserve";
export const defaultImageVersion = "0.12.0";

/** The original chart's parameter names, so a copied values file gets a pointed hint. */
export const seedAliases: Record<string, string> = chartAliasesUnderTorchserve;

export const torchserveKeys = [
    "enabled",
    "image",
    "inferencePort",
    "managementPort",
    "metricsPort",
    "grpcInferencePort",
    "grpcManagementPort",
    "replicas",
    "modelStorePath",
    "persistenceSize",
    "nGpu",
    "nCpu",
    "memoryLimit",
    "memoryRequest",
    "namespace",
    "models",
    "storageClass",
    "storageAccessMode",
    "serviceType",
    "enableModelApi",
    "jobQueueSize",
    "ephemeralStorage",
    "canary",
    "loadBalancerSourceRanges",
    "allowUnverifiedModels",
    "serviceAccount",
    "kmsKeyArn",
    "storageResourceGroup",
    "modelStore",
] as const;

const modelKeys = [
    "name",
    "url",
    "sha256",
    "version",
    "minWorkers",
    "maxWorkers",
    "batchSize",
    "maxBatchDelay",
    "responseTimeout",
    "startupTimeout",
];

/** TorchServe model names: letters, digits, '_', '-', '.'; starting with a letter or digit. */
export const modelNamePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** Whether `path` is `dir` or inside it (both absolute; trailing slashes ignored). */
function isWithin(path: string, dir: string): boolean {
    const p = path.replace(/\/+$/, "");
    const d = dir.replace(/\/+$/, "");
    return p === d || p.startsWith(d + "/");
}

/** Namespaces Kubernetes or this program's mesh own: TorchServe's or Prometheus's would collide with them. */
export const reservedNamespaces = [...kubernetesNamespaces, istioSystemNamespace, gatewayNamespace];

export type ImageFlavour = "gpu" | "cpu" | "unknown";

/**
 * Image reference grammar of distribution/reference (reference.go, regexp.go): an optional registry
 * host (any case, optional port), lowercase path components, a tag of letters (any case), digits,
 * `_`, `.`, `-` up to 128 characters, and/or a digest.
 */
const domainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const domain = `${domainComponent}(?:\\.${domainComponent})*(?::[0-9]+)?`;
const pathComponent = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const imageReference = new RegExp(
    `^(?:${domain}/)?${pathComponent}(?:/${pathComponent})*(?::(?<tag>[\\w][\\w.-]{0,127}))?(?<digest>@sha256:[a-f0-9]{64})?$`,
);

/**
 * Checks an image reference is pinned: a tag other than `latest`, or a digest. Returns the
 * flavour TorchServe's tags encode (`…-gpu` / `…-cpu`, any case), or undefined when the reference
 * is bad.
 */
export function imageFlavour(image: string): ImageFlavour | undefined {
    // distribution/reference caps names at 255 characters; the cap also bounds the regex's work.
    const m = image.length <= 512 ? imageReference.exec(image) : null;
    if (!m) return undefined;
    if (m.groups?.digest) return "unknown";
    const tag = m.groups?.tag?.toLowerCase();
    if (tag === undefined || tag === "latest" || tag.endsWith("-latest") || tag.startsWith("latest-")) return undefined;
    // TorchServe tags name the flavour as one dash-separated word: 0.12.0-gpu, 0.12.0-GPU-RC1.
    const words = tag.split("-");
    if (words.includes("gpu") && !words.includes("cpu")) return "gpu";
    if (words.includes("cpu") && !words.includes("gpu")) return "cpu";
    return "unknown";
}

function readImage(r: SectionReader, obj: Record<string, unknown>, name: string, fallback: string): string {
    const v = obj[name];
    if (isUnset(v)) return fallback;
    if (typeof v !== "string" || imageFlavour(v) === undefined) {
        r.problems.error(
            r.key(name),
            v,
            'expected a pinned image "repository:tag" (tag not "latest") or "repository@sha256:<digest>", e.g. pytorch/torchserve:0.12.0-gpu',
        );
        return fallback;
    }
    return v;
}

/** GPU request vs image flavour: a CPU image cannot use GPUs (error); a GPU image on CPU works but wastes pulls (warning). */
function checkFlavour(r: SectionReader, imageKey: string, image: string, nGpu: number): void {
    const flavour = imageFlavour(image);
    if (flavour === "cpu" && nGpu > 0) {
        r.problems.error(
            r.key(imageKey),
            image,
            `nGpu is ${nGpu} but this is a CPU image: use a -gpu tag (e.g. ${defaultImageRepository}:${defaultImageVersion}-gpu) or set nGpu: 0`,
        );
    }
    if (flavour === "gpu" && nGpu === 0) {
        r.problems.warn(
            r.key(imageKey),
            `${image} is a GPU image but nGpu is 0: it runs on CPU, with a much larger pull; consider the -cpu tag`,
        );
    }
}

/** `https://user:pass@host/…` → `https://user:***@host/…`: an error line must not repeat a password. */
function maskCredentials(url: string): string {
    return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/?#@]*)@/i, (_m, scheme: string, userinfo: string) => {
        const colon = userinfo.indexOf(":");
        return `${scheme}${colon < 0 ? "***" : userinfo.slice(0, colon) + ":***"}@`;
    });
}

const cloudNames = { aws: "AWS", gcp: "Google Cloud", azure: "Azure" } as const;
const storeName = { s3: "an S3", gcs: "a Cloud Storage", azureBlob: "an Azure Blob" } as const;
const cloudScheme = {
    aws: "s3://<bucket>/<key>",
    gcp: "gs://<bucket>/<key>",
    azure: "https://<account>.blob.core.windows.net/<container>/<blob>",
} as const;

/** Where the model's URL is read from: the cloud's object store needs an identity (see objectUrl.ts). */
export interface ModelUrlContext {
    cloud: Cloud | undefined;
    /** `torchserve.serviceAccount` is set (an adopted cluster's identity). */
    hasIdentity: boolean;
    /** The model's name, for the one line a refused URL gets. */
    model: string;
}

/**
 * A model's URL: http(s) (the scheme may be written in any case, RFC 3986 3.1, and is lowercased,
 * as the fetcher compares it literally), or an object of the stack's own cloud, read with the
 * workload identity the program creates (on `existing`, the one `torchserve.serviceAccount`
 * names). Credentials in it are refused, since the URL is stored in a ConfigMap and in plans.
 */
function readModelUrl(problems: Problems, key: string, url: unknown, ctx: ModelUrlContext): string | undefined {
    if (isUnset(url)) {
        problems.errorText(
            key,
            "required: the URL of the model's .mar archive (http(s), or an object URL of the stack's cloud)",
        );
        return undefined;
    }
    if (typeof url === "string" && /^https?:\/\/[^/?#]*@/i.test(url)) {
        problems.error(
            key,
            maskCredentials(url),
            "it carries credentials (user:password@), which would be stored in clear text in a ConfigMap and in plans; use a URL without them, e.g. a pre-signed one",
        );
        return undefined;
    }
    const httpProblem =
        typeof url === "string" && /^https?:/i.test(url) ? urlProblem(url, ["http", "https"]) : undefined;
    if (httpProblem) {
        problems.error(key, url, httpProblem);
        return undefined;
    }
    const parsed = typeof url === "string" && !hasInvisible(url) ? parseModelUrl(url) : undefined;
    if (parsed && "kind" in parsed && parsed.kind === "object") {
        const { store } = parsed.location;
        const owner = storeCloud[store];
        const named = ctx.model ? `model ${show(ctx.model)}` : "this model";
        if (ctx.cloud && ctx.cloud !== "existing" && ctx.cloud !== owner) {
            problems.error(
                key,
                url,
                `${named} is ${storeName[store]} object, read with ${cloudNames[owner]}'s workload identity, but this stack's cloud is ${ctx.cloud}: use ${cloudScheme[ctx.cloud]} or an http(s) URL`,
            );
            return undefined;
        }
        if (ctx.cloud === "existing" && !ctx.hasIdentity) {
            problems.error(
                key,
                url,
                `${named} is ${storeName[store]} object, and on an existing cluster the pods need an identity you set up: set torchserve.serviceAccount {annotations, podLabels} (see README), or use an http(s) URL`,
            );
            return undefined;
        }
        return parsed.url;
    }
    if (parsed && "kind" in parsed && /^https?:\/\/[^\s/]+\/\S*$/i.test(url as string)) return parsed.url;
    problems.error(
        key,
        typeof url === "string" ? maskCredentials(url) : url,
        parsed && "error" in parsed && /^(s3|gs|https?):\/\//i.test(url as string)
            ? parsed.error
            : "expected an http(s) URL of a .mar archive, or an object URL of the stack's cloud (s3://, gs://, https://<account>.blob.core.windows.net/…)",
    );
    return undefined;
}

function readModels(
    problems: Problems,
    key: string,
    value: unknown,
    cloud: Cloud | undefined,
    hasIdentity: boolean,
): ModelSettings[] {
    if (isUnset(value)) return [];
    if (!Array.isArray(value)) {
        problems.error(key, value, "expected a list of {name, url, ...} entries");
        return [];
    }
    // Lowercased: two names differing only in case collide on case-insensitive stores (Azure Files).
    const seen = new Map<string, { index: number; name: string }>();
    return value.map((entry, i) => {
        const prefix = `${key}[${i}]`;
        const obj = SectionReader.object(problems, prefix, entry, modelKeys) ?? {};
        const r = new SectionReader(problems, prefix);
        const name =
            r.optionalString(
                obj,
                "name",
                modelNamePattern,
                "expected a TorchServe model name: letters, digits, '_', '-', '.', starting with a letter or digit",
            ) ?? "";
        if (isUnset(obj.name)) problems.errorText(`${prefix}.name`, "required");
        const earlier = name ? seen.get(name.toLowerCase()) : undefined;
        if (earlier)
            problems.error(
                `${prefix}.name`,
                name,
                earlier.name === name
                    ? "model names must be unique"
                    : `models[${earlier.index}] is ${show(earlier.name)}: model names must differ in more than case (<name>.mar files collide on case-insensitive stores such as Azure Files)`,
            );
        else if (name) seen.set(name.toLowerCase(), { index: i, name });
        const url = readModelUrl(problems, `${prefix}.url`, obj.url, { cloud, hasIdentity, model: name });
        // TorchServe reads a per-model value <= 0 as unset and uses its default instead
        // (ConfigManager.getJsonIntValue, v0.12.0), so 0 would be accepted here and do nothing.
        const unset = "TorchServe treats values <= 0 as unset and would use its default";
        const minWorkers = r.int(obj, "minWorkers", 1, { min: 1, max: 64, note: unset });
        const maxWorkers = r.int(obj, "maxWorkers", Math.max(1, minWorkers), { min: 1, max: 64 });
        if (maxWorkers < minWorkers)
            problems.error(`${prefix}.maxWorkers`, maxWorkers, `must be >= minWorkers (${minWorkers})`);
        return {
            name,
            url: url ?? "",
            sha256: r
                .optionalString(obj, "sha256", /^[a-fA-F0-9]{64}$/, "expected 64 hex digits (the archive's SHA-256)")
                ?.toLowerCase(),
            version: r.string(
                obj,
                "version",
                "1.0",
                /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
                'expected a model version in quotes such as "1.0" (YAML reads an unquoted 1.0 as the number 1)',
            ),
            minWorkers,
            maxWorkers,
            batchSize: r.int(obj, "batchSize", 1, { min: 1, max: 1024 }),
            maxBatchDelay: r.int(obj, "maxBatchDelay", 100, { min: 1, max: 60000, note: unset }),
            responseTimeout: r.int(obj, "responseTimeout", 120, { min: 1, max: 3600, note: unset }),
            startupTimeout: r.int(obj, "startupTimeout", 120, { min: 1, max: 3600, note: unset }),
        };
    });
}

function readNamespace(r: SectionReader, obj: Record<string, unknown>): string {
    const namespace = r.string(
        obj,
        "namespace",
        "torchserve",
        dnsLabel,
        "expected a Kubernetes namespace name (lowercase letters, digits, '-', at most 63 characters)",
    );
    if (reservedNamespaces.includes(namespace)) {
        r.problems.error(
            r.key("namespace"),
            namespace,
            `belongs to Kubernetes or to this program's mesh; the program creates and deletes TorchServe's namespace, so give it one of its own such as torchserve`,
        );
    }
    return namespace;
}

/** Kubernetes label/annotation keys: optional DNS-subdomain prefix and a name of up to 63 characters. */
const metadataKey = /^([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/;
const labelValue = /^([A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?$/;

function readStringMap(
    r: SectionReader,
    obj: Record<string, unknown>,
    name: string,
    values: RegExp,
    what: string,
): Record<string, string> {
    const v = obj[name];
    if (isUnset(v)) return {};
    if (typeof v !== "object" || Array.isArray(v)) {
        r.problems.error(r.key(name), v, `expected a map of ${what}`);
        return {};
    }
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (!metadataKey.test(k))
            r.problems.error(r.key(`${name}.${k}`), k, "expected a Kubernetes label/annotation key");
        else if (typeof x !== "string" || !values.test(x))
            r.problems.error(
                r.key(`${name}.${k}`),
                x,
                `expected a string ${what === "labels" ? 'label value (quote "true")' : "value"}`,
            );
        else out[k] = x;
    }
    return out;
}

/** `serviceAccount`: an identity an adopted cluster already has (cloud stacks create their own). */
function readServiceAccount(
    r: SectionReader,
    value: unknown,
    cloud: Cloud | undefined,
): ServiceAccountSpec | undefined {
    if (isUnset(value)) return undefined;
    const obj = SectionReader.object(r.problems, r.prefix, value, ["annotations", "podLabels"]);
    if (!obj) return undefined;
    if (cloud !== "existing") {
        r.problems.errorText(
            r.prefix,
            `applies to cloud: existing only; on ${cloud} the program creates the workload identity for object-store models itself`,
        );
        return undefined;
    }
    return {
        annotations: readStringMap(r, obj, "annotations", /^[\s\S]{0,4096}$/, "annotations"),
        podLabels: readStringMap(r, obj, "podLabels", labelValue, "labels"),
    };
}

function readCanary(r: SectionReader, value: unknown): CanarySettings | undefined {
    if (isUnset(value)) return undefined;
    const obj = SectionReader.object(r.problems, r.prefix, value, ["image", "weight", "replicas"]);
    if (!obj) return undefined;
    if (isUnset(obj.image)) r.problems.errorText(r.key("image"), "required: the image the canary Deployment runs");
    return {
        image: readImage(r, obj, "image", ""),
        weight: r.int(obj, "weight", 10, { min: 0, max: 100 }),
        replicas: r.int(obj, "replicas", 1, { min: 1, max: 100 }),
    };
}

export function readTorchServe(
    problems: Problems,
    prefix: string,
    value: unknown,
    cloud: Cloud | undefined,
): TorchServeSettings {
    const obj = SectionReader.object(problems, prefix, value, torchserveKeys, seedAliases) ?? {};
    const r = new SectionReader(problems, prefix);
    // TorchServe runs as a non-root user with no capabilities: it cannot bind privileged ports.
    const port = (name: string, fallback: number) => r.int(obj, name, fallback, { min: 1024, max: 65535 });

    const nGpu = r.int(obj, "nGpu", 1, { min: 0, max: 16 });
    const image = readImage(
        r,
        obj,
        "image",
        `${defaultImageRepository}:${defaultImageVersion}-${nGpu > 0 ? "gpu" : "cpu"}`,
    );
    checkFlavour(r, "image", image, nGpu);

    const ports = {
        inferencePort: port("inferencePort", 8080),
        managementPort: port("managementPort", 8081),
        metricsPort: port("metricsPort", 8082),
        grpcInferencePort: port("grpcInferencePort", 7070),
        grpcManagementPort: port("grpcManagementPort", 7071),
    };
    const byPort = new Map<number, string>();
    for (const [name, p] of Object.entries(ports)) {
        const other = byPort.get(p);
        if (other)
            problems.error(`${prefix}.${name}`, p, `already used by ${other}; each TorchServe port must be distinct`);
        byPort.set(p, name);
    }

    const modelStorePath = r.string(
        obj,
        "modelStorePath",
        "/home/model-server/shared/",
        /^\/(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._/-]*[A-Za-z0-9._-]\/?$/,
        "expected an absolute path such as /home/model-server/shared/",
    );
    const clash = reservedMountPaths.find((m) => isWithin(modelStorePath, m) || isWithin(m, modelStorePath));
    const systemTree = imageSystemTrees.find((d) => isWithin(modelStorePath, d) || isWithin(d, modelStorePath));
    const populated = imagePopulatedDirs.find((d) => isWithin(d, modelStorePath));
    if (clash)
        r.problems.error(
            r.key("modelStorePath"),
            modelStorePath,
            `overlaps ${clash}, where the pod mounts its generated config; use a path of its own such as /home/model-server/shared/`,
        );
    else if (systemTree || populated)
        r.problems.error(
            r.key("modelStorePath"),
            modelStorePath,
            `the volume would hide the image's ${systemTree ?? populated} (a mount covers what is below it); use a directory of its own such as /home/model-server/shared/`,
        );
    const canary = readCanary(r.child("canary"), obj.canary);
    if (canary?.image) checkFlavour(r.child("canary"), "image", canary.image, nGpu);

    // 0 parks the stack: no pod, no GPU; the model store and the rest stay.
    const replicas = r.int(obj, "replicas", 1, { min: 0, max: 1000 });
    // Cloud clusters always offer an RWX class; on `existing`, RWX only when more than one pod may mount it.
    const storageAccessMode = r.oneOf(
        obj,
        "storageAccessMode",
        cloud === "existing" && replicas <= 1 && !canary ? "ReadWriteOnce" : "ReadWriteMany",
        Object.values(StorageAccessMode),
    );

    const storageClass = r.optionalString(
        obj,
        "storageClass",
        /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/,
        "expected a StorageClass name",
    );
    if (cloud === "existing" && storageAccessMode === "ReadWriteMany" && isUnset(obj.storageClass)) {
        // Cloud stacks create an RWX class; an adopted cluster's default class (kind, minikube,
        // EBS/Azure Disk/PD) is usually block storage, whose RWX claim stays Pending forever.
        problems.warn(
            r.key("storageClass"),
            `not set, so the ReadWriteMany model store${isUnset(obj.storageAccessMode) ? ` (chosen because ${canary ? "a canary" : `${replicas} pods`} share${canary ? "s" : ""} it)` : ""} is claimed from the cluster's default StorageClass, which often offers only ReadWriteOnce (the claim then stays Pending): name an RWX class (NFS, CephFS, EFS, Azure Files, Filestore)`,
        );
    }

    const serviceAccount = readServiceAccount(r.child("serviceAccount"), obj.serviceAccount, cloud);
    const kmsKeyArn = r.optionalString(
        obj,
        "kmsKeyArn",
        /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]+$/,
        "expected the ARN of the KMS key the S3 model objects are encrypted with (arn:aws:kms:<region>:<account>:key/<id>)",
    );
    if (kmsKeyArn && cloud !== "aws")
        problems.errorText(
            r.key("kmsKeyArn"),
            `applies to s3:// models on cloud: aws only (this stack's cloud is ${cloud})`,
        );

    const models = readModels(problems, `${prefix}.models`, obj.models, cloud, serviceAccount !== undefined);
    const storageResourceGroup = r.optionalString(
        obj,
        "storageResourceGroup",
        /^[-\w._()]{0,89}[-\w_()]$/u,
        "expected an Azure resource group name (letters, digits, '-', '_', '.', '(', ')'; 1-90 characters, not ending in '.')",
    );
    if (storageResourceGroup !== undefined && cloud !== "azure")
        problems.errorText(
            r.key("storageResourceGroup"),
            `applies to Azure Blob models on cloud: azure only (this stack's cloud is ${cloud})`,
        );
    const blobModel = models.find((m) => objectLocations([m.url]).some((l) => l.store === "azureBlob"));
    if (cloud === "azure" && blobModel && storageResourceGroup === undefined)
        problems.errorText(
            r.key("storageResourceGroup"),
            `required: model ${show(blobModel.name)} is an Azure Blob object, and its reader role is assigned on the container inside the storage account's resource group: name that group`,
        );

    const modelStore = chooseModelStore({
        cloud,
        value: obj.modelStore,
        models,
        storageClass: storageClass !== undefined,
    });
    modelStore.errors.forEach((e) => problems.errorText(r.key(e.key), e.text));
    modelStore.warnings.forEach((w) => problems.warn(r.key(w.key), w.text));

    const spec = {
        image,
        ...ports,
        replicas,
        modelStorePath: modelStorePath.endsWith("/") ? modelStorePath : modelStorePath + "/",
        modelStore: modelStore.store,
        persistenceSize: r.quantity(obj, "persistenceSize", "1Gi", true),
        nGpu,
        nCpu: r.number(obj, "nCpu", 1, cpuCoresRule),
        memoryLimit: r.quantity(obj, "memoryLimit", "4Gi"),
        memoryRequest: r.quantity(obj, "memoryRequest", "1Gi"),
        namespace: readNamespace(r, obj),
        models,
        serviceAccount,
        kmsKeyArn,
        storageResourceGroup,
        storageClass,
        storageAccessMode,
        serviceType: r.oneOf(obj, "serviceType", "ClusterIP", serviceTypes),
        loadBalancerSourceRanges: readSourceRanges(
            problems,
            r.key("loadBalancerSourceRanges"),
            obj.loadBalancerSourceRanges,
        ),
        enableModelApi: r.bool(obj, "enableModelApi", false),
        jobQueueSize: r.int(obj, "jobQueueSize", 100, { min: 1, max: 100000 }),
        ephemeralStorage: r.quantity(obj, "ephemeralStorage", "10Gi", true),
        canary,
        allowUnverifiedModels: r.bool(obj, "allowUnverifiedModels", false),
        enabled: r.bool(obj, "enabled", true),
    };
    checkMemory(r, spec);
    return spec;
}

/**
 * The JVM heap is a share of memoryLimit and the message limit is derived from it so that full
 * queues fit (components/torchserve/memory.ts); refuse what leaves either too small.
 */
function checkMemory(r: SectionReader, s: Pick<TorchServeSpec, "memoryLimit" | "jobQueueSize" | "models">): void {
    if (parseQuantity(s.memoryLimit) === undefined) return; // already reported
    const heap = jvmHeapMiB(s);
    if (heap < minHeapMiB) {
        r.problems.error(
            r.key("memoryLimit"),
            s.memoryLimit,
            `gives the JVM a ${heap} MiB heap (${jvmHeapShare * 100}% of the limit); TorchServe needs at least ${minHeapMiB} MiB: raise memoryLimit`,
        );
        return;
    }
    const bytes = maxMessageBytes(s);
    if (bytes < minMessageBytes) {
        r.problems.error(
            r.key("jobQueueSize"),
            s.jobQueueSize,
            `${queuedRequestsMax(s)} queued requests (jobQueueSize × models) in a ${heap} MiB heap leave less than 1 MiB per request: lower jobQueueSize or raise memoryLimit`,
        );
    }
}
