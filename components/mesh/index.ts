// The Istio mesh: the control plane and ingress gateway (IstioMesh, needs only the cluster) and
// the Istio objects that route to TorchServe (InferenceRoutes, needs TorchServe's namespace).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { loadBalancerHost, serviceDnsName } from "../cluster/addresses";
import { Placement } from "../cluster/target";
import { IstioSettings, Settings } from "../../stacks/config/settings";
import { serviceName as torchServeServiceName } from "../torchserve/conventions";
import {
    baseValues,
    chartNames,
    gatewayNamespace,
    gatewaySelectorLabels,
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

export * from "./charts";
export * from "./routes";

export interface IstioMeshArgs {
    /** Kubernetes provider of the target cluster; every child uses it. */
    provider: k8s.Provider;
    /** The validated `istio` settings (`enabled` is the caller's business: see createMesh). */
    istio: IstioSettings;
    /** Node selector and tolerations for istiod and the ingress gateway (the cluster's system pool). */
    systemPlacement: Placement;
    /** Resources the install waits for (the cluster being ready). */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
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
 * pods are injected by istiod). Istio objects must depend on `ready`.
 */
export class IstioMesh extends pulumi.ComponentResource {
    /** The releases, in install order; Istio objects and injected workloads depend on these. */
    readonly ready: pulumi.Resource[];
    /**
     * What injected workloads must wait for: istiod's injection webhook. A pod created before it
     * runs gets no sidecar until it is restarted.
     */
    readonly injectionReady: pulumi.Resource[];
    /** http(s) URL of the ingress gateway. */
    readonly ingressUrl: pulumi.Output<string>;
    /** Namespace of the ingress gateway pods. */
    readonly gatewayNamespace: string = gatewayNamespace;
    /** Labels selecting the ingress gateway pods. */
    readonly gatewaySelector: Record<string, string> = gatewaySelectorLabels();

    constructor(name: string, args: IstioMeshArgs, opts?: pulumi.ComponentResourceOptions) {
        super(
            "torchserve-platform:index:IstioMesh",
            name,
            {},
            aliasPreviousType(opts, "torchserve-platform:mesh:IstioMesh"),
        );
        const child = { parent: this, provider: args.provider };

        const systemNs = new k8s.core.v1.Namespace(
            istioSystemNamespace,
            {
                metadata: { name: istioSystemNamespace },
            },
            { ...child, dependsOn: args.dependsOn },
        );
        const ingressNs = new k8s.core.v1.Namespace(
            gatewayNamespace,
            {
                metadata: { name: gatewayNamespace },
            },
            { ...child, dependsOn: args.dependsOn },
        );

        const base = istioRelease(
            releaseNames.base,
            {
                chart: chartNames.base,
                namespace: systemNs.metadata.name,
                values: baseValues(),
            },
            { ...child, dependsOn: [systemNs] },
        );
        const istiod = istioRelease(
            releaseNames.istiod,
            {
                chart: chartNames.istiod,
                namespace: systemNs.metadata.name,
                values: istiodValues(args.systemPlacement),
            },
            { ...child, dependsOn: [base] },
        );
        // A cloud load balancer can take several minutes to get its address; Helm waits for it.
        const gateway = istioRelease(
            releaseNames.gateway,
            {
                chart: chartNames.gateway,
                namespace: ingressNs.metadata.name,
                values: gatewayValues(args.istio, args.systemPlacement),
                timeoutSeconds: 900,
            },
            { ...child, dependsOn: [istiod, ingressNs] },
        );
        this.ready = [base, istiod, gateway];
        this.injectionReady = [base, istiod];

        // The chart creates the Service; read it once the release exists. The id waits on the
        // release's status, so a first preview (release not there yet) does not try to read it.
        const service = k8s.core.v1.Service.get(
            `${releaseNames.gateway}-service`,
            gateway.status.apply(() => `${gatewayNamespace}/${gatewayServiceName}`),
            child,
        );
        const tls = args.istio.tlsCredentialName !== undefined;
        this.ingressUrl = service.status.apply((s) => ingressUrlFromStatus(s, tls));

        this.registerOutputs({ ingressUrl: this.ingressUrl });
    }
}

/** Where TorchServe and the gateway are (RouteTarget), plus how to create the routes there. */
export interface InferenceRoutesArgs extends RouteTarget {
    /** Kubernetes provider of the target cluster; every child uses it. */
    provider: k8s.Provider;
    /** The validated `istio` settings: hosts, TLS, cookie, exposure, mTLS and JWT options. */
    istio: IstioSettings;
    /** IstioMesh.ready (CRDs, istiod, gateway) plus the TorchServe namespace. */
    dependsOn: pulumi.Input<pulumi.Resource>[];
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
 * Gateway, VirtualService and DestinationRule for TorchServe, plus PeerAuthentication
 * (`istio.strictMtls`) and RequestAuthentication/AuthorizationPolicy (`istio.jwt`).
 */
export class InferenceRoutes extends pulumi.ComponentResource {
    /** The Istio objects, in the order built. */
    readonly objects: k8s.apiextensions.CustomResource[];

    constructor(name: string, args: InferenceRoutesArgs, opts?: pulumi.ComponentResourceOptions) {
        super(
            "torchserve-platform:index:InferenceRoutes",
            name,
            {},
            aliasPreviousType(opts, "torchserve-platform:mesh:InferenceRoutes"),
        );
        const { provider, istio, dependsOn, ...target } = args;
        this.objects = inferenceRouteObjects(istio, target).map((o) =>
            customResource(`${o.metadata.namespace}-${o.kind.toLowerCase()}-${o.metadata.name}`, o, {
                parent: this,
                provider,
                dependsOn,
            }),
        );
        this.registerOutputs({});
    }
}

/** What createMesh needs from the cluster. */
export interface MeshCluster {
    provider: k8s.Provider;
    systemPlacement: Placement;
    /** Resources the install waits for (ClusterTarget.clusterReady). */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** The mesh when `istio.enabled`, else undefined (and nothing is registered). */
export function createMesh(settings: Pick<Settings, "istio">, cluster: MeshCluster): IstioMesh | undefined {
    if (!settings.istio.enabled) return undefined;
    return new IstioMesh("istio", {
        provider: cluster.provider,
        istio: settings.istio,
        systemPlacement: cluster.systemPlacement,
        dependsOn: cluster.dependsOn,
    });
}

/**
 * TorchServe's routes when there is a mesh, else undefined. `torchServeReady` must include the
 * TorchServe namespace (the DestinationRule and policies live in it).
 */
export function createInferenceRoutes(
    settings: Pick<Settings, "istio" | "torchserve">,
    mesh: IstioMesh | undefined,
    cluster: { provider: k8s.Provider; torchServeReady: pulumi.Input<pulumi.Resource>[] },
): InferenceRoutes | undefined {
    if (!mesh) return undefined;
    const ts = settings.torchserve;
    return new InferenceRoutes("torchserve-routes", {
        provider: cluster.provider,
        istio: settings.istio,
        namespace: ts.namespace,
        serviceName: torchServeServiceName,
        ports: {
            inference: ts.inferencePort,
            grpcInference: ts.grpcInferencePort,
            management: ts.managementPort,
            metrics: ts.metricsPort,
        },
        canaryWeight: ts.canary?.weight,
        gatewayNamespace: mesh.gatewayNamespace,
        gatewaySelector: mesh.gatewaySelector,
        dependsOn: [...mesh.ready, ...cluster.torchServeReady],
    });
}
