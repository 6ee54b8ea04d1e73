// Names TorchServe gives its objects and pods. One place, so a rename cannot leave a selector
// matching nothing; other components get them through ServingEndpoints (endpoints.ts), not from here.

/** Kubernetes name of the Service, and of the stable Deployment. */
export const serviceName = "torchserve";
/**
 * Service of type `torchserve.serviceType` when that is not ClusterIP: inference ports only, so a
 * load balancer never publishes the management API (token auth is off inside the pod).
 */
export const publicServiceName = "torchserve-public";
export const stableDeploymentName = "torchserve";
export const canaryDeploymentName = "torchserve-canary";

/**
 * The TorchServe image's user and group (`useradd -m model-server` on Ubuntu 20.04: uid/gid 1000).
 * Pods run as them, and model-store volumes whose ownership is fixed at mount time must hand them
 * the files.
 */
export const modelServerUid = 1000;
export const modelServerGid = 1000;

/** Labels on every TorchServe pod (stable and canary); the Service selects on these. */
export const podLabels = {
    "app.kubernetes.io/name": "torchserve",
    "app.kubernetes.io/instance": "torchserve",
} as const;

/** Label separating the stable Deployment's pods from the canary's (mesh subsets). */
export const trackLabel = "torchserve.pytorch.org/track";
export const tracks = { stable: "stable", canary: "canary" } as const;

/** Port names on the container and the Service. */
export const portNames = {
    inference: "http-inference",
    management: "http-management",
    metrics: "http-metrics",
    grpcInference: "grpc-inference",
    grpcManagement: "grpc-management",
} as const;
