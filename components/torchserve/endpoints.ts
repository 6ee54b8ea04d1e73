// TorchServe's serving endpoints as one plain value: where the pods and their Service are, how to
// select them, and their ports. Monitoring, autoscaling and the mesh take it in their Args instead of
// knowing TorchServe's naming. It is computed from the spec alone, so they can install side by side
// with TorchServe rather than wait for its resources.
import {
    canaryDeploymentName,
    podLabels,
    portNames,
    serviceName,
    stableDeploymentName,
    trackLabel,
    tracks,
} from "./conventions";
import { startupBudgetSeconds } from "./readiness";
import { progressDeadlineSeconds } from "./workload";
import { TorchServeSpec } from "./spec";

/** TorchServe's port numbers, as on the container and the in-cluster Service. */
export interface ServingPorts {
    /** REST inference. */
    inference: number;
    /** REST management (reachable only as the NetworkPolicy allows). */
    management: number;
    /** Prometheus metrics (`/metrics`). */
    metrics: number;
    /** gRPC inference. */
    grpcInference: number;
    /** gRPC management. */
    grpcManagement: number;
}

/** Names of those ports on the container and the Service (monitors and probes refer to them). */
export interface ServingPortNames {
    /** Name of the REST inference port. */
    inference: string;
    /** Name of the REST management port. */
    management: string;
    /** Name of the metrics port. */
    metrics: string;
    /** Name of the gRPC inference port. */
    grpcInference: string;
    /** Name of the gRPC management port. */
    grpcManagement: string;
}

/** One Deployment of TorchServe pods. */
export interface ServingTrack {
    /** Kubernetes name of the Deployment. */
    deploymentName: string;
    /** Value of `trackLabel` on its pods (also the mesh subset's name). */
    track: string;
}

/** The canary Deployment and its share of mesh traffic. */
export interface CanaryTrack extends ServingTrack {
    /** Percent of requests the mesh sends to it, 0-100. */
    weight: number;
}

/** Where TorchServe serves and how to find its pods. */
export interface ServingEndpoints {
    /** Namespace of the pods, the Service and the Deployments. */
    namespace: string;
    /** In-cluster (ClusterIP) Service with every port. */
    serviceName: string;
    /** Labels on every TorchServe pod, stable and canary; the Service selects on these. */
    podLabels: Record<string, string>;
    /** Label key separating the stable pods from the canary's. */
    trackLabel: string;
    /** Port numbers. */
    ports: ServingPorts;
    /** Port names. */
    portNames: ServingPortNames;
    /** The stable Deployment (the one an autoscaler scales). */
    stable: ServingTrack;
    /** The canary Deployment, when the spec has one. */
    canary?: CanaryTrack;
    /**
     * Seconds a new pod may take to load every model before its startup probe gives up; a pod not
     * ready for longer than this is failing, not starting (alerts wait this long).
     */
    startupBudgetSeconds: number;
    /**
     * The Deployments' progressDeadlineSeconds: how long a rollout or a scale from zero (a GPU node
     * added, the models loaded) may take before it counts as stuck (alerts wait this long).
     */
    progressDeadlineSeconds: number;
}

/** The endpoints the TorchServe component creates for `spec`. */
export function servingEndpoints(
    spec: Pick<
        TorchServeSpec,
        | "namespace"
        | "inferencePort"
        | "managementPort"
        | "metricsPort"
        | "grpcInferencePort"
        | "grpcManagementPort"
        | "canary"
        | "models"
    >,
): ServingEndpoints {
    return {
        namespace: spec.namespace,
        serviceName,
        podLabels: { ...podLabels },
        trackLabel,
        ports: {
            inference: spec.inferencePort,
            management: spec.managementPort,
            metrics: spec.metricsPort,
            grpcInference: spec.grpcInferencePort,
            grpcManagement: spec.grpcManagementPort,
        },
        portNames: { ...portNames },
        startupBudgetSeconds: startupBudgetSeconds(spec),
        progressDeadlineSeconds: progressDeadlineSeconds(spec),
        stable: { deploymentName: stableDeploymentName, track: tracks.stable },
        ...(spec.canary
            ? { canary: { deploymentName: canaryDeploymentName, track: tracks.canary, weight: spec.canary.weight } }
            : {}),
    };
}
