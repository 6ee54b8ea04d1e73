// `triton.modelRepository` as written → where the repository is (components/triton/repository.ts).
import { bucketPathPattern } from "../../components/torchserve/modelBucket";
import {
    azureAccountProblem,
    azureContainerProblem,
    gcsBucketProblem,
    ObjectStore,
    s3BucketProblem,
} from "../../components/torchserve/objectUrl";
import { ParsedRepository } from "../../components/triton/repository";

const dnsSubdomain = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;

/** A directory: safe characters for the drivers' mount options, no empty, `.` or `..` segments. */
function directoryProblem(directory: string): string | undefined {
    if (directory === "") return undefined;
    if (!bucketPathPattern.test(directory))
        return `the directory ${directory} has characters other than letters, digits, '.', '_', '-' and '/', which the CSI drivers' mount options cannot carry`;
    if (directory.split("/").some((s) => s === "" || s === "." || s === ".."))
        return `the directory ${directory} has an empty, '.' or '..' path segment`;
    return undefined;
}

/**
 * Parses `modelRepository`: `s3://<bucket>[/<dir>]`, `gs://<bucket>[/<dir>]`,
 * `https://<account>.blob.core.windows.net/<container>[/<dir>]` or `pvc://<claim>[/<dir>]`. A
 * trailing `/` is dropped. Returns `{error}` for anything else.
 */
export function parseRepository(url: string): ParsedRepository | { error: string } {
    const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(?:\/([^?#]*))?$/i.exec(url);
    if (!m)
        return {
            error: "expected s3://<bucket>/<dir>, gs://<bucket>/<dir>, https://<account>.blob.core.windows.net/<container>/<dir> or pvc://<claim>/<dir>",
        };
    const scheme = m[1].toLowerCase();
    const host = m[2];
    const rest = (m[3] ?? "").replace(/\/+$/, "");
    if (scheme === "pvc") {
        if (!dnsSubdomain.test(host)) return { error: `${host} is not a PersistentVolumeClaim name` };
        const problem = directoryProblem(rest);
        return problem ? { error: problem } : { kind: "claim", claimName: host, subPath: rest };
    }
    if (scheme === "s3" || scheme === "gs") {
        const store = scheme === "s3" ? ObjectStore.S3 : ObjectStore.Gcs;
        const problem = (store === "s3" ? s3BucketProblem(host) : gcsBucketProblem(host)) ?? directoryProblem(rest);
        return problem ? { error: problem } : { kind: "bucket", store, bucket: host, directory: rest };
    }
    const account = /^([^.]+)\.blob\.core\.windows\.net$/i.exec(host)?.[1]?.toLowerCase();
    if (scheme === "https" && account) {
        const slash = rest.indexOf("/");
        const container = slash < 0 ? rest : rest.slice(0, slash);
        const directory = slash < 0 ? "" : rest.slice(slash + 1);
        const problem = azureAccountProblem(account) ?? azureContainerProblem(container) ?? directoryProblem(directory);
        return problem
            ? { error: problem }
            : { kind: "bucket", store: ObjectStore.AzureBlob, account, bucket: container, directory };
    }
    return {
        error: "expected s3://<bucket>/<dir>, gs://<bucket>/<dir>, https://<account>.blob.core.windows.net/<container>/<dir> or pvc://<claim>/<dir>",
    };
}
