// Logs: TorchServe's access-log parser on real TorchServe 0.12 lines, the shipper's pipeline carrying
// the same patterns, the Loki and Alloy values against the pinned charts' keys, and the program's
// Loki, Grafana datasource and logs panels under mocks.
import * as assert from "assert";
import {
    accessLogPattern,
    alloyPipeline,
    alloyRawString,
    alloyValues,
    jsRegExp,
    loggingCharts,
    lokiUrl,
    lokiValues,
    modelUriPattern,
} from "../components/logging";
import { modelAccessLogPattern, parseAccessLog, serverErrorLineRegex } from "./support/accessLog";
import { grafanaLokiDatasourceUid, logsQueries } from "../components/monitoring";
import { runProgram } from "../harness/program";
import { Evaluation } from "../harness/evaluate";
import * as fs from "fs";
import * as path from "path";
import { assertKnownValueKeys, loadChartKeys, unknownValueKeys } from "./support/chartValues";

// Real lines: pytorch/serve v0.12.0 (commit 6bdb1baf7254c2bfc40a6669b0d922c08ba5f37a)
//   docs/logging.md:42, docs/model_api_control.md:36 and :57 (the console layout
//   "%d{ISO8601} [%-5p] %t %c - %m%n" of log4j2.xml's STDOUT appender, which ACCESS_LOG reaches).
// Built lines: Session.toString() in that commit's frontend/server/src/main/java/org/pytorch/serve/http/Session.java
//   with access_log.log's layout "%d{ISO8601} - %m%n", and its gRPC form (GRPCInterceptor: method "gRPC",
//   the full gRPC method as uri, HTTP/2.0, the gRPC status code).
const parsed: [string, string, ReturnType<typeof parseAccessLog>][] = [
    [
        "docs/logging.md",
        '2018-10-15 13:56:18,976 [INFO ] BackendWorker-9000 ACCESS_LOG - /127.0.0.1:64003 "POST /predictions/resnet-18 HTTP/1.1" 200 118',
        {
            remote: "/127.0.0.1:64003",
            method: "POST",
            uri: "/predictions/resnet-18",
            protocol: "HTTP/1.1",
            status: 200,
            latencyMs: 118,
            model: "resnet-18",
        },
    ],
    [
        "docs/model_api_control.md (register refused)",
        '2024-05-30T21:46:03,625 [INFO ] epollEventLoopGroup-3-2 ACCESS_LOG - /127.0.0.1:53514 "POST /models?url=https://torchserve.pytorch.org/mar_files/squeezenet1_1.mar HTTP/1.1" 405 0',
        {
            remote: "/127.0.0.1:53514",
            method: "POST",
            uri: "/models?url=https://torchserve.pytorch.org/mar_files/squeezenet1_1.mar",
            protocol: "HTTP/1.1",
            status: 405,
            latencyMs: 0,
        },
    ],
    [
        "docs/model_api_control.md (list models)",
        '2024-05-30T21:41:47,098 [INFO ] epollEventLoopGroup-3-2 ACCESS_LOG - /127.0.0.1:36270 "GET /models HTTP/1.1" 200 2',
        { remote: "/127.0.0.1:36270", method: "GET", uri: "/models", protocol: "HTTP/1.1", status: 200, latencyMs: 2 },
    ],
    [
        "access_log.log layout, versioned prediction failing",
        '2024-05-30T21:50:00,001 - /10.0.3.7:41234 "POST /predictions/squeezenet1_1/2.0 HTTP/1.1" 503 27',
        {
            remote: "/10.0.3.7:41234",
            method: "POST",
            uri: "/predictions/squeezenet1_1/2.0",
            protocol: "HTTP/1.1",
            status: 503,
            latencyMs: 27,
            model: "squeezenet1_1",
        },
    ],
    [
        "KServe v2 inference",
        '2024-05-30T21:50:00,002 [INFO ] epollEventLoopGroup-3-1 ACCESS_LOG - /10.0.3.7:41236 "POST /v2/models/mnist/infer HTTP/1.1" 500 1204',
        {
            remote: "/10.0.3.7:41236",
            method: "POST",
            uri: "/v2/models/mnist/infer",
            protocol: "HTTP/1.1",
            status: 500,
            latencyMs: 1204,
            model: "mnist",
        },
    ],
    [
        "KServe v1 prediction",
        '2024-05-30T21:50:00,003 [INFO ] epollEventLoopGroup-3-1 ACCESS_LOG - /10.0.3.7:41238 "POST /v1/models/mnist:predict HTTP/1.1" 200 9',
        {
            remote: "/10.0.3.7:41238",
            method: "POST",
            uri: "/v1/models/mnist:predict",
            protocol: "HTTP/1.1",
            status: 200,
            latencyMs: 9,
            model: "mnist",
        },
    ],
    [
        "gRPC call (no model in the line; status is the gRPC code)",
        '2024-05-30T21:50:00,004 [INFO ] grpc-default-executor-0 ACCESS_LOG - /10.0.3.7:52000 "gRPC org.pytorch.serve.grpc.inference.InferenceAPIsService/Predictions HTTP/2.0" 13 88',
        {
            remote: "/10.0.3.7:52000",
            method: "gRPC",
            uri: "org.pytorch.serve.grpc.inference.InferenceAPIsService/Predictions",
            protocol: "HTTP/2.0",
            status: 13,
            latencyMs: 88,
        },
    ],
    [
        "container runtime line (CRI framing left on)",
        '2024-05-30T21:50:00.004000000Z stdout F 2024-05-30T21:50:00,004 [INFO ] epollEventLoopGroup-3-1 ACCESS_LOG - /10.0.3.7:41240 "GET /ping HTTP/1.1" 200 1',
        { remote: "/10.0.3.7:41240", method: "GET", uri: "/ping", protocol: "HTTP/1.1", status: 200, latencyMs: 1 },
    ],
    [
        "another model whose name starts with the same letters",
        '2024-05-30T21:50:00,005 [INFO ] epollEventLoopGroup-3-1 ACCESS_LOG - /10.0.3.7:41242 "POST /predictions/squeezenet1_1_v2 HTTP/1.1" 500 3',
        {
            remote: "/10.0.3.7:41242",
            method: "POST",
            uri: "/predictions/squeezenet1_1_v2",
            protocol: "HTTP/1.1",
            status: 500,
            latencyMs: 3,
            model: "squeezenet1_1_v2",
        },
    ],
    [
        "the same model succeeding",
        '2024-05-30T21:50:00,006 [INFO ] epollEventLoopGroup-3-1 ACCESS_LOG - /10.0.3.7:41244 "POST /predictions/squeezenet1_1 HTTP/1.1" 200 41',
        {
            remote: "/10.0.3.7:41244",
            method: "POST",
            uri: "/predictions/squeezenet1_1",
            protocol: "HTTP/1.1",
            status: 200,
            latencyMs: 41,
            model: "squeezenet1_1",
        },
    ],
    // Lines that are not access log lines (log4j2.xml's other loggers) and near misses.
    [
        "ts_log line",
        "2024-05-30T21:41:47,098 [INFO ] W-9000-squeezenet1_1_1.0 org.pytorch.serve.wlm.WorkerThread - Backend response time: 118",
        undefined,
    ],
    [
        "model_metrics line",
        "2024-05-30T21:41:47,098 - PredictionTime.Milliseconds:117.5|#ModelName:resnet-18,Level:Model|#hostname:ts-0,timestamp:1717105307",
        undefined,
    ],
    [
        "access line cut short (no latency)",
        '2024-05-30T21:41:47,098 [INFO ] epollEventLoopGroup-3-2 ACCESS_LOG - /127.0.0.1:36270 "GET /models HTTP/1.1" 200',
        undefined,
    ],
];

describe("logging: TorchServe 0.12 access log parser", () => {
    for (const [what, line, expected] of parsed) it(what, () => assert.deepStrictEqual(parseAccessLog(line), expected));

    it("model URI pattern: the model, never a query string or version", () => {
        const m = (uri: string) => jsRegExp(modelUriPattern).exec(uri)?.groups?.model;
        assert.deepStrictEqual(
            ["/models/resnet-18/2.0/set-default", "/explanations/bert", "/models?url=x", "/ping", "/metrics"].map(m),
            ["resnet-18", "bert", undefined, undefined, undefined],
        );
    });
});

/** What a query's pattern extracts from a line, in the parser's terms (undefined: no match). */
function extracted(re: RegExp, line: string): { model: string; status: number; latencyMs: number } | undefined {
    const g = re.exec(line)?.groups;
    return g && { model: g.model, status: Number(g.status), latencyMs: Number(g.latency_ms) };
}

/** What the parser finds of the same, for lines with a model. */
function expectedFields(line: string): { model: string; status: number; latencyMs: number } | undefined {
    const e = parseAccessLog(line);
    return e?.model === undefined ? undefined : { model: e.model, status: e.status, latencyMs: e.latencyMs };
}

describe("logging: the errors-per-model panel", () => {
    // The LogQL line filter (`!~ \`re\``) of the panel, applied as Loki applies it: RE2 over the whole line.
    const filter = /!~ `([^`]+)`/.exec(logsQueries.errorsPerModel);
    const at = (uri: string, status: number) =>
        `2026-12-07T21:41:47,098 [INFO ] epollEventLoopGroup-3-2 ACCESS_LOG - /127.0.0.1:36270 "GET ${uri} HTTP/1.1" ${status} 1`;
    const counted = (line: string) => {
        const e = parseAccessLog(line)!;
        // The stream selector: model and status labels (Alloy), status 4xx/5xx; then the line filter.
        return e.model !== undefined && e.status >= 400 && !new RegExp(filter![1]).test(line);
    };

    it("leaves out the readiness check's 404s on every pod start (management API), keeps inference errors", () => {
        assert.ok(filter, logsQueries.errorsPerModel);
        // components/torchserve/readiness.ts asks GET /models/<name>/<version>: 404 until the model is registered.
        assert.ok(!counted(at("/models/squeezenet1_1/1.0", 404)));
        assert.ok(!counted(at("/models?url=https://example.com/m.mar", 400)));
        for (const uri of [
            "/predictions/squeezenet1_1",
            "/predictions/squeezenet1_1/1.0",
            "/explanations/squeezenet1_1",
            "/v1/models/squeezenet1_1:predict",
            "/v2/models/squeezenet1_1/infer",
        ]) {
            assert.ok(counted(at(uri, 503)), uri);
            assert.ok(counted(at(uri, 404)), uri);
        }
        assert.ok(!counted(at("/predictions/squeezenet1_1", 200)));
    });
});

describe("logging: README queries agree with the parser", () => {
    const readme = fs.readFileSync(path.join(__dirname, "..", "docs", "observability.md"), "utf8");
    const block = (name: string): string => {
        const m = new RegExp("<!-- query:" + name + " -->\\n```\\n([\\s\\S]*?)```").exec(readme);
        assert.ok(m, `README has the ${name} query`);
        return m[1];
    };
    const lines = parsed.map(([, line]) => line);

    it("the one-match pattern finds model, status and latency exactly where the parser does", () => {
        const re = jsRegExp(modelAccessLogPattern);
        for (const line of lines) assert.deepStrictEqual(extracted(re, line), expectedFields(line), line);
    });

    it("CloudWatch Logs Insights: its parse pattern", () => {
        const q = block("cloudwatch");
        const pattern = /\| parse log \/(.*)\/\n/.exec(q)![1];
        const re = new RegExp(pattern);
        for (const line of lines) assert.deepStrictEqual(extracted(re, line), expectedFields(line), line);
        assert.ok(q.includes('filter model = "squeezenet1_1" and status >= 500'));
    });

    it("KQL: its extract pattern (groups 1 and 2 are model and status)", () => {
        const q = block("kql");
        const patterns = [...q.matchAll(/extract\(@'([^']*)', (\d)/g)];
        assert.deepStrictEqual(
            patterns.map((m) => m[2]),
            ["1", "2"],
        );
        for (const [, pattern] of patterns) {
            assert.strictEqual(pattern, modelAccessLogPattern);
            const re = jsRegExp(pattern);
            for (const line of lines) {
                const m = re.exec(line);
                const want = expectedFields(line);
                assert.deepStrictEqual(m ? [m[1], Number(m[2])] : undefined, want && [want.model, want.status], line);
            }
        }
    });

    it("Cloud Logging: its regex matches exactly the model's 5xx lines", () => {
        const q = block("cloudlogging");
        const pattern = /textPayload=~"([^"]*)"/.exec(q)![1];
        assert.strictEqual(pattern, serverErrorLineRegex("squeezenet1_1"));
        const re = new RegExp(pattern);
        const matched = lines.filter((l) => re.test(l));
        const wanted = lines.filter((l) => {
            const f = expectedFields(l);
            return f?.model === "squeezenet1_1" && f.status >= 500;
        });
        assert.ok(wanted.length > 0);
        assert.deepStrictEqual(matched, wanted);
        assert.throws(() => serverErrorLineRegex('a"b'), /escaping/);
    });

    it("LogQL: it selects on the labels the shipper sets", () => {
        const q = block("logql");
        const selector = /\{([^}]*)\}/.exec(q)![1];
        const labels = [...selector.matchAll(/(\w+)=~?"/g)].map((m) => m[1]);
        assert.deepStrictEqual(labels, ["namespace", "model", "status"]);
        const pipeline = alloyPipeline({ pushUrl: "http://x", torchServeNamespace: "torchserve" });
        assert.ok(/values = \{ model = "", status = "" \}/.test(pipeline));
        assert.ok(pipeline.includes('target_label  = "namespace"'));
        // The label values the pipeline sets for a 5xx line of that model satisfy the selector.
        const line = lines.find(
            (l) => expectedFields(l)?.model === "squeezenet1_1" && parseAccessLog(l)!.status >= 500,
        )!;
        assert.ok(/status=~"5\.\."/.test(selector) && /^5..$/.test(String(parseAccessLog(line)!.status)));
    });
});

describe("logging: the shipper's pipeline", () => {
    const pipeline = alloyPipeline({
        pushUrl: `${lokiUrl("logging")}/loki/api/v1/push`,
        torchServeNamespace: "models",
    });

    it("parses TorchServe's namespace with the parser's own patterns, as raw strings", () => {
        assert.ok(pipeline.includes(`selector = "{namespace=\\"models\\"}"`), pipeline);
        assert.ok(pipeline.includes("expression = `" + accessLogPattern + "`"));
        assert.ok(pipeline.includes("expression = `" + modelUriPattern + "`"));
        assert.ok(/stage\.labels \{\s*values = \{ model = "", status = "" \}/.test(pipeline));
        // The labels the README's LogQL and the dashboard query are groups the patterns capture.
        for (const label of ["model", "status"])
            assert.ok(`${accessLogPattern}${modelUriPattern}`.includes(`(?P<${label}>`), label);
        assert.ok(pipeline.includes('url = "http://loki.logging.svc.cluster.local:3100/loki/api/v1/push"'));
    });

    it("has balanced braces and no Helm template markers (the chart passes it through tpl)", () => {
        const count = (c: string) => pipeline.split(c).length - 1;
        assert.strictEqual(count("{"), count("}"));
        assert.ok(!pipeline.includes("{{"));
    });

    it("refuses a pattern that would end its raw string", () => {
        assert.strictEqual(alloyRawString("a\\d"), "`a\\d`");
        assert.throws(() => alloyRawString("a`b"), /backtick/);
    });
});

describe("logging: chart values", () => {
    const loki = loadChartKeys(`loki-${loggingCharts.loki.version}.json`);
    const alloy = loadChartKeys(`alloy-${loggingCharts.alloy.version}.json`);
    const system = { nodeSelector: { pool: "system" }, tolerations: [] };

    it("every key set exists in the pinned charts", () => {
        assertKnownValueKeys(
            lokiValues({ retentionDays: 7, storageSize: "10Gi", namespace: "logging" }, system, "gp3"),
            loki,
        );
        assertKnownValueKeys(alloyValues("logging {}"), alloy);
    });

    it("the checker rejects misspelt keys of these charts", () => {
        assert.deepStrictEqual(unknownValueKeys({ singleBinary: { persistance: { size: "1Gi" } } }, loki), [
            "singleBinary.persistance.size",
        ]);
        assert.deepStrictEqual(unknownValueKeys({ alloy: { mounts: { varlogs: true } } }, alloy), [
            "alloy.mounts.varlogs",
        ]);
    });

    it("Loki keeps retentionDays (compactor retention on) on a volume of storageSize", () => {
        const v = lokiValues({ retentionDays: 7, storageSize: "20Gi", namespace: "logging" }, system, "gp3");
        assert.strictEqual(v.loki.limits_config.retention_period, "168h");
        assert.strictEqual(v.loki.compactor.retention_enabled, true);
        assert.deepStrictEqual(v.singleBinary.persistence, { enabled: true, size: "20Gi", storageClass: "gp3" });
    });
});

describe("logging: the program under mocks", () => {
    const helmRelease = "kubernetes:helm.sh/v3:Release";
    let dev: Evaluation;
    before(async () => {
        dev = await runProgram({ stack: "dev", override: { prometheus: true, grafana: true }, preview: false });
    });
    const releases = (ev: Evaluation, chart: string) =>
        ev.resources.filter((r) => r.type === helmRelease && r.inputs.chart === chart);

    it("existing cluster: Loki and Alloy, pinned, in the logging namespace, values known to the charts", () => {
        for (const pin of Object.values(loggingCharts)) {
            const [r, ...more] = releases(dev, pin.chart);
            assert.ok(r && more.length === 0, pin.chart);
            assert.deepStrictEqual(
                [r.inputs.version, r.inputs.repositoryOpts.repo, r.inputs.namespace],
                [pin.version, pin.repo, "logging"],
            );
            assertKnownValueKeys(r.inputs.values, loadChartKeys(`${pin.chart}-${pin.version}.json`));
        }
        const loki = releases(dev, "loki")[0].inputs.values;
        assert.strictEqual(loki.loki.limits_config.retention_period, "720h");
        assert.strictEqual(loki.singleBinary.persistence.size, "10Gi");
        const alloy = releases(dev, "alloy")[0].inputs.values;
        assert.deepStrictEqual(alloy.controller.tolerations, [{ operator: "Exists" }]);
        assert.ok(alloy.alloy.configMap.content.includes('{namespace=\\"torchserve\\"}'));
    });

    it("Grafana: a Loki datasource at Loki's Service, and the logs panels on it", () => {
        const values = releases(dev, "grafana")[0].inputs.values;
        const sources = values.datasources["datasources.yaml"].datasources;
        const loki = sources.find((d: { type: string }) => d.type === "loki");
        assert.deepStrictEqual(
            [loki.uid, loki.url],
            [grafanaLokiDatasourceUid, "http://loki.logging.svc.cluster.local:3100"],
        );
        const dashboard = JSON.parse(values.dashboards.torchserve.torchserve.json);
        const logPanels = dashboard.panels.filter(
            (p: { datasource?: { type: string } }) => p.datasource?.type === "loki",
        );
        assert.deepStrictEqual(
            logPanels.map((p: { targets: { expr: string; datasource: { uid: string } }[] }) => [
                p.targets[0].expr,
                p.targets[0].datasource.uid,
            ]),
            [
                [logsQueries.errorsPerModel, grafanaLokiDatasourceUid],
                [logsQueries.errorLines, grafanaLokiDatasourceUid],
            ],
        );
    });

    it("Grafana without Loki (cloud backend, or logging off) has neither", async () => {
        const off = await runProgram({
            stack: "dev",
            override: { prometheus: true, grafana: true, logging: false },
            preview: false,
        });
        assert.deepStrictEqual(releases(off, "loki"), []);
        const values = releases(off, "grafana")[0].inputs.values;
        assert.ok(!JSON.stringify(values).includes("loki"));
    });
});
