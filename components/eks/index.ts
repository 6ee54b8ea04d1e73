export * from "./blockStorage";
export * from "./cluster";
export * from "./clusterAutoscaler";
export * from "./defaults";
export * from "./iam";
export * from "./modelStore";
export * from "./network";
export * from "./nodeGroup";
