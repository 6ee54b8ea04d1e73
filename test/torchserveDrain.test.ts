// The preStop drain (components/torchserve/drain.ts) run for real: drain.py as its own process
// against a fake TorchServe on 127.0.0.1 that serves the management API's job-queue status
// (DescribeModelResponse.jobQueueStatus.pendingRequests), the `ts_inference_requests_total`
// counter in Prometheus text format (incremented on arrival, as InferenceRequestHandler and
// InferenceImpl do in pytorch/serve v0.12.0) and a slow inference endpoint. The stop command
// records when it ran. Every scenario runs concurrently in one python3 driver (times are short).
import { strict as assert } from "assert";
import { drainConfig, drainScript, terminationGracePeriodSeconds } from "../components/torchserve/drain";
import { requirePython, runPythonScenarios } from "./support/python";
import { squeezenet, torchServeSpec } from "./support/specs";

const driver = String.raw`
import http.server, json, os, subprocess, sys, threading, time, urllib.request
script, workdir = sys.argv[1], sys.argv[2]
scenarios = json.load(sys.stdin)

def serve(sc, t0):
    state = {"count": 0, "done": None}
    class H(http.server.BaseHTTPRequestHandler):
        def reply(self, status, text, ctype="application/json"):
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        def do_GET(self):
            t = time.time() - t0[0]
            if self.path == "/metrics":
                if t < sc.get("arrivalsUntil", 0):
                    state["count"] += 1
                self.reply(200, 'ts_inference_requests_total{model_name="m",model_version="1.0",hostname="h"} %d.0\n' % state["count"], "text/plain")
            elif self.path == "/models/m/1.0":
                pending = 1 if t < sc.get("pendingUntil", 0) else 0
                self.reply(200, json.dumps([{"modelName": "m", "jobQueueStatus": {"remainingCapacity": 99, "pendingRequests": pending}}]))
            else:
                self.reply(404, "{}")
        def do_POST(self):
            state["count"] += 1
            time.sleep(sc["inflight"])
            state["done"] = time.time()
            self.reply(200, "{}")
        def log_message(self, *a):
            pass
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return "http://127.0.0.1:%d" % srv.server_address[1], state

runs = []
for i, sc in enumerate(scenarios):
    t0 = [0.0]
    if sc.get("down"):
        base, state = "http://127.0.0.1:%d" % sc["closedPort"], {"done": None}
    else:
        base, state = serve(sc, t0)
    marker = os.path.join(workdir, "stopped-%d" % i)
    cfg = dict(sc["config"], managementUrl=base, metricsUrl=base + "/metrics",
               stopCommand=[sys.executable, "-c", "import sys, time; open(sys.argv[1], 'w').write(repr(time.time()))", marker])
    cfg_path = os.path.join(workdir, "drain-%d.json" % i)
    with open(cfg_path, "w") as f:
        json.dump(cfg, f)
    if sc.get("inflight"):
        # A request already inside a worker when the pod starts terminating.
        threading.Thread(target=lambda b=base: urllib.request.urlopen(urllib.request.Request(b + "/predictions/m", data=b"x"), timeout=30).read(), daemon=True).start()
        time.sleep(0.05)
    t0[0] = time.time()
    runs.append((sc, state, marker, t0[0], subprocess.Popen([sys.executable, script, cfg_path], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)))

results = []
for sc, state, marker, t0, p in runs:
    out, _ = p.communicate(timeout=30)
    stopped = float(open(marker).read()) - t0 if os.path.exists(marker) else None
    done = state["done"] - t0 if state["done"] else None
    results.append({"code": p.returncode, "out": out.strip(), "stoppedAt": stopped, "inflightDoneAt": done})
print(json.dumps(results))
`;

interface Scenario {
    config: { endpointDrainSeconds: number; deadlineSeconds: number; pollSeconds: number; models: object[] };
    pendingUntil?: number;
    arrivalsUntil?: number;
    inflight?: number;
    down?: boolean;
    closedPort?: number;
}
interface Result {
    code: number;
    out: string;
    stoppedAt: number | null;
    inflightDoneAt: number | null;
}

const model = (settleSeconds: number) => ({ name: "m", version: "1.0", settleSeconds });
const cfg = (endpointDrainSeconds: number, settle: number, deadlineSeconds = 6) => ({
    endpointDrainSeconds,
    deadlineSeconds,
    pollSeconds: 0.1,
    models: [model(settle)],
});

/** The stop ran, and only after the in-flight request had its response. */
const stoppedAfterInflight = (r: Result) =>
    r.stoppedAt !== null && r.inflightDoneAt !== null && r.stoppedAt >= r.inflightDoneAt;

describe("drain before stop (python3, fake TorchServe)", function () {
    this.timeout(30000);
    before(function () {
        requirePython(this);
    });
    const scenarios: Record<string, Scenario> = {
        idle: { config: cfg(0.3, 0.8) },
        inflight: { config: cfg(0.3, 2.7), inflight: 2.5 },
        queued: { config: cfg(0.2, 0.5), pendingUntil: 1.0 },
        arriving: { config: cfg(0.2, 0.5), arrivalsUntil: 1.0 },
        endpointDrainLonger: { config: cfg(1.0, 0.2) },
        deadline: { config: cfg(0.2, 0.5, 1.0), pendingUntil: 60 },
        down: { config: cfg(0.2, 0.5), down: true, closedPort: 9 },
        // Broken on purpose: no wait (what a bare `torchserve --stop` does), to prove the check fails.
        noWait: { config: cfg(0, 0), inflight: 2.5 },
    };
    const results: Record<string, Result> = {};

    before(() => {
        Object.assign(results, runPythonScenarios<Scenario, Result>(driver, "drain.py", drainScript, scenarios, 30000));
    });

    it("an idle server stops once the endpoint drain and the settle time have passed", () => {
        const r = results.idle;
        assert.equal(r.code, 0, r.out);
        assert.match(r.out, /drained after/);
        assert.ok(r.stoppedAt! >= 0.8, `stopped at ${r.stoppedAt}`);
        assert.ok(Number(/drained after ([\d.]+)s/.exec(r.out)![1]) < 1.5, r.out);
    });

    it("a request in flight when the pod starts terminating gets its response before the stop", () => {
        assert.ok(stoppedAfterInflight(results.inflight), JSON.stringify(results.inflight));
        assert.match(results.inflight.out, /drained after/);
    });

    it("waits while a model's queue holds requests, then its settle time", () => {
        // The last poll that sees the queue busy is within one poll (0.1 s) before it empties at 1.0 s,
        // and the settle time (0.5 s) counts from there.
        assert.ok(results.queued.stoppedAt! >= 1.4, JSON.stringify(results.queued));
    });

    it("waits while requests still arrive (the counter moves), then the settle time", () => {
        // The last scrape that sees the counter move is within one poll (0.1 s) before arrivals end
        // at 1.0 s, and the settle time (0.5 s) counts from there.
        assert.ok(results.arriving.stoppedAt! >= 1.4, JSON.stringify(results.arriving));
    });

    it("keeps serving for the whole endpoint drain even when nothing is in flight", () => {
        assert.ok(results.endpointDrainLonger.stoppedAt! >= 1.0, JSON.stringify(results.endpointDrainLonger));
    });

    it("stops at the deadline when the queue never empties, saying so", () => {
        const r = results.deadline;
        assert.match(r.out, /deadline of 1(\.0)?s reached/);
        assert.ok(r.stoppedAt! >= 1.0, `stopped at ${r.stoppedAt}`);
    });

    it("stops at once when the server no longer answers", () => {
        const r = results.down;
        // Its own clock (process start-up on a loaded machine would blur an outside one).
        assert.match(r.out, /server unreachable after 0\.\ds/);
        assert.ok(r.stoppedAt !== null);
    });

    it("the check catches a stop that does not wait (the in-flight request is cut off)", () => {
        assert.ok(results.noWait.stoppedAt !== null, JSON.stringify(results.noWait));
        assert.ok(!stoppedAfterInflight(results.noWait), JSON.stringify(results.noWait));
    });

    it("the shipped configuration: settle = responseTimeout + batch delay, grace period covers the deadline", () => {
        const spec = torchServeSpec({ models: [{ ...squeezenet, responseTimeout: 300, maxBatchDelay: 1500 }] });
        const c = drainConfig(spec);
        assert.deepEqual(c.models, [{ name: "squeezenet1_1", version: "1.0", settleSeconds: 302 }]);
        // gRPC connections are all told to go away after 33 s (30 s age + 10 % jitter), later than
        // the endpoints drop the pod (15 s).
        assert.equal(c.deadlineSeconds, 33 + 302);
        assert.ok(terminationGracePeriodSeconds(spec) > c.deadlineSeconds);
        assert.equal(c.metricsUrl, "http://127.0.0.1:8082/metrics");
        assert.deepEqual(c.stopCommand, ["torchserve", "--stop", "--foreground"]);
    });
});
