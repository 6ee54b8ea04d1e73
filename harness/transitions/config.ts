// Config A and B of a transition as edits of an example stack's file: `patch` is merged into the
// stack's structured config (objects merge key by key; arrays and values replace; null removes a key).
import { projectName, stackConfig } from "../stackFiles";

function merge(base: unknown, patch: unknown): unknown {
    if (patch === null) return undefined;
    if (
        patch &&
        typeof patch === "object" &&
        !Array.isArray(patch) &&
        base &&
        typeof base === "object" &&
        !Array.isArray(base)
    ) {
        const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
        for (const [k, v] of Object.entries(patch)) {
            const m = merge(out[k], v);
            if (m === undefined) delete out[k];
            else out[k] = m;
        }
        return out;
    }
    return patch;
}

/**
 * The overrides (runProgram's `override`) that turn stack `stack`'s config into the config with
 * `patch` applied: keys in the project namespace by their short name, others as `ns:key`.
 */
export function patchedConfig(stack: string, patch: Record<string, unknown> = {}): Record<string, unknown> {
    const base = stackConfig(stack);
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(patch)) {
        const full = key.includes(":") ? key : `${projectName}:${key}`;
        const merged = merge(base[full], value);
        out[key] = merged === undefined ? null : merged;
    }
    return out;
}
