// Where Triton's model repository is (stacks/config/tritonRepository.ts parses it): the directory of a bucket (`s3://`, `gs://`, an Azure Blob
// container URL), which the cluster mounts read-only with the pods' workload identity, or a claim
// of the user's (`pvc://<claim>/<path>`, adopted clusters). Triton reads the repository as a local
// directory (`--model-repository=<mount>`): no cloud credentials reach Triton itself.
import { createHash } from "crypto";
import type { ObjectStore } from "../torchserve/objectUrl";

/** A repository in a bucket. */
export interface BucketRepository {
    kind: "bucket";
    store: ObjectStore;
    /** Azure storage account (azureBlob only). */
    account?: string;
    /** Bucket, or Azure container. */
    bucket: string;
    /** Directory inside it, no leading or trailing `/` ("" = the root). */
    directory: string;
}

/** A repository on a claim that already exists. */
export interface ClaimRepository {
    kind: "claim";
    claimName: string;
    /** Directory inside the claim's volume ("" = its root). */
    subPath: string;
}

export type ParsedRepository = BucketRepository | ClaimRepository;

/**
 * Triton's claim on the bucket volume, named after what it mounts (as TorchServe's,
 * components/torchserve/modelBucket.ts modelBucketClaimName): a volume's source cannot change in
 * place and a bound volume is kept while claimed, so a new repository gets a new claim and volume,
 * created first, the pods roll onto them, and the old pair goes.
 */
export function repositoryClaimName(r: Pick<BucketRepository, "store" | "account" | "bucket" | "directory">): string {
    const where = JSON.stringify([r.store, r.account ?? "", r.bucket, r.directory]);
    return `triton-repository-${createHash("sha256").update(where).digest("hex").slice(0, 8)}`;
}
