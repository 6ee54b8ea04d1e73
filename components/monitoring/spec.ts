// What each monitoring component is asked for. The stack's `prometheus`, `grafana` and
// `autoscaling` config sections are these plus whether to install them (stacks/config).
import { ServiceType } from "../cluster/kubernetes";

/** Prometheus (kube-prometheus-stack): retention, volume and namespace. */
export interface PrometheusSpec {
    /** Prometheus TSDB retention, e.g. `15d`. */
    retention: string;
    /** PersistentVolume size for Prometheus. */
    storageSize: string;
    /** Namespace of the monitoring stack. */
    namespace: string;
}

/** Grafana: how its Service is exposed. */
export interface GrafanaSpec {
    /** Type of Grafana's Service. */
    serviceType: ServiceType;
    /** Source CIDRs a LoadBalancer Service accepts (`loadBalancerSourceRanges`). Absent = open to all. */
    loadBalancerSourceRanges?: string[];
}

/** KEDA scaling the stable TorchServe Deployment on its request rate (REST and gRPC). */
export interface AutoscalingSpec {
    /** Fewest stable TorchServe replicas; 0 (scale to zero) only with a wake-up signal (AutoscalingArgs.wakeUp). */
    minReplicas: number;
    /** Most stable TorchServe replicas. */
    maxReplicas: number;
    /** Inference requests per second one pod should take (REST and gRPC together). */
    targetRequestsPerSecond: number;
    /** Scale-down stabilisation window, seconds. */
    scaleDownStabilizationSeconds: number;
}
