// Istio objects for TorchServe, as pure functions of the mesh's spec and TorchServe's endpoints: the edge Gateway, the
// VirtualService that picks a TorchServe port per request, the DestinationRule (cookie affinity,
// canary subsets) and the optional mTLS / JWT policies. The component only wraps these in
// CustomResources, so tests read exactly what is applied.
import { FreeForm } from "../cluster/freeform";
import { serviceDnsName } from "../cluster/addresses";
import { workloadPrincipal } from "./charts";
import type { ServingEndpoints } from "../torchserve/endpoints";
import { IstioSpec, JwtSpec } from "./spec";

/** A Kubernetes object as the API server takes it (the CustomResource args). */
export interface IstioObject {
    apiVersion: "networking.istio.io/v1" | "security.istio.io/v1";
    kind: string;
    metadata: { name: string; namespace: string; labels?: Record<string, string> };
    spec: Record<string, FreeForm>;
}

/** Where TorchServe and the gateway are; what the route builders need besides the spec. */
export interface RouteTarget {
    /**
     * TorchServe's Service, pods, ports and tracks. Its namespace must exist before the routes: it
     * holds the VirtualService, DestinationRule and policies.
     */
    serving: ServingEndpoints;
    /** Namespace of the ingress gateway pods (IstioMesh.gatewayNamespace): where the Gateway, its TLS secret and edge policies live. */
    gatewayNamespace: string;
    /** Labels selecting the ingress gateway pods (IstioMesh.gatewaySelector). */
    gatewaySelector: Record<string, string>;
    /** ServiceAccount of the ingress gateway pods (IstioMesh.gatewayServiceAccount): their mesh identity. */
    gatewayServiceAccount: string;
}

/** Name of the Gateway object (and prefix of the other objects' names). */
export const gatewayObjectName = "torchserve";

/** Header that picks the protocol at the edge; matched case-insensitively. */
export const protocolHeader = "protocol";

/**
 * Path prefixes that reach the non-inference ports when opted in. Management is mounted under a
 * prefix that is stripped (`/management/models` → `/models` on the management port); metrics keep
 * TorchServe's own path (`/metrics` on the metrics port). When not opted in, both prefixes get a
 * 404 from the gateway itself, so they never reach TorchServe at all.
 */
export const managementPathPrefix = "/management/";
export const metricsPathPrefix = "/metrics";

const commonLabels = { "app.kubernetes.io/part-of": "torchserve-platform" };

function meta(name: string, namespace: string) {
    return { name, namespace, labels: { ...commonLabels } };
}

/** In-cluster FQDN of the TorchServe Service, as Istio destinations name it. */
export function serviceHost(serving: Pick<ServingEndpoints, "namespace" | "serviceName">): string {
    return serviceDnsName(serving.serviceName, serving.namespace);
}

/** `<gateway namespace>/<gateway name>` as a VirtualService in another namespace refers to it. */
export function gatewayRef(t: Pick<RouteTarget, "gatewayNamespace">): string {
    return `${t.gatewayNamespace}/${gatewayObjectName}`;
}

/**
 * Edge Gateway: HTTP on 80 for `istio.hosts`, plus HTTPS on 443 (TLS terminated here) when a
 * credential is set. With TLS, port 80 only answers with a 301 to https (`tls.httpsRedirect`:
 * "the load balancer will send a 301 redirect for all http connections", istio.io
 * docs/reference/config/networking/gateway, ServerTLSSettings), so no route — and no bearer
 * token — is served in clear text.
 */
export function gatewayObject(istio: IstioSpec, t: RouteTarget): IstioObject {
    const http: FreeForm = { port: { number: 80, name: "http", protocol: "HTTP" }, hosts: [...istio.hosts] };
    if (istio.tlsCredentialName) http.tls = { httpsRedirect: true };
    const servers: FreeForm[] = [http];
    if (istio.tlsCredentialName) {
        servers.push({
            port: { number: 443, name: "https", protocol: "HTTPS" },
            hosts: [...istio.hosts],
            // SIMPLE: the gateway terminates TLS with the Secret `credentialName` in its own namespace.
            tls: { mode: "SIMPLE", credentialName: istio.tlsCredentialName },
        });
    }
    return {
        apiVersion: "networking.istio.io/v1",
        kind: "Gateway",
        metadata: meta(gatewayObjectName, t.gatewayNamespace),
        spec: { selector: { ...t.gatewaySelector }, servers },
    };
}

/**
 * Route destinations for one TorchServe port. With a canary, every route splits 100-w / w between
 * the stable and canary subsets; the DestinationRule's cookie hash then picks the pod within the
 * chosen subset.
 */
export function destinations(t: RouteTarget, port: number): FreeForm[] {
    const { stable, canary } = t.serving;
    const host = serviceHost(t.serving);
    if (canary === undefined) return [{ destination: { host, port: { number: port } } }];
    return [
        { destination: { host, subset: stable.track, port: { number: port } }, weight: 100 - canary.weight },
        { destination: { host, subset: canary.track, port: { number: port } }, weight: canary.weight },
    ];
}

/**
 * gRPC requests carry `content-type: application/grpc` (or `application/grpc+proto`, …) by the gRPC
 * over HTTP/2 spec; grpcurl and generated stubs send only that, no `protocol` header.
 */
export const grpcContentTypePrefix = "application/grpc";

/** Case-insensitive full match of the `protocol` header (Envoy regexes are RE2, matched in full). */
function protocolIs(value: string) {
    return { headers: { [protocolHeader]: { regex: `(?i)${value}` } } };
}

/**
 * Session keys the gateway hashes on, in the order routes test them: TorchServe's stateful-session
 * header `ts_request_sequence_id`, then `session_id` (the seed's gRPC client sends it as metadata,
 * i.e. an HTTP/2 header), then the session cookie. Istio hashes on one key per traffic policy, but
 * each DestinationRule subset may carry its own trafficPolicy (istio.io
 * docs/reference/config/networking/destination-rule, Subset.trafficPolicy,
 * LoadBalancerSettings.ConsistentHashLB.httpHeaderName / httpCookie), so every header key gets
 * subsets of its own and the VirtualService sends requests carrying that header there.
 */
export const sessionHeaders = [
    { header: "ts_request_sequence_id", subsetSuffix: "sequence-id" },
    { header: "session_id", subsetSuffix: "session-id" },
] as const;

/** Cookie that pins a session to its canary track; named after the affinity cookie. */
export function trackCookieName(istio: IstioSpec): string {
    return `${istio.sessionCookie.name}-track`;
}

/** An Istio duration (`60s`, `1h`, `500ms`) as whole seconds for a cookie's Max-Age (at least 1). */
export function durationSeconds(duration: string): number {
    const m = /^(\d+)(ms|s|m|h)$/.exec(duration);
    if (!m) throw new Error(`not an Istio duration: ${duration}`);
    const n = Number(m[1]);
    const seconds = { ms: n / 1000, s: n, m: n * 60, h: n * 3600 }[m[2] as "ms" | "s" | "m" | "h"];
    return Math.max(1, Math.ceil(seconds));
}

/** Subset name for a track (undefined = no canary: all pods) and an optional header key. */
function subsetName(track: string | undefined, suffix: string | undefined): string | undefined {
    if (suffix === undefined) return track;
    return track === undefined ? suffix : `${track}-${suffix}`;
}

/** The header's presence (any non-empty value); Envoy regexes match the whole value. */
const present = { regex: ".+" };

/** Request whose `cookie` header carries `<name>=<value>` (anywhere in the list). */
function cookieIs(name: string, value: string) {
    const escape = (v: string) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return { regex: `(^|.*;\\s*)${escape(name)}=${escape(value)}(;.*|$)` };
}

/** Every entry of `matches` (OR) AND `headers`; no entries = matches everything. */
function withHeaders(matches: FreeForm[] | undefined, headers: Record<string, FreeForm>): FreeForm[] {
    const base = matches && matches.length > 0 ? matches : [{}];
    return base.map((m) => ({ ...m, headers: { ...(m.headers ?? {}), ...headers } }));
}

/**
 * The routes of one inference family (same match, same port), most specific first: for each
 * session key (sequence header, session header, cookie) the track pins then the split.
 * Without a canary: one route per header key to its hashed subset, then the cookie-hashed route.
 * With a canary, for each key:
 *  - track cookie `=canary` → canary subset, `=stable` → stable subset (a session keeps its track);
 *  - otherwise the weighted split, each destination setting the track cookie on the response.
 * The track cookie works for any client that returns cookies, and gRPC clients may send it as
 * `cookie` metadata; a header-keyed session whose client ignores `set-cookie` is split per request.
 */
function inferenceFamily(istio: IstioSpec, t: RouteTarget, name: string, match: FreeForm[] | undefined, port: number) {
    const { stable, canary } = t.serving;
    const host = serviceHost(t.serving);
    const keys: { suffix?: string; header?: string }[] = [
        ...sessionHeaders.map((h) => ({ suffix: h.subsetSuffix, header: h.header })),
        {},
    ];
    const dest = (track: string | undefined, suffix: string | undefined) => {
        const subset = subsetName(track, suffix);
        return { host, ...(subset === undefined ? {} : { subset }), port: { number: port } };
    };
    const routes: FreeForm[] = [];
    const cookie = trackCookieName(istio);
    const maxAge = durationSeconds(istio.sessionCookie.ttl);
    for (const key of keys) {
        const keyName = key.suffix === undefined ? name : `${name}-${key.suffix}`;
        const keyHeaders: Record<string, FreeForm> = key.header === undefined ? {} : { [key.header]: present };
        if (canary === undefined) {
            routes.push({
                name: keyName,
                ...(key.header === undefined ? (match ? { match } : {}) : { match: withHeaders(match, keyHeaders) }),
                route: [{ destination: dest(undefined, key.suffix) }],
            });
            continue;
        }
        for (const track of [canary.track, stable.track]) {
            routes.push({
                name: `${keyName}-${track}-pinned`,
                match: withHeaders(match, { ...keyHeaders, cookie: cookieIs(cookie, track) }),
                route: [{ destination: dest(track, key.suffix) }],
            });
        }
        const split = [
            [stable.track, 100 - canary.weight],
            [canary.track, canary.weight],
        ] as const;
        routes.push({
            name: keyName,
            ...(key.header === undefined ? (match ? { match } : {}) : { match: withHeaders(match, keyHeaders) }),
            route: split.map(([track, weight]) => ({
                destination: dest(track, key.suffix),
                weight,
                headers: { response: { add: { "set-cookie": `${cookie}=${track}; Path=/; Max-Age=${maxAge}` } } },
            })),
        });
    }
    return routes;
}

/**
 * HTTP routes, first match wins:
 *  1. `/metrics…`      → metrics port if `exposeMetrics`, else 404 at the gateway;
 *  2. `/management/…`  → management port (prefix stripped) if `exposeManagement`, else 404;
 *  3. `protocol: grpc` (any case), or `content-type: application/grpc…` → gRPC inference port;
 *  4. `protocol: rest` (any case) → inference port;
 *  5. anything else (no header) → inference port.
 * Each of 3–5 is a family of routes (inferenceFamily): session-header affinity and sticky canary.
 * The gRPC management port is never exposed at the edge.
 */
export function httpRoutes(istio: IstioSpec, t: RouteTarget): FreeForm[] {
    const routes: FreeForm[] = [];
    routes.push(
        istio.exposeMetrics
            ? {
                  name: "metrics",
                  match: [{ uri: { prefix: metricsPathPrefix } }],
                  route: destinations(t, t.serving.ports.metrics),
              }
            : {
                  name: "metrics-blocked",
                  match: [{ uri: { prefix: metricsPathPrefix } }],
                  directResponse: { status: 404 },
              },
    );
    routes.push(
        istio.exposeManagement
            ? {
                  name: "management",
                  match: [{ uri: { prefix: managementPathPrefix } }],
                  rewrite: { uri: "/" },
                  route: destinations(t, t.serving.ports.management),
              }
            : {
                  name: "management-blocked",
                  match: [{ uri: { prefix: managementPathPrefix } }],
                  directResponse: { status: 404 },
              },
    );
    routes.push(
        ...inferenceFamily(
            istio,
            t,
            "grpc-inference",
            [protocolIs("grpc"), { headers: { "content-type": { prefix: grpcContentTypePrefix } } }],
            t.serving.ports.grpcInference,
        ),
    );
    routes.push(...inferenceFamily(istio, t, "rest-inference", [protocolIs("rest")], t.serving.ports.inference));
    routes.push(...inferenceFamily(istio, t, "default-inference", undefined, t.serving.ports.inference));
    return routes;
}

/** VirtualService bound to the edge Gateway only (in-mesh clients call the Service directly). */
export function virtualServiceObject(istio: IstioSpec, t: RouteTarget): IstioObject {
    return {
        apiVersion: "networking.istio.io/v1",
        kind: "VirtualService",
        metadata: meta(gatewayObjectName, t.serving.namespace),
        spec: { hosts: [...istio.hosts], gateways: [gatewayRef(t)], http: httpRoutes(istio, t) },
    };
}

/**
 * DestinationRule: session affinity by cookie (consistent hash on `istio.sessionCookie`; Envoy sets
 * the cookie on the first response when the client has none) as the top-level policy, which subsets
 * without a trafficPolicy inherit; per session header a subset hashing on that header
 * (`httpHeaderName`), for each track when there is a canary (subsets `<track>` and
 * `<track>-<key>`, by the track label), else over all TorchServe pods (subsets `<key>`).
 */
export function destinationRuleObject(istio: IstioSpec, t: RouteTarget): IstioObject {
    const { serving } = t;
    const spec: Record<string, FreeForm> = {
        host: serviceHost(serving),
        trafficPolicy: {
            loadBalancer: {
                consistentHash: { httpCookie: { name: istio.sessionCookie.name, ttl: istio.sessionCookie.ttl } },
            },
        },
    };
    const headerSubsets = (track: string | undefined, labels: Record<string, string>) =>
        sessionHeaders.map((h) => ({
            name: subsetName(track, h.subsetSuffix),
            labels: { ...labels },
            trafficPolicy: { loadBalancer: { consistentHash: { httpHeaderName: h.header } } },
        }));
    spec.subsets =
        serving.canary === undefined
            ? headerSubsets(undefined, serving.podLabels)
            : [serving.stable, serving.canary].flatMap(({ track }) => [
                  { name: track, labels: { [serving.trackLabel]: track } },
                  ...headerSubsets(track, { [serving.trackLabel]: track }),
              ]);
    return {
        apiVersion: "networking.istio.io/v1",
        kind: "DestinationRule",
        metadata: meta(gatewayObjectName, serving.namespace),
        spec,
    };
}

/**
 * STRICT mTLS for the TorchServe namespace, and for the TorchServe pods with one exception: the
 * metrics port stays PERMISSIVE so a Prometheus outside the mesh can still scrape it in plain text
 * (port-level settings only apply to a PeerAuthentication with a workload selector, hence two).
 */
export function peerAuthenticationObjects(t: RouteTarget): IstioObject[] {
    return [
        {
            apiVersion: "security.istio.io/v1",
            kind: "PeerAuthentication",
            metadata: meta("default", t.serving.namespace),
            spec: { mtls: { mode: "STRICT" } },
        },
        {
            apiVersion: "security.istio.io/v1",
            kind: "PeerAuthentication",
            metadata: meta(gatewayObjectName, t.serving.namespace),
            spec: {
                selector: { matchLabels: { ...t.serving.podLabels } },
                mtls: { mode: "STRICT" },
                portLevelMtls: { [String(t.serving.ports.metrics)]: { mode: "PERMISSIVE" } },
            },
        },
    ];
}

/**
 * JWT at the edge, on the ingress gateway pods: RequestAuthentication rejects a request whose token
 * is invalid (401) but lets a request without a token through, so an AuthorizationPolicy denies
 * requests that carry no valid token (403). Applies to every route of the gateway.
 */
export function jwtObjects(jwt: JwtSpec, t: RouteTarget): IstioObject[] {
    const selector = { matchLabels: { ...t.gatewaySelector } };
    return [
        {
            apiVersion: "security.istio.io/v1",
            kind: "RequestAuthentication",
            metadata: meta(`${gatewayObjectName}-jwt`, t.gatewayNamespace),
            spec: {
                selector,
                jwtRules: [
                    {
                        issuer: jwt.issuer,
                        jwksUri: jwt.jwksUri,
                        ...(jwt.audiences?.length ? { audiences: jwt.audiences } : {}),
                    },
                ],
            },
        },
        {
            apiVersion: "security.istio.io/v1",
            kind: "AuthorizationPolicy",
            metadata: meta(`${gatewayObjectName}-require-jwt`, t.gatewayNamespace),
            spec: { selector, action: "DENY", rules: [{ from: [{ source: { notRequestPrincipals: ["*"] } }] }] },
        },
    ];
}

/**
 * Management through the gateway only for tokens carrying `jwt.managementClaims`: an ALLOW policy
 * on the gateway pods with two rules, everything but `/management/*`, and `/management/*` when
 * every listed claim has one of its values. Under an ALLOW policy a request that matches no rule
 * is denied, so a token without the claims (or with a claim missing) gets 403 on management, while
 * the DENY policy of jwtObjects still refuses requests without a valid token on every path (DENY is
 * evaluated before ALLOW; istio.io docs/concepts/security, "Authorization policies").
 * `request.auth.claims[<name>]` is the claim of the validated JWT (istio.io
 * docs/reference/config/security/conditions).
 */
export function managementClaimsObject(claims: Record<string, string[]> | undefined, t: RouteTarget): IstioObject {
    const managementPaths = [`${managementPathPrefix}*`];
    // No claims named = no token is enough: management stays closed rather than open to any token.
    const entries = Object.entries(claims ?? {});
    return {
        apiVersion: "security.istio.io/v1",
        kind: "AuthorizationPolicy",
        metadata: meta(`${gatewayObjectName}-management-claims`, t.gatewayNamespace),
        spec: {
            selector: { matchLabels: { ...t.gatewaySelector } },
            action: "ALLOW",
            rules: [
                { to: [{ operation: { notPaths: managementPaths } }] },
                ...(entries.length === 0
                    ? []
                    : [
                          {
                              to: [{ operation: { paths: managementPaths } }],
                              when: entries.map(([claim, values]) => ({
                                  key: `request.auth.claims[${claim}]`,
                                  values: [...values],
                              })),
                          },
                      ]),
            ],
        },
    };
}

/**
 * Who may call TorchServe's pods, by port (an ALLOW policy on the pods, so anything unlisted is
 * denied):
 *  - inference (REST, gRPC): the ingress gateway's identity, and pods of `inferenceFromNamespaces`;
 *  - management (REST, gRPC): pods of TorchServe's own namespace, plus the gateway on the REST
 *    management port when `exposeManagement`;
 *  - metrics: any source. Prometheus runs outside the mesh and scrapes in plain text, which carries
 *    no identity to match; the NetworkPolicy limits this port to the monitoring namespace.
 * `principals` and `namespaces` come from the peer's mTLS certificate, so plain-text callers never
 * match them (istio.io news/security/istio-security-2021-004: "These mTLS-only fields will never
 * match when the traffic is plain text"); used only in ALLOW rules, that denies plain text rather
 * than letting it through, whether or not `strictMtls` is on. Sidecars send mTLS to sidecars on
 * their own (auto mTLS), so the gateway and in-mesh callers present their identity. Probes and
 * `kubectl port-forward` reach the container without passing the sidecar's inbound listener.
 */
export function torchServePodPolicy(istio: IstioSpec, t: RouteTarget): IstioObject {
    const { serving } = t;
    const ports = (...numbers: number[]) => [{ operation: { ports: numbers.map(String) } }];
    const gateway = { source: { principals: [workloadPrincipal(t.gatewayNamespace, t.gatewayServiceAccount)] } };
    const callers = [...new Set(istio.inferenceFromNamespaces ?? [])];
    const rules: FreeForm[] = [
        {
            from: callers.length > 0 ? [gateway, { source: { namespaces: callers } }] : [gateway],
            to: ports(serving.ports.inference, serving.ports.grpcInference),
        },
        {
            from: [{ source: { namespaces: [serving.namespace] } }],
            to: ports(serving.ports.management, serving.ports.grpcManagement),
        },
    ];
    if (istio.exposeManagement) rules.push({ from: [gateway], to: ports(serving.ports.management) });
    rules.push({ to: ports(serving.ports.metrics) });
    return {
        apiVersion: "security.istio.io/v1",
        kind: "AuthorizationPolicy",
        metadata: meta(gatewayObjectName, serving.namespace),
        spec: { selector: { matchLabels: { ...serving.podLabels } }, action: "ALLOW", rules },
    };
}

/** Every Istio object for the spec, in apply order (Gateway first, policies last). */
export function inferenceRouteObjects(istio: IstioSpec, t: RouteTarget): IstioObject[] {
    const objects = [gatewayObject(istio, t), virtualServiceObject(istio, t), destinationRuleObject(istio, t)];
    if (istio.strictMtls) objects.push(...peerAuthenticationObjects(t));
    objects.push(torchServePodPolicy(istio, t));
    if (istio.jwt) objects.push(...jwtObjects(istio.jwt, t));
    if (istio.jwt && istio.exposeManagement) objects.push(managementClaimsObject(istio.jwt.managementClaims, t));
    return objects;
}
