// Model URLs: plain http(s), or an object in a private bucket read with the pod's workload identity
// (`s3://bucket/key`, `gs://bucket/key`, `https://<account>.blob.core.windows.net/<container>/<blob>`).
// One pure parser, used by config validation, by the identity wiring (which objects to grant) and by
// whatever decides which hosts TorchServe itself may fetch from.

/** Object stores a model URL can name. */
export const ObjectStore = { S3: "s3", Gcs: "gcs", AzureBlob: "azureBlob" } as const;
export type ObjectStore = (typeof ObjectStore)[keyof typeof ObjectStore];

/** Which cloud's identity reads each store. */
export const storeCloud: Record<ObjectStore, "aws" | "gcp" | "azure"> = {
    s3: "aws",
    gcs: "gcp",
    azureBlob: "azure",
};

/** An object in a private bucket / container. */
export interface ObjectLocation {
    store: ObjectStore;
    /** Azure storage account (azureBlob only). */
    account?: string;
    /** S3 or GCS bucket; Azure container. */
    bucket: string;
    /** Object key / blob name, as written (no leading slash). */
    key: string;
}

/** A model URL: fetched over plain http(s), or an object read with the workload identity. */
export type ModelUrl = { kind: "http"; url: string } | { kind: "object"; url: string; location: ObjectLocation };

const ipv4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * S3 general purpose bucket naming rules
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html): 3-63 characters,
 * lowercase letters, digits, `.` and `-`; begins and ends with a letter or digit; no `..`; not an IP
 * address; reserved prefixes `xn--`, `sthree-`, `amzn-s3-demo-` and suffixes `-s3alias`, `--ol-s3`,
 * `.mrap`, `--x-s3`, `--table-s3`. Returns what is wrong, or undefined.
 */
export function s3BucketProblem(name: string): string | undefined {
    if (name.length < 3 || name.length > 63) return "S3 bucket names are 3-63 characters";
    if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name))
        return "S3 bucket names use lowercase letters, digits, '.' and '-', and begin and end with a letter or digit";
    if (name.includes("..")) return "S3 bucket names have no two adjacent periods";
    if (ipv4.test(name)) return "S3 bucket names are not IP addresses";
    const prefix = ["xn--", "sthree-", "amzn-s3-demo-"].find((p) => name.startsWith(p));
    if (prefix) return `S3 bucket names do not start with the reserved prefix ${prefix}`;
    const suffix = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"].find((s) => name.endsWith(s));
    if (suffix) return `S3 bucket names do not end with the reserved suffix ${suffix}`;
    return undefined;
}

/**
 * Cloud Storage bucket naming rules (https://cloud.google.com/storage/docs/buckets#naming):
 * lowercase letters, digits, `-`, `_` and `.`; begins and ends with a letter or digit; 3-63
 * characters, or up to 222 with dots, each dot-separated component at most 63; not an IP address;
 * does not begin with `goog` nor contain `google` (or a close misspelling such as `g00gle`).
 */
export function gcsBucketProblem(name: string): string | undefined {
    const max = name.includes(".") ? 222 : 63;
    if (name.length < 3 || name.length > max)
        return "Cloud Storage bucket names are 3-63 characters (up to 222 with dots)";
    if (!/^[a-z0-9][a-z0-9._-]*[a-z0-9]$/.test(name))
        return "Cloud Storage bucket names use lowercase letters, digits, '-', '_' and '.', and begin and end with a letter or digit";
    if (name.split(".").some((c) => c.length === 0 || c.length > 63))
        return "Cloud Storage bucket names have dot-separated components of 1-63 characters";
    if (ipv4.test(name)) return "Cloud Storage bucket names are not IP addresses";
    if (name.startsWith("goog")) return "Cloud Storage bucket names do not begin with goog";
    if (/g[o0][o0]g[l1]e/.test(name)) return "Cloud Storage bucket names do not contain google or a misspelling of it";
    return undefined;
}

/**
 * Azure storage account names
 * (https://learn.microsoft.com/azure/storage/common/storage-account-overview#storage-account-name):
 * 3-24 lowercase letters and digits.
 */
export function azureAccountProblem(name: string): string | undefined {
    return /^[a-z0-9]{3,24}$/.test(name)
        ? undefined
        : "Azure storage account names are 3-24 lowercase letters and digits";
}

/**
 * Azure container names
 * (https://learn.microsoft.com/rest/api/storageservices/naming-and-referencing-containers--blobs--and-metadata#container-names):
 * 3-63 lowercase letters, digits and `-`; begins with a letter or digit; every `-` between a letter
 * or digit (so no `--`, no trailing `-`).
 */
export function azureContainerProblem(name: string): string | undefined {
    return /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/.test(name)
        ? undefined
        : "Azure container names are 3-63 lowercase letters, digits and single '-' between them";
}

/**
 * Object keys: 1-1024 bytes of UTF-8 in all three services (S3 object keys, GCS object names, Azure
 * blob names); no whitespace or control characters (they would need escaping in the URL); not `.`
 * or `..` segments, which HTTP clients collapse.
 */
export function objectKeyProblem(key: string): string | undefined {
    if (key.length === 0) return "the URL names no object (expected <bucket>/<key>)";
    if (Buffer.byteLength(key, "utf8") > 1024) return "object keys are at most 1024 bytes";
    if (/[\s\p{Cc}?#]/u.test(key)) return "object keys here have no whitespace, control characters, '?' or '#'";
    if (key.split("/").some((s) => s === "." || s === "..")) return "object keys have no '.' or '..' segments";
    return undefined;
}

const azureBlobHost = /^([^.]+)\.blob\.core\.windows\.net$/i;

/**
 * Parses a model URL. `s3://` and `gs://` are objects; an `https://<account>.blob.core.windows.net`
 * URL without a query is an Azure blob (with a query, e.g. a SAS token, it is a pre-signed http URL
 * like any other). Returns `{error}` for a URL none of these accept.
 */
export function parseModelUrl(url: string): ModelUrl | { error: string } {
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
    if (scheme === "s3" || scheme === "gs") {
        const rest = url.slice(scheme.length + 3);
        const slash = rest.indexOf("/");
        const bucket = slash < 0 ? rest : rest.slice(0, slash);
        const key = slash < 0 ? "" : rest.slice(slash + 1);
        const store = scheme === "s3" ? ObjectStore.S3 : ObjectStore.Gcs;
        const problem = (store === "s3" ? s3BucketProblem(bucket) : gcsBucketProblem(bucket)) ?? objectKeyProblem(key);
        if (problem) return { error: problem };
        return { kind: "object", url: `${scheme}://${bucket}/${key}`, location: { store, bucket, key } };
    }
    if (scheme === "http" || scheme === "https") {
        const m = /^https?:\/\/([^/?#]*)(\/[^?#]*)?([?#].*)?$/i.exec(url);
        const host = m?.[1] ?? "";
        const normalised = url.replace(/^https?/i, (s) => s.toLowerCase());
        // Host names are case-insensitive (RFC 3986 3.2.2); account names are lowercase.
        const account = azureBlobHost.exec(host)?.[1]?.toLowerCase();
        if (account === undefined || m?.[3] !== undefined) return { kind: "http", url: normalised };
        if (scheme !== "https") return { error: "Azure Blob URLs use https" };
        const path = (m?.[2] ?? "").slice(1);
        const slash = path.indexOf("/");
        const container = slash < 0 ? path : path.slice(0, slash);
        const written = slash < 0 ? "" : path.slice(slash + 1);
        // A URL's path is percent-encoded: the blob's name is what it decodes to (`r%C3%A9seau/m.mar`
        // is the blob `réseau/m.mar`), which the fetcher and the Blob mount use.
        const key = decodePath(written);
        if (key === undefined) return { error: "the blob's path has a malformed percent-encoding" };
        const problem = azureAccountProblem(account) ?? azureContainerProblem(container) ?? objectKeyProblem(key);
        if (problem) return { error: problem };
        return {
            kind: "object",
            url: `https://${account}.blob.core.windows.net/${container}/${written}`,
            location: { store: ObjectStore.AzureBlob, account, bucket: container, key },
        };
    }
    return { error: "expected an http(s), s3://, gs:// or Azure Blob URL" };
}

/** A URL path with its percent-encoding undone; undefined when it is malformed (e.g. `%zz`). */
function decodePath(path: string): string | undefined {
    try {
        return decodeURIComponent(path);
    } catch {
        return undefined;
    }
}

/** The object locations among model URLs (http ones and unparsable ones left out). */
export function objectLocations(urls: string[]): ObjectLocation[] {
    return urls.flatMap((u) => {
        const p = parseModelUrl(u);
        return "kind" in p && p.kind === "object" ? [p.location] : [];
    });
}
