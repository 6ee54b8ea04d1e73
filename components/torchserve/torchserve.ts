// TorchServe on any Kubernetes cluster: namespace, config, model store, Deployments (stable and
// optional canary), Service, PodDisruptionBudget and NetworkPolicy, as typed Kubernetes objects.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { loadBalancerHost, LoadBalancerStatus, serviceDnsName } from "../cluster/addresses";
import { Placement, ServiceType } from "../cluster/kubernetes";
import { allDependsOn, splitDependsOn } from "../cluster/options";
import { checksum, configFileName, configProperties } from "./config";
import { podLabels, portNames, publicServiceName } from "./conventions";
import { servingEndpoints, ServingEndpoints } from "./endpoints";
import { fetchModelsJson, fetchModelsFile, fetchScript, fetchScriptFile } from "./fetchModels";
import { drainConfigFile, drainJson, drainScript, drainScriptFile } from "./drain";
import { log4j2Xml, logConfigFileName } from "./logging";
import { readinessJson, readinessModelsFile, readinessScript, readinessScriptFile } from "./readiness";
import {
    configChecksumAnnotation,
    fetchChecksumAnnotation,
    podTemplate,
    PodVolumes,
    progressDeadlineSeconds,
    rolloutStrategy,
    Track,
    trackLabels,
} from "./workload";
import { aliasPreviousType } from "../cluster/typeToken";
import { ModelBucketVolume } from "../cluster/storage";
import {
    bucketLayout,
    bucketPodAnnotations,
    isBucketLayout,
    modelBucketClaimName,
    usesBucket,
    verifyModelsJson,
    verifyModelsFile,
    verifyScript,
    verifyScriptFile,
} from "./modelBucket";
import { TorchServeSpec } from "./spec";

/** Names of the supporting objects (the public ones live in conventions.ts). */
export const modelStoreClaimName = "torchserve-model-store";
export const networkPolicyName = "torchserve";
export const disruptionBudgetName = "torchserve";
/** The pods' ServiceAccount: workload identities for object-store models are bound to it. */
export const serviceAccountName = "torchserve";

/** A workload identity the pods present (object-store model URLs; see objectUrl.ts). */
export interface WorkloadIdentity {
    /** Annotations of TorchServe's ServiceAccount (e.g. the Google service account, the Azure client ID). */
    annotations?: Record<string, pulumi.Input<string>>;
    /** Labels of the pods (e.g. `azure.workload.identity/use: "true"`). */
    podLabels?: Record<string, string>;
    /** Environment of the model fetcher (e.g. AWS_REGION). */
    fetchEnv?: Record<string, pulumi.Input<string>>;
    /**
     * Grants the pods' reads need where no annotation carries them (GKE: the bucket role granted to the
     * ServiceAccount's own principal): the ServiceAccount and the Deployments wait for them.
     */
    grants?: pulumi.Resource[];
}

/** Replica bounds an autoscaler keeps the stable Deployment within. */
export interface ReplicaRange {
    /** Fewest stable replicas. */
    minReplicas: number;
    /** Most stable replicas. */
    maxReplicas: number;
}

export interface TorchServeArgs {
    /** What to run: image, ports, resources, models, model store and canary (the stack's `torchserve` config). */
    spec: TorchServeSpec;
    /** GPU pool placement (node selector + tolerations); applied only when `spec.nGpu > 0`. */
    gpuPlacement: Placement;
    /**
     * The cluster's StorageClass for the model store (ClusterTarget.modelStoreClassName).
     * `spec.storageClass` wins when set; neither = the cluster's default class.
     */
    storageClassName?: pulumi.Input<string>;
    /**
     * Label the namespace `istio-injection: enabled` so pods get the mesh sidecar; the model
     * fetcher then runs as Istio's proxy uid so its downloads bypass the not-yet-started sidecar.
     */
    meshInjection?: boolean;
    /** Namespaces besides TorchServe's own whose pods may call the management APIs (HTTP and gRPC). */
    managementNamespaces?: string[];
    /** Namespaces besides TorchServe's own whose pods may scrape the metrics port (monitoring). */
    metricsNamespaces?: string[];
    /**
     * Namespaces whose pods may call the inference ports (REST and gRPC). Absent = from anywhere:
     * whatever authenticates inference sits in front of the Service. With a mesh: the ingress
     * gateway's namespace plus the namespaces the user lists, so in-cluster callers cannot bypass
     * the gateway's JWT check.
     */
    inferenceNamespaces?: string[];
    /**
     * Set when an autoscaler owns the stable Deployment's replica count: `spec.replicas` is left
     * out (so `pulumi up` does not fight KEDA's HPA) and rollout/PDB decisions use `maxReplicas`.
     */
    autoscaling?: ReplicaRange;
    /**
     * TorchServe GPU pods the GPU pool can hold at most (maxNodes × pods per node, counting GPUs,
     * CPU and memory). Rollouts surge a GPU pod only when this is known and leaves room for one
     * more pod beyond both tracks at their largest; undefined = never surge GPU pods.
     */
    gpuPodCapacity?: number;
    /** The store arrives root-owned and its CSI driver ignores fsGroup (ClusterTarget.modelStoreNeedsOwnership). */
    modelStoreNeedsOwnership?: boolean;
    /** Pulumi `protect` on the model-store claim, so a destroy or replace cannot drop the models. */
    protectModelStore?: boolean;
    /** Workload identity of the pods' ServiceAccount; absent = a plain ServiceAccount. */
    identity?: WorkloadIdentity;
    /**
     * The bucket volume the cluster provides (ClusterTarget.modelBucket); required when
     * `spec.modelStore` is `bucket`, which claims it read-only instead of a file share.
     */
    modelBucket?: ModelBucketVolume;
    /** Further annotations of the public Service when it is a LoadBalancer (ClusterTarget.loadBalancerAnnotations). */
    loadBalancerAnnotations?: Record<string, string>;
}

/**
 * Resource options of TorchServe. The Kubernetes provider comes as `provider`; `dependsOn` is what
 * the model-store claim and the Deployments wait for (ClusterTarget.clusterReady: nodes, storage
 * class, CSI driver), while the namespace, config and Services are created right away.
 */
export interface TorchServeOptions extends pulumi.ComponentResourceOptions {
    /** What the Deployments also wait for, not the other objects: e.g. the mesh's sidecar injector. */
    workloadDependsOn?: pulumi.Input<pulumi.Resource>[];
    /** What the Deployments also wait for when `spec.nGpu > 0` (GPU pool, NVIDIA device plugin). */
    gpuDependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * Host clients use for the inference endpoints: the load balancer's hostname or IP once the cloud
 * has assigned one, the cluster DNS name otherwise (ClusterIP, NodePort, or not yet known).
 */
export function inferenceHost(
    serviceType: ServiceType,
    dnsName: string,
    status: LoadBalancerStatus | undefined,
): string {
    if (serviceType !== "LoadBalancer") return dnsName;
    return loadBalancerHost(status) ?? dnsName;
}

const httpPort = (name: string, port: number) => ({
    name,
    port,
    targetPort: name,
    protocol: "TCP",
    appProtocol: "http",
});
const grpcPort = (name: string, port: number) => ({
    name,
    port,
    targetPort: name,
    protocol: "TCP",
    appProtocol: "grpc",
});

/** Service ports, named as on the container; gRPC ports marked for HTTP/2 so meshes route them right. */
export function servicePorts(s: TorchServeSpec): k8s.types.input.core.v1.ServicePort[] {
    return [
        httpPort(portNames.inference, s.inferencePort),
        httpPort(portNames.management, s.managementPort),
        httpPort(portNames.metrics, s.metricsPort),
        grpcPort(portNames.grpcInference, s.grpcInferencePort),
        grpcPort(portNames.grpcManagement, s.grpcManagementPort),
    ];
}

/** The public Service's ports: inference only (REST and gRPC); management and metrics stay in-cluster. */
export function publicServicePorts(s: TorchServeSpec): k8s.types.input.core.v1.ServicePort[] {
    return [httpPort(portNames.inference, s.inferencePort), grpcPort(portNames.grpcInference, s.grpcInferencePort)];
}

/** The public Service's spec: inference ports only, source ranges when it is a LoadBalancer and they are set. */
export function publicServiceSpec(s: TorchServeSpec): k8s.types.input.core.v1.ServiceSpec {
    const ranges = s.serviceType === "LoadBalancer" ? s.loadBalancerSourceRanges : undefined;
    return {
        type: s.serviceType,
        selector: { ...podLabels },
        ports: publicServicePorts(s),
        ...(ranges ? { loadBalancerSourceRanges: [...ranges] } : {}),
    };
}

/** Peers that are pods of any of `namespaces` (not this one unless listed). */
function namespacesOnly(namespaces: string[]): k8s.types.input.networking.v1.NetworkPolicyPeer[] {
    const values = [...new Set(namespaces)];
    return [
        { namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values }] } },
    ];
}

/**
 * Annotations of the public Service that give its load balancer a health probe TorchServe answers.
 * Azure's cloud provider probes a port with `appProtocol: http` by HTTP GET `/`, which TorchServe
 * answers 405, so no backend is ever healthy; these annotations make it probe `/ping` on the REST
 * port and TCP on the gRPC port (cloud-provider-azure, "Custom Load Balancer health probe":
 * https://kubernetes-sigs.github.io/cloud-provider-azure/topics/loadbalancer/#custom-load-balancer-health-probe).
 * Other clouds ignore them: AWS load balancers for a Service probe TCP by default, and GKE's probe
 * the nodes (kube-proxy), not TorchServe.
 */
export function publicServiceAnnotations(s: TorchServeSpec): Record<string, string> {
    const port = (p: number, key: string) => `service.beta.kubernetes.io/port_${p}_health-probe_${key}`;
    return {
        [port(s.inferencePort, "protocol")]: "http",
        [port(s.inferencePort, "request-path")]: "/ping",
        [port(s.grpcInferencePort, "protocol")]: "tcp",
    };
}

/** Peers that are pods in this namespace or in any of `namespaces`. */
function namespacePeers(namespaces: string[]): k8s.types.input.networking.v1.NetworkPolicyPeer[] {
    const others = [...new Set(namespaces)];
    const peers: k8s.types.input.networking.v1.NetworkPolicyPeer[] = [{ podSelector: {} }];
    if (others.length > 0) {
        peers.push({
            namespaceSelector: {
                matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: others }],
            },
        });
    }
    return peers;
}

/**
 * Ingress rules: inference (HTTP and gRPC) from anywhere, or only from `inferenceNamespaces` when
 * given (with a mesh: the gateway's and the listed ones); management only from this namespace and
 * `managementNamespaces`, because token auth is off; metrics only from this namespace and
 * `metricsNamespaces`.
 */
export function networkPolicySpec(
    s: TorchServeSpec,
    managementNamespaces: string[] = [],
    metricsNamespaces: string[] = [],
    inferenceNamespaces?: string[],
): k8s.types.input.networking.v1.NetworkPolicySpec {
    const tcp = (port: number) => ({ protocol: "TCP", port });
    const inferencePorts = [tcp(s.inferencePort), tcp(s.grpcInferencePort)];
    return {
        podSelector: { matchLabels: { ...podLabels } },
        policyTypes: ["Ingress"],
        ingress: [
            inferenceNamespaces === undefined
                ? { ports: inferencePorts }
                : { ports: inferencePorts, from: namespacesOnly(inferenceNamespaces) },
            { ports: [tcp(s.managementPort), tcp(s.grpcManagementPort)], from: namespacePeers(managementNamespaces) },
            { ports: [tcp(s.metricsPort)], from: namespacePeers(metricsNamespaces) },
        ],
    };
}

/** TorchServe and its Kubernetes objects in their own namespace. */
export class TorchServe extends pulumi.ComponentResource {
    public readonly namespace: pulumi.Output<string>;
    public readonly serviceName: pulumi.Output<string>;
    /** The stable Deployment's name. */
    public readonly deploymentName: pulumi.Output<string>;
    /** The canary Deployment's name, when `spec.canary` is set. */
    public readonly canaryDeploymentName?: pulumi.Output<string>;
    /**
     * Where TorchServe serves and how to select its pods, as monitoring, autoscaling and the mesh
     * take it (the same value `servingEndpoints(spec)` gives before this component exists).
     */
    public readonly endpoints: ServingEndpoints;
    /** `http://<host>:<inferencePort>`: load balancer host for LoadBalancer Services, else cluster DNS. */
    public readonly inferenceUrl: pulumi.Output<string>;
    /** `http://<svc>.<ns>.svc.cluster.local:<managementPort>` (reachable only as the NetworkPolicy allows). */
    public readonly managementUrl: pulumi.Output<string>;
    /** `http://<svc>.<ns>.svc.cluster.local:<metricsPort>/metrics`. */
    public readonly metricsUrl: pulumi.Output<string>;
    /** `<host>:<grpcInferencePort>` (no scheme, as gRPC clients take it). */
    public readonly grpcUrl: pulumi.Output<string>;

    public readonly namespaceResource: k8s.core.v1.Namespace;
    /** In-cluster (ClusterIP) Service with every port. */
    public readonly service: k8s.core.v1.Service;
    /** Inference-only Service of `serviceType` when that is LoadBalancer or NodePort. */
    public readonly publicService?: k8s.core.v1.Service;
    public readonly deployment: k8s.apps.v1.Deployment;
    public readonly canaryDeployment?: k8s.apps.v1.Deployment;

    constructor(name: string, args: TorchServeArgs, options?: TorchServeOptions) {
        const { own, dependsOn } = splitDependsOn(options);
        const { workloadDependsOn, gpuDependsOn, ...opts } = own;
        super(
            "torchserve-platform:index:TorchServe",
            name,
            {},
            aliasPreviousType(opts, "torchserve-platform:torchserve:TorchServe"),
        );
        const s = args.spec;
        // The provider comes from `opts.provider`, through the parent.
        const child: pulumi.CustomResourceOptions = { parent: this };
        this.endpoints = servingEndpoints(s);

        const ns = createNamespace(name, s, !!args.meshInjection, child);
        const namespace = ns.metadata.name;

        const config = configProperties(s);
        const logConfig = log4j2Xml();
        const readyJson = readinessJson(s);
        const drain = drainJson(s);
        const bucket = usesBucket(s);
        if (bucket && !args.modelBucket)
            throw new Error("TorchServe: spec.modelStore is bucket but no modelBucket volume was given");
        // The bucket claim's name follows what it mounts (modelBucket.ts modelBucketClaimName); a
        // name of its own either way, so switching stores creates one claim and deletes the other.
        const layout = bucket ? bucketLayout(s.models) : undefined;
        if (layout && !isBucketLayout(layout)) throw new Error(`TorchServe: modelStore bucket: ${layout.problem}`);
        // The bucket store's SHA-256 check runs from this ConfigMap (there is no fetcher's).
        const verify: Record<string, string> = bucket
            ? { [verifyScriptFile]: verifyScript, [verifyModelsFile]: verifyModelsJson(s) }
            : {};
        // The ConfigMaps carry no name: pulumi-kubernetes names them `<resource name>-<random>` and
        // replaces one whose data changes (ConfigMaps are immutable to it) under a new name, created
        // before the old is deleted. So a config change gives the pod template a new volume reference
        // (the Deployment rolls), old pods keep their own config until they are gone, and no pod ever
        // waits on a ConfigMap between a delete and a create, as a fixed name would make it
        // (pulumi-kubernetes provider.go Diff: delete first when the object keeps a name the program set).
        const configMap = new k8s.core.v1.ConfigMap(
            `${name}-config`,
            {
                metadata: { namespace, labels: { ...podLabels } },
                data: {
                    [configFileName]: config,
                    [logConfigFileName]: logConfig,
                    [readinessScriptFile]: readinessScript,
                    [readinessModelsFile]: readyJson,
                    [drainScriptFile]: drainScript,
                    [drainConfigFile]: drain,
                    ...verify,
                },
            },
            child,
        );
        const modelsJson = fetchModelsJson(s);
        const fetchConfigMap = bucket
            ? undefined
            : new k8s.core.v1.ConfigMap(
                  `${name}-model-fetch`,
                  {
                      metadata: { namespace, labels: { ...podLabels } },
                      data: { [fetchScriptFile]: fetchScript, [fetchModelsFile]: modelsJson },
                  },
                  child,
              );

        const serviceAccount = new k8s.core.v1.ServiceAccount(
            `${name}-service-account`,
            {
                metadata: {
                    name: serviceAccountName,
                    namespace,
                    labels: { ...podLabels },
                    annotations: args.identity?.annotations,
                },
                // TorchServe never calls the Kubernetes API.
                automountServiceAccountToken: false,
            },
            // Changes of its identity (e.g. an annotation dropped for a direct grant) once the grants exist.
            { ...child, dependsOn: args.identity?.grants ?? [] },
        );

        const claim =
            args.modelBucket && bucket
                ? new k8s.core.v1.PersistentVolumeClaim(
                      `${name}-model-bucket`,
                      {
                          metadata: { name: modelBucketClaimName(layout!), namespace, labels: { ...podLabels } },
                          spec: {
                              // Static provisioning: exactly the cluster's volume, no class, read-only.
                              accessModes: ["ReadOnlyMany"],
                              storageClassName: "",
                              volumeName: args.modelBucket.volumeName,
                              // Required by the API; the drivers ignore it (a bucket has no size).
                              resources: { requests: { storage: s.persistenceSize } },
                          },
                      },
                      // Nothing to protect: the models stay in the bucket whatever happens to the claim.
                      { ...child, dependsOn: allDependsOn(dependsOn) },
                  )
                : new k8s.core.v1.PersistentVolumeClaim(
                      `${name}-model-store`,
                      {
                          metadata: {
                              name: modelStoreClaimName,
                              namespace,
                              labels: { ...podLabels },
                              // With a WaitForFirstConsumer class (the usual cloud default) the claim binds only
                              // once a pod uses it, and the pods come after the claim: waiting would deadlock.
                              // The Deployment's own readiness covers the volume.
                              annotations: { "pulumi.com/skipAwait": "true" },
                          },
                          spec: {
                              accessModes: [s.storageAccessMode],
                              storageClassName: s.storageClass ?? args.storageClassName,
                              resources: { requests: { storage: s.persistenceSize } },
                          },
                      },
                      { ...child, dependsOn: allDependsOn(dependsOn), protect: args.protectModelStore },
                  );
        const bucketAnnotations =
            args.modelBucket && bucket ? bucketPodAnnotations(args.modelBucket, !!args.meshInjection) : undefined;

        const volumes: PodVolumes = {
            configMapName: configMap.metadata.name,
            fetchConfigMapName: fetchConfigMap?.metadata.name,
            modelStoreClaimName: claim.metadata.name,
        };
        const annotations = {
            [configChecksumAnnotation]: checksum(
                config + logConfig + readinessScript + readyJson + drainScript + drain + Object.values(verify).join(""),
            ),
            ...(bucket ? {} : { [fetchChecksumAnnotation]: checksum(fetchScript + modelsJson) }),
        };
        const deploymentDependsOn = allDependsOn(
            dependsOn,
            workloadDependsOn,
            s.nGpu > 0 ? gpuDependsOn : [],
            args.identity?.grants,
        );
        const deployment = (track: Track, deploymentName: string, image: string, replicas: number | undefined) =>
            new k8s.apps.v1.Deployment(
                track === "stable" ? name : `${name}-canary`,
                {
                    metadata: { name: deploymentName, namespace, labels: trackLabels(track) },
                    spec: {
                        replicas,
                        selector: { matchLabels: trackLabels(track) },
                        strategy: rolloutStrategy({
                            spec: s,
                            maxReplicas: args.autoscaling?.maxReplicas ?? s.replicas,
                            gpuPodCapacity: args.gpuPodCapacity,
                        }),
                        progressDeadlineSeconds: progressDeadlineSeconds(s),
                        template: podTemplate({
                            spec: s,
                            image,
                            track,
                            gpuPlacement: args.gpuPlacement,
                            volumes,
                            annotations,
                            meshInjection: args.meshInjection,
                            modelStoreNeedsOwnership: args.modelStoreNeedsOwnership,
                            serviceAccountName: serviceAccount.metadata.name,
                            identity: args.identity,
                            bucketAnnotations,
                        }),
                    },
                },
                // A rollout may wait for a GPU node to join and models to load.
                { ...child, dependsOn: deploymentDependsOn, customTimeouts: { create: "40m", update: "40m" } },
            );

        this.deployment = deployment(
            "stable",
            this.endpoints.stable.deploymentName,
            s.image,
            args.autoscaling ? undefined : s.replicas,
        );
        if (s.canary && this.endpoints.canary) {
            const canary = this.endpoints.canary.deploymentName;
            this.canaryDeployment = deployment("canary", canary, s.canary.image, s.canary.replicas);
        }

        const maxStable = args.autoscaling?.maxReplicas ?? s.replicas;
        if (maxStable > 1) {
            new k8s.policy.v1.PodDisruptionBudget(
                `${name}-pdb`,
                {
                    metadata: { name: disruptionBudgetName, namespace, labels: { ...podLabels } },
                    spec: { maxUnavailable: 1, selector: { matchLabels: trackLabels("stable") } },
                },
                child,
            );
        }

        // In-cluster Service with every port (mesh routes, monitors and the management URL use it).
        this.service = new k8s.core.v1.Service(
            `${name}-service`,
            {
                metadata: { name: this.endpoints.serviceName, namespace, labels: { ...podLabels } },
                spec: {
                    type: "ClusterIP",
                    // Stable and canary pods alike; the mesh splits traffic by the track label.
                    selector: { ...podLabels },
                    ports: servicePorts(s),
                },
            },
            child,
        );
        // A load balancer or node port publishes inference only: token auth is off inside the pod,
        // and a NetworkPolicy is no protection where the CNI does not enforce policies.
        this.publicService =
            s.serviceType === "ClusterIP"
                ? undefined
                : new k8s.core.v1.Service(
                      `${name}-public-service`,
                      {
                          metadata: {
                              name: publicServiceName,
                              namespace,
                              labels: { ...podLabels },
                              annotations: {
                                  ...publicServiceAnnotations(s),
                                  ...(s.serviceType === "LoadBalancer" ? args.loadBalancerAnnotations : {}),
                              },
                          },
                          spec: publicServiceSpec(s),
                      },
                      child,
                  );

        new k8s.networking.v1.NetworkPolicy(
            `${name}-network-policy`,
            {
                metadata: { name: networkPolicyName, namespace, labels: { ...podLabels } },
                spec: networkPolicySpec(s, args.managementNamespaces, args.metricsNamespaces, args.inferenceNamespaces),
            },
            child,
        );

        this.namespaceResource = ns;
        this.namespace = namespace;
        this.serviceName = this.service.metadata.name;
        this.deploymentName = this.deployment.metadata.name;
        this.canaryDeploymentName = this.canaryDeployment?.metadata.name;

        const dns = pulumi.all([this.service.metadata.name, namespace]).apply(([svc, n]) => serviceDnsName(svc, n));
        // Only a LoadBalancer's URL depends on status, so ClusterIP URLs are known in previews.
        const lb = s.serviceType === "LoadBalancer" ? this.publicService : undefined;
        const host = lb
            ? pulumi
                  .all([lb.metadata.name, namespace, lb.status])
                  .apply(([svc, n, status]) =>
                      inferenceHost(s.serviceType, serviceDnsName(svc, n), status as LoadBalancerStatus | undefined),
                  )
            : dns;
        this.inferenceUrl = pulumi.interpolate`http://${host}:${s.inferencePort}`;
        this.grpcUrl = pulumi.interpolate`${host}:${s.grpcInferencePort}`;
        this.managementUrl = pulumi.interpolate`http://${dns}:${s.managementPort}`;
        this.metricsUrl = pulumi.interpolate`http://${dns}:${s.metricsPort}/metrics`;

        this.registerOutputs({
            namespace: this.namespace,
            serviceName: this.serviceName,
            deploymentName: this.deploymentName,
            canaryDeploymentName: this.canaryDeploymentName,
            inferenceUrl: this.inferenceUrl,
            managementUrl: this.managementUrl,
            metricsUrl: this.metricsUrl,
            grpcUrl: this.grpcUrl,
        });
    }
}

/** The namespace, labelled for sidecar injection when the mesh is on. */
function createNamespace(
    name: string,
    s: TorchServeSpec,
    meshInjection: boolean,
    opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Namespace {
    return new k8s.core.v1.Namespace(
        `${name}-namespace`,
        { metadata: { name: s.namespace, labels: meshInjection ? { "istio-injection": "enabled" } : {} } },
        opts,
    );
}
