// Triton's alert rules (components/triton/metrics.ts) as Prometheus evaluates them: `promtool test
// rules` with synthetic series shaped as Triton exports them, each alert shown to fire where it should
// and to stay quiet where it should not. Skipped without promtool, like test/alertRules.test.ts.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { tritonAlertRules, TritonAlertRule } from "../components/triton/metrics";

const promtool = spawnSync("promtool", ["--version"]).status === 0;
const job = "monitoring/triton";
const rules = tritonAlertRules({
    namespace: "torchserve",
    scrapeJob: job,
    models: ["densenet", "bert"],
    startupBudgetSeconds: 600,
});

interface Case {
    name: string;
    series: { series: string; values: string }[];
    at: string;
    alert: string;
    fires: Record<string, string>[];
}

function run(cases: Case[]): { ok: boolean; out: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "triton-alerts-"));
    try {
        fs.writeFileSync(path.join(dir, "rules.yaml"), yaml.dump({ groups: [{ name: "triton", rules }] }));
        const tests = cases.map((c) => ({
            name: c.name,
            interval: "30s",
            input_series: c.series,
            alert_rule_test: [
                {
                    eval_time: c.at,
                    alertname: c.alert,
                    exp_alerts: c.fires.map((labels) => {
                        const rule = rules.find((r: TritonAlertRule) => r.alert === c.alert)!;
                        const annotations = Object.fromEntries(
                            Object.entries(rule.annotations).map(([k, v]) => [
                                k,
                                v.replace(/\{\{ \$labels\.model \}\}/g, labels.model ?? ""),
                            ]),
                        );
                        return {
                            exp_labels: { ...labels, severity: rule.labels.severity },
                            exp_annotations: annotations,
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

const pod = `namespace="torchserve",job="${job}",pod="triton-1"`;
const up = (values: string) => ({ series: `up{${pod}}`, values });
const replicas = (n: number) => ({
    series: `kube_deployment_spec_replicas{namespace="torchserve",deployment="triton"}`,
    values: `${n}x60`,
});
const counter = (metric: string, model: string, values: string) => ({
    series: `${metric}{${pod},model="${model}",version="1"}`,
    values,
});

const cases: Case[] = [
    { name: "down while asked to run", series: [up("0x60"), replicas(1)], at: "10m", alert: "TritonDown", fires: [{}] },
    { name: "not down when parked", series: [up("0x60"), replicas(0)], at: "10m", alert: "TritonDown", fires: [] },
    { name: "not down when up", series: [up("1x60"), replicas(1)], at: "10m", alert: "TritonDown", fires: [] },
    {
        name: "a listed model missing after the startup budget",
        series: [up("1x60"), counter("nv_inference_count", "densenet", "0x60")],
        at: "20m",
        alert: "TritonModelNotLoaded",
        fires: [{ model: "bert" }],
    },
    {
        name: "every listed model loaded",
        series: [
            up("1x60"),
            counter("nv_inference_count", "densenet", "0x60"),
            counter("nv_inference_count", "bert", "0x60"),
        ],
        at: "20m",
        alert: "TritonModelNotLoaded",
        fires: [],
    },
    {
        name: "queue time above 500 ms per request",
        // 10 requests/s, 10 s of queue time per second → 1000 ms each.
        series: [
            counter("nv_inference_request_success", "bert", "0+300x60"),
            counter("nv_inference_queue_duration_us", "bert", "0+300000000x60"),
        ],
        at: "20m",
        alert: "TritonQueueTimeHigh",
        fires: [{ model: "bert" }],
    },
    {
        name: "queue time low",
        series: [
            counter("nv_inference_request_success", "bert", "0+300x60"),
            counter("nv_inference_queue_duration_us", "bert", "0+3000000x60"),
        ],
        at: "20m",
        alert: "TritonQueueTimeHigh",
        fires: [],
    },
    {
        name: "requests pile up",
        series: [counter("nv_inference_pending_request_count", "bert", "50x60")],
        at: "10m",
        alert: "TritonPendingRequestsHigh",
        fires: [{ model: "bert" }],
    },
    {
        name: "a short queue",
        series: [counter("nv_inference_pending_request_count", "bert", "3x60")],
        at: "10m",
        alert: "TritonPendingRequestsHigh",
        fires: [],
    },
    {
        name: "a tenth of inferences failing",
        series: [
            counter("nv_inference_request_success", "bert", "0+90x60"),
            counter("nv_inference_request_failure", "bert", "0+10x60"),
        ],
        at: "10m",
        alert: "TritonInferenceFailures",
        fires: [{ model: "bert" }],
    },
    {
        name: "one in a thousand failing",
        series: [
            counter("nv_inference_request_success", "bert", "0+999x60"),
            counter("nv_inference_request_failure", "bert", "0+1x60"),
        ],
        at: "10m",
        alert: "TritonInferenceFailures",
        fires: [],
    },
];

describe("Triton's alert rules under promtool", function () {
    this.timeout(60000);
    before(function () {
        if (!promtool) this.skip();
    });
    it("fire where they should and stay quiet where they should not", () => {
        const r = run(cases);
        assert.ok(r.ok, r.out);
    });
    it("name no model rule when every model of the repository is loaded", () => {
        const all = tritonAlertRules({
            namespace: "torchserve",
            scrapeJob: job,
            models: [],
            startupBudgetSeconds: 300,
        });
        assert.ok(!all.some((r) => r.alert === "TritonModelNotLoaded"));
    });
});
