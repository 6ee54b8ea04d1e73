// The Istio mesh: what the gateway does with a request (interpreted from the VirtualService we
// build), session affinity, canary weights, install order, schemas, providers, outputs.
import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import {
    gatewayNamespace,
    gatewaySelectorLabels,
    gatewayServiceAccountName,
    gatewayServiceName,
    inferenceRouteObjects,
    istioChartRepo,
    istioVersion,
    InferenceRoutes,
    IstioMesh,
    IstioObject,
    IstioSpec,
    RouteTarget,
    durationSeconds,
    sessionHeaders,
    trackCookieName,
} from "../components/mesh";
import { podLabels, serviceName, trackLabel, tracks } from "../components/torchserve/conventions";
import { servingEndpoints } from "../components/torchserve/endpoints";
import { TorchServeSpec } from "../components/torchserve/spec";
import { Placement } from "../components/cluster/kubernetes";
import { evaluate, Evaluation, RegisteredResource, UNKNOWN } from "../harness/evaluate";
import { all, one } from "./support/match";
import { kubernetesObjects, validateKubernetesObject } from "./support/schema";
import { destinationPort, routeRequest } from "./support/virtualService";
import { HashKey, hashKeyFor, subsetLabels } from "./support/destinationRule";
import { istioSpec, torchServeSpec } from "./support/specs";
import { allowed, Request } from "./support/authorization";

const ports = { inference: 8080, management: 8081, metrics: 8082, grpcInference: 7070 };

/** The mesh's spec and the TorchServe it routes to (with a canary taking `canaryWeight` percent). */
interface MeshCase {
    istio: IstioSpec;
    torchserve: TorchServeSpec;
}

function meshCase(istio: Partial<IstioSpec> = {}, canaryWeight?: number): MeshCase {
    const canary =
        canaryWeight === undefined
            ? undefined
            : { image: "pytorch/torchserve:0.12.0-cpu", weight: canaryWeight, replicas: 1 };
    return { istio: istioSpec(istio), torchserve: torchServeSpec({ canary }) };
}

function target(c: MeshCase): RouteTarget {
    return {
        serving: servingEndpoints(c.torchserve),
        gatewayNamespace,
        gatewaySelector: gatewaySelectorLabels(),
        gatewayServiceAccount: gatewayServiceAccountName,
    };
}

function objectsOf(c: MeshCase): IstioObject[] {
    return inferenceRouteObjects(c.istio, target(c));
}

const vsOf = (s: MeshCase) => one(objectsOf(s), "VirtualService").spec;

describe("Istio routes (pure)", () => {
    describe("VirtualService: which TorchServe port a request reaches", () => {
        const vs = vsOf(meshCase());

        it("protocol: grpc in any case → gRPC inference port", () => {
            for (const value of ["grpc", "gRPC", "GRPC", "Grpc"]) {
                assert.strictEqual(
                    destinationPort(vs, {
                        path: "/org.pytorch.serve.grpc.inference.InferenceAPIsService/Predictions",
                        headers: { protocol: value },
                    }),
                    ports.grpcInference,
                    value,
                );
            }
        });

        it("protocol: rest in any case → inference port", () => {
            for (const value of ["REST", "rest", "Rest"]) {
                assert.strictEqual(
                    destinationPort(vs, { path: "/predictions/squeezenet1_1", headers: { protocol: value } }),
                    ports.inference,
                    value,
                );
            }
            // Header names are case-insensitive in HTTP.
            assert.strictEqual(
                destinationPort(vs, { path: "/predictions/x", headers: { Protocol: "GRPC" } }),
                ports.grpcInference,
            );
        });

        it("content-type application/grpc (grpcurl, generated stubs: no protocol header) → gRPC inference port", () => {
            const path = "/org.pytorch.serve.grpc.inference.InferenceAPIsService/Predictions";
            for (const ct of ["application/grpc", "application/grpc+proto"]) {
                assert.strictEqual(
                    destinationPort(vs, { path, headers: { "Content-Type": ct } }),
                    ports.grpcInference,
                    ct,
                );
            }
            // REST bodies keep their content types and their port.
            for (const ct of ["application/json", "image/jpeg", "application/octet-stream"]) {
                assert.strictEqual(
                    destinationPort(vs, { path: "/predictions/squeezenet1_1", headers: { "content-type": ct } }),
                    ports.inference,
                    ct,
                );
            }
        });

        it("no protocol header → inference port", () => {
            assert.strictEqual(destinationPort(vs, { path: "/predictions/squeezenet1_1" }), ports.inference);
            assert.strictEqual(destinationPort(vs, { path: "/ping" }), ports.inference);
        });

        it("the header value must match in full (regex is anchored like Envoy's)", () => {
            // "grpc-web" is not "grpc": it falls through to the default inference route.
            assert.strictEqual(destinationPort(vs, { path: "/x", headers: { protocol: "grpc-web" } }), ports.inference);
        });

        it("metrics and management are not reachable unless opted in", () => {
            const metrics = routeRequest(vs, { path: "/metrics" });
            assert.deepStrictEqual(metrics, { kind: "directResponse", route: "metrics-blocked", status: 404 });
            assert.strictEqual(
                routeRequest(vs, { path: "/metrics", headers: { protocol: "REST" } }).kind,
                "directResponse",
            );
            assert.strictEqual(routeRequest(vs, { path: "/management/models" }).kind, "directResponse");
            // No route of any request leads to the management or metrics port.
            for (const route of vs.http) {
                for (const d of route.route ?? []) {
                    assert.ok(![ports.management, ports.metrics].includes(d.destination.port.number), route.name);
                }
            }
        });

        it("exposeMetrics → /metrics reaches the metrics port", () => {
            const opened = vsOf(meshCase({ exposeMetrics: true }));
            assert.strictEqual(destinationPort(opened, { path: "/metrics" }), ports.metrics);
            assert.strictEqual(routeRequest(opened, { path: "/management/models" }).kind, "directResponse");
        });

        it("exposeManagement → /management/<api> reaches the management port as /<api>", () => {
            const opened = vsOf(meshCase({ exposeManagement: true }));
            const outcome = routeRequest(opened, { path: "/management/models/squeezenet1_1" });
            assert.strictEqual(outcome.kind, "route");
            if (outcome.kind === "route") {
                assert.strictEqual(outcome.path, "/models/squeezenet1_1");
                assert.deepStrictEqual(
                    outcome.destinations.map((d) => d.port),
                    [ports.management],
                );
            }
            assert.strictEqual(routeRequest(opened, { path: "/metrics" }).kind, "directResponse");
        });

        it("routes to the TorchServe Service and binds to the edge Gateway for the configured hosts", () => {
            const s = meshCase();
            const outcome = routeRequest(vs, { path: "/predictions/x" });
            assert.ok(outcome.kind === "route");
            assert.strictEqual(
                outcome.destinations[0].host,
                `${serviceName}.${s.torchserve.namespace}.svc.cluster.local`,
            );
            assert.deepStrictEqual(vs.hosts, ["models.example.com"]);
            const gw = one(objectsOf(s), "Gateway");
            assert.deepStrictEqual(vs.gateways, [`${gw.metadata.namespace}/${gw.metadata.name}`]);
        });

        it("uses TorchServe's ports, not fixed numbers", () => {
            const s = meshCase();
            s.torchserve = torchServeSpec({ inferencePort: 9080, grpcInferencePort: 9070 });
            const moved = vsOf(s);
            assert.strictEqual(destinationPort(moved, { path: "/p" }), 9080);
            assert.strictEqual(destinationPort(moved, { path: "/p", headers: { protocol: "grpc" } }), 9070);
        });
    });

    describe("Gateway", () => {
        it("HTTP on 80 for the hosts, on the ingress gateway pods", () => {
            const gw = one(objectsOf(meshCase()), "Gateway");
            assert.deepStrictEqual(gw.spec.servers, [
                { port: { number: 80, name: "http", protocol: "HTTP" }, hosts: ["models.example.com"] },
            ]);
            assert.deepStrictEqual(gw.spec.selector, { istio: "ingressgateway" });
            assert.strictEqual(gw.metadata.namespace, gatewayNamespace);
        });

        it("adds HTTPS on 443 with the TLS credential when tlsCredentialName is set", () => {
            const gw = one(objectsOf(meshCase({ tlsCredentialName: "models-tls" })), "Gateway");
            const https = gw.spec.servers.find((s: any) => s.port.number === 443);
            assert.deepStrictEqual(https, {
                port: { number: 443, name: "https", protocol: "HTTPS" },
                hosts: ["models.example.com"],
                tls: { mode: "SIMPLE", credentialName: "models-tls" },
            });
        });

        it("selects the pods the gateway chart labels for our release (istio: <release without istio->)", () => {
            assert.deepStrictEqual(gatewaySelectorLabels("istio-ingressgateway"), { istio: "ingressgateway" });
            assert.deepStrictEqual(gatewaySelectorLabels("istio-ingress"), { istio: "ingress" });
        });
    });

    describe("DestinationRule: session affinity", () => {
        it("consistent hash on the configured cookie name and ttl", () => {
            const dr = one(
                objectsOf(meshCase({ sessionCookie: { name: "ts-affinity", ttl: "3600s" } })),
                "DestinationRule",
            );
            assert.deepStrictEqual(dr.spec.trafficPolicy.loadBalancer.consistentHash.httpCookie, {
                name: "ts-affinity",
                ttl: "3600s",
            });
            assert.strictEqual(dr.spec.host, "torchserve.torchserve.svc.cluster.local");
        });

        // Where a request goes (VirtualService interpreter) and what that subset hashes on
        // (DestinationRule resolution): the session key must be the header the request carries.
        const affinityRows: [string, Record<string, string>, HashKey][] = [
            ["ts_request_sequence_id (REST)", { ts_request_sequence_id: "s1" }, { header: "ts_request_sequence_id" }],
            [
                "ts_request_sequence_id wins over session_id",
                { ts_request_sequence_id: "s1", session_id: "a" },
                { header: "ts_request_sequence_id" },
            ],
            ["session_id (REST)", { session_id: "a" }, { header: "session_id" }],
            [
                "session_id as gRPC metadata",
                { session_id: "a", "content-type": "application/grpc" },
                { header: "session_id" },
            ],
            ["no session header → cookie", {}, { cookie: "ts-affinity" }],
            ["empty session_id → cookie", { session_id: "" }, { cookie: "ts-affinity" }],
        ];
        for (const canaryWeight of [undefined, 20]) {
            const c = meshCase({ sessionCookie: { name: "ts-affinity", ttl: "60s" } }, canaryWeight);
            const objects = objectsOf(c);
            const vs = one(objects, "VirtualService").spec;
            const dr = one(objects, "DestinationRule").spec;
            for (const [what, headers, key] of affinityRows) {
                it(`${canaryWeight === undefined ? "no canary" : "canary"}: ${what} → hashed on ${JSON.stringify(key)}`, () => {
                    const outcome = routeRequest(vs, { path: "/predictions/m", headers });
                    assert.ok(outcome.kind === "route");
                    assert.ok(outcome.destinations.length > 0);
                    for (const d of outcome.destinations) {
                        assert.deepStrictEqual(hashKeyFor(dr, d.subset), key, d.subset);
                        const labels = d.subset === undefined ? undefined : subsetLabels(dr, d.subset);
                        if (canaryWeight === undefined) {
                            if (labels)
                                assert.deepStrictEqual(
                                    labels,
                                    c.torchserve && servingEndpoints(c.torchserve).podLabels,
                                );
                        } else assert.ok(labels && labels[trackLabel] !== undefined, d.subset);
                    }
                });
            }
        }

        it("the resolution catches a route to a subset hashing on the wrong key", () => {
            const c = meshCase({ sessionCookie: { name: "ts-affinity", ttl: "60s" } });
            const dr = one(objectsOf(c), "DestinationRule").spec;
            // A session_id request sent to the sequence-id subset would hash on the wrong header.
            assert.notDeepStrictEqual(hashKeyFor(dr, "sequence-id"), { header: "session_id" });
            assert.throws(() => hashKeyFor(dr, "no-such-subset"), /not declared/);
        });
    });

    describe("canary", () => {
        const s = meshCase({ exposeMetrics: true, exposeManagement: true }, 20);
        const objects = objectsOf(s);
        const vs = one(objects, "VirtualService").spec;
        const dr = one(objects, "DestinationRule").spec;
        const cookie = trackCookieName(s.istio);

        it("subsets per track select pods by the track label (cookie-hashed, plus one per session header)", () => {
            assert.deepStrictEqual(
                dr.subsets.map((x: any) => [x.name, x.labels[trackLabel]]),
                [
                    [tracks.stable, tracks.stable],
                    ["stable-sequence-id", tracks.stable],
                    ["stable-session-id", tracks.stable],
                    [tracks.canary, tracks.canary],
                    ["canary-sequence-id", tracks.canary],
                    ["canary-session-id", tracks.canary],
                ],
            );
        });

        it("every split route splits 80/20 between the tracks, on the same port, summing to 100", () => {
            const split = vs.http.filter((r: any) => r.route && r.route.length > 1);
            assert.ok(split.length >= 5);
            for (const r of split) {
                const tracksOf = r.route.map((d: any) => [
                    subsetLabels(dr, d.destination.subset)[trackLabel],
                    d.weight,
                ]);
                assert.deepStrictEqual(
                    tracksOf,
                    [
                        [tracks.stable, 80],
                        [tracks.canary, 20],
                    ],
                    r.name,
                );
                assert.strictEqual(new Set(r.route.map((d: any) => d.destination.port.number)).size, 1, r.name);
            }
            const grpc = routeRequest(vs, { path: "/p", headers: { protocol: "GRPC" } });
            assert.ok(grpc.kind === "route");
            assert.deepStrictEqual(
                grpc.destinations.map((d) => [d.subset, d.port, d.weight]),
                [
                    ["stable", ports.grpcInference, 80],
                    ["canary", ports.grpcInference, 20],
                ],
            );
        });

        it("the split sets the track cookie on the response, per destination", () => {
            for (const headers of <Record<string, string>[]>[
                {},
                { session_id: "a" },
                { ts_request_sequence_id: "1", protocol: "grpc" },
            ]) {
                const outcome = routeRequest(vs, { path: "/predictions/m", headers });
                assert.ok(outcome.kind === "route");
                assert.deepStrictEqual(
                    outcome.destinations.map((d) => [d.weight, d.responseHeaders["set-cookie"]]),
                    [
                        [80, `${cookie}=stable; Path=/; Max-Age=60`],
                        [20, `${cookie}=canary; Path=/; Max-Age=60`],
                    ],
                    JSON.stringify(headers),
                );
            }
        });

        const pinRows: [string, Record<string, string>, string, string][] = [
            ["canary cookie alone", { cookie: `${cookie}=canary` }, tracks.canary, ports.inference + ""],
            [
                "canary cookie among others",
                { cookie: `a=1; ${cookie}=canary; b=2` },
                tracks.canary,
                ports.inference + "",
            ],
            ["stable cookie", { cookie: `ts-affinity=x; ${cookie}=stable` }, tracks.stable, ports.inference + ""],
            [
                "canary cookie + session_id",
                { cookie: `${cookie}=canary`, session_id: "a" },
                "canary-session-id",
                ports.inference + "",
            ],
            [
                "canary cookie + ts_request_sequence_id over gRPC",
                { cookie: `${cookie}=canary`, ts_request_sequence_id: "1", "content-type": "application/grpc" },
                "canary-sequence-id",
                ports.grpcInference + "",
            ],
        ];
        for (const [what, headers, subset, port] of pinRows) {
            it(`a session keeps its track: ${what} → ${subset} only`, () => {
                for (const path of ["/predictions/a", "/predictions/b", "/"]) {
                    const outcome = routeRequest(vs, { path, headers });
                    assert.ok(outcome.kind === "route");
                    assert.deepStrictEqual(
                        outcome.destinations.map((d) => [d.subset, d.weight, String(d.port)]),
                        [[subset, 100, port]],
                    );
                }
            });
        }

        it("cookies that only look like the track cookie do not pin", () => {
            for (const c of [`x${cookie}=canary`, `${cookie}=canaryx`, `${cookie}=CANARY`]) {
                const outcome = routeRequest(vs, { path: "/p", headers: { cookie: c } });
                assert.ok(outcome.kind === "route");
                assert.strictEqual(outcome.destinations.length, 2, c);
            }
        });

        it("track subsets inherit the cookie hash; header subsets hash on their header", () => {
            assert.ok(dr.trafficPolicy.loadBalancer.consistentHash.httpCookie);
            for (const t of [tracks.stable, tracks.canary]) {
                assert.strictEqual(dr.subsets.find((x: any) => x.name === t).trafficPolicy, undefined, t);
                for (const h of sessionHeaders)
                    assert.deepStrictEqual(hashKeyFor(dr, `${t}-${h.subsetSuffix}`), { header: h.header });
            }
        });

        it("weights 0 and 100 still give two destinations summing to 100", () => {
            for (const w of [0, 100]) {
                const routes = vsOf(meshCase({}, w)).http.filter((r: any) => r.route && r.route.length > 1);
                assert.ok(routes.length > 0);
                for (const r of routes)
                    assert.deepStrictEqual(
                        r.route.map((d: any) => d.weight),
                        [100 - w, w],
                    );
            }
        });
    });

    describe("schema of the affinity and canary objects", () => {
        /** An IstioObject as the RegisteredResource the schema check reads. */
        const asResource = (o: IstioObject) =>
            ({
                type: `kubernetes:${o.apiVersion}:${o.kind}`,
                name: o.metadata.name,
                custom: true,
                inputs: { metadata: o.metadata, spec: o.spec },
            }) as unknown as RegisteredResource;
        for (const w of [undefined, 20]) {
            it(`${w === undefined ? "no canary" : "canary"}: VirtualService and DestinationRule pass Istio's schema`, async () => {
                const objects = objectsOf(meshCase({ exposeMetrics: true, exposeManagement: true }, w));
                for (const kind of ["VirtualService", "DestinationRule"])
                    await validateKubernetesObject(asResource(one(objects, kind)));
            });
        }
        it("the schema check refuses a subset whose header hash is not a string", async () => {
            const dr = one(objectsOf(meshCase({}, 20)), "DestinationRule");
            const broken = JSON.parse(JSON.stringify(dr));
            broken.spec.subsets[1].trafficPolicy.loadBalancer.consistentHash.httpHeaderName = 5;
            await assert.rejects(validateKubernetesObject(asResource(broken)), /fails its schema/);
        });
    });

    describe("interpreter", () => {
        it("throws on destination fields it does not implement", () => {
            const spec = {
                http: [
                    { name: "x", route: [{ destination: { host: "h" }, headers: { request: { set: { a: "b" } } } }] },
                ],
            };
            assert.throws(() => routeRequest(spec, { path: "/" }), /unsupported destination headers field request/);
            const spec2 = { http: [{ name: "x", route: [{ destination: { host: "h" }, mirror: {} }] }] };
            assert.throws(() => routeRequest(spec2, { path: "/" }), /unsupported destination field mirror/);
        });

        it("durations become cookie Max-Age seconds", () => {
            assert.deepStrictEqual(["60s", "1h", "2m", "500ms"].map(durationSeconds), [60, 3600, 120, 1]);
            assert.throws(() => durationSeconds("1d"));
        });
    });

    describe("security", () => {
        it("no PeerAuthentication or JWT policy unless asked for; always the pods' AuthorizationPolicy", () => {
            const kinds = objectsOf(meshCase()).map((o) => o.kind);
            assert.deepStrictEqual(kinds, ["Gateway", "VirtualService", "DestinationRule", "AuthorizationPolicy"]);
        });

        it("strictMtls: STRICT in the TorchServe namespace, metrics port PERMISSIVE on TorchServe pods", () => {
            const s = meshCase({ strictMtls: true });
            const pas = objectsOf(s).filter((o) => o.kind === "PeerAuthentication");
            assert.strictEqual(pas.length, 2);
            for (const pa of pas) {
                assert.strictEqual(pa.metadata.namespace, s.torchserve.namespace);
                assert.strictEqual(pa.spec.mtls.mode, "STRICT");
            }
            const namespaceWide = pas.find((p) => !p.spec.selector)!;
            assert.strictEqual(namespaceWide.metadata.name, "default");
            const workload = pas.find((p) => p.spec.selector)!;
            assert.deepStrictEqual(workload.spec.selector.matchLabels, podLabels);
            assert.deepStrictEqual(workload.spec.portLevelMtls, { [String(ports.metrics)]: { mode: "PERMISSIVE" } });
        });

        it("jwt: RequestAuthentication + DENY without a valid token, on the ingress gateway pods", () => {
            const jwt = {
                issuer: "https://issuer.example.com",
                jwksUri: "https://issuer.example.com/.well-known/jwks.json",
            };
            const objects = objectsOf(meshCase({ jwt }));
            const ra = one(objects, "RequestAuthentication");
            const ap = one(objects, "AuthorizationPolicy", "torchserve-require-jwt");
            const gw = one(objects, "Gateway");
            for (const o of [ra, ap]) {
                assert.strictEqual(o.metadata.namespace, gatewayNamespace);
                assert.deepStrictEqual(o.spec.selector.matchLabels, gw.spec.selector);
            }
            assert.deepStrictEqual(ra.spec.jwtRules, [jwt]);
            assert.strictEqual(ap.spec.action, "DENY");
            assert.deepStrictEqual(ap.spec.rules, [{ from: [{ source: { notRequestPrincipals: ["*"] } }] }]);
        });

        it("jwt.audiences: the token's aud must be one of them; none listed or [] checks no audience", () => {
            const jwt = { issuer: "https://issuer.example.com", jwksUri: "https://issuer.example.com/jwks" };
            const rule = (audiences?: string[]) =>
                one(objectsOf(meshCase({ jwt: { ...jwt, audiences } })), "RequestAuthentication").spec.jwtRules[0];
            assert.deepStrictEqual(rule(["api://torchserve"]).audiences, ["api://torchserve"]);
            assert.strictEqual(rule([]).audiences, undefined);
            assert.strictEqual(rule(undefined).audiences, undefined);
        });
    });
});

describe("Istio authorization (pure, interpreted as Istio evaluates AuthorizationPolicies)", () => {
    const gatewayPrincipal = `cluster.local/ns/${gatewayNamespace}/sa/istio-ingressgateway`;
    const fromGateway = { principal: gatewayPrincipal, namespace: gatewayNamespace };
    const inNamespace = { principal: "cluster.local/ns/torchserve/sa/default", namespace: "torchserve" };
    const fromBatch = { principal: "cluster.local/ns/batch/sa/default", namespace: "batch" };
    const fromOther = { principal: "cluster.local/ns/other/sa/default", namespace: "other" };
    const plainText = {};
    const jwt = { issuer: "https://i.example.com", jwksUri: "https://i.example.com/jwks" };

    /** The AuthorizationPolicies on TorchServe's pods (by their namespace) for a mesh spec. */
    const podPolicies = (istio: Partial<IstioSpec>) =>
        objectsOf(meshCase(istio))
            .filter((o) => o.kind === "AuthorizationPolicy" && o.metadata.namespace === "torchserve")
            .map((o) => o.spec);

    it("the gateway's principal is its chart's ServiceAccount (the release name) in its namespace", () => {
        const spec = podPolicies({})[0];
        assert.deepStrictEqual(spec.selector.matchLabels, podLabels);
        assert.deepStrictEqual(spec.rules[0].from[0].source.principals, [gatewayPrincipal]);
        assert.strictEqual(gatewayServiceAccountName, "istio-ingressgateway");
    });

    /** [who, port, allowed with inferenceFromNamespaces: [batch], exposeManagement off] */
    const rows: [string, Omit<Request, "port">, number, boolean][] = [
        ["gateway → REST inference", fromGateway, ports.inference, true],
        ["gateway → gRPC inference", fromGateway, ports.grpcInference, true],
        ["listed namespace → REST inference", fromBatch, ports.inference, true],
        ["other namespace → REST inference", fromOther, ports.inference, false],
        ["TorchServe's namespace → REST inference (not listed)", inNamespace, ports.inference, false],
        ["plain text → REST inference", plainText, ports.inference, false],
        ["TorchServe's namespace → management", inNamespace, ports.management, true],
        ["TorchServe's namespace → gRPC management", inNamespace, 7071, true],
        ["gateway → management (not exposed)", fromGateway, ports.management, false],
        ["listed namespace → management", fromBatch, ports.management, false],
        ["plain text → management", plainText, ports.management, false],
        ["plain text → gRPC management", plainText, 7071, false],
        ["plain text → metrics (Prometheus outside the mesh)", plainText, ports.metrics, true],
    ];
    for (const [what, who, port, expected] of rows) {
        it(`pods: ${what} → ${expected ? "allowed" : "denied"}`, () => {
            const policies = podPolicies({ inferenceFromNamespaces: ["batch"] });
            assert.strictEqual(allowed(policies, { ...who, port }), expected);
        });
    }

    it("pods: with exposeManagement the gateway reaches REST management, never gRPC management", () => {
        const policies = podPolicies({ exposeManagement: true, jwt });
        assert.strictEqual(allowed(policies, { ...fromGateway, port: ports.management }), true);
        assert.strictEqual(allowed(policies, { ...fromGateway, port: 7071 }), false);
    });

    it("the interpreter catches a policy that lets plain text reach inference", () => {
        // A broken variant of the pods' policy: the inference rule without `from`.
        const broken = podPolicies({}).map((spec) => ({
            ...spec,
            rules: [{ to: spec.rules[0].to }, ...spec.rules.slice(1)],
        }));
        assert.strictEqual(allowed(broken, { port: ports.inference }), true);
        assert.strictEqual(allowed(podPolicies({}), { port: ports.inference }), false);
    });

    /** Policies on the gateway pods (by the gateway namespace). */
    const gatewayPolicies = (istio: Partial<IstioSpec>) =>
        objectsOf(meshCase(istio))
            .filter((o) => o.kind === "AuthorizationPolicy" && o.metadata.namespace === gatewayNamespace)
            .map((o) => o.spec);
    const token = (groups?: string[]) => ({
        requestPrincipal: "https://i.example.com/alice",
        ...(groups ? { claims: { groups } } : {}),
    });
    const gatewayRows: [string, Omit<Request, "port">, boolean][] = [
        ["/management/models with the claim", { path: "/management/models", ...token(["ml-admins", "x"]) }, true],
        ["/management/models with another group", { path: "/management/models", ...token(["viewers"]) }, false],
        ["/management/models without the claim", { path: "/management/models", ...token() }, false],
        ["/management/models without a token", { path: "/management/models" }, false],
        ["/predictions/m with any valid token", { path: "/predictions/m", ...token() }, true],
        ["/predictions/m without a token", { path: "/predictions/m" }, false],
    ];
    for (const [what, request, expected] of gatewayRows) {
        it(`gateway with managementClaims: ${what} → ${expected ? "allowed" : "denied"}`, () => {
            const policies = gatewayPolicies({
                exposeManagement: true,
                jwt: { ...jwt, managementClaims: { groups: ["ml-admins"] } },
            });
            assert.strictEqual(policies.length, 2);
            assert.strictEqual(allowed(policies, { ...request, port: 80 }), expected);
        });
    }

    it("the interpreter catches a gateway that lets any token reach management", () => {
        // Without the claims policy (only the JWT DENY), any valid token passes.
        const onlyJwt = gatewayPolicies({ exposeManagement: true, jwt }).filter((p) => p.action === "DENY");
        assert.strictEqual(allowed(onlyJwt, { port: 80, path: "/management/models", ...token() }), true);
    });

    it("gateway with exposeManagement and no claims named: management closed to every token", () => {
        const policies = gatewayPolicies({ exposeManagement: true, jwt });
        assert.strictEqual(allowed(policies, { port: 80, path: "/management/models", ...token(["ml-admins"]) }), false);
        assert.strictEqual(allowed(policies, { port: 80, path: "/predictions/m", ...token() }), true);
    });

    it("with TLS the port-80 server only redirects to HTTPS; without TLS it serves", () => {
        const withTls = one(objectsOf(meshCase({ tlsCredentialName: "models-tls" })), "Gateway").spec.servers;
        const http = withTls.filter((s: any) => s.port.protocol === "HTTP");
        assert.deepStrictEqual(
            http.map((s: any) => s.tls),
            [{ httpsRedirect: true }],
        );
        const plain = one(objectsOf(meshCase()), "Gateway").spec.servers;
        assert.deepStrictEqual(
            plain.map((s: any) => s.tls),
            [undefined],
        );
    });
});

// ---- Under Pulumi mocks --------------------------------------------------------------------

const systemPlacement: Placement = {
    nodeSelector: { "node.kubernetes.io/pool": "system" },
    tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }],
};
const loadBalancerHost = "a1b2c3.elb.us-west-2.amazonaws.com";

/** Evaluates the mesh as the platform wires it: cluster provider → mesh → TorchServe namespace → routes. */
function evaluateMesh(c: MeshCase, preview: boolean): Promise<Evaluation> {
    return evaluate(
        {
            project: "torchserve-platform",
            stack: "test",
            config: {},
            preview,
            // The cloud gives the gateway Service a load balancer; only the Service the chart creates
            // (release name in the gateway namespace) gets one, so a wrong lookup yields no address.
            computed: (args) =>
                args.type === "kubernetes:core/v1:Service" && args.id === `${gatewayNamespace}/${gatewayServiceName}`
                    ? { status: { loadBalancer: { ingress: [{ hostname: loadBalancerHost }] } } }
                    : undefined,
        },
        async () => {
            const provider = new k8s.Provider("cluster", { kubeconfig: "apiVersion: v1\nkind: Config\n" });
            const clusterReady = new k8s.core.v1.Namespace(
                "cluster-ready-marker",
                { metadata: { name: "marker" } },
                { provider },
            );
            const mesh = new IstioMesh(
                "istio",
                { istio: c.istio, systemPlacement },
                { provider, dependsOn: [clusterReady] },
            );
            const torchServeNs = new k8s.core.v1.Namespace(
                "torchserve",
                {
                    metadata: { name: c.torchserve.namespace, labels: { "istio-injection": "enabled" } },
                },
                { provider },
            );
            new InferenceRoutes(
                "torchserve-routes",
                {
                    istio: c.istio,
                    serving: servingEndpoints(c.torchserve),
                    gatewayNamespace: mesh.gatewayNamespace,
                    gatewaySelector: mesh.gatewaySelector,
                    gatewayServiceAccount: mesh.gatewayServiceAccount,
                },
                { provider, dependsOn: [...mesh.ready(), torchServeNs] },
            );
            return { ingressUrl: mesh.ingressUrl };
        },
    );
}

const releaseType = "kubernetes:helm.sh/v3:Release";
const istioGroups = /^kubernetes:(networking|security)\.istio\.io\//;

for (const preview of [true, false]) {
    describe(`Istio mesh under ${preview ? "preview" : "update"} mocks`, function () {
        // Every optional object on: mTLS, JWT with a management claims rule, TLS.
        const c = meshCase(
            {
                strictMtls: true,
                exposeManagement: true,
                tlsCredentialName: "models-tls",
                inferenceFromNamespaces: ["batch"],
                jwt: {
                    issuer: "https://i.example.com",
                    jwksUri: "https://i.example.com/jwks",
                    managementClaims: { groups: ["ml-admins"] },
                },
            },
            10,
        );
        let ev: Evaluation;
        before(async () => {
            ev = await evaluateMesh(c, preview);
        });

        it("installs base, istiod and gateway from Istio's repository at the pinned version", () => {
            const releases = all(ev, releaseType);
            assert.deepStrictEqual(releases.map((r) => [r.inputs.name, r.inputs.chart]).sort(), [
                ["istio-base", "base"],
                ["istio-ingressgateway", "gateway"],
                ["istiod", "istiod"],
            ]);
            for (const r of releases) {
                assert.strictEqual(r.inputs.version, istioVersion);
                assert.strictEqual(r.inputs.repositoryOpts.repo, istioChartRepo);
            }
            assert.match(istioVersion, /^1\.(2[7-9]|3\d)\.\d+$/);
            assert.strictEqual(one(ev, releaseType, "istiod").inputs.namespace, "istio-system");
            assert.strictEqual(one(ev, releaseType, "istio-ingressgateway").inputs.namespace, gatewayNamespace);
        });

        it("istiod: native sidecars, access log to stdout, pinned images, system placement", () => {
            const values = one(ev, releaseType, "istiod").inputs.values;
            assert.strictEqual(values.env.ENABLE_NATIVE_SIDECARS, "true");
            assert.strictEqual(values.meshConfig.accessLogFile, "/dev/stdout");
            assert.strictEqual(values.global.tag, istioVersion);
            assert.strictEqual(values.sidecarInjectorWebhook.rewriteAppHTTPProbe, true);
            assert.deepStrictEqual(values.nodeSelector, systemPlacement.nodeSelector);
            assert.deepStrictEqual(values.tolerations, systemPlacement.tolerations);
        });

        it("gateway: service type from the spec, on the system pool", () => {
            const values = one(ev, releaseType, "istio-ingressgateway").inputs.values;
            assert.strictEqual(values.service.type, c.istio.gatewayServiceType);
            assert.deepStrictEqual(values.nodeSelector, systemPlacement.nodeSelector);
        });

        it("install order: cluster → base → istiod → gateway → every Istio object", () => {
            const marker = one(ev, "kubernetes:core/v1:Namespace", "cluster-ready-marker");
            const base = one(ev, releaseType, "istio-base");
            const istiod = one(ev, releaseType, "istiod");
            const gateway = one(ev, releaseType, "istio-ingressgateway");
            const systemNs = one(ev, "kubernetes:core/v1:Namespace", "istio-system");
            assert.ok(systemNs.dependencies.includes(marker.urn), "istio-system waits for the cluster");
            assert.ok(base.dependencies.includes(systemNs.urn));
            assert.ok(istiod.dependencies.includes(base.urn), "istiod after base (CRDs)");
            assert.ok(gateway.dependencies.includes(istiod.urn), "gateway after istiod (injection)");
            const istioObjects = ev.resources.filter((r) => istioGroups.test(r.type));
            assert.strictEqual(istioObjects.length, 3 + 2 + 1 + 2 + 1);
            const tsNs = one(ev, "kubernetes:core/v1:Namespace", "torchserve");
            for (const o of istioObjects) {
                for (const dep of [base, istiod, gateway, tsNs]) {
                    assert.ok(o.dependencies.includes(dep.urn), `${o.name} must wait for ${dep.name}`);
                }
            }
        });

        it("every Istio object passes Istio's schema", async () => {
            const objects = kubernetesObjects(ev.resources).filter((r) => istioGroups.test(r.type));
            assert.deepStrictEqual(objects.map((o) => o.type.split(":")[2]).sort(), [
                "AuthorizationPolicy",
                "AuthorizationPolicy",
                "AuthorizationPolicy",
                "DestinationRule",
                "Gateway",
                "PeerAuthentication",
                "PeerAuthentication",
                "RequestAuthentication",
                "VirtualService",
            ]);
            for (const o of objects) await validateKubernetesObject(o);
        });

        it("every resource uses the cluster provider and sits under a mesh component", () => {
            const provider = one(ev, "pulumi:providers:kubernetes", "cluster");
            const mesh = one(ev, "torchserve-platform:index:IstioMesh", "istio");
            const routes = one(ev, "torchserve-platform:index:InferenceRoutes", "torchserve-routes");
            // The components hand dependsOn to their children and register without it themselves.
            assert.deepStrictEqual([mesh.dependencies, routes.dependencies], [[], []]);
            const ours = ev.resources.filter((r) => r.parent === mesh.urn || r.parent === routes.urn);
            assert.strictEqual(ours.length, 2 + 3 + 9, ours.map((r) => r.name).join(", "));
            for (const r of ours)
                assert.ok(r.provider.startsWith(`${provider.urn}::`), `${r.type} ${r.name}: ${r.provider}`);
            for (const r of ev.resources.filter((x) => istioGroups.test(x.type)))
                assert.strictEqual(r.parent, routes.urn);
        });

        it("ingressUrl comes from the gateway Service's load balancer", () => {
            assert.strictEqual(ev.outputs.ingressUrl, preview ? UNKNOWN : `https://${loadBalancerHost}`);
        });
    });
}

describe("Istio mesh: outputs", () => {
    it("ingressUrl is http without TLS", async () => {
        const ev = await evaluateMesh(meshCase(), false);
        assert.strictEqual(ev.outputs.ingressUrl, `http://${loadBalancerHost}`);
    });
});
