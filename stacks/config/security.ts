// Combinations refused because they would open TorchServe to callers nobody authenticated: what
// the edge exposes, what a public Service bypasses, what the model API may load, which models run
// unverified, which load balancers take connections from anywhere. Pure; one line per problem,
// naming the key to change.
import { Problems } from "./problems";
import { Settings } from "./settings";

/** A LoadBalancer the stack creates and the key that holds its source ranges. */
interface PublicService {
    /** The section's key prefix, e.g. `istio`. */
    section: string;
    /** What the load balancer fronts, for messages. */
    what: string;
    /** The Service's type key under the section. */
    typeKey: string;
    type: string;
    ranges?: string[];
}

/** The Services of the stack that may get a cloud load balancer (the add-on being on). */
function publicServices(s: Settings): PublicService[] {
    const out: PublicService[] = [
        {
            section: "torchserve",
            what: "TorchServe's public inference Service",
            typeKey: "serviceType",
            type: s.torchserve.serviceType,
            ranges: s.torchserve.loadBalancerSourceRanges,
        },
    ];
    if (s.istio.enabled)
        out.push({
            section: "istio",
            what: "the Istio ingress gateway",
            typeKey: "gatewayServiceType",
            type: s.istio.gatewayServiceType,
            ranges: s.istio.loadBalancerSourceRanges,
        });
    if (s.grafana.enabled)
        out.push({
            section: "grafana",
            what: "Grafana",
            typeKey: "serviceType",
            type: s.grafana.serviceType,
            ranges: s.grafana.loadBalancerSourceRanges,
        });
    return out;
}

/**
 * Source ranges: absent on a LoadBalancer = open to every address, allowed with a warning (the
 * examples and a first `pulumi up` must work without knowing the caller's network; the JWT, when
 * set, still guards the gateway); set on another Service type = refused, since only a cloud load
 * balancer filters by them (kube-proxy applies them to load-balancer traffic, not to NodePorts).
 */
function checkSourceRanges(s: Settings, p: Problems, k: (path: string) => string): void {
    for (const svc of publicServices(s)) {
        const key = k(`${svc.section}.loadBalancerSourceRanges`);
        if (svc.type === "LoadBalancer" && svc.ranges === undefined) {
            p.warn(
                key,
                `not set, so ${svc.what}'s load balancer accepts connections from any address; list the CIDRs that may reach it (["0.0.0.0/0"] keeps it open and silences this)`,
            );
        } else if (svc.type !== "LoadBalancer" && svc.ranges !== undefined) {
            p.errorText(
                key,
                `only a LoadBalancer Service filters by source range, and ${svc.section}.${svc.typeKey} is ${svc.type}; remove the key or use LoadBalancer`,
            );
        }
    }
}

/** The edge: what the gateway publishes needs a JWT, management also a claims rule; no bypass around it. */
function checkEdge(s: Settings, p: Problems, k: (path: string) => string): void {
    const istio = s.istio;
    if (!istio.enabled) return;
    if (istio.exposeManagement && !istio.jwt) {
        p.errorText(
            k("istio.exposeManagement"),
            "true without istio.jwt would publish the management API (register, scale, delete models) with no authentication; set istio.jwt with managementClaims, or reach management with kubectl port-forward",
        );
    } else if (istio.exposeManagement && !istio.jwt?.managementClaims) {
        p.errorText(
            k("istio.jwt.managementClaims"),
            'required with istio.exposeManagement: the claims a token must carry to reach management, e.g. {groups: ["ml-admins"]} (any valid token of the issuer would do otherwise)',
        );
    }
    if (istio.exposeMetrics && !istio.jwt) {
        p.errorText(
            k("istio.exposeMetrics"),
            "true without istio.jwt would publish TorchServe's metrics with no authentication; set istio.jwt, or scrape in-cluster",
        );
    }
    if (s.torchserve.serviceType !== "ClusterIP") {
        p.errorText(
            k("torchserve.serviceType"),
            `${s.torchserve.serviceType} with istio on would publish inference beside the ingress gateway, bypassing its JWT check (and the pods accept inference only from the gateway and istio.inferenceFromNamespaces); use ClusterIP and istio.gatewayServiceType`,
        );
    }
}

/** TorchServe itself: the model API only behind authentication; archives pinned by hash on cloud stacks. */
function checkModels(s: Settings, p: Problems, k: (path: string) => string): void {
    const ts = s.torchserve;
    if (ts.enableModelApi && !(s.istio.enabled && s.istio.jwt)) {
        p.errorText(
            k("torchserve.enableModelApi"),
            "true needs authentication in front of TorchServe (istio enabled with istio.jwt): token authorization is off inside the pod, so any caller that reaches the management port could register an archive, which is code the server runs",
        );
    }
    if (s.cloud === "existing" || ts.allowUnverifiedModels) return;
    ts.models.forEach((m, i) => {
        if (m.sha256 === undefined)
            p.errorText(
                k(`torchserve.models[${i}].sha256`),
                `required on ${s.cloud} stacks: a .mar archive is Python the server runs, so give its SHA-256 (sha256sum ${m.name}.mar), or set torchserve.allowUnverifiedModels: true to accept unverified archives`,
            );
    });
}

/** Every security rule on a parsed config (cloud known). */
export function checkSecurity(s: Settings, p: Problems, project: string): void {
    const k = (path: string) => `${project}:${path}`;
    checkEdge(s, p, k);
    checkModels(s, p, k);
    checkSourceRanges(s, p, k);
}
