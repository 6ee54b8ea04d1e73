// A small interpreter of VirtualService HTTP routing, for tests and reviewers: given a request,
// which route would the gateway's Envoy pick and where would it send it? It implements the subset
// of the API that components/mesh/routes.ts emits (uri exact/prefix/regex, header exact/prefix/regex, rewrite,
// directResponse, weighted destinations, per-destination response headers added) and throws on anything else rather than guess.
import { FreeForm } from "../../components/cluster/freeform";

/** A request as it reaches the gateway. Header names are case-insensitive, as in HTTP. */
export interface GatewayRequest {
    path: string;
    headers?: Record<string, string>;
}

export type RouteOutcome =
    | {
          kind: "route";
          /** Name of the matching route. */
          route: string;
          /** Path the upstream receives (after any rewrite). */
          path: string;
          destinations: {
              host: string;
              port: number;
              subset?: string;
              weight: number;
              /** Response headers this destination adds (`headers.response.add`). */
              responseHeaders: Record<string, string>;
          }[];
      }
    | { kind: "directResponse"; route: string; status: number }
    /** Envoy answers 404 itself when no route matches. */
    | { kind: "noRoute" };

const supportedMatchKeys = new Set(["uri", "headers"]);
const supportedRouteKeys = new Set(["name", "match", "route", "rewrite", "directResponse"]);
const supportedDestinationKeys = new Set(["destination", "weight", "headers"]);

/** `headers.response.add` of a route destination; anything else under `headers` is not implemented. */
function responseHeadersAdded(d: FreeForm): Record<string, string> {
    const headers = d.headers ?? {};
    for (const key of Object.keys(headers))
        if (key !== "response") throw new Error(`unsupported destination headers field ${key}`);
    for (const key of Object.keys(headers.response ?? {}))
        if (key !== "add") throw new Error(`unsupported response headers operation ${key}`);
    return { ...(headers.response?.add ?? {}) };
}

/** Envoy's safe_regex is RE2 matched against the whole value; only the `(?i)` flag is used here. */
function fullRegex(pattern: string): RegExp {
    let flags = "";
    if (pattern.startsWith("(?i)")) {
        flags = "i";
        pattern = pattern.slice(4);
    }
    if (/\(\?[a-zA-Z]/.test(pattern)) throw new Error(`unsupported inline flag in regex ${pattern}`);
    return new RegExp(`^(?:${pattern})$`, flags);
}

function stringMatches(m: Record<string, string>, value: string | undefined): boolean {
    const keys = Object.keys(m);
    if (keys.length !== 1)
        throw new Error(`StringMatch must have exactly one of exact/prefix/regex: ${JSON.stringify(m)}`);
    if (value === undefined) return false;
    if (m.exact !== undefined) return value === m.exact;
    if (m.prefix !== undefined) return value.startsWith(m.prefix);
    if (m.regex !== undefined) return fullRegex(m.regex).test(value);
    throw new Error(`unsupported StringMatch ${JSON.stringify(m)}`);
}

function matchRequest(match: Record<string, FreeForm>, req: GatewayRequest): boolean {
    for (const key of Object.keys(match)) {
        if (!supportedMatchKeys.has(key)) throw new Error(`unsupported match field ${key}`);
    }
    if (match.uri && !stringMatches(match.uri, req.path)) return false;
    const headers = Object.fromEntries(Object.entries(req.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    for (const [name, m] of Object.entries<Record<string, string>>(match.headers ?? {})) {
        if (!stringMatches(m, headers[name.toLowerCase()])) return false;
    }
    return true;
}

function rewritePath(route: FreeForm, matched: Record<string, FreeForm> | undefined, path: string): string {
    const uri = route.rewrite?.uri;
    if (uri === undefined) return path;
    // Istio replaces the matched prefix when the match was a prefix, else the whole path.
    const prefix = matched?.uri?.prefix;
    return prefix !== undefined ? uri + path.slice(prefix.length) : uri;
}

/** The outcome of sending `req` through the VirtualService `spec` (its `http` routes, in order). */
export function routeRequest(spec: { http?: FreeForm[] }, req: GatewayRequest): RouteOutcome {
    for (const route of spec.http ?? []) {
        for (const key of Object.keys(route)) {
            if (!supportedRouteKeys.has(key)) throw new Error(`unsupported route field ${key}`);
        }
        const matches: FreeForm[] = route.match ?? [];
        // No match list = matches everything; otherwise any one entry (OR), each entry all fields (AND).
        const matched = matches.length === 0 ? {} : matches.find((m) => matchRequest(m, req));
        if (matched === undefined) continue;
        if (route.directResponse)
            return { kind: "directResponse", route: route.name, status: route.directResponse.status };
        const dests: FreeForm[] = route.route ?? [];
        return {
            kind: "route",
            route: route.name,
            path: rewritePath(route, matches.length === 0 ? undefined : matched, req.path),
            destinations: dests.map((d) => {
                for (const key of Object.keys(d))
                    if (!supportedDestinationKeys.has(key)) throw new Error(`unsupported destination field ${key}`);
                return {
                    host: d.destination.host,
                    port: d.destination.port?.number,
                    subset: d.destination.subset,
                    // A lone destination takes all traffic; Istio requires weights to sum to 100 otherwise.
                    weight: d.weight ?? (dests.length === 1 ? 100 : 0),
                    responseHeaders: responseHeadersAdded(d),
                };
            }),
        };
    }
    return { kind: "noRoute" };
}

/** The single TorchServe port a request reaches, or undefined when it reaches none (404 or split ports). */
export function destinationPort(spec: { http?: FreeForm[] }, req: GatewayRequest): number | undefined {
    const outcome = routeRequest(spec, req);
    if (outcome.kind !== "route") return undefined;
    const ports = new Set(outcome.destinations.filter((d) => d.weight > 0).map((d) => d.port));
    return ports.size === 1 ? [...ports][0] : undefined;
}
