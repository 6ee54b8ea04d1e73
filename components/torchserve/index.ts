// TorchServe: the component, its spec, the serving endpoints other components take, and its pure
// builders.
export * from "./spec";
export * from "./endpoints";
export * from "./conventions";
export * from "./config";
export * from "./fetchModels";
export * from "./workload";
export type { ReplicaRange, TorchServeArgs, TorchServeOptions, WorkloadIdentity } from "./torchserve";
export { TorchServe, inferenceHost, servicePorts, publicServicePorts, networkPolicySpec } from "./torchserve";
export { modelStoreClaimName, networkPolicyName, disruptionBudgetName, serviceAccountName } from "./torchserve";
export * from "./objectUrl";
