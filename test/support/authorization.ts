// What Istio's AuthorizationPolicies decide for one request at one workload, for the fields the
// program uses (source principals/namespaces, operation ports/paths/notPaths, `when` on
// request.auth.claims). Semantics from istio.io docs/concepts/security ("Authorization policies":
// CUSTOM, then DENY, then ALLOW; with any ALLOW policy on the workload a request that matches none
// is denied) and docs/reference/config/security/authorization-policy (fields in one rule are ANDed,
// entries of a list ORed; `principals`/`namespaces` come from the peer's mTLS certificate, so a
// plain-text request has none). Path patterns: exact, `prefix*`, `*suffix`, `*`.

/** One request as the workload's sidecar (or the gateway) sees it. */
export interface Request {
    /** Destination port at the workload. */
    port: number;
    path?: string;
    /** mTLS peer identity, absent for plain text. */
    principal?: string;
    /** Namespace of the mTLS peer, absent for plain text. */
    namespace?: string;
    /** `iss/sub` of a validated JWT, absent without one. */
    requestPrincipal?: string;
    /** Claims of the validated JWT. */
    claims?: Record<string, string | string[]>;
}

function matchesPattern(value: string | undefined, patterns: string[]): boolean {
    if (value === undefined) return false;
    return patterns.some((p) => {
        if (p === "*") return true;
        if (p.endsWith("*")) return value.startsWith(p.slice(0, -1));
        if (p.startsWith("*")) return value.endsWith(p.slice(1));
        return value === p;
    });
}

/** A list field: absent = no constraint; present = the value must match one entry. */
function field(value: string | undefined, list: string[] | undefined): boolean {
    return list === undefined || matchesPattern(value, list);
}

/**
 * A negative list field: absent = no constraint; present = the value must match no entry. A
 * missing value matches no entry (not even `*`), so it passes: `notRequestPrincipals: ["*"]` is
 * how Istio's docs select requests without a token.
 */
function notField(value: string | undefined, list: string[] | undefined): boolean {
    return list === undefined || !matchesPattern(value, list);
}

function sourceMatches(source: any, r: Request): boolean {
    return (
        field(r.principal, source.principals) &&
        field(r.namespace, source.namespaces) &&
        field(r.requestPrincipal, source.requestPrincipals) &&
        notField(r.requestPrincipal, source.notRequestPrincipals)
    );
}

function operationMatches(op: any, r: Request): boolean {
    return field(String(r.port), op.ports) && field(r.path, op.paths) && notField(r.path, op.notPaths);
}

function conditionMatches(c: any, r: Request): boolean {
    const m = /^request\.auth\.claims\[([^\]]+)\]$/.exec(c.key);
    if (!m) throw new Error(`condition key ${c.key} is not modelled`);
    const claim = r.claims?.[m[1]];
    const values = claim === undefined ? [] : Array.isArray(claim) ? claim : [claim];
    if (c.values && !values.some((v) => matchesPattern(v, c.values))) return false;
    if (c.notValues && values.some((v) => matchesPattern(v, c.notValues))) return false;
    return true;
}

function ruleMatches(rule: any, r: Request): boolean {
    const from = rule.from === undefined || rule.from.some((f: any) => sourceMatches(f.source, r));
    const to = rule.to === undefined || rule.to.some((t: any) => operationMatches(t.operation, r));
    const when = (rule.when ?? []).every((c: any) => conditionMatches(c, r));
    return from && to && when;
}

/** Whether the policies (specs of AuthorizationPolicy objects on one workload) let the request through. */
export function allowed(policies: { action?: string; rules?: any[] }[], r: Request): boolean {
    const matches = (p: { rules?: any[] }) => (p.rules ?? []).some((rule) => ruleMatches(rule, r));
    const deny = policies.filter((p) => p.action === "DENY");
    const allow = policies.filter((p) => (p.action ?? "ALLOW") === "ALLOW");
    if (deny.some(matches)) return false;
    if (allow.length === 0) return true;
    return allow.some(matches);
}
