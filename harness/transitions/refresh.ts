// What `pulumi refresh` writes into an azure-native resource's stored inputs when the resource changed
// outside Pulumi (e.g. `az aks update`). The provider cannot read inputs back, so it projects the old
// and the new outputs to input shape, diffs them, and applies only that change to the old inputs:
// values that changed in Azure are copied in, service-side defaults that did not change stay out
// (pulumi/pulumi-azure-native provider/pkg/provider/provider.go Read, steps 0–5, and diff.go
// applyDiff/applyValueDiff @03707ff7fc10). `oldOutputs`/`newOutputs` here are already input-shaped.

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => !!v && typeof v === "object" && !Array.isArray(v);
const same = (a: Json, b: Json) => JSON.stringify(a) === JSON.stringify(b);

/** applyDiff: `values` with the change from `oldOutputs` to `newOutputs` applied, key by key. */
export function refreshedInputs(
    values: Record<string, Json>,
    oldOutputs: Record<string, Json>,
    newOutputs: Record<string, Json>,
): Record<string, Json> {
    const result: Record<string, Json> = {};
    for (const [k, v] of Object.entries(values)) {
        // A key the outputs lost is deleted; every other stored input stays.
        if (!(k in oldOutputs && !(k in newOutputs))) result[k] = v;
    }
    for (const [k, next] of Object.entries(newOutputs)) {
        if (!(k in oldOutputs))
            result[k] = next; // added in Azure
        else if (!same(oldOutputs[k], next))
            result[k] = k in values ? refreshedValue(values[k], oldOutputs[k], next) : next;
    }
    return result;
}

/** applyValueDiff: objects recurse, arrays element by element, anything else takes the new value. */
function refreshedValue(base: Json, before: Json, after: Json): Json {
    if (isObject(base) && isObject(before) && isObject(after)) return refreshedInputs(base, before, after);
    if (Array.isArray(base) && Array.isArray(before) && Array.isArray(after))
        return after.map((el, i) =>
            i >= base.length || i >= before.length ? el : refreshedValue(base[i], before[i], el),
        );
    return after;
}
