// The multi-language component package's entry point (package.json `main`, PulumiPlugin.yaml beside
// it): `pulumi package add <git-url>` serves every ComponentResource exported here to Python, Go,
// .NET, Java and YAML programs, with a schema Pulumi's analyzer infers from the Args interfaces.
// The TypeScript program (stacks/) imports each component folder directly, never this file, so a
// stack loads only its own cloud's SDK.
export { AksCluster } from "./aks";
export type { AksClusterArgs } from "./aks";
export { BlobModelBucket } from "./aks/modelBucket";
export type { BlobModelBucketArgs } from "./aks/modelBucket";
export { AksModelReader } from "./aks/modelReader";
export type { AksModelReaderArgs } from "./aks/modelReader";
export { NvidiaDevicePlugin } from "./devicePlugin";
export type { NvidiaDevicePluginArgs } from "./devicePlugin";
export { EksCluster } from "./eks";
export type { EksClusterArgs } from "./eks";
export { EksModelReader } from "./eks/modelReader";
export type { EksModelReaderArgs } from "./eks/modelReader";
export { GkeCluster } from "./gke";
export type { GkeClusterArgs } from "./gke";
export { GkeModelReader } from "./gke/modelReader";
export type { GkeModelReaderArgs } from "./gke/modelReader";
export { Loki } from "./logging";
export type { LokiArgs } from "./logging";
export { InferenceRoutes, IstioMesh } from "./mesh";
export type { InferenceRoutesArgs, IstioMeshArgs } from "./mesh";
export { Autoscaling, Grafana, Monitoring } from "./monitoring";
export type { AutoscalingArgs, GrafanaArgs, MonitoringArgs } from "./monitoring";
export { TorchServe } from "./torchserve";
export type { TorchServeArgs } from "./torchserve";
export { Triton } from "./triton";
export type { TritonArgs } from "./triton";
