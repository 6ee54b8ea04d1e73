// What a cloud's cluster component must know of the model store, from a stack's settings.
import { ModelBucketMount, ModelStoreClaim } from "../components/cluster/storage";
import { bucketLayout, isBucketLayout, modelBucketClaimName } from "../components/torchserve/modelBucket";
import { modelStoreClaimName } from "../components/torchserve/torchserve";
import { tritonUid } from "../components/triton/conventions";
import { Settings } from "./config/settings";

/**
 * The bucket model store's mount (`torchserve.modelStore: bucket`): the models' common bucket and
 * directory, which the config parser checked (stacks/config/modelStore.ts), bound to TorchServe's claim.
 */
export function modelBucketMount(settings: Settings, owner: number): ModelBucketMount | undefined {
    const ts = settings.torchserve;
    if (ts.modelStore !== "bucket") return undefined;
    const layout = bucketLayout(ts.models);
    if (!isBucketLayout(layout)) throw new Error(`torchserve.modelStore: ${layout.problem}`);
    return {
        bucket: layout.bucket,
        directory: layout.directory,
        claim: { namespace: ts.namespace, name: modelBucketClaimName(layout), size: ts.persistenceSize },
        owner: { uid: owner, gid: owner },
    };
}

/**
 * The file-share claim whose volume the cluster component provisions ahead of it (so the storage
 * behind it is Pulumi's and a destroy deletes it in order); none with a bucket store or with the
 * user's own `torchserve.storageClass`, whose volumes the cluster does not provision.
 */
export function modelStoreClaim(settings: Settings): ModelStoreClaim | undefined {
    const ts = settings.torchserve;
    if (ts.storageClass || ts.modelStore === "bucket") return undefined;
    return { namespace: ts.namespace, name: modelStoreClaimName, size: ts.persistenceSize };
}

/**
 * Triton's repository bucket (`triton.modelRepository` on a cloud stack): its directory, bound to
 * Triton's claim (named after what it mounts, components/triton/repository.ts), owned by Triton's user.
 */
export function tritonRepositoryMount(settings: Settings): ModelBucketMount | undefined {
    const t = settings.triton;
    if (!t.enabled || t.repository.bucket === undefined) return undefined;
    return {
        bucket: t.repository.bucket,
        directory: t.repository.directory ?? "",
        claim: { namespace: t.namespace, name: t.repository.claimName!, size: "1Gi" },
        owner: { uid: tritonUid, gid: tritonUid },
    };
}
