// The readiness check (components/torchserve/readiness.ts) run for real with python3 against a fake
// TorchServe management API on 127.0.0.1. The fake answers as pytorch/serve v0.12.0 does:
// `GET /models/<name>/<version>` → 200 with a one-element DescribeModelResponse list whose workers
// carry status "READY" (running and WORKER_MODEL_LOADED) or "UNLOADING" (anything else)
// (ApiUtils.createModelResponse, DescribeModelResponse.addWorker); an unknown name or version → 404.
import { strict as assert } from "assert";
import * as net from "net";
import { readinessExpectation, readinessScript, ReadinessExpectation } from "../components/torchserve/readiness";
import { requirePython, runPythonScenarios } from "./support/python";
import { squeezenet, torchServeSpec } from "./support/specs";

/**
 * One python3 process for every case (each spawn costs ~0.5 s on a loaded machine): the fake API
 * in a thread, ready.py loaded as a module and its main() run per case, stdout captured. One case
 * also runs ready.py as the probe does (its own process, exit code) to cover the command line.
 */
const driver = String.raw`
import contextlib, http.server, importlib.util, io, json, os, sys, threading
script, workdir = sys.argv[1], sys.argv[2]
cases = json.load(sys.stdin)
routes = {}
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        status, body = routes.get(self.path, [404, {"code": 404, "type": "ModelNotFoundException", "message": "Model not found"}])
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def log_message(self, *a):
        pass
srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
threading.Thread(target=srv.serve_forever, daemon=True).start()
base = "http://127.0.0.1:%d" % srv.server_address[1]
spec = importlib.util.spec_from_file_location("ready", script)
ready = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ready)
results = []
for i, c in enumerate(cases):
    routes.clear()
    routes.update(c["routes"])
    expected = dict(c["expected"])
    expected["managementUrl"] = expected["managementUrl"].replace("FAKE", base)
    path = os.path.join(workdir, "ready-%d.json" % i)
    with open(path, "w") as f:
        json.dump(expected, f)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = ready.main(["ready.py", path])
    results.append({"code": code, "out": buf.getvalue().strip()})
    if c.get("alsoAsProcess"):
        import subprocess
        p = subprocess.run([sys.executable, script, path], capture_output=True, text=True)
        results[-1]["processCode"] = p.returncode
print(json.dumps(results))
`;

type Routes = Record<string, [number, unknown]>;

/** A DescribeModelResponse list with workers of the given statuses. */
function described(name: string, version: string, statuses: string[]) {
    return [
        {
            modelName: name,
            modelVersion: version,
            minWorkers: statuses.length,
            workers: statuses.map((status, i) => ({ id: `900${i}`, status, memoryUsage: 0, pid: 100 + i, gpu: false })),
        },
    ];
}

const two = { ...squeezenet, minWorkers: 2 };
const bert = { ...squeezenet, name: "bert", version: "2.0", minWorkers: 1 };
const at = (name: string, version: string) => `/models/${name}/${version}`;
/** The expectation for `models`, pointed at the fake API (the driver fills in its address). */
const expect = (models = [two], managementUrl = "FAKE") => ({
    ...readinessExpectation(torchServeSpec({ models })),
    managementUrl,
});

interface Case {
    expected: ReadinessExpectation;
    routes: Routes;
    alsoAsProcess?: boolean;
}

/** A port that was free a moment ago: nothing listens there. */
function closedPort(): Promise<number> {
    return new Promise((resolve) => {
        const s = net.createServer().listen(0, "127.0.0.1", () => {
            const p = (s.address() as net.AddressInfo).port;
            s.close(() => resolve(p));
        });
    });
}

describe("readiness check (python3, fake management API)", function () {
    this.timeout(20000);
    before(function () {
        requirePython(this);
    });
    const cases: Record<string, Case> = {
        ready: {
            expected: expect([two, bert]),
            routes: {
                [at("squeezenet1_1", "1.0")]: [200, described("squeezenet1_1", "1.0", ["READY", "READY"])],
                [at("bert", "2.0")]: [200, described("bert", "2.0", ["READY"])],
            },
            alsoAsProcess: true,
        },
        loading: {
            expected: expect(),
            routes: {
                [at("squeezenet1_1", "1.0")]: [200, described("squeezenet1_1", "1.0", ["UNLOADING", "UNLOADING"])],
            },
            alsoAsProcess: true,
        },
        partial: {
            expected: expect(),
            routes: { [at("squeezenet1_1", "1.0")]: [200, described("squeezenet1_1", "1.0", ["READY", "UNLOADING"])] },
        },
        oneOfTwo: {
            expected: expect([two, bert]),
            routes: {
                [at("squeezenet1_1", "1.0")]: [200, described("squeezenet1_1", "1.0", ["READY", "READY"])],
                [at("bert", "2.0")]: [200, described("bert", "2.0", [])],
            },
        },
        noModels: { expected: expect(), routes: { "/models": [200, { models: [] }] } },
        otherVersion: {
            expected: expect(),
            routes: { [at("squeezenet1_1", "all")]: [200, described("squeezenet1_1", "2.0", ["READY", "READY"])] },
        },
        noneConfigured: { expected: expect([]), routes: { "/models": [200, { models: [] }] } },
        noneConfiguredApiError: { expected: expect([]), routes: { "/models": [500, { code: 500 }] } },
        apiDown: { expected: expect(), routes: {} },
    };
    const results: Record<string, { code: number; out: string; processCode?: number }> = {};

    before(async () => {
        cases.apiDown.expected.managementUrl = `http://127.0.0.1:${await closedPort()}`;
        Object.assign(
            results,
            runPythonScenarios<Case, (typeof results)[string]>(driver, "ready.py", readinessScript, cases, 15000),
        );
    });

    it("targets the management port on loopback, each model at its version and minWorkers", () => {
        const e = readinessExpectation(torchServeSpec({ managementPort: 9081, models: [two, bert] }));
        assert.deepEqual(e, {
            managementUrl: "http://127.0.0.1:9081",
            models: [
                { name: "squeezenet1_1", version: "1.0", minWorkers: 2 },
                { name: "bert", version: "2.0", minWorkers: 1 },
            ],
        });
    });

    it("ready: every model has minWorkers READY workers (exit 0, also as its own process)", () => {
        assert.equal(results.ready.code, 0, results.ready.out);
        assert.equal(results.ready.processCode, 0);
        assert.match(results.ready.out, /^ready: 2 model/);
    });

    it("not ready while workers load (TorchServe reports them UNLOADING; exit 1 as a process)", () => {
        assert.equal(results.loading.code, 1, results.loading.out);
        assert.equal(results.loading.processCode, 1);
        assert.match(results.loading.out, /squeezenet1_1: 0 of 2 workers READY/);
    });

    it("not ready when only some of minWorkers are READY", () => {
        assert.equal(results.partial.code, 1, results.partial.out);
        assert.match(results.partial.out, /1 of 2 workers READY/);
    });

    it("not ready when one of two models is not loaded, naming only that one", () => {
        assert.equal(results.oneOfTwo.code, 1, results.oneOfTwo.out);
        assert.match(results.oneOfTwo.out, /bert: 0 of 1/);
        assert.doesNotMatch(results.oneOfTwo.out, /squeezenet1_1:/);
    });

    it("not ready when TorchServe has no models (registration failed)", () => {
        assert.equal(results.noModels.code, 1, results.noModels.out);
        assert.match(results.noModels.out, /squeezenet1_1: not registered/);
    });

    it("names a version mismatch: the archive's manifest version is not the configured one", () => {
        assert.equal(results.otherVersion.code, 1, results.otherVersion.out);
        assert.match(results.otherVersion.out, /version 1\.0 not registered \(TorchServe has 2\.0/);
    });

    it("with no models configured: ready once the management API answers, not on an error", () => {
        assert.equal(results.noneConfigured.code, 0, results.noneConfigured.out);
        assert.equal(results.noneConfiguredApiError.code, 1, results.noneConfiguredApiError.out);
    });

    it("not ready when the management API is down", () => {
        assert.equal(results.apiDown.code, 1, results.apiDown.out);
        assert.match(results.apiDown.out, /management API unreachable/);
    });
});
