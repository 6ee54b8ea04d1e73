// Every PromQL expression the program emits, parsed by Prometheus itself (`promtool check rules`):
// the alert rules as shipped, KEDA's trigger queries, and the dashboard queries with their
// template placeholders filled in as Grafana would, each wrapped as a recording rule.
//
// promtool comes from Debian's `prometheus` package. Locally the test skips when it is missing;
// under CI (process.env.CI set) a missing promtool is a failure.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import {
    monitoringAlertRules,
    prometheusRule,
    torchServeScaledObject,
    torchServeDashboard,
} from "../components/monitoring";
import { servingEndpoints } from "../components/torchserve/endpoints";
import { gpuPlacement, torchServeSpec } from "./support/specs";
import { dashboardExpressions } from "./support/dashboards";
import { requireTool } from "./support/tools";

function findPromtool(): string | undefined {
    const r = spawnSync("promtool", ["--version"], { encoding: "utf8" });
    return r.status === 0 ? "promtool" : undefined;
}

/** Runs `promtool check rules` on `groups`; returns promtool's output, throws with it on failure. */
function checkRules(groups: unknown[]): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "promql-"));
    const file = path.join(dir, "rules.yaml");
    try {
        fs.writeFileSync(file, yaml.dump({ groups }, { lineWidth: -1 }));
        const r = spawnSync("promtool", ["check", "rules", file], { encoding: "utf8" });
        const out = `${r.stdout}${r.stderr}`;
        if (r.status !== 0) throw new Error(`promtool rejected the rules:\n${out}\n${fs.readFileSync(file, "utf8")}`);
        return out;
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** Expressions as recording rules (promtool parses a rule's expr with Prometheus's PromQL parser). */
function asRecordingRules(exprs: { name: string; expr: string }[]) {
    return [
        {
            name: "expressions",
            rules: exprs.map((e, i) => ({ record: `check:expr_${i}`, expr: e.expr, labels: { source: e.name } })),
        },
    ];
}

/** Grafana's substitutions for the dashboard's variables, as it would send the query. */
function fillGrafanaVariables(expr: string): string {
    return expr
        .replaceAll("$__rate_interval", "1m")
        .replaceAll("$__interval", "30s")
        .replaceAll("$namespace", "torchserve")
        .replaceAll("$model", "(squeezenet1_1|resnet-18)");
}

// What the monitoring components ship, GPU pool included, from the builders they use.
const serving = servingEndpoints(torchServeSpec());
const alertRules = monitoringAlertRules({
    prometheus: { retention: "15d", storageSize: "50Gi", namespace: "monitoring" },
    serving,
    gpuPool: { placement: gpuPlacement, minNodes: 1 },
});
// KEDA's triggers with the gateway's wake-up trigger too (the mesh case), canary included.
const canaryServing = servingEndpoints(
    torchServeSpec({ canary: { image: "pytorch/torchserve:0.12.0-cpu", weight: 10, replicas: 1 } }),
);
const kedaTriggers = torchServeScaledObject({
    autoscaling: { minReplicas: 0, maxReplicas: 4, targetRequestsPerSecond: 5, scaleDownStabilizationSeconds: 300 },
    serving: canaryServing,
    prometheusNamespace: "monitoring",
    wakeUp: { namespace: "istio-ingress", podLabels: { istio: "ingress" } },
}).spec.triggers;

/** Every expression emitted, with placeholders as shipped. */
function emittedExpressions(): { name: string; expr: string }[] {
    return [
        ...alertRules.map((r) => ({ name: r.alert, expr: r.expr })),
        ...kedaTriggers.map((t) => ({ name: `keda ${t.name}`, expr: t.metadata.query })),
        ...dashboardExpressions(torchServeDashboard(serving.namespace)).map((p) => ({ name: p.panel, expr: p.expr })),
    ];
}

interface MetricCatalog {
    source: string;
    metrics: Record<string, { type: string; labels?: string[] }>;
}
const catalog = (file: string): MetricCatalog =>
    JSON.parse(fs.readFileSync(path.join(__dirname, "data", "metrics", file), "utf8"));

describe("metrics the PromQL reads exist upstream", () => {
    // TorchServe 0.12's metrics.yaml and dcgm-exporter 4.8.2's default counters (test/data/metrics).
    const known = { ...catalog("torchserve-0.12.0.json").metrics, ...catalog("dcgm-exporter-4.8.2.json").metrics };
    const ours =
        /\b(ts_[a-z_]+|Requests\d[X]{2}|Worker[A-Za-z]+|(?:CPU|Memory|Disk|GPU|Queue)[A-Za-z]+|DCGM_FI_[A-Z0-9_]+)\b/g;

    it("every TorchServe and DCGM metric named is one they export", () => {
        const named = new Set(emittedExpressions().flatMap((e) => [...e.expr.matchAll(ours)].map((m) => m[1])));
        assert.ok(named.has("ts_queue_latency_microseconds") && named.has("DCGM_FI_DEV_FB_FREE"));
        assert.deepStrictEqual(
            [...named].filter((n) => !(n in known)),
            [],
        );
    });

    it("rate() is only taken of counters, and the counters are only read through rate()", () => {
        for (const e of emittedExpressions()) {
            for (const m of e.expr.matchAll(/rate\(([A-Za-z_:][A-Za-z0-9_:]*)/g)) {
                if (m[1] in known)
                    assert.strictEqual(
                        known[m[1]].type,
                        "counter",
                        `${e.name}: rate(${m[1]}) of a ${known[m[1]].type}`,
                    );
            }
            for (const m of e.expr.matchAll(ours)) {
                const before = e.expr.slice(0, m.index);
                if (known[m[1]]?.type === "counter")
                    assert.match(before, /rate\($/, `${e.name}: counter ${m[1]} read raw in ${e.expr}`);
            }
        }
    });

    it("the checks catch a misnamed metric and a raw counter", () => {
        const named = [..."rate(ts_inference_request_total[2m])".matchAll(ours)].map((m) => m[1]);
        assert.deepStrictEqual(
            named.filter((n) => !(n in known)),
            ["ts_inference_request_total"],
        );
        const raw = "avg(ts_queue_latency_microseconds)";
        const m = [...raw.matchAll(ours)][0];
        assert.doesNotMatch(raw.slice(0, m.index), /rate\($/);
    });
});

describe("PromQL emitted by the program parses (promtool)", function () {
    before(function () {
        requireTool(this, "promtool", findPromtool() !== undefined, "apt-get install -y prometheus");
    });

    it("the alert rules, as the PrometheusRule ships them", () => {
        const groups = prometheusRule("monitoring", alertRules).spec.groups;
        assert.ok(groups[0].rules.length >= 7);
        const out = checkRules(groups);
        assert.match(out, /SUCCESS: \d+ rules found/);
    });

    it("the KEDA trigger queries (TorchServe's own and the gateway's)", () => {
        assert.deepStrictEqual(
            kedaTriggers.map((t) => t.name),
            ["torchserve-requests", "gateway-requests", "gateway-wake"],
        );
        checkRules(asRecordingRules(kedaTriggers.map((t) => ({ name: t.name, expr: t.metadata.query }))));
    });

    it("every dashboard panel query and variable selector, Grafana variables substituted", () => {
        const dashboard = torchServeDashboard("torchserve");
        const panels = dashboardExpressions(dashboard);
        assert.ok(panels.length >= 10);
        const variables = (dashboard.templating.list as any[])
            .map((v) => /^label_values\((.+),\s*[a-zA-Z_]+\)$/.exec(v.definition ?? ""))
            .filter((m): m is RegExpExecArray => m !== null)
            .map((m, i) => ({ name: `variable-${i}`, expr: m[1] }));
        const exprs = [...panels.map((p) => ({ name: p.panel, expr: p.expr })), ...variables].map((e) => ({
            ...e,
            expr: fillGrafanaVariables(e.expr),
        }));
        for (const e of exprs) assert.ok(!e.expr.includes("$"), `unsubstituted variable in "${e.name}": ${e.expr}`);
        checkRules(asRecordingRules(exprs));
    });

    it("the same check rejects invalid PromQL (it can fail)", () => {
        assert.throws(
            () => checkRules(asRecordingRules([{ name: "broken", expr: "sum(rate(ts_inference_requests_total[2m])" }])),
            /promtool rejected/,
        );
        assert.throws(
            () =>
                checkRules(
                    asRecordingRules([{ name: "template left", expr: "rate(<<.Series>>{<<.LabelMatchers>>}[2m])" }]),
                ),
            /promtool rejected/,
        );
        assert.throws(
            () => checkRules(asRecordingRules([{ name: "grafana var left", expr: "rate(x[$__rate_interval])" }])),
            /promtool rejected/,
        );
    });
});

/** Runs `promtool test rules` with expression tests only; returns whether they passed and the output. */
function testExpressions(tests: unknown[]): { ok: boolean; out: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "promql-expr-"));
    try {
        const file = path.join(dir, "tests.yaml");
        fs.writeFileSync(file, yaml.dump({ rule_files: [], evaluation_interval: "15s", tests }, { lineWidth: -1 }));
        const r = spawnSync("promtool", ["test", "rules", file], { encoding: "utf8" });
        return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

describe("KEDA trigger values (promtool test rules)", function () {
    before(function () {
        requireTool(this, "promtool", findPromtool() !== undefined, "apt-get install -y prometheus");
    });
    const [torchserveTrigger, gatewayTrigger, wakeTrigger] = kedaTriggers;
    /** The gateway's counter for one response code (flags: Envoy's; UH = no healthy upstream) on one gateway pod. */
    const gatewaySeries = (code: string, flags = "-", pod = "istio-ingress-a") =>
        `istio_requests_total{reporter="source",source_workload_namespace="istio-ingress",destination_service_namespace="torchserve",destination_service_name="torchserve",response_code="${code}",response_flags="${flags}",pod="${pod}"}`;
    const run = (expr: string, series: { series: string; values: string }[], at: string, value: number) =>
        testExpressions([
            {
                interval: "15s",
                input_series: series,
                promql_expr_test: [{ expr, eval_time: at, exp_samples: [{ labels: "{}", value }] }],
            },
        ]);
    /** Whether `expr` returns nothing at `at` (e.g. a comparison that filters every sample out). */
    const empty = (expr: string, series: { series: string; values: string }[], at: string) =>
        testExpressions([
            { interval: "15s", input_series: series, promql_expr_test: [{ expr, eval_time: at, exp_samples: [] }] },
        ]);

    it("the wake trigger wakes on a single first request (a new series), where rate() alone reads 0", () => {
        // No series for 3 minutes, then one request answered 503 (no pod): the counter appears at 1.
        const first = [{ series: gatewaySeries("503", "UH"), values: "_x12 1x8" }];
        const r = run(wakeTrigger.metadata.query, first, "3m30s", 1);
        assert.ok(r.ok, r.out);
        const rateOnly = `sum(rate(${gatewaySeries("503", "UH")}[2m]))`;
        assert.ok(!run(rateOnly, first, "3m30s", 1).ok, "rate() alone would have seen the first request");
    });

    it("the wake trigger reads 0 when nothing arrives, and 1 (one pod) however many requests arrive", () => {
        assert.ok(
            run(wakeTrigger.metadata.query, [{ series: gatewaySeries("503", "UH"), values: "5x40" }], "9m", 0).ok,
        );
        // Clients retrying at 10 requests/s while no pod is ready: still one pod.
        const retries = [{ series: gatewaySeries("503", "UH"), values: "0+150x40" }];
        const r = run(wakeTrigger.metadata.query, retries, "9m", 1);
        assert.ok(r.ok, r.out);
        assert.equal(wakeTrigger.metadata.threshold, "1");
    });

    it("the scaling trigger counts answered requests only: a cold start's 503 retries read 0", () => {
        const retries = [{ series: gatewaySeries("503", "UH"), values: "0+150x40" }];
        const r = run(gatewayTrigger.metadata.query, retries, "9m", 0);
        assert.ok(r.ok, r.out);
        // +15 per 15 s scrape = 1 request/s, answered by TorchServe (200, and a 503 of its own full queue).
        const answered = [
            { series: gatewaySeries("200"), values: "0+15x40" },
            { series: gatewaySeries("503"), values: "0+15x40" },
        ];
        const a = run(gatewayTrigger.metadata.query, answered, "9m", 2);
        assert.ok(a.ok, a.out);
    });

    it("tokenless requests (401/403 of the gateway's JWT rules) neither wake nor scale", () => {
        const refused = [
            { series: gatewaySeries("401"), values: "0+150x40" },
            { series: gatewaySeries("403", "-", "istio-ingress-b"), values: "_x30 1x10" },
        ];
        for (const t of [wakeTrigger, gatewayTrigger]) {
            const r = run(t.metadata.query, refused, "8m", 0);
            assert.ok(r.ok, `${t.name}: ${r.out}`);
        }
    });

    it("a gateway scale-out during traffic is no extra traffic: the new pod's series adds its rate, not one per series", () => {
        // Pod a serves 1 request/s throughout; pod b starts at 5m15s and serves 1 request/s too.
        const scaleOut = [
            { series: gatewaySeries("200"), values: "0+15x40" },
            { series: gatewaySeries("200", "-", "istio-ingress-b"), values: "_x20 15+15x20" },
        ];
        // About 1.7 requests/s in the window (b's first sample cannot count); the old query read 2.7.
        const r = empty(`(${gatewayTrigger.metadata.query}) > 2.2`, scaleOut, "6m30s");
        assert.ok(r.ok, r.out);
        const old = (m: string) =>
            `(sum(rate(${m}[2m])) or vector(0)) + (count(${m} unless ${m} offset 2m) or vector(0))`;
        const oldSelector =
            'istio_requests_total{reporter="source",source_workload_namespace="istio-ingress",destination_service_namespace="torchserve",destination_service_name="torchserve"}';
        assert.ok(
            !empty(`(${old(oldSelector)}) > 2.2`, scaleOut, "6m30s").ok,
            "the old query read the new series as traffic",
        );
        // And the wake-up signal still asks for one pod only.
        assert.ok(empty(`(${wakeTrigger.metadata.query}) > 1`, scaleOut, "6m30s").ok);
    });

    it("TorchServe's trigger counts the stable track only, REST and gRPC alike, and reads 0 with no pods", () => {
        const series = (track: string, v: string) => ({
            series: `ts_inference_requests_total{namespace="torchserve",track="${track}",model_name="m",pod="p-${track}"}`,
            values: v,
        });
        const r = run(
            torchserveTrigger.metadata.query,
            [series("stable", "0+30x40"), series("canary", "0+300x40")],
            "9m",
            2,
        );
        assert.ok(r.ok, r.out);
        assert.ok(run(torchserveTrigger.metadata.query, [], "9m", 0).ok);
    });
});
