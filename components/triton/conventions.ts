// Names Triton gives its objects and pods. One place, so a rename cannot leave a selector matching
// nothing. Distinct from TorchServe's (components/torchserve/conventions.ts): the two share a
// namespace, and neither's Service, PodDisruptionBudget or NetworkPolicy may select the other's pods.

/** Kubernetes name of the Deployment, the Service, the ServiceAccount, the PDB and the NetworkPolicy. */
export const tritonName = "triton";

/**
 * The Triton image's user and group (server build.py: `useradd triton-server`, checked to be uid
 * and gid 1000; triton-inference-server/server@e1db8a60 build.py). Pods run as them.
 */
export const tritonUid = 1000;
export const tritonGid = 1000;

/** Labels on every Triton pod; the Service, PDB and NetworkPolicy select on these. */
export const tritonPodLabels = {
    "app.kubernetes.io/name": "triton",
    "app.kubernetes.io/instance": "triton",
} as const;

/**
 * Triton's ports: its defaults (`--http-port` 8000, `--grpc-port` 8001, `--metrics-port` 8002;
 * src/command_line_parser.h at triton-inference-server/server@e1db8a60), passed explicitly.
 */
export const tritonPorts = { http: 8000, grpc: 8001, metrics: 8002 } as const;

/** Port names on the container and the Service (the mesh reads the protocol from the prefix). */
export const tritonPortNames = { http: "http-triton", grpc: "grpc-triton", metrics: "http-metrics" } as const;
