// Issue 10, workload side: the security guarantees of what runs on the cluster, first on the pure
// builders (allowed_urls as TorchServe reads it, NetworkPolicy, public Service, mounts), then on
// the whole program as `pulumi preview` evaluates it (the dev example stack with the mesh and
// public load balancers turned on).
import * as assert from "assert";
import { allowedUrls, configProperties } from "../components/torchserve/config";
import { networkPolicySpec, publicServiceSpec } from "../components/torchserve/torchserve";
import { torchserveContainer } from "../components/torchserve/workload";
import { gatewayNamespace } from "../components/mesh/charts";
import { Evaluation, RegisteredResource } from "../harness/evaluate";
import { runProgram } from "../harness/program";
import { cidrProblem } from "../stacks/config/sourceRanges";
import { all, one } from "./support/match";
import { allowed } from "./support/authorization";
import { kubernetesObjects, validateKubernetesObject } from "./support/schema";
import { torchServeSpec, squeezenet } from "./support/specs";

/**
 * `allowed_urls` as TorchServe applies it: java.util.Properties.load undoes the file's backslash
 * escapes, ConfigManager.getAllowedUrls splits on commas, ArchiveUtils.validateURL tests each regex
 * against the whole URL, case-insensitively (pytorch/serve v0.12.0). Our regexes use only
 * constructs Java and JavaScript read alike (literals, `\.`, `\xHH`, `\uHHHH`, `.*`).
 */
function torchServeAccepts(properties: string, url: string): boolean {
    const line = properties.split("\n").find((l) => l.startsWith("allowed_urls="));
    assert.ok(line, "config.properties sets allowed_urls");
    const value = line
        .slice("allowed_urls=".length)
        .replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_m, e: string) =>
            e.length === 5 ? String.fromCharCode(parseInt(e.slice(1), 16)) : e,
        );
    return value.split(",").some((re) => new RegExp(`^(?:${re})$`, "i").test(url));
}

const withModels = (...urls: string[]) =>
    configProperties(torchServeSpec({ models: urls.map((url, i) => ({ ...squeezenet, name: `m${i}`, url })) }));

describe("allowed_urls: the model API registers archives only from the configured models' origins", () => {
    const zoo = withModels("https://torchserve.pytorch.org/mar_files/squeezenet1_1.mar");
    /** [url, accepted] for a stack whose one model comes from the TorchServe model zoo. */
    const rows: [string, boolean][] = [
        ["https://torchserve.pytorch.org/mar_files/squeezenet1_1.mar", true],
        ["https://torchserve.pytorch.org/mar_files/resnet-18.mar", true],
        ["HTTPS://TorchServe.PyTorch.org/mar_files/x.mar", true],
        ["https://torchserve.pytorch.org.evil.example/x.mar", false],
        ["https://torchserveXpytorch.org/x.mar", false],
        ["http://torchserve.pytorch.org/x.mar", false],
        ["https://torchserve.pytorch.org:8443/x.mar", false],
        ["https://evil.example/torchserve.pytorch.org/x.mar", false],
        ["file:///etc/passwd", false],
        ["file:///home/model-server/shared/model-store/x.mar", false],
    ];
    for (const [url, expected] of rows) {
        it(`${url} → ${expected ? "accepted" : "refused"}`, () =>
            assert.strictEqual(torchServeAccepts(zoo, url), expected));
    }

    it("one regex per distinct origin, in model order; object-store schemes work alike", () => {
        assert.deepStrictEqual(
            allowedUrls([
                "https://torchserve.pytorch.org/a.mar",
                "https://TORCHSERVE.pytorch.org/b.mar",
                "s3://models-bucket/team/c.mar",
                "https://host.example:8443/d.mar",
            ]),
            ["https://torchserve\\.pytorch\\.org/.*", "s3://models-bucket/.*", "https://host\\.example:8443/.*"],
        );
        const s3 = withModels("s3://models-bucket/team/c.mar");
        assert.ok(torchServeAccepts(s3, "s3://models-bucket/other/d.mar"));
        assert.ok(!torchServeAccepts(s3, "s3://models-bucket2/d.mar"));
    });

    it("characters that are regex syntax or TorchServe's list separator stay literal", () => {
        const odd = withModels("https://a+b,c.example/x.mar");
        assert.ok(torchServeAccepts(odd, "https://a+b,c.example/y.mar"));
        assert.ok(!torchServeAccepts(odd, "https://aab,c.example/y.mar"));
        assert.ok(!torchServeAccepts(odd, "https://c.example/y.mar"), "the comma did not split the regex");
    });

    it("no models: every URL refused", () => {
        const none = configProperties(torchServeSpec({ models: [] }));
        assert.match(none, /^allowed_urls=$/m);
        assert.ok(!torchServeAccepts(none, "https://torchserve.pytorch.org/mar_files/x.mar"));
    });

    it("the check catches a derivation that leaves dots unescaped (TorchServe's documented example)", () => {
        // pytorch/serve docs/configuration.md suggests `https://torchserve.pytorch.org/.*`.
        const naive = "allowed_urls=https://torchserve.pytorch.org/.*";
        assert.ok(torchServeAccepts(naive, "https://torchserveXpytorch.org/x.mar"));
    });
});

describe("TorchServe workload hardening (pure)", () => {
    it("mounts the model store read-only unless the model API is on", () => {
        const store = (enableModelApi: boolean) =>
            (torchserveContainer(torchServeSpec({ enableModelApi }), "img").volumeMounts as any[]).find(
                (m: any) => m.name === "model-store",
            );
        assert.strictEqual(store(false).readOnly, true);
        assert.ok(!store(true).readOnly);
    });

    it("with a mesh, inference is reachable only from the given namespaces; without, from anywhere", () => {
        const inferenceRule = (np: any) => np.ingress.find((r: any) => r.ports.some((p: any) => p.port === 8080));
        const meshed = inferenceRule(networkPolicySpec(torchServeSpec(), [], [], [gatewayNamespace, "batch"]));
        assert.deepStrictEqual(meshed.from, [
            {
                namespaceSelector: {
                    matchExpressions: [
                        { key: "kubernetes.io/metadata.name", operator: "In", values: [gatewayNamespace, "batch"] },
                    ],
                },
            },
        ]);
        assert.deepStrictEqual(
            meshed.ports.map((p: any) => p.port),
            [8080, 7070],
        );
        assert.strictEqual(inferenceRule(networkPolicySpec(torchServeSpec())).from, undefined);
    });

    it("the public Service carries source ranges only as a LoadBalancer", () => {
        const ranges = ["203.0.113.0/24"];
        assert.deepStrictEqual(
            publicServiceSpec(torchServeSpec({ serviceType: "LoadBalancer", loadBalancerSourceRanges: ranges }))
                .loadBalancerSourceRanges,
            ranges,
        );
        assert.strictEqual(
            publicServiceSpec(torchServeSpec({ serviceType: "NodePort", loadBalancerSourceRanges: ranges }))
                .loadBalancerSourceRanges,
            undefined,
        );
    });

    it("CIDRs: network addresses accepted, host bits and non-CIDRs refused", () => {
        for (const ok of ["0.0.0.0/0", "10.0.0.0/8", "203.0.113.7/32", "2001:db8::/32", "::/0"])
            assert.strictEqual(cidrProblem(ok), undefined, ok);
        for (const bad of ["10.1.0.0/8", "10.0.0.0", "10.0.0.0/33", "300.0.0.0/8", "2001:db8::/129", "x/8", ""])
            assert.ok(cidrProblem(bad), bad);
    });
});

// ---- The whole program, as `pulumi preview` evaluates the dev example stack ------------------
// (The workload is the same on every cloud; dev keeps the evaluation fast.)

const jwt = {
    issuer: "https://issuer.example.com",
    jwksUri: "https://issuer.example.com/jwks",
    managementClaims: { groups: ["ml-admins"] },
};
const office = ["203.0.113.0/24"];

/** Ports a LoadBalancer or NodePort Service of the program publishes, with the Service's name. */
function publishedPorts(ev: Evaluation | RegisteredResource[]): [string, number][] {
    const out: [string, number][] = [];
    for (const svc of all(ev, "kubernetes:core/v1:Service")) {
        const spec = svc.inputs.spec;
        if (!spec || !["LoadBalancer", "NodePort"].includes(spec.type)) continue;
        for (const p of spec.ports ?? []) out.push([svc.inputs.metadata.name, Number(p.targetPort ?? p.port)]);
        for (const p of spec.ports ?? []) out.push([svc.inputs.metadata.name, Number(p.port)]);
    }
    return out;
}

describe("security on the evaluated program (dev example stack, preview)", function () {
    this.timeout(60000);
    let meshed: Evaluation;
    let publicLb: Evaluation;
    before(async () => {
        meshed = await runProgram({
            stack: "dev",
            preview: true,
            override: {
                prometheus: true,
                grafana: { enabled: true, serviceType: "LoadBalancer", loadBalancerSourceRanges: office },
                istio: {
                    enabled: true,
                    hosts: ["models.example.com"],
                    tlsCredentialName: "models-tls",
                    exposeManagement: true,
                    exposeMetrics: true,
                    inferenceFromNamespaces: ["batch"],
                    loadBalancerSourceRanges: office,
                    jwt,
                },
            },
        });
        publicLb = await runProgram({
            stack: "dev",
            preview: true,
            override: {
                torchserve: {
                    image: "pytorch/torchserve:0.12.0-cpu",
                    nGpu: 0,
                    serviceType: "LoadBalancer",
                    loadBalancerSourceRanges: office,
                    models: [{ ...squeezenet, sha256: "a".repeat(64) }],
                },
            },
        });
    });

    it("no Service of type LoadBalancer or NodePort exposes 8081, 8082 or 7071", () => {
        for (const ev of [meshed, publicLb]) {
            const ports = publishedPorts(ev);
            for (const [svc, port] of ports) assert.ok(![8081, 8082, 7071].includes(port), `${svc} publishes ${port}`);
        }
        assert.ok(
            publishedPorts(publicLb).some(([, p]) => p === 8080),
            "the public Service is among those checked",
        );
    });

    it("the published-ports check sees a management port on a LoadBalancer", () => {
        const svc = one(publicLb, "Service", "torchserve-public");
        const leaky = {
            ...svc,
            inputs: { ...svc.inputs, spec: { ...svc.inputs.spec, ports: [{ name: "x", port: 80, targetPort: 8081 }] } },
        };
        assert.deepStrictEqual(publishedPorts([leaky]), [
            ["torchserve-public", 8081],
            ["torchserve-public", 80],
        ]);
    });

    it("every public load balancer carries the configured source ranges", () => {
        const publicSvc = one(publicLb, "Service", "torchserve-public");
        assert.deepStrictEqual(publicSvc.inputs.spec.loadBalancerSourceRanges, office);
        const release = (chart: string) =>
            all(meshed, "kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === chart)!;
        assert.deepStrictEqual(release("gateway").inputs.values.service.loadBalancerSourceRanges, office);
        assert.deepStrictEqual(release("grafana").inputs.values.service.loadBalancerSourceRanges, office);
    });

    it("with TLS the port-80 server only redirects to HTTPS", () => {
        const servers = one(meshed, "Gateway").inputs.spec.servers;
        const http = servers.filter((s: any) => s.port.number === 80);
        assert.deepStrictEqual(
            http.map((s: any) => s.tls),
            [{ httpsRedirect: true }],
        );
    });

    it("TorchServe's pods take inference only from the gateway and listed namespaces; management only in-namespace and from the gateway", () => {
        const policies = all(meshed, "AuthorizationPolicy")
            .filter((p) => p.inputs.metadata.namespace === "torchserve")
            .map((p) => p.inputs.spec);
        assert.strictEqual(policies.length, 1);
        const gateway = { principal: `cluster.local/ns/${gatewayNamespace}/sa/istio-ingressgateway` };
        assert.ok(allowed(policies, { ...gateway, port: 8080 }));
        assert.ok(allowed(policies, { principal: "cluster.local/ns/batch/sa/job", namespace: "batch", port: 7070 }));
        assert.ok(!allowed(policies, { principal: "cluster.local/ns/other/sa/x", namespace: "other", port: 8080 }));
        assert.ok(!allowed(policies, { port: 8080 }), "plain text");
        assert.ok(
            allowed(policies, { namespace: "torchserve", principal: "cluster.local/ns/torchserve/sa/x", port: 8081 }),
        );
        assert.ok(!allowed(policies, { namespace: "batch", principal: "cluster.local/ns/batch/sa/job", port: 8081 }));
        assert.ok(allowed(policies, { ...gateway, port: 8081 }), "exposeManagement");
        assert.ok(!allowed(policies, { ...gateway, port: 7071 }));
    });

    it("the inference NetworkPolicy rule admits only the gateway's and the listed namespaces", () => {
        const np = one(meshed, "NetworkPolicy").inputs.spec;
        const rule = np.ingress.find((r: any) => r.ports.some((p: any) => p.port === 8080));
        assert.deepStrictEqual(rule.from[0].namespaceSelector.matchExpressions[0].values, [gatewayNamespace, "batch"]);
        const unmeshed = one(publicLb, "NetworkPolicy").inputs.spec;
        assert.strictEqual(
            unmeshed.ingress.find((r: any) => r.ports.some((p: any) => p.port === 8080)).from,
            undefined,
        );
    });

    it("the metrics NetworkPolicy rule admits the monitoring namespace, and the gateway's with exposeMetrics", () => {
        const rule = (ev: Evaluation) =>
            one(ev, "NetworkPolicy").inputs.spec.ingress.find((r: any) => r.ports.some((p: any) => p.port === 8082));
        const namespaces = (r: any) =>
            r.from.flatMap((f: any) => f.namespaceSelector?.matchExpressions?.[0]?.values ?? []);
        // meshed: prometheus and istio.exposeMetrics on.
        assert.deepStrictEqual(namespaces(rule(meshed)).sort(), [gatewayNamespace, "monitoring"].sort());
    });

    it("the gateway requires a token, and the management claims for /management", () => {
        const atGateway = all(meshed, "AuthorizationPolicy")
            .filter((p) => p.inputs.metadata.namespace === gatewayNamespace)
            .map((p) => p.inputs.spec);
        const token = { requestPrincipal: "https://issuer.example.com/alice" };
        assert.ok(!allowed(atGateway, { port: 80, path: "/predictions/m" }));
        assert.ok(allowed(atGateway, { port: 80, path: "/predictions/m", ...token }));
        assert.ok(!allowed(atGateway, { port: 80, path: "/management/models", ...token }));
        assert.ok(
            allowed(atGateway, { port: 80, path: "/management/models", ...token, claims: { groups: ["ml-admins"] } }),
        );
    });

    it("config.properties limits allowed_urls to the models' origin; the server mounts the store read-only", () => {
        for (const ev of [meshed, publicLb]) {
            const properties = one(ev, "kubernetes:core/v1:ConfigMap", "torchserve-config").inputs.data[
                "config.properties"
            ];
            assert.match(properties, /^allowed_urls=https:\/\/torchserve\\\\\.pytorch\\\\\.org\/\.\*$/m);
            const container = one(ev, "Deployment", "torchserve").inputs.spec.template.spec.containers.find(
                (c: any) => c.name === "torchserve",
            );
            assert.strictEqual(container.volumeMounts.find((m: any) => m.name === "model-store").readOnly, true);
        }
    });

    it("every Istio object of the meshed stack passes Istio's schema", async () => {
        const istio = kubernetesObjects(meshed.resources).filter((r) => /istio\.io\//.test(r.type));
        assert.strictEqual(
            istio.length,
            7,
            "Gateway, VirtualService, DestinationRule, RequestAuthentication, 3 AuthorizationPolicies",
        );
        for (const o of istio) await validateKubernetesObject(o);
    });
});
