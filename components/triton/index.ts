// NVIDIA Triton: the component, its spec and its pure builders.
export * from "./spec";
export * from "./conventions";
export * from "./releases";
export * from "./repository";
export * from "./workload";
export type { TritonArgs, TritonIdentity, TritonOptions } from "./triton";
export { Triton } from "./triton";
export * from "./metrics";
