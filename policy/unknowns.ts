// Values a preview does not know yet. Policies read props through @pulumi/policy's proxy, which
// throws UnknownValueError on reading one; a throw ends the policy for that resource with a
// "can't run during preview" note. Walkers over large objects (Helm values) read entry by entry
// instead, so one computed value (an IAM role ARN) does not hide the rest.

/** Stands for a value the preview does not know. */
export const unknown: unique symbol = Symbol("unknown");

function isUnknownError(e: unknown): boolean {
    return (e as Error | undefined)?.constructor?.name === "UnknownValueError";
}

/** `read()`, or `unknown` when it reads a value the preview does not know. */
export function known<T>(read: () => T): T | typeof unknown {
    try {
        return read();
    } catch (e) {
        if (isUnknownError(e)) return unknown;
        throw e;
    }
}

/** An object's entries, each value read on its own (`unknown` where the preview does not know it). */
export function entries(obj: object): [string, unknown][] {
    return Object.keys(obj).map((k) => [k, known(() => (obj as Record<string, unknown>)[k])]);
}
