// `torchserve.modelStore`: which store holds the model archives, and what each choice requires.
import { storeCloud } from "../../components/torchserve/objectUrl";
import { bucketLayout, isBucketLayout } from "../../components/torchserve/modelBucket";
import { ModelStore } from "../../components/torchserve/spec";
import { isUnset, show } from "./problems";
import { Cloud } from "./settings";

/** What the choice depends on, as read from the `torchserve` section. */
export interface ModelStoreInput {
    cloud: Cloud | undefined;
    /** `torchserve.modelStore` as written (undefined when unset). */
    value: unknown;
    /** The models (URLs already normalised; a refused URL is ""). */
    models: { name: string; url: string }[];
    /** `torchserve.storageClass` is set. */
    storageClass: boolean;
}

/** One line for the problems list, keyed relative to the `torchserve` section. */
export interface ModelStoreLine {
    /** e.g. `modelStore`, `storageClass`, `models[1].url`. */
    key: string;
    text: string;
}

export interface ModelStoreChoice {
    store: ModelStore;
    errors: ModelStoreLine[];
    warnings: ModelStoreLine[];
}

/** Clouds whose cluster component mounts a bucket with the CSI driver it installs. */
const bucketClouds: Cloud[] = ["aws", "gcp", "azure"];

/**
 * Clouds where an unset `modelStore` becomes `bucket` when the models allow it (README "Model
 * store"): on gcp it replaces a 1 TiB Filestore instance ($165-205 a month) holding a few MB; on aws
 * it replaces EFS, its mount targets and the download step with a GA driver (Mountpoint) reading with
 * the pod's own identity. Not azure: the Blob CSI driver mounts with the workload-identity token
 * only from driver v1.27 (kubernetes-sigs/blob-csi-driver docs/workload-identity-static-pv-mount.md),
 * and which driver AKS installs is not checked here; the alternative hands the identity the storage
 * account's keys.
 */
export const bucketByDefault: Cloud[] = ["aws", "gcp"];

/**
 * The store for a stack, with one line per problem. `bucket` needs a cloud stack and models that all
 * sit in one directory of one bucket of that cloud (`.mar` files, names the drivers' mount options
 * carry); a StorageClass means nothing to it.
 */
export function chooseModelStore(i: ModelStoreInput): ModelStoreChoice {
    const errors: ModelStoreLine[] = [];
    const warnings: ModelStoreLine[] = [];
    const stores = Object.values(ModelStore) as string[];
    const valid = i.models.every((m) => m.url !== "");
    if (isUnset(i.value)) {
        const layout = bucketLayout(i.models);
        const own = i.models.every((m) => {
            const l = bucketLayout([m]);
            return isBucketLayout(l) && storeCloud[l.store] === i.cloud;
        });
        if (i.cloud && bucketByDefault.includes(i.cloud) && !i.storageClass && valid && own && isBucketLayout(layout)) {
            const where = `${layout.bucket}/${layout.directory ? layout.directory + "/" : ""}`;
            warnings.push({
                key: "modelStore",
                text: `not set: bucket, because every model is in ${where} (mounted read-only, no file share, no download step; README "Model store"); set fileShare to keep a file share`,
            });
            return { store: ModelStore.Bucket, errors, warnings };
        }
        return { store: ModelStore.FileShare, errors, warnings };
    }
    if (typeof i.value !== "string" || !stores.includes(i.value)) {
        errors.push({
            key: "modelStore",
            text: `${show(i.value)} is not allowed; expected one of ${stores.join(", ")}`,
        });
        return { store: ModelStore.FileShare, errors, warnings };
    }
    const store = i.value as ModelStore;
    if (store !== ModelStore.Bucket) return { store, errors, warnings };
    if (!i.cloud || !bucketClouds.includes(i.cloud)) {
        errors.push({
            key: "modelStore",
            text: `bucket is for aws, gcp and azure stacks, whose cluster the program gives the CSI driver and the volume; on ${i.cloud ?? "this cloud"} use fileShare (with a storageClass of yours)`,
        });
        return { store, errors, warnings };
    }
    if (i.storageClass)
        errors.push({
            key: "storageClass",
            text: "not used with modelStore: bucket (the volume mounts the models' bucket, no class provisions it); remove it",
        });
    // Refused URLs already have their line; the layout of the rest would only repeat it.
    if (!valid) return { store, errors, warnings };
    const layout = bucketLayout(i.models);
    if (!isBucketLayout(layout)) {
        const index = layout.model === undefined ? -1 : i.models.findIndex((m) => m.name === layout.model);
        errors.push(
            index < 0
                ? { key: "modelStore", text: `bucket: ${layout.problem}` }
                : { key: `models[${index}].url`, text: `model ${show(layout.model)}: ${layout.problem}` },
        );
    }
    return { store, errors, warnings };
}
