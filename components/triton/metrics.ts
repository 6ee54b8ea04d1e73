// Triton's metrics (port 8002, `/metrics`) as Prometheus sees them: the PodMonitor that scrapes
// them and the alert rules on them. Metric names and labels are Triton's own
// (triton-inference-server/server@e1db8a60 docs/user_guide/metrics.md: per-model counters
// `nv_inference_request_success`, `nv_inference_request_failure`, `nv_inference_count`, the
// cumulative `nv_inference_queue_duration_us`, the gauge `nv_inference_pending_request_count`, each
// labelled `model` and `version`, exported for every loaded model).
import { tritonName, tritonPodLabels, tritonPortNames } from "./conventions";

/** Name of the PodMonitor (in the monitoring namespace), and so the scrape's `job` is `<namespace>/<name>`. */
export const tritonPodMonitorName = "triton";

/** metadata + spec of the PodMonitor scraping every Triton pod on its metrics port. */
export function tritonPodMonitor(monitorNamespace: string, tritonNamespace: string) {
    return {
        metadata: { name: tritonPodMonitorName, namespace: monitorNamespace },
        spec: {
            namespaceSelector: { matchNames: [tritonNamespace] },
            selector: { matchLabels: { ...tritonPodLabels } },
            podMetricsEndpoints: [{ port: tritonPortNames.metrics, path: "/metrics", interval: "15s" }],
        },
    };
}

/** One Prometheus alerting rule (the PrometheusRule's shape). */
export interface TritonAlertRule {
    alert: string;
    expr: string;
    for: string;
    labels: { severity: "critical" | "warning" };
    annotations: { summary: string; description: string };
}

export interface TritonAlertArgs {
    /** Namespace Triton runs in. */
    namespace: string;
    /** `job` of the scrape (`<monitor namespace>/<PodMonitor name>`). */
    scrapeJob: string;
    /** Models that must be loaded (empty: all of the repository, none named). */
    models: string[];
    /** Seconds a pod may take to load its models (workload.ts startupBudgetSeconds). */
    startupBudgetSeconds: number;
    /** Mean queue time per request that is alarming (ms). @default 500 */
    queueTimeMs?: number;
    /** Requests waiting in a model's queue (all pods) that are alarming. @default 20 */
    pendingRequests?: number;
    /** Share of failed inferences that is alarming (0-1). @default 0.05 */
    failureRatio?: number;
}

/**
 * Alerts on Triton: the server down while it should run, a listed model not loaded on any pod (no
 * per-model series, which Triton exports for every loaded model), queue time and pending requests
 * high, inferences failing.
 */
export function tritonAlertRules(a: TritonAlertArgs): TritonAlertRule[] {
    const sel = `namespace="${a.namespace}",job="${a.scrapeJob}"`;
    const up = `(count(up{${sel}} == 1) > 0)`;
    const notLoadedFor = `${Math.ceil(a.startupBudgetSeconds / 60) + 5}m`;
    const byModel = (metric: string) => `sum by (model) (rate(${metric}{${sel}}[5m]))`;
    const rules: TritonAlertRule[] = [
        {
            alert: "TritonDown",
            // Not when parked: then no pod is meant to answer.
            expr:
                `absent(up{${sel}} == 1)` +
                ` and on () (sum(kube_deployment_spec_replicas{namespace="${a.namespace}",deployment="${tritonName}"}) > 0)`,
            for: "5m",
            labels: { severity: "critical" },
            annotations: {
                summary: "Triton is down",
                description: `No Triton pod in ${a.namespace} answers on its metrics port although the Deployment asks for some.`,
            },
        },
    ];
    if (a.models.length > 0)
        rules.push({
            alert: "TritonModelNotLoaded",
            expr:
                "(" +
                a.models.map((m) => `label_replace(vector(1), "model", "${m}", "", "")`).join(" or ") +
                `) unless on (model) count by (model) (nv_inference_count{${sel}}) and on () ${up}`,
            for: notLoadedFor,
            labels: { severity: "critical" },
            annotations: {
                summary: "A listed Triton model is not loaded",
                description:
                    "Model {{ $labels.model }} is listed in triton.models but no Triton pod has it loaded (see the pod's log).",
            },
        });
    rules.push(
        {
            alert: "TritonQueueTimeHigh",
            expr: `(${byModel("nv_inference_queue_duration_us")} / ${byModel("nv_inference_request_success")}) / 1000 > ${a.queueTimeMs ?? 500}`,
            for: "10m",
            labels: { severity: "warning" },
            annotations: {
                summary: "Triton requests wait long in the queue",
                description: `Requests for {{ $labels.model }} wait more than ${a.queueTimeMs ?? 500} ms in Triton's queue on average: add pods or instances.`,
            },
        },
        {
            alert: "TritonPendingRequestsHigh",
            expr: `sum by (model) (nv_inference_pending_request_count{${sel}}) > ${a.pendingRequests ?? 20}`,
            for: "5m",
            labels: { severity: "warning" },
            annotations: {
                summary: "Requests pile up in Triton",
                description: `More than ${a.pendingRequests ?? 20} requests for {{ $labels.model }} are pending in Triton.`,
            },
        },
        {
            alert: "TritonInferenceFailures",
            expr:
                `${byModel("nv_inference_request_failure")} / (${byModel("nv_inference_request_success")} + ${byModel("nv_inference_request_failure")})` +
                ` > ${a.failureRatio ?? 0.05}`,
            for: "5m",
            labels: { severity: "critical" },
            annotations: {
                summary: "Triton inferences fail",
                description: `More than ${(a.failureRatio ?? 0.05) * 100}% of inferences for {{ $labels.model }} fail.`,
            },
        },
    );
    return rules;
}
