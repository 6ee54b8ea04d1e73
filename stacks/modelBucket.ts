// The bucket model store's mount for any cloud's cluster component, from a stack's settings.
import { ModelBucketMount } from "../components/cluster/storage";
import { bucketLayout, isBucketLayout } from "../components/torchserve/modelBucket";
import { modelBucketClaimName } from "../components/torchserve/torchserve";
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
        claim: { namespace: ts.namespace, name: modelBucketClaimName, size: ts.persistenceSize },
        owner: { uid: owner, gid: owner },
    };
}
