// Pulumi's wire form (resource inputs as the SDK serialises them for the engine) as a reviewer reads
// it: secrets masked where they are, however deeply nested; values only known after deployment
// marked; resource references by id; assets by what they name. The signatures that tag special
// values are the SDK's own exports (@pulumi/pulumi runtime/rpc.ts: specialSigKey, specialSecretSig,
// ...), so the plan decodes whatever the installed SDK writes.
import * as pulumi from "@pulumi/pulumi";
import { projectRoot } from "../../harness/stackFiles";

/** How a secret value appears in a plan (as in `pulumi preview`). */
export const SECRET = "[secret]";
/** How a value only known after deployment appears in a plan. */
export const COMPUTED = "[unknown]";

const {
    specialSigKey,
    specialSecretSig,
    specialResourceSig,
    specialAssetSig,
    specialArchiveSig,
    specialOutputValueSig,
    unknownValue,
} = pulumi.runtime;

/**
 * A wire-form (serialized) property value as a reviewer reads it. `id` turns a resource reference's
 * URN into the plan's id for it.
 */
export function presentValue(value: unknown, id: (urn: string) => string): unknown {
    const present = (v: unknown) => presentValue(v, id);
    if (value === unknownValue) return COMPUTED;
    if (typeof value === "string") return relativiseRoot(value);
    if (Array.isArray(value)) return value.map(present);
    if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        switch (obj[specialSigKey]) {
            case specialSecretSig:
                return SECRET;
            case specialResourceSig:
                return id(String(obj.urn ?? ""));
            case specialAssetSig:
                return { asset: present(obj.path ?? obj.uri ?? (obj.text !== undefined ? "<text>" : "")) };
            case specialArchiveSig:
                return { archive: present(obj.path ?? obj.uri ?? Object.keys((obj.assets as object) ?? {}).sort()) };
            case specialOutputValueSig:
                return obj.secret ? SECRET : obj.value === undefined ? COMPUTED : present(obj.value);
        }
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(obj)) if (obj[k] !== undefined) out[k] = present(obj[k]);
        return out;
    }
    return value;
}

/** An absolute path into the repository would make the plan depend on the checkout location. */
export function relativiseRoot(s: string): string {
    return s.includes(projectRoot) ? s.split(projectRoot).join("<project>") : s;
}
