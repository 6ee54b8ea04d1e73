// The Istio mesh: the control plane and ingress gateway (IstioMesh, needs only the cluster) and
// the Istio objects that route to TorchServe (InferenceRoutes, needs TorchServe's namespace).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { loadBalancerHost, serviceDnsName } from "../cluster/addresses";
import { Placement } from "../cluster/kubernetes";
import { splitDependsOn } from "../cluster/options";
import {
    baseValues,
    chartNames,
    gatewayNamespace,
    gatewaySelectorLabels,
    gatewayServiceAccountName,
    gatewayServiceName,
    gatewayValues,
    istioChartRepo,
    istioSystemNamespace,
    istioVersion,
    istiodValues,
    releaseNames,
} from "./charts";
import { inferenceRouteObjects, IstioObject, RouteTarget } from "./routes";
import { aliasPreviousType } from "../cluster/typeToken";
import { IstioSpec } from "./spec";

export * from "./spec";
export * from "./charts";
export * from "./routes";

export interface IstioMeshArgs {
    /** Gateway Service type and TLS (the rest of the spec is for InferenceRoutes). */
    istio: IstioSpec;
    /** Node selector and tolerations for istiod and the ingress gateway (the cluster's system pool). */
    systemPlacement: Placement;
    /** Annotations of the gateway's Service when it is a LoadBalancer (ClusterTarget.loadBalancerAnnotations). */
    loadBalancerAnnotations?: Record<string, string>;
}

/** A Helm release of one of Istio's charts, pinned to istioVersion. */
function istioRelease(
    name: string,
    args: { chart: string; namespace: pulumi.Input<string>; values: Record<string, unknown>; timeoutSeconds?: number },
    opts: pulumi.CustomResourceOptions,
): k8s.helm.v3.Release {
    return new k8s.helm.v3.Release(
        name,
        {
            name,
            chart: args.chart,
            version: istioVersion,
            repositoryOpts: { repo: istioChartRepo },
            namespace: args.namespace,
            values: args.values,
            timeout: args.timeoutSeconds,
        },
        opts,
    );
}

/**
 * `ingressUrl` from the gateway Service's status: the load balancer's hostname (AWS) or IP (Azure,
 * GCP); the in-cluster DNS name when the Service has no load balancer (ClusterIP, NodePort).
 */
export function ingressUrlFromStatus(status: k8s.types.output.core.v1.ServiceStatus | undefined, tls: boolean): string {
    const scheme = tls ? "https" : "http";
    const host = loadBalancerHost(status) ?? serviceDnsName(gatewayServiceName, gatewayNamespace);
    return `${scheme}://${host}`;
}

/**
 * Istio's control plane and ingress gateway, installed from the upstream Helm charts in dependency
 * order: `base` (CRDs, validation webhook) → `istiod` (injector, control plane) → `gateway` (its
 * pods are injected by istiod). Istio objects must depend on `ready()`.
 */
export class IstioMesh extends pulumi.ComponentResource {
    /** `base`: the CRDs and the validation webhook. */
    readonly base: k8s.helm.v3.Release;
    /** `istiod`: the control plane and the sidecar injector. */
    readonly istiod: k8s.helm.v3.Release;
    /** The ingress gateway. */
    readonly gateway: k8s.helm.v3.Release;
    /** http(s) URL of the ingress gateway. */
    readonly ingressUrl: pulumi.Output<string>;
    /** Namespace of the ingress gateway pods. */
    readonly gatewayNamespace: string;
    /** Labels selecting the ingress gateway pods. */
    readonly gatewaySelector: Record<string, string>;
    /** ServiceAccount of the ingress gateway pods: their identity in the mesh. */
    readonly gatewayServiceAccount: string;

    /**
     * `opts.provider` is the target cluster's Kubernetes provider; `opts.dependsOn` is what the
     * install waits for (the cluster being ready).
     */
    constructor(name: string, args: IstioMeshArgs, options?: pulumi.ComponentResourceOptions) {
        const { own: opts, dependsOn } = splitDependsOn(options);
        super(
            "torchserve-platform:index:IstioMesh",
            name,
            {},
            aliasPreviousType(opts, "torchserve-platform:mesh:IstioMesh"),
        );
        const child = { parent: this };
        this.gatewayNamespace = gatewayNamespace;
        this.gatewaySelector = gatewaySelectorLabels();
        this.gatewayServiceAccount = gatewayServiceAccountName;

        const systemNs = new k8s.core.v1.Namespace(
            istioSystemNamespace,
            {
                metadata: { name: istioSystemNamespace },
            },
            { ...child, dependsOn },
        );
        const ingressNs = new k8s.core.v1.Namespace(
            gatewayNamespace,
            {
                metadata: { name: gatewayNamespace },
            },
            { ...child, dependsOn },
        );

        this.base = istioRelease(
            releaseNames.base,
            {
                chart: chartNames.base,
                namespace: systemNs.metadata.name,
                values: baseValues(),
            },
            { ...child, dependsOn: [systemNs] },
        );
        this.istiod = istioRelease(
            releaseNames.istiod,
            {
                chart: chartNames.istiod,
                namespace: systemNs.metadata.name,
                values: istiodValues(args.systemPlacement),
            },
            { ...child, dependsOn: [this.base] },
        );
        // A cloud load balancer can take several minutes to get its address; Helm waits for it.
        this.gateway = istioRelease(
            releaseNames.gateway,
            {
                chart: chartNames.gateway,
                namespace: ingressNs.metadata.name,
                values: gatewayValues(args.istio, args.systemPlacement, args.loadBalancerAnnotations),
                timeoutSeconds: 900,
            },
            { ...child, dependsOn: [this.istiod, ingressNs] },
        );

        // The chart creates the Service; read it once the release exists. The id waits on the
        // release's status, so a first preview (release not there yet) does not try to read it.
        const service = k8s.core.v1.Service.get(
            `${releaseNames.gateway}-service`,
            this.gateway.status.apply(() => `${gatewayNamespace}/${gatewayServiceName}`),
            child,
        );
        const tls = args.istio.tlsCredentialName !== undefined;
        this.ingressUrl = service.status.apply((s) => ingressUrlFromStatus(s, tls));

        this.registerOutputs({ ingressUrl: this.ingressUrl });
    }

    /** The releases, in install order; Istio objects and injected workloads depend on these. */
    ready(): pulumi.Resource[] {
        return [this.base, this.istiod, this.gateway];
    }

    /**
     * What injected workloads must wait for: istiod's injection webhook. A pod created before it
     * runs gets no sidecar until it is restarted.
     */
    injectionReady(): pulumi.Resource[] {
        return [this.base, this.istiod];
    }
}

/** Where TorchServe and the gateway are (RouteTarget), plus how to route there. */
export interface InferenceRoutesArgs extends RouteTarget {
    /** Hosts, TLS, cookie, exposure, mTLS and JWT options. */
    istio: IstioSpec;
}

/** One Istio object as a CustomResource (registered as `kubernetes:<group>/<version>:<kind>`). */
function customResource(
    name: string,
    obj: IstioObject,
    opts: pulumi.CustomResourceOptions,
): k8s.apiextensions.CustomResource {
    return new k8s.apiextensions.CustomResource(
        name,
        {
            apiVersion: obj.apiVersion,
            kind: obj.kind,
            metadata: obj.metadata,
            spec: obj.spec,
        },
        opts,
    );
}

/**
 * Gateway, VirtualService and DestinationRule for TorchServe, the AuthorizationPolicy on its pods,
 * plus PeerAuthentication (`istio.strictMtls`) and RequestAuthentication/AuthorizationPolicies at
 * the gateway (`istio.jwt`, `jwt.managementClaims`). No outputs:
 * depending on the component waits for every object.
 */
export class InferenceRoutes extends pulumi.ComponentResource {
    // The objects are not kept as fields: a field is an output, and CustomResource has no fixed
    // type token the component analyzer could describe.

    /**
     * `opts.provider` is the target cluster's Kubernetes provider; `opts.dependsOn` is what every
     * object waits for: IstioMesh.ready() (CRDs, istiod, gateway) plus TorchServe's namespace.
     */
    constructor(name: string, args: InferenceRoutesArgs, options?: pulumi.ComponentResourceOptions) {
        const { own: opts, dependsOn } = splitDependsOn(options);
        super(
            "torchserve-platform:index:InferenceRoutes",
            name,
            {},
            aliasPreviousType(opts, "torchserve-platform:mesh:InferenceRoutes"),
        );
        const { istio, ...target } = args;
        inferenceRouteObjects(istio, target).forEach((o) =>
            customResource(`${o.metadata.namespace}-${o.kind.toLowerCase()}-${o.metadata.name}`, o, {
                parent: this,
                dependsOn,
            }),
        );
        this.registerOutputs({});
    }
}
