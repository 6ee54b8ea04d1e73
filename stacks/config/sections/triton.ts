// `triton`: NVIDIA Triton beside (or instead of) TorchServe. `true` or {enabled, image,
// modelRepository, models, nGpu, nCpu, memoryRequest, memoryLimit, replicas, ...}.
import { defaultTritonImage, tritonReleaseOf } from "../../../components/triton/releases";
import { repositoryClaimName } from "../../../components/triton/repository";
import { parseRepository } from "../tritonRepository";
import { storeCloud } from "../../../components/torchserve/objectUrl";
import { imageFlavour, modelNamePattern } from "./torchserve";
import { cpuCoresRule, SectionReader } from "../fields";
import { hasInvisible, isUnset, Problems, show } from "../problems";
import { Cloud, TritonSettings } from "../settings";

export const tritonKeys = [
    "image",
    "modelRepository",
    "models",
    "nGpu",
    "nCpu",
    "memoryRequest",
    "memoryLimit",
    "replicas",
    "ephemeralStorage",
    "exitTimeoutSeconds",
    "modelLoadSeconds",
] as const;

/** Clouds whose cluster component mounts Triton's repository bucket so far. */
export const tritonBucketClouds: Cloud[] = ["gcp"];

const cloudScheme: Partial<Record<Cloud, string>> = {
    aws: "s3://<bucket>/<dir>",
    gcp: "gs://<bucket>/<dir>",
    azure: "https://<account>.blob.core.windows.net/<container>/<dir>",
    existing: "pvc://<claim>/<dir>",
};

function readRepository(r: SectionReader, obj: Record<string, unknown>, cloud: Cloud | undefined) {
    const key = r.key("modelRepository");
    const v = obj.modelRepository;
    const none = { url: "" };
    if (isUnset(v)) {
        r.problems.errorText(
            key,
            `required: the model repository's directory (${cloud ? cloudScheme[cloud] : "gs://<bucket>/<dir>"})`,
        );
        return none;
    }
    if (typeof v !== "string" || hasInvisible(v)) {
        r.problems.error(key, v, `expected a URL such as ${cloud ? cloudScheme[cloud] : "gs://<bucket>/<dir>"}`);
        return none;
    }
    const parsed = parseRepository(v);
    if ("error" in parsed) {
        r.problems.error(key, v, parsed.error);
        return none;
    }
    if (parsed.kind === "claim") {
        if (cloud && cloud !== "existing") {
            r.problems.error(
                key,
                v,
                `a claim is for cloud: existing; on ${cloud} the repository is a bucket directory (${cloudScheme[cloud]}) the program mounts with workload identity`,
            );
            return none;
        }
        return { url: v, claimName: parsed.claimName, subPath: parsed.subPath };
    }
    const owner = storeCloud[parsed.store];
    if (cloud === "existing") {
        r.problems.error(
            key,
            v,
            "on an existing cluster the program mounts no bucket: put the repository on a claim of yours and name it pvc://<claim>/<dir>",
        );
        return none;
    }
    if (cloud && cloud !== owner) {
        r.problems.error(
            key,
            v,
            `this is a ${owner} bucket, read with ${owner}'s workload identity, but this stack's cloud is ${cloud}: use ${cloudScheme[cloud]}`,
        );
        return none;
    }
    if (cloud && !tritonBucketClouds.includes(cloud)) {
        r.problems.error(
            key,
            v,
            `Triton's repository bucket is not yet mounted on cloud: ${cloud} (supported so far: ${tritonBucketClouds.join(", ")}, and pvc:// on existing)`,
        );
        return none;
    }
    return {
        url: v,
        bucket: parsed.bucket,
        directory: parsed.directory,
        claimName: repositoryClaimName(parsed),
        subPath: "",
    };
}

function readModelNames(r: SectionReader, obj: Record<string, unknown>): string[] {
    const v = obj.models;
    if (isUnset(v)) return [];
    if (!Array.isArray(v)) {
        r.problems.error(r.key("models"), v, "expected a list of model names (directories of the repository)");
        return [];
    }
    const seen = new Set<string>();
    const out: string[] = [];
    v.forEach((name, i) => {
        const key = `${r.key("models")}[${i}]`;
        if (typeof name !== "string" || !modelNamePattern.test(name))
            r.problems.error(
                key,
                name,
                "expected a model name: the model's directory in the repository (letters, digits, '_', '-', '.', starting with a letter or digit)",
            );
        else if (seen.has(name)) r.problems.error(key, name, "model names must be unique");
        else {
            seen.add(name);
            out.push(name);
        }
    });
    return out;
}

function readImage(r: SectionReader, obj: Record<string, unknown>): string {
    const v = obj.image;
    if (isUnset(v)) return defaultTritonImage;
    if (typeof v !== "string" || imageFlavour(v) === undefined) {
        r.problems.error(
            r.key("image"),
            v,
            `expected a pinned image "repository:tag" (tag not "latest") or "repository@sha256:<digest>", e.g. ${defaultTritonImage}`,
        );
        return defaultTritonImage;
    }
    const release = tritonReleaseOf(v);
    if (release === undefined || !/-py3(-|$)/.test(v.slice(v.lastIndexOf(":"))))
        r.problems.warn(
            r.key("image"),
            `${show(v)} is not a <yy.mm>-py3 tag of the Triton server: GPU compatibility is not checked, and the program assumes the server's own command line (tritonserver)`,
        );
    return v;
}

/** Namespace comes from `torchserve.namespace` (Triton shares it, or makes it its own without TorchServe). */
export function readTriton(
    problems: Problems,
    prefix: string,
    value: unknown,
    cloud: Cloud | undefined,
    namespace: string,
): TritonSettings {
    const r = new SectionReader(problems, prefix);
    const { enabled, obj } = r.toggle(value, tritonKeys, false);
    const nGpu = r.int(obj, "nGpu", 1, { min: 0, max: 16 });
    const settings: TritonSettings = {
        enabled,
        image: readImage(r, obj),
        repository: enabled ? readRepository(r, obj, cloud) : { url: "" },
        models: readModelNames(r, obj),
        replicas: r.int(obj, "replicas", 1, { min: 0, max: 1000 }),
        nGpu,
        nCpu: r.number(obj, "nCpu", 1, cpuCoresRule),
        memoryRequest: r.quantity(obj, "memoryRequest", "2Gi", true),
        memoryLimit: r.quantity(obj, "memoryLimit", "8Gi", true),
        ephemeralStorage: r.quantity(obj, "ephemeralStorage", "10Gi", true),
        namespace,
        exitTimeoutSeconds: r.int(obj, "exitTimeoutSeconds", 30, { min: 1, max: 3600 }),
        modelLoadSeconds: r.int(obj, "modelLoadSeconds", 300, { min: 10, max: 7200 }),
    };
    return settings;
}
