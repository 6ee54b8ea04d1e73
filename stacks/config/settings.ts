// The validated, defaulted shape of one stack's configuration. Everything downstream of
// `parseStackConfig` reads these types and never looks at raw Pulumi config again. Sections that
// configure a component are that component's spec plus what only the config needs, such as
// whether an add-on is installed at all.
import type { AlertReceiversSpec } from "../../components/monitoring/alerting";
import { ServiceType } from "../../components/cluster/kubernetes";
import type { GpuNodePoolSpec, MaintenanceWindowSpec, SystemNodePoolSpec } from "../../components/cluster/nodePool";
import type { AksNetworkDataplane } from "../../components/aks/dataplane";
import type { EksAddonVersions } from "../../components/eks/versions";
import type { ClusterAdminSettings } from "./sections/admins";
import { LoggingBackend, LokiSpec } from "../../components/logging/spec";
import { IstioSpec } from "../../components/mesh/spec";
import { AutoscalingSpec, GrafanaSpec, PrometheusSpec } from "../../components/monitoring/spec";
import { CanarySpec, ModelSpec, TorchServeSpec } from "../../components/torchserve/spec";
import { TritonSpec } from "../../components/triton/spec";

export const clouds = ["existing", "aws", "azure", "gcp"] as const;
export type Cloud = (typeof clouds)[number];

export { ServiceType };
export const serviceTypes = Object.values(ServiceType);

/** Where the cluster lives: each cloud provider's own config keys. */
export interface Location {
    /** `aws:region` */
    awsRegion?: string;
    /** `azure-native:location` */
    azureLocation?: string;
    /** `gcp:project` */
    gcpProject?: string;
    /** `gcp:region` */
    gcpRegion?: string;
}

/** `cluster.systemNodePool`: the node-pool model's system pool as is. */
export type SystemNodePoolSettings = SystemNodePoolSpec;

export interface ClusterSettings {
    /** Cluster name, `torchserve-<stack>` by default. */
    name: string;
    /** Pinned Kubernetes minor version, e.g. `1.34`; a per-cloud default when absent. */
    kubernetesVersion?: string;
    systemNodePool: SystemNodePoolSettings;
    /** `existing` only: path to (or contents of) a kubeconfig; absent = ambient kubeconfig. */
    kubeconfig?: string;
    /** `existing` only: kubeconfig context; absent = current context. */
    context?: string;
    /**
     * Protect stateful resources that hold models (file systems, storage) and the cluster itself
     * (GKE deletion protection) from accidental deletion. Default true.
     */
    deletionProtection: boolean;
    /**
     * IPv4 CIDR blocks that may reach the API server of a cluster the program creates (required on
     * aws, azure and gcp; absent on `existing`).
     */
    apiAllowedCidrs?: string[];
    /**
     * `cluster.admins`: on azure the Entra ID principals made AKS RBAC cluster admins (required), on
     * aws the IAM principals given EKS access entries with the cluster admin policy.
     */
    admins: ClusterAdminSettings;
    /** `aws` only: pinned EKS add-on versions, over components/eks/versions.ts's row for the minor. */
    addonVersions?: Partial<EksAddonVersions>;
    /** Weekly window (UTC) for the cloud's automatic upgrades (AKS, GKE); the parser always sets it. */
    maintenanceWindow?: MaintenanceWindowSpec;
    /**
     * `azure` only: the AKS cluster's dataplane; `azure` keeps a cluster created before the Cilium
     * setting as it is until it is migrated (absent = cilium).
     */
    aksNetworkDataplane?: AksNetworkDataplane;
}

/** `gpuNodePool`: the node-pool model's GPU pool, plus the accelerator type GKE needs. */
export interface GpuNodePoolSettings extends GpuNodePoolSpec {
    /** GKE accelerator type, e.g. `nvidia-tesla-t4`; required on gcp, refused elsewhere (the instance type decides). */
    gpuType?: string;
    /** gcp only: zones of the region offering the accelerator (the GPU pool's node locations). */
    zones?: string[];
}

export type ModelSettings = ModelSpec;
export type CanarySettings = CanarySpec;
/** The `torchserve` section: TorchServe's spec, plus what only the config checks. */
export interface TorchServeSettings extends TorchServeSpec {
    /**
     * Accept models without `sha256` on cloud stacks (a `.mar` is executable Python, so they are
     * refused otherwise).
     * @default false
     */
    allowUnverifiedModels?: boolean;
    /**
     * Whether the stack runs TorchServe; `false` leaves a stack that serves with Triton alone.
     * @default true
     */
    enabled: boolean;
}

/** The `triton` section: Triton's spec, and whether the stack runs it. */
export interface TritonSettings extends TritonSpec {
    enabled: boolean;
}

/** The `prometheus` section: Prometheus's spec, and whether the stack installs it. */
export interface PrometheusSettings extends PrometheusSpec {
    enabled: boolean;
}

/** The `grafana` section: Grafana's spec, whether the stack installs it, and its datasource. */
export interface GrafanaSettings extends GrafanaSpec {
    enabled: boolean;
    /** Prometheus URL to use as datasource when `prometheus` is disabled. */
    prometheusUrl?: string;
}

/** The `autoscaling` section: KEDA's spec, and whether the stack installs it. */
export interface AutoscalingSettings extends AutoscalingSpec {
    enabled: boolean;
}

/** The `istio` section: the mesh's spec, and whether the stack installs it. */
export interface IstioSettings extends IstioSpec {
    enabled: boolean;
}

/**
 * The `logging` section: whether and where logs go. `retentionDays` applies to the backend chosen;
 * `storageSize` and `namespace` to Loki only.
 */
export interface LoggingSettings extends LokiSpec {
    enabled: boolean;
    backend: LoggingBackend;
}

export interface Settings {
    project: string;
    stack: string;
    cloud: Cloud;
    location: Location;
    cluster: ClusterSettings;
    /** Absent when the stack has no GPU pool (no `gpuNodePool`, or `maxNodes: 0`). */
    gpuNodePool?: GpuNodePoolSettings;
    torchserve: TorchServeSettings;
    /** NVIDIA Triton beside (or instead of) TorchServe; `enabled: false` by default. */
    triton: TritonSettings;
    prometheus: PrometheusSettings;
    grafana: GrafanaSettings;
    autoscaling: AutoscalingSettings;
    istio: IstioSettings;
    logging: LoggingSettings;
    /** Alertmanager receivers (secret config); absent = none. */
    alertReceivers?: AlertReceiversSpec;
}
