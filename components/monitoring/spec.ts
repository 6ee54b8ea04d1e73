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

/** The HPA on TorchServe's queue latency per request. */
export interface AutoscalingSpec {
    /** Fewest stable TorchServe replicas. */
    minReplicas: number;
    /** Most stable TorchServe replicas. */
    maxReplicas: number;
    /** Target mean queue latency per request (ms), from rate() over TorchServe's counters. */
    targetQueueLatencyMs: number;
    /** Scale-down stabilisation window, seconds. */
    scaleDownStabilizationSeconds: number;
}
