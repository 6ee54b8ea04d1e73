// The model store as a bucket (`modelStore: bucket`): the directory of one bucket that holds every
// model's archive, mounted read-only at `model_store`, and the init step that checks the archives'
// SHA-256 on the mount, since there is no download step to check them.
//
// TorchServe finds an archive named in `load_models` by its file name only: ModelArchive.downloadModel
// takes `FilenameUtils.getName(url)` and opens `new File(modelStore, thatName)` (pytorch/serve v0.12.0,
// frontend/archive/src/main/java/org/pytorch/serve/archive/model/ModelArchive.java; ArchiveUtils.getFilenameFromUrl),
// and refuses any name containing "..". So the archives must sit at the root of `model_store`: the
// volume mounts exactly their directory, and `load_models` names each by its object's file name.
// The store may be read-only: a .mar is unpacked under java.io.tmpdir (ZipUtils.unzip →
// ZipUtils.createTempDir, FileUtils.getTempDirectory), never beside the archive.
import { createHash } from "crypto";
import type { ModelBucketVolume } from "../cluster/storage";
import { ObjectStore, parseModelUrl } from "./objectUrl";
import { ModelSpec, TorchServeSpec } from "./spec";

/** Where the models are when the store is their bucket. */
export interface BucketLayout {
    store: ObjectStore;
    /** Azure storage account (azureBlob only). */
    account?: string;
    /** S3 / Cloud Storage bucket, or Azure container. */
    bucket: string;
    /** Directory of the archives inside the bucket, no leading or trailing `/` ("" = the root). */
    directory: string;
    /** Archive file name of each model, by model name. */
    files: Record<string, string>;
}

/** Why the models do not fit a bucket store: one line, naming the model when one is at fault. */
export interface BucketLayoutProblem {
    /** The model at fault (absent when there are none). */
    model?: string;
    problem: string;
}

/**
 * Characters a directory (and file name) may use in a bucket store: the drivers take the directory
 * as a mount option (Mountpoint `prefix`, gcsfuse `only-dir=` in a comma-separated list, blobfuse2
 * `--subdirectory`, which the Blob CSI driver checks against `^[a-zA-Z0-9._/-]+$`:
 * kubernetes-sigs/blob-csi-driver pkg/blob/blob.go subdirectoryRegex).
 */
export const bucketPathPattern = /^[A-Za-z0-9._/-]*$/;

/** The models' common bucket and directory, or the first model that does not fit one. */
export function bucketLayout(models: Pick<ModelSpec, "name" | "url">[]): BucketLayout | BucketLayoutProblem {
    if (models.length === 0)
        return { problem: "no models: a bucket store mounts the bucket the models' archives are in" };
    let layout: BucketLayout | undefined;
    let first = "";
    for (const m of models) {
        const parsed = parseModelUrl(m.url);
        if (!("kind" in parsed) || parsed.kind !== "object")
            return {
                model: m.name,
                problem: `${m.url} is not an object URL of the stack's cloud: a bucket store reads every archive from the mounted bucket`,
            };
        const { store, account, bucket, key } = parsed.location;
        const slash = key.lastIndexOf("/");
        const directory = slash < 0 ? "" : key.slice(0, slash);
        const file = key.slice(slash + 1);
        if (!file.endsWith(".mar"))
            return {
                model: m.name,
                problem: `${file} is not a .mar archive: a bucket store serves .mar files as they are`,
            };
        // A leading '/' or '//' is an empty path segment: no file system shows a directory without a
        // name (awslabs/mountpoint-s3 doc/SEMANTICS.md "Mapping S3 object keys"), and the split
        // below would mount the wrong directory (`/a.mar` → the bucket's root, a different object).
        if (key.split("/").some((segment) => segment === ""))
            return {
                model: m.name,
                problem: `${key} has an empty path segment (a leading '/' or '//'), which a mounted bucket does not show`,
            };
        if (!bucketPathPattern.test(key))
            return {
                model: m.name,
                problem: `${key} has characters other than letters, digits, '.', '_', '-' and '/', which the CSI drivers' mount options cannot carry`,
            };
        const where = (l: { account?: string; bucket: string }) => (l.account ? `${l.account}/${l.bucket}` : l.bucket);
        if (!layout) {
            layout = { store, ...(account ? { account } : {}), bucket, directory, files: {} };
            first = m.name;
        } else if (layout.store !== store || layout.account !== account || layout.bucket !== bucket) {
            return {
                model: m.name,
                problem: `its archive is in ${where({ account, bucket })} but model ${first}'s in ${where(layout)}: a bucket store mounts one bucket (container)`,
            };
        } else if (layout.directory !== directory) {
            return {
                model: m.name,
                problem: `its archive is in ${directory || "the bucket's root"}/ but model ${first}'s in ${layout.directory || "the bucket's root"}/: TorchServe loads archives by file name from the root of model_store, so a bucket store mounts one directory`,
            };
        }
        layout.files[m.name] = file;
    }
    return layout!;
}

/**
 * TorchServe's claim on the bucket volume, whose name the cluster's volume is named after and bound to
 * (`claimRef`): named after what it mounts. A volume's source (bucket, container) cannot change in
 * place, and Kubernetes keeps a volume while a claim is bound to it ("Storage Object in Use
 * Protection"), so under one fixed name moving the models to another bucket would wait on a delete
 * that never completes, and a new directory (a mount option) would reach new pods only, with no
 * rollout. Under this name both are created first, the pods roll onto them, and the old pair goes.
 */
export function modelBucketClaimName(layout: Pick<BucketLayout, "store" | "account" | "bucket" | "directory">): string {
    const where = JSON.stringify([layout.store, layout.account ?? "", layout.bucket, layout.directory]);
    return `torchserve-model-bucket-${createHash("sha256").update(where).digest("hex").slice(0, 8)}`;
}

/** Whether the result is a layout. */
export function isBucketLayout(r: BucketLayout | BucketLayoutProblem): r is BucketLayout {
    return "files" in r;
}

/** The spec's store is the models' bucket. */
export function usesBucket(spec: Pick<TorchServeSpec, "modelStore">): boolean {
    return spec.modelStore === "bucket";
}

/**
 * The archive's file name in `model_store`: `<name>.mar` where the fetcher writes it, the object's
 * own file name in a bucket store.
 */
export function archiveFile(spec: Pick<TorchServeSpec, "modelStore">, model: Pick<ModelSpec, "name" | "url">): string {
    if (usesBucket(spec)) {
        const parsed = parseModelUrl(model.url);
        if ("kind" in parsed && parsed.kind === "object") return parsed.location.key.split("/").pop()!;
    }
    return `${model.name}.mar`;
}

/** The pods' annotations for a bucket volume: the driver's own, plus its mesh ones when the sidecar is injected. */
export function bucketPodAnnotations(
    volume: Pick<ModelBucketVolume, "podAnnotations" | "meshPodAnnotations">,
    meshInjection: boolean,
): Record<string, string> {
    return { ...volume.podAnnotations, ...(meshInjection ? volume.meshPodAnnotations : {}) };
}

/** File names of the verifier inside the config ConfigMap. */
export const verifyScriptFile = "verify_models.py";
export const verifyModelsFile = "verify-models.json";

/** One archive the verifier checks. */
export interface VerifyEntry {
    name: string;
    file: string;
    sha256: string;
}

/** The archives with a `sha256` to check (the others were accepted unverified by config). */
export function verifyEntries(spec: Pick<TorchServeSpec, "models" | "modelStore">): VerifyEntry[] {
    return spec.models
        .filter((m) => m.sha256)
        .map((m) => ({ name: m.name, file: archiveFile(spec, m), sha256: m.sha256!.toLowerCase() }));
}

/** `verify-models.json` as written into the ConfigMap. */
export function verifyModelsJson(spec: Pick<TorchServeSpec, "models" | "modelStore">): string {
    return JSON.stringify(verifyEntries(spec), null, 2) + "\n";
}

/**
 * Usage: `python3 verify_models.py <verify-models.json> <model_store>`. Reads each archive from the
 * mounted bucket and compares its SHA-256; prints one line per model that is missing, unreadable
 * or different (`model <name>: …`) and exits 1, failing the pod before TorchServe loads anything.
 * This checks what the pod sees at start: an object replaced afterwards is read by TorchServe
 * unchecked when a worker restarts, which only bucket versioning or object lock rules out (README).
 */
export const verifyScript = String.raw`#!/usr/bin/env python3
"""Check the SHA-256 of model archives on the mounted bucket (see components/torchserve/modelBucket.ts)."""
import hashlib
import json
import os
import sys


def check(store, entry):
    path = os.path.join(store, entry["file"])
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
    except FileNotFoundError:
        return "%s is not in the mounted bucket directory (check the model's URL)" % entry["file"]
    except PermissionError:
        return "%s cannot be read: access denied (check the identity's read access)" % entry["file"]
    except OSError as e:
        return "%s cannot be read: %s" % (entry["file"], e.strerror or e)
    actual = digest.hexdigest()
    if actual != entry["sha256"]:
        return "%s has sha256 %s, expected %s" % (entry["file"], actual, entry["sha256"])
    return None


def main(argv):
    with open(argv[1]) as f:
        entries = json.load(f)
    failed = 0
    for entry in entries:
        problem = check(argv[2], entry)
        if problem:
            failed += 1
            print("model %s: %s" % (entry["name"], problem), flush=True)
        else:
            print("model %s: %s verified" % (entry["name"], entry["file"]), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
`;
