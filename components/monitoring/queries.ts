// PromQL the platform emits: alert rules and the autoscaling metric. Metric names and labels are
// TorchServe 0.12's (ts/configs/metrics.yaml, metrics_mode=prometheus): the ts_* counters carry
// model_name/model_version/hostname, Requests{2,4,5}XX carry Level/Hostname; scraping through the
// PodMonitor adds namespace and pod. dcgm-exporter's DCGM_FI_* gauges carry gpu and Hostname.
//
// TorchServe's latency metrics are cumulative counters: only a ratio of rates is a latency.
// (Scaling on the raw ts_queue_latency_microseconds would scale on uptime.)

import type { ServingEndpoints } from "../torchserve/endpoints";

/**
 * Label the TorchServe PodMonitor puts on every series: the pod's track (stable or canary), copied
 * from the pod label ServingEndpoints.trackLabel.
 */
export const trackMetricLabel = "track";

/** TorchServe frontend metric names. */
export const tsMetrics = {
    requests: "ts_inference_requests_total",
    inferenceLatencyUs: "ts_inference_latency_microseconds",
    queueLatencyUs: "ts_queue_latency_microseconds",
    responses2xx: "Requests2XX",
    responses4xx: "Requests4XX",
    responses5xx: "Requests5XX",
} as const;

/** dcgm-exporter default counters used here. */
export const dcgmMetrics = {
    gpuUtil: "DCGM_FI_DEV_GPU_UTIL",
    fbUsed: "DCGM_FI_DEV_FB_USED",
    fbFree: "DCGM_FI_DEV_FB_FREE",
} as const;

/** Rate window of the autoscaling queries: 8 scrapes at the PodMonitor's 15s interval. */
export const autoscalingRateWindow = "2m";

/** Istio's standard request counter (Envoy's stats filter; `reporter="source"` at a gateway). */
export const istioRequestsTotal = "istio_requests_total";

/**
 * Inference requests per second reaching the stable pods, REST and gRPC together. Why this signal:
 * `ts_inference_requests_total` is incremented on arrival by both frontends (pytorch/serve v0.12.0
 * InferenceRequestHandler for REST, grpcimpl/InferenceImpl for gRPC), while the queue and inference
 * latency counters are recorded only for REST jobs (RestJob), so a gRPC-only load never moves them.
 * Only the stable track: the ScaledObject scales the stable Deployment (the `track` label comes from
 * the PodMonitor's relabeling). `or vector(0)`: no pods, no series, still a number.
 */
export function servingRequestRateQuery(serving: Pick<ServingEndpoints, "namespace" | "stable">): string {
    const sel = `namespace="${serving.namespace}",${trackMetricLabel}="${serving.stable.track}"`;
    return `sum(rate(${tsMetrics.requests}{${sel}}[${autoscalingRateWindow}])) or vector(0)`;
}

/**
 * Response codes of requests the gateway's JWT rules refuse (RequestAuthentication 401,
 * AuthorizationPolicy 403): never forwarded, so they neither wake nor scale TorchServe.
 */
export const refusedResponseCodes = "401|403";

/** istio_requests_total of the gateway towards TorchServe's Service, with `extra` matchers. */
function gatewayRequests(
    serving: Pick<ServingEndpoints, "namespace" | "serviceName">,
    gatewayNamespace: string,
    extra: string,
): string {
    return (
        `${istioRequestsTotal}{reporter="source",source_workload_namespace="${gatewayNamespace}",` +
        `destination_service_namespace="${serving.namespace}",destination_service_name="${serving.serviceName}",${extra}}`
    );
}

/**
 * The wake-up signal: 1 while requests the gateway does not refuse arrive for TorchServe, else 0.
 * The gateway counts them whether or not a TorchServe pod runs (no pod: Envoy answers 503 and still
 * counts), which makes scaling to zero possible; 401/403 of the JWT rules never count, so tokenless
 * traffic cannot start a GPU node. rate() misses the first request of a label set (a series' first
 * sample has nothing to rise from; with no pod the gateway's first 503 is such a new series), so
 * series born within the window count too. Clamped at 1 (with target 1: one pod): it only wakes;
 * retries of 503s while the first pod starts, and the new series of a gateway rollout or scale-out,
 * can never ask for more. Not aggregated across gateway pods before the new-series test: a request
 * reaching a gateway pod for the first time is a new series there even when another pod has served
 * that code before, and must still wake.
 */
export function gatewayWakeQuery(
    serving: Pick<ServingEndpoints, "namespace" | "serviceName">,
    gatewayNamespace: string,
): string {
    const m = gatewayRequests(serving, gatewayNamespace, `response_code!~"${refusedResponseCodes}"`);
    const w = autoscalingRateWindow;
    return `clamp_max((sum(rate(${m}[${w}])) or vector(0)) + (count(${m} unless ${m} offset ${w}) or vector(0)), 1)`;
}

/**
 * The gateway's scaling signal: requests per second TorchServe answered through it, summed over
 * every gateway pod. Answered = Envoy passed an upstream response on (`response_flags="-"`); the
 * 503s Envoy makes up while no pod is ready carry a flag (UH no healthy upstream, UF connection
 * failure, NR no route…), and the JWT refusals (which may carry no flag) are left out by code, so
 * neither retries during a cold start nor tokenless traffic push KEDA towards maxReplicas. A rate only: no new-series term,
 * which is a count of requests, not a rate (the wake-up signal catches first requests).
 */
export function gatewayAnsweredRateQuery(
    serving: Pick<ServingEndpoints, "namespace" | "serviceName">,
    gatewayNamespace: string,
): string {
    const m = gatewayRequests(serving, gatewayNamespace, `response_flags="-",response_code!~"${refusedResponseCodes}"`);
    return `sum(rate(${m}[${autoscalingRateWindow}])) or vector(0)`;
}

/**
 * Share of inference requests TorchServe answered 5xx over `window`: its HTTP 5xx responses over
 * its inference requests. Not over Requests2XX + 4XX + 5XX: those count every HTTP response on every
 * port, the readiness check's management call (every 10 s), liveness `/ping` (20 s) and metrics
 * scrapes (15 s) included, about 0.2 responses/s of 2xx per pod, so at low traffic no share of
 * failing requests could reach the threshold. `ts_inference_requests_total` counts inference
 * requests only, REST and gRPC, on arrival. gRPC failures are never among the 5xx (TorchServe counts
 * HTTP statuses only), so gRPC traffic lowers the share. No requests, no share (`> 0`).
 */
export function serverErrorShare(selector: string, window: string): string {
    return (
        `(sum(rate(${tsMetrics.responses5xx}{${selector}}[${window}])) or vector(0))` +
        ` / (sum(rate(${tsMetrics.requests}{${selector}}[${window}])) > 0)`
    );
}

/** A Prometheus alerting rule as PrometheusRule's spec takes it. */
export interface AlertRule {
    alert: string;
    expr: string;
    for: string;
    labels: { severity: "critical" | "warning" };
    annotations: { summary: string; description: string };
}

export interface AlertRuleArgs {
    /** Namespace TorchServe runs in. */
    torchServeNamespace: string;
    /** Kubernetes name of the stable Deployment. */
    deploymentName: string;
    /** `job` label of the TorchServe scrape (PodMonitor namespace/name). */
    scrapeJob: string;
    /** Alert when mean queue latency per request exceeds this (ms). */
    queueLatencyAlertMs: number;
    /** Share of 5xx among all responses that is alarming (0-1). */
    errorRatio: number;
    /** GPU nodes the pool is expected to keep (its minimum); undefined = no GPU pool. */
    expectedGpuNodes?: number;
    /** GPU framebuffer used share that is alarming (0-1). */
    gpuMemoryRatio: number;
    /** Seconds a TorchServe pod may take to load its models (ServingEndpoints.startupBudgetSeconds). */
    startupBudgetSeconds: number;
    /** The Deployment's progressDeadlineSeconds (ServingEndpoints.progressDeadlineSeconds). */
    progressDeadlineSeconds: number;
}

/**
 * `unless` term silencing an alert on the Deployment while it has changed (a scale from zero, a
 * rollout: anything that sets its spec, replicas included, bumps metadata.generation) within its
 * progress deadline: starting pods then may take a GPU node and the model loads, 5-10 minutes.
 * Not the Progressing condition: a scale from zero never times out on it (the deployment
 * controller's syncRolloutStatus skips the deadline check when every pod is of the newest
 * ReplicaSet and the condition says NewReplicaSetAvailable, kubernetes/kubernetes
 * pkg/controller/deployment/progress.go), so a stuck cold start would stay silent forever.
 */
export function deploymentChangedWithin(
    a: Pick<AlertRuleArgs, "torchServeNamespace" | "deploymentName" | "progressDeadlineSeconds">,
): string {
    const sel = `namespace="${a.torchServeNamespace}",deployment="${a.deploymentName}"`;
    return `(sum(changes(kube_deployment_metadata_generation{${sel}}[${a.progressDeadlineSeconds}s])) > 0)`;
}

/** Alert rules for TorchServe and, where the cluster has one, the GPU pool. */
export function alertRules(a: AlertRuleArgs): AlertRule[] {
    const ns = `namespace="${a.torchServeNamespace}"`;
    // Longer than a pod may take to start, so a slow but healthy start never alerts.
    const notReadyFor = `${Math.ceil(a.startupBudgetSeconds / 60) + 5}m`;
    const progressFor = `${a.progressDeadlineSeconds}s, the progress deadline`;
    const rules: AlertRule[] = [
        {
            alert: "TorchServeDown",
            // Not when parked or scaled to zero: then no pod is meant to answer; not while a scale
            // from zero or a rollout is within its progress deadline (a cold start pages no one).
            expr:
                `absent(up{job="${a.scrapeJob}",${ns}} == 1)` +
                ` and on () (sum(kube_deployment_spec_replicas{${ns},deployment="${a.deploymentName}"}) > 0)` +
                ` unless on () ${deploymentChangedWithin(a)}`,
            for: "5m",
            labels: { severity: "critical" },
            annotations: {
                summary: "TorchServe metrics endpoint unreachable",
                description: `No TorchServe pod in ${a.torchServeNamespace} has answered a metrics scrape for 5 minutes, outside a scale from zero or rollout (those get ${progressFor}).`,
            },
        },
        {
            alert: "TorchServeNoReadyPods",
            // Not when parked or scaled to zero: then no pod is meant to run; not while a scale from
            // zero or a rollout is within its progress deadline.
            expr:
                `kube_deployment_status_replicas_available{${ns},deployment="${a.deploymentName}"} == 0` +
                ` and on (namespace, deployment) kube_deployment_spec_replicas{${ns},deployment="${a.deploymentName}"} > 0` +
                ` unless on () ${deploymentChangedWithin(a)}`,
            for: "5m",
            labels: { severity: "critical" },
            annotations: {
                summary: "TorchServe has no ready pods",
                description: `Deployment ${a.torchServeNamespace}/${a.deploymentName} has had 0 available replicas for 5 minutes, outside a scale from zero or rollout (those get ${progressFor}).`,
            },
        },
        {
            alert: "TorchServeHigh5xxRatio",
            expr: `${serverErrorShare(ns, "5m")} > ${a.errorRatio}`,
            for: "10m",
            labels: { severity: "warning" },
            annotations: {
                summary: "TorchServe answers many inference requests with 5xx",
                description: `More than ${a.errorRatio * 100}% of inference requests to TorchServe in ${a.torchServeNamespace} were answered 5xx over 10 minutes (HTTP statuses: gRPC failures are not counted).`,
            },
        },
        {
            alert: "TorchServeQueueLatencyHigh",
            expr:
                `sum by (namespace, pod, model_name) (rate(${tsMetrics.queueLatencyUs}{${ns}}[5m])) / 1000` +
                ` / (sum by (namespace, pod, model_name) (rate(${tsMetrics.requests}{${ns}}[5m])) > 0)` +
                ` > ${a.queueLatencyAlertMs}`,
            for: "10m",
            labels: { severity: "warning" },
            annotations: {
                summary: "REST requests wait long in TorchServe's queue",
                // TorchServe 0.12 records queue latency for REST jobs only (RestJob), while the request
                // counter counts gRPC too: gRPC traffic lowers the mean and gRPC waits are not in it.
                description: `Mean queue latency per request (REST only; gRPC requests lower the mean) of {{ $labels.model_name }} on {{ $labels.pod }} is above ${a.queueLatencyAlertMs} ms.`,
            },
        },
        {
            // Readiness is "every model has minWorkers READY workers" (components/torchserve/
            // readiness.ts). Judged on the pod object (kube-state-metrics), which outlives container
            // restarts: a pod whose models never load stays Running and unready through the liveness
            // restarts that would reset a condition on the container's own metrics.
            alert: "TorchServeNoHealthyWorkers",
            expr:
                `kube_pod_status_ready{${ns},condition="true"} == 0` +
                ` and on (namespace, pod) kube_pod_status_phase{${ns},phase="Running"} == 1`,
            for: notReadyFor,
            labels: { severity: "critical" },
            annotations: {
                summary: "TorchServe pod runs without its models loaded",
                description: `{{ $labels.pod }} has been running but not ready for ${notReadyFor} (longer than its startup budget): some model has fewer than minWorkers workers READY. kubectl describe pod shows the readiness check's reason.`,
            },
        },
    ];
    if (a.expectedGpuNodes !== undefined) {
        if (a.expectedGpuNodes > 0) {
            rules.push({
                alert: "GpuNodeMissing",
                expr:
                    `count(count by (Hostname) (${dcgmMetrics.gpuUtil})) < ${a.expectedGpuNodes}` +
                    ` or absent(${dcgmMetrics.gpuUtil})`,
                for: "15m",
                labels: { severity: "critical" },
                annotations: {
                    summary: "Fewer GPU nodes report metrics than the pool's minimum",
                    description: `dcgm-exporter reports GPUs on fewer than ${a.expectedGpuNodes} node(s) for 15 minutes: GPU nodes are missing or their GPUs are not visible.`,
                },
            });
        }
        rules.push({
            alert: "GpuMemoryNearFull",
            expr: `${dcgmMetrics.fbUsed} / (${dcgmMetrics.fbUsed} + ${dcgmMetrics.fbFree}) > ${a.gpuMemoryRatio}`,
            for: "10m",
            labels: { severity: "warning" },
            annotations: {
                summary: "GPU memory nearly full",
                description: `GPU {{ $labels.gpu }} on {{ $labels.Hostname }} has used more than ${a.gpuMemoryRatio * 100}% of its memory for 10 minutes.`,
            },
        });
    }
    return rules;
}
