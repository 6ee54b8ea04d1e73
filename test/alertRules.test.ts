// Alert rules as Prometheus evaluates them: `promtool test rules` on the shipped rules with
// synthetic series, each alert shown to fire where it should and to stay quiet where it should not.
// promtool comes from Debian's `prometheus` package; skipped locally without it, required under CI.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { AlertRule, monitoringAlertRules, prometheusRule } from "../components/monitoring";
import { servingEndpoints } from "../components/torchserve/endpoints";
import { gpuPlacement, torchServeSpec } from "./support/specs";
import { requireTool, runs } from "./support/tools";

const promtool = runs("promtool");

interface Series {
    series: string;
    values: string;
}
interface AlertCase {
    /** What the case shows. */
    name: string;
    series: Series[];
    /** When the rule is evaluated (Prometheus duration). */
    at: string;
    alert: string;
    /** The alerts expected then, by their labels (besides alertname); [] = quiet. */
    fires: Record<string, string>[];
}

/** Annotations with `{{ $labels.x }}` filled in, as Prometheus renders them for an alert with `labels`. */
function expandLabels(annotations: Record<string, string>, labels: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(annotations))
        out[k] = v.replace(/\{\{ \$labels\.([A-Za-z_]+) \}\}/g, (_, l: string) => labels[l] ?? "");
    return out;
}

/** Runs `promtool test rules` for `cases` against `rules`; returns its output and whether it passed. */
function testRules(rules: AlertRule[], cases: AlertCase[]): { ok: boolean; out: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "alerts-"));
    try {
        fs.writeFileSync(path.join(dir, "rules.yaml"), yaml.dump({ groups: [{ name: "torchserve", rules }] }));
        const tests = cases.map((c) => ({
            name: c.name,
            interval: "30s",
            input_series: c.series,
            alert_rule_test: [
                {
                    eval_time: c.at,
                    alertname: c.alert,
                    exp_alerts: c.fires.map((labels) => {
                        const rule = rules.find((r) => r.alert === c.alert)!;
                        return {
                            exp_labels: { ...labels, severity: rule.labels.severity },
                            exp_annotations: expandLabels(rule.annotations, labels),
                        };
                    }),
                },
            ],
        }));
        fs.writeFileSync(
            path.join(dir, "tests.yaml"),
            yaml.dump({ rule_files: ["rules.yaml"], evaluation_interval: "30s", tests }, { lineWidth: -1 }),
        );
        const r = spawnSync("promtool", ["test", "rules", path.join(dir, "tests.yaml")], { encoding: "utf8" });
        return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

const serving = servingEndpoints(torchServeSpec());
const rules = monitoringAlertRules({
    prometheus: { retention: "15d", storageSize: "50Gi", namespace: "monitoring" },
    serving,
    gpuPool: { placement: gpuPlacement, minNodes: 1 },
});
const pod = { namespace: "torchserve", pod: "torchserve-7d9f-abcde" };
const sel = (labels: Record<string, string>) =>
    "{" +
    Object.entries(labels)
        .map(([k, v]) => `${k}="${v}"`)
        .join(",") +
    "}";

// Budget for the default spec: 120 s server start + 2 × 120 s startupTimeout = 6 min → alert after 11m.
const ready = (values: string) => ({ series: `kube_pod_status_ready${sel({ ...pod, condition: "true" })}`, values });
const running = (values: string) => ({
    series: `kube_pod_status_phase${sel({ ...pod, phase: "Running" })}`,
    values,
});
const deployment = { namespace: "torchserve", deployment: "torchserve" };
const available = (values: string) => ({
    series: `kube_deployment_status_replicas_available${sel(deployment)}`,
    values,
});
const desired = (values: string) => ({ series: `kube_deployment_spec_replicas${sel(deployment)}`, values });
const generation = (values: string) => ({
    series: `kube_deployment_metadata_generation${sel(deployment)}`,
    values,
});
// A scale from zero at 5m (KEDA or `replicas` 0 → 1 bumps the Deployment's generation). The default
// spec's progress deadline: 6 min startup budget + 10 min for a GPU node = 16 min.
const scaledFromZero = [desired("0x10 1x70"), generation("1x10 2x70")];

const job = "monitoring/torchserve";
const up = (values: string) => ({ series: `up${sel({ ...pod, job })}`, values });
const responses = (cls: string, values: string) => ({
    series: `Requests${cls}XX${sel({ ...pod, Level: "Host" })}`,
    values,
});
const tsCounter = (name: string, values: string) => ({
    series: `${name}${sel({ ...pod, model_name: "squeezenet1_1", model_version: "1.0" })}`,
    values,
});
const gpu = { Hostname: "gpu-node-1", gpu: "0" };
const dcgm = (name: string, values: string) => ({ series: `${name}${sel(gpu)}`, values });

const cases: AlertCase[] = [
    {
        name: "no TorchServe pod answers scrapes while replicas are wanted: fires",
        series: [up("0x20"), desired("1x20")],
        at: "8m",
        alert: "TorchServeDown",
        fires: [{}],
    },
    {
        name: "scrapes answered: quiet",
        series: [up("1x20"), desired("1x20")],
        at: "8m",
        alert: "TorchServeDown",
        fires: [],
    },
    {
        name: "a scale from zero 7 minutes in (GPU node, model load; no pod answers yet): quiet",
        series: [...scaledFromZero],
        at: "12m",
        alert: "TorchServeDown",
        fires: [],
    },
    {
        name: "a scale from zero stuck past its progress deadline (5m + 16m) and 5 more minutes: fires",
        series: [...scaledFromZero],
        at: "27m",
        alert: "TorchServeDown",
        fires: [{}],
    },
    {
        name: "parked or scaled to zero (no pod, no up series): quiet",
        series: [desired("0x20")],
        at: "8m",
        alert: "TorchServeDown",
        fires: [],
    },
    {
        name: "half the inference requests answered 5xx for 15 minutes: fires",
        // +120 per 30 s step = 4 requests/s, 2 of them answered 5xx; probes and scrapes answer 2xx.
        series: [
            tsCounter("ts_inference_requests_total", "0+120x40"),
            responses("5", "0+60x40"),
            responses("2", "0+67x40"),
        ],
        at: "18m",
        alert: "TorchServeHigh5xxRatio",
        fires: [{}],
    },
    {
        name: "low traffic, a request every 2 minutes, each answered 5xx, among probes and scrapes (0.23 2xx/s): fires",
        series: [
            tsCounter("ts_inference_requests_total", "0+0.25x40"),
            responses("5", "0+0.25x40"),
            responses("2", "0+7x40"),
        ],
        at: "18m",
        alert: "TorchServeHigh5xxRatio",
        fires: [{}],
    },
    {
        name: "no 5xx: quiet",
        series: [
            tsCounter("ts_inference_requests_total", "0+60x40"),
            responses("2", "0+60x40"),
            responses("5", "0x40"),
        ],
        at: "18m",
        alert: "TorchServeHigh5xxRatio",
        fires: [],
    },
    {
        name: "no inference requests, only probes and scrapes: quiet",
        series: [tsCounter("ts_inference_requests_total", "0x40"), responses("2", "0+7x40"), responses("5", "0x40")],
        at: "18m",
        alert: "TorchServeHigh5xxRatio",
        fires: [],
    },
    {
        name: "2 s mean queue latency per request for 15 minutes: fires",
        // 1 request/s, each waiting 2 s in the queue (2e6 µs per second of wall time).
        series: [
            tsCounter("ts_inference_requests_total", "0+30x40"),
            tsCounter("ts_queue_latency_microseconds", "0+60000000x40"),
        ],
        at: "18m",
        alert: "TorchServeQueueLatencyHigh",
        fires: [{ ...pod, model_name: "squeezenet1_1" }],
    },
    {
        name: "0.5 s mean queue latency: quiet",
        series: [
            tsCounter("ts_inference_requests_total", "0+30x40"),
            tsCounter("ts_queue_latency_microseconds", "0+15000000x40"),
        ],
        at: "18m",
        alert: "TorchServeQueueLatencyHigh",
        fires: [],
    },
    {
        name: "no GPU node reports for 20 minutes while the pool's minimum is 1: fires",
        series: [desired("1x60")],
        at: "20m",
        alert: "GpuNodeMissing",
        fires: [{}],
    },
    {
        name: "the GPU node reports: quiet",
        series: [dcgm("DCGM_FI_DEV_GPU_UTIL", "30x60")],
        at: "20m",
        alert: "GpuNodeMissing",
        fires: [],
    },
    {
        name: "GPU memory 99 % used for 15 minutes: fires",
        series: [dcgm("DCGM_FI_DEV_FB_USED", "15000x40"), dcgm("DCGM_FI_DEV_FB_FREE", "100x40")],
        at: "18m",
        alert: "GpuMemoryNearFull",
        fires: [gpu],
    },
    {
        name: "GPU memory 7 % used: quiet",
        series: [dcgm("DCGM_FI_DEV_FB_USED", "1000x40"), dcgm("DCGM_FI_DEV_FB_FREE", "14000x40")],
        at: "18m",
        alert: "GpuMemoryNearFull",
        fires: [],
    },
    {
        name: "models never load: Running, unready past the startup budget (through container restarts)",
        series: [ready("0x60"), running("1x60")],
        at: "20m",
        alert: "TorchServeNoHealthyWorkers",
        fires: [{ ...pod, condition: "true" }],
    },
    {
        name: "slow start within the budget, then ready: quiet",
        series: [ready("0x16 1x44"), running("1x60")],
        at: "20m",
        alert: "TorchServeNoHealthyWorkers",
        fires: [],
    },
    {
        name: "still within the budget: quiet",
        series: [ready("0x20"), running("1x20")],
        at: "9m",
        alert: "TorchServeNoHealthyWorkers",
        fires: [],
    },
    {
        name: "Pending (waiting for a GPU node), not Running: quiet",
        series: [ready("0x60"), running("0x60")],
        at: "20m",
        alert: "TorchServeNoHealthyWorkers",
        fires: [],
    },
    {
        name: "no pod available while replicas are wanted: fires",
        series: [available("0x20"), desired("2x20")],
        at: "8m",
        alert: "TorchServeNoReadyPods",
        fires: [deployment],
    },
    {
        name: "steady Deployment (no spec change) with no pod available: fires after 5 minutes",
        series: [available("0x20"), desired("1x20"), generation("4x20")],
        at: "8m",
        alert: "TorchServeNoReadyPods",
        fires: [deployment],
    },
    {
        name: "a scale from zero 7 minutes in: quiet",
        series: [...scaledFromZero, available("0x80")],
        at: "12m",
        alert: "TorchServeNoReadyPods",
        fires: [],
    },
    {
        name: "a scale from zero that becomes ready within its deadline (10 minutes): quiet throughout",
        series: [...scaledFromZero, available("0x30 1x50")],
        at: "27m",
        alert: "TorchServeNoReadyPods",
        fires: [],
    },
    {
        name: "a scale from zero stuck past its progress deadline and 5 more minutes: fires",
        series: [...scaledFromZero, available("0x80")],
        at: "27m",
        alert: "TorchServeNoReadyPods",
        fires: [deployment],
    },
    {
        name: "still within the progress deadline, stuck or not: quiet",
        series: [...scaledFromZero, available("0x80")],
        at: "20m",
        alert: "TorchServeNoReadyPods",
        fires: [],
    },
    {
        name: "parked or scaled to zero: quiet",
        series: [available("0x20"), desired("0x20")],
        at: "8m",
        alert: "TorchServeNoReadyPods",
        fires: [],
    },
];

describe("alert rules (promtool test rules)", function () {
    // promtool evaluates every case in one run: seconds idle, more on a shared 2-core machine.
    this.timeout(60000);
    before(function () {
        requireTool(this, "promtool", promtool, "apt-get install -y prometheus");
    });

    it("covers every shipped alert, each shown to fire and to stay quiet", () => {
        for (const r of rules) {
            const mine = cases.filter((c) => c.alert === r.alert);
            assert.ok(
                mine.some((c) => c.fires.length > 0),
                `${r.alert}: no case where it fires`,
            );
            assert.ok(
                mine.some((c) => c.fires.length === 0),
                `${r.alert}: no case where it stays quiet`,
            );
        }
    });

    it("every case fires or stays quiet as expected, on the rules as shipped", () => {
        assert.deepEqual(prometheusRule("monitoring", rules).spec.groups[0].rules, rules);
        const r = testRules(rules, cases);
        assert.ok(r.ok, r.out);
    });

    it("the harness fails a wrong expectation (an alert that does not fire, claimed to fire)", () => {
        const quiet = cases.find((c) => c.name.startsWith("slow start within the budget"))!;
        const wrong = { ...quiet, fires: [{ ...pod, condition: "true" }] };
        const r = testRules(rules, [wrong]);
        assert.ok(!r.ok, "promtool accepted a wrong expectation");
        assert.match(r.out, /FAILED/);
    });

    it("the old TorchServeNoHealthyWorkers (scraped but unready, for 10m) could not fire through restarts", () => {
        const old: AlertRule = {
            ...rules.find((x) => x.alert === "TorchServeNoHealthyWorkers")!,
            expr:
                'max by (namespace, pod) (up{job="monitoring/torchserve",namespace="torchserve"} == 1)' +
                ' unless on (namespace, pod) (kube_pod_status_ready{namespace="torchserve",condition="true"} == 1)',
            for: "10m",
        };
        const neverLoads = cases.find((c) => c.name.startsWith("models never load"))!;
        const claim = (values: string) => ({
            ...neverLoads,
            series: [...neverLoads.series, up(values)],
            fires: [pod],
        });
        // Control: without restarts the old rule fires, so the case below fails for the restarts alone.
        const steady = testRules([old], [claim("1x60")]);
        assert.ok(steady.ok, steady.out);
        // Liveness restarts the JVM every ~7 minutes: one failed scrape (up 0) each time.
        assert.ok(!testRules([old], [claim("1x13 0 1x13 0 1x13 0 1x13")]).ok, "the old rule fired through restarts");
    });

    it("the old TorchServeDown and TorchServeNoReadyPods (5 minutes, no progress gate) paged on every cold start", () => {
        for (const alert of ["TorchServeDown", "TorchServeNoReadyPods"]) {
            const shipped = rules.find((x) => x.alert === alert)!;
            const old: AlertRule = { ...shipped, expr: shipped.expr.replace(/ unless on \(\) .*$/, "") };
            assert.notStrictEqual(old.expr, shipped.expr);
            const coldStart = cases.find((c) => c.alert === alert && c.name.includes("7 minutes in"))!;
            assert.ok(testRules([shipped], [coldStart]).ok);
            assert.ok(!testRules([old], [coldStart]).ok, `the old ${alert} stayed quiet on a cold start`);
        }
    });

    it("the previous TorchServeHigh5xxRatio (5xx over every response, probes and scrapes included) could not fire at low traffic", () => {
        const shipped = rules.find((x) => x.alert === "TorchServeHigh5xxRatio")!;
        const s = (m: string) => `(sum (rate(${m}{namespace="torchserve"}[5m])) or vector(0))`;
        const previous: AlertRule = {
            ...shipped,
            expr: `${s("Requests5XX")} / (${s("Requests2XX")} + ${s("Requests4XX")} + ${s("Requests5XX")}) > 0.05`,
        };
        const lowTraffic = cases.find((c) => c.name.startsWith("low traffic"))!;
        assert.ok(testRules([shipped], [lowTraffic]).ok);
        assert.ok(!testRules([previous], [lowTraffic]).ok, "the previous rule fired at low traffic");
    });

    it("the old TorchServeHigh5xxRatio (rate over {__name__=~…}) could not be evaluated at all", () => {
        const fires = cases.find((c) => c.alert === "TorchServeHigh5xxRatio" && c.fires.length > 0)!;
        const shipped = rules.find((x) => x.alert === "TorchServeHigh5xxRatio")!;
        const old: AlertRule = {
            ...shipped,
            expr:
                'sum(rate(Requests5XX{namespace="torchserve"}[5m]))' +
                ' / sum(rate({__name__=~"Requests(2|4|5)XX",namespace="torchserve"}[5m])) > 0.05',
        };
        const r = testRules([old], [fires]);
        assert.ok(!r.ok);
        assert.match(r.out, /same labelset/);
    });
});
