// TorchServe: the component, its pure builders and the names other components rely on.
export * from "./conventions";
export * from "./config";
export * from "./fetchModels";
export * from "./workload";
export type { TorchServeArgs } from "./torchserve";
export { TorchServe, inferenceHost, servicePorts, publicServicePorts, networkPolicySpec } from "./torchserve";
export {
    configMapName,
    fetchConfigMapName,
    modelStoreClaimName,
    networkPolicyName,
    disruptionBudgetName,
} from "./torchserve";
