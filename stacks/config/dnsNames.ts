// DNS names by class (RFC 1123, as Kubernetes validates them): one pattern per class, shared by
// every key of that class, so a key cannot accept what another of its class refuses.

/** An RFC 1123 label (Kubernetes namespace and Secret names): 1-63 of a-z, 0-9, '-', alphanumeric at both ends. */
export const dnsLabel = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * A host name for Istio's Gateway and VirtualService `hosts`: `*`, or an RFC 1123 subdomain (labels
 * as above, joined by single dots, at most 253 characters) optionally after `*.`.
 */
export const hostName =
    /^(\*|(?=[a-z0-9.*-]{1,253}$)(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*)$/;

/** The entries a list names more than once (each once, in order of first repeat). */
export function repeated(list: readonly string[]): string[] {
    const seen = new Set<string>();
    const twice = new Set<string>();
    for (const x of list) (seen.has(x) ? twice : seen).add(x);
    return [...twice];
}
