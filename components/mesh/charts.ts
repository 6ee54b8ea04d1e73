// The three Istio Helm charts (base → istiod → gateway): pinned version, repository, release
// names, and the values each release gets. Pure, so tests check every key against the charts'
// own values.yaml / values.schema.json (Helm silently ignores a misspelt key).
import { Placement } from "../cluster/kubernetes";
import { IstioSpec } from "./spec";

/**
 * Istio release installed by all three charts (and the tag of the istiod/proxy images).
 * 1.31.1 (2026-09-21) is the newest patch of the newest release line confirmed in
 * istio/istio.io (content/en/news/releases/1.31.x/announcing-1.31.1). Istio 1.31 is supported on
 * Kubernetes 1.32 to 1.36 (1.31.0 release announcement).
 */
export const istioVersion = "1.31.1";

/** Kubernetes minors `istioVersion` supports (1.32 to 1.36, same announcement); the config checks the cluster's. */
export const istioKubernetesMinors = { min: 32, max: 36 };

/**
 * Istio's Helm repository. Not https://istio-release.storage.googleapis.com/charts: Istio 1.30 was
 * the last line published there and that bucket is emptied in December 2026; blob.istio.io holds
 * the charts of every version (istio.io blog 2026/retirement-of-gcp, 1.31 upgrade notes).
 */
export const istioChartRepo = "https://blob.istio.io/istio-release/charts";

/** From 1.31 Istio publishes images only to Docker Hub (same sources as above). */
export const istioImageHub = "docker.io/istio";

/** Namespace of istiod and the cluster-wide pieces (the charts' `global.istioNamespace` default). */
export const istioSystemNamespace = "istio-system";

/** The ingress gateway runs in its own namespace, as Istio's Helm install guide recommends. */
export const gatewayNamespace = "istio-ingress";

/** Helm release names; the gateway chart names its Deployment and Service after the release. */
export const releaseNames = {
    base: "istio-base",
    istiod: "istiod",
    gateway: "istio-ingressgateway",
} as const;

/** Chart names in the repository. */
export const chartNames = { base: "base", istiod: "istiod", gateway: "gateway" } as const;

/**
 * Labels the gateway chart puts on its pods (templates/_helpers.tpl `gateway.selectorLabels`:
 * `app: <name>`, `istio: <name without "istio-">`). Gateway and policy selectors use them.
 */
export function gatewaySelectorLabels(releaseName: string = releaseNames.gateway): Record<string, string> {
    return { istio: releaseName.replace(/^istio-/, "") };
}

/** Name of the gateway's Kubernetes Service: the release name (chart value `name` left empty). */
export const gatewayServiceName = releaseNames.gateway;

/**
 * The gateway pods' ServiceAccount: the chart creates one named after the release
 * (`serviceAccount.create: true`, `name: ""` → `gateway.serviceAccountName` = `gateway.name` = the
 * release name; istio/istio manifests/charts/gateway values.yaml and templates/_helpers.tpl at
 * a8d7012, release-1.31). Policies on TorchServe's pods name the gateway by this identity.
 */
export const gatewayServiceAccountName = releaseNames.gateway;

/** Istio's trust domain: meshConfig.trustDomain, left at its default. */
export const trustDomain = "cluster.local";

/**
 * SPIFFE-style peer identity of a workload as AuthorizationPolicy `principals` spell it:
 * `<trust domain>/ns/<namespace>/sa/<service account>` (istio.io docs/reference/config/security/
 * authorization-policy, Source.principals).
 */
export function workloadPrincipal(namespace: string, serviceAccount: string): string {
    return `${trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
}

/** `base`: CRDs and cluster roles. Only pins the namespace istiod lives in. */
export function baseValues(): Record<string, unknown> {
    return { global: { istioNamespace: istioSystemNamespace } };
}

/**
 * `istiod`: the control plane and sidecar injector.
 *
 * Mesh membership is by sidecar injection (the TorchServe namespace is labelled
 * `istio-injection: enabled`), not ambient mode: ambient needs the istio-cni DaemonSet and ztunnel
 * on every node (GPU nodes included, privileged), plus a waypoint proxy for any L7 policy, whereas
 * everything asked of the mesh here (header routing, cookie hashing, canary weights, JWT) is L7 and
 * a sidecar gives it per pod with no node-level components.
 *
 * Init containers: TorchServe's init container downloads the models over http(s). With classic
 * sidecars, istio-init's iptables rules are in place while init containers run but the proxy is
 * not yet started, so their egress is redirected to a port nobody listens on and the download
 * fails. Native sidecars (Kubernetes SidecarContainers, on by default since 1.29, GA in 1.33) run
 * istio-proxy as an init container with `restartPolicy: Always`, started (and ready) before any
 * init container that follows it, so the download goes through the proxy. Istio 1.27+ already
 * turns this on by default for pods on clusters it detects as eligible; we set
 * ENABLE_NATIVE_SIDECARS=true explicitly so the behaviour does not hinge on that detection.
 * Requires Kubernetes >= 1.29 on control plane and nodes, which Istio 1.31's own floor (1.32)
 * already guarantees. (The documented alternative for older
 * clusters is to exclude the download from capture, e.g. run the init container as UID 1337 or
 * annotate `traffic.sidecar.istio.io/excludeOutboundPorts: "80,443"`.)
 *
 * Probes: `sidecarInjectorWebhook.rewriteAppHTTPProbe` (default true, set explicitly) makes the
 * injector rewrite HTTP liveness/readiness probes to go through the agent on port 15020, so they
 * keep working under STRICT mTLS.
 */
export function istiodValues(placement: Placement): Record<string, unknown> {
    return {
        global: { istioNamespace: istioSystemNamespace, hub: istioImageHub, tag: istioVersion },
        // Every sidecar and the gateway log each request to stdout (kubectl logs -c istio-proxy).
        meshConfig: { accessLogFile: "/dev/stdout" },
        env: { ENABLE_NATIVE_SIDECARS: "true" },
        sidecarInjectorWebhook: { rewriteAppHTTPProbe: true },
        nodeSelector: placement.nodeSelector,
        tolerations: placement.tolerations,
    };
}

/**
 * `gateway`: the ingress gateway Deployment and its Service (type from `istio.gatewayServiceType`,
 * source ranges from `istio.loadBalancerSourceRanges` when set).
 */
export function gatewayValues(
    istio: Pick<IstioSpec, "gatewayServiceType" | "loadBalancerSourceRanges">,
    placement: Placement,
    /** The cloud's annotations of LoadBalancer Services (ClusterTarget.loadBalancerAnnotations). */
    loadBalancerAnnotations?: Record<string, string>,
): Record<string, unknown> {
    const lb = istio.gatewayServiceType === "LoadBalancer";
    const ranges = lb ? istio.loadBalancerSourceRanges : undefined;
    const annotations = lb && loadBalancerAnnotations ? { annotations: { ...loadBalancerAnnotations } } : {};
    return {
        service: {
            type: istio.gatewayServiceType,
            ...(ranges ? { loadBalancerSourceRanges: [...ranges] } : {}),
            ...annotations,
        },
        nodeSelector: placement.nodeSelector,
        tolerations: placement.tolerations,
    };
}
