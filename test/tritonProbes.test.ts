// Triton's probes and drain (components/triton/workload.ts) run against a small fake of Triton's HTTP
// API on 127.0.0.1, configured from the very command line the container gets. The fake answers as
// triton-inference-server/server@e1db8a60 does: `GET /v2/health/live` 200 while the server runs;
// `GET /v2/health/ready` 200 when ready, else 400 (src/http_server.cc HandleServerHealth), where with
// `--strict-readiness=true` ready means every model loaded (src/command_line_parser.cc); restricted
// API categories answer 403 without their header; on SIGTERM it stops accepting connections and
// waits up to `--exit-timeout-secs` for in-flight inferences (src/main.cc StopEndpoints).
import { strict as assert } from "assert";
import * as http from "http";
import { AddressInfo } from "net";
import { TritonSpec } from "../components/triton/spec";
import { endpointRemovalSeconds, tritonContainer, terminationGracePeriodSeconds } from "../components/triton/workload";

const spec = (over: Partial<TritonSpec> = {}): TritonSpec => ({
    image: "nvcr.io/nvidia/tritonserver:25.10-py3",
    repository: { url: "pvc://models", claimName: "models", subPath: "" },
    models: ["a", "b"],
    replicas: 1,
    nGpu: 0,
    nCpu: 1,
    memoryRequest: "1Gi",
    memoryLimit: "2Gi",
    ephemeralStorage: "1Gi",
    namespace: "torchserve",
    exitTimeoutSeconds: 2,
    modelLoadSeconds: 60,
    ...over,
});

/** A fake Triton configured by `args` (the container's), with models loaded as the test says. */
class FakeTriton {
    readonly loaded = new Set<string>();
    readonly models: string[];
    readonly strict: boolean;
    readonly exitTimeoutMs: number;
    readonly restricted: { categories: string[]; header: string; value: string }[] = [];
    private server = http.createServer((req, res) => this.handle(req, res));
    private inFlight = 0;

    constructor(args: string[], env: Record<string, string>) {
        const flag = (name: string) =>
            args.filter((a) => a.startsWith(`--${name}=`)).map((a) => a.slice(name.length + 3));
        const expand = (v: string) => v.replace(/\$\(([A-Z_]+)\)/g, (_m, k: string) => env[k] ?? "");
        this.models = flag("load-model");
        this.strict = (flag("strict-readiness")[0] ?? "true") === "true";
        this.exitTimeoutMs = Number(flag("exit-timeout-secs")[0] ?? 30) * 1000;
        for (const r of flag("http-restricted-api")) {
            const [categories, kv] = expand(r).split(":");
            const [header, value] = kv.split("=");
            this.restricted.push({ categories: categories.split(","), header, value });
        }
    }

    private ready(): boolean {
        if (!this.strict) return true;
        return this.models.every((m) => m === "*" || this.loaded.has(m));
    }

    private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
        const path = req.url ?? "";
        const category = path.startsWith("/v2/health")
            ? "health"
            : path.startsWith("/v2/repository")
              ? "model-repository"
              : "inference";
        const rule = this.restricted.find((r) => r.categories.includes(category));
        if (rule && req.headers[rule.header] !== rule.value) return void res.writeHead(403).end();
        if (path === "/v2/health/live") return void res.writeHead(200).end();
        if (path === "/v2/health/ready") return void res.writeHead(this.ready() ? 200 : 400).end();
        const infer = /^\/v2\/models\/([^/]+)\/infer\?ms=(\d+)$/.exec(path);
        if (infer) {
            this.inFlight++;
            setTimeout(() => {
                this.inFlight--;
                res.writeHead(200).end("{}");
            }, Number(infer[2]));
            return;
        }
        if (path.startsWith("/v2/repository/models/")) return void res.writeHead(200).end();
        res.writeHead(404).end();
    }

    async listen(): Promise<number> {
        await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
        return (this.server.address() as AddressInfo).port;
    }

    /** SIGTERM: stop accepting, wait for in-flight inferences up to the exit timeout; resolves with whether all finished. */
    async terminate(): Promise<boolean> {
        this.server.close();
        const deadline = Date.now() + this.exitTimeoutMs;
        while (this.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        this.server.closeAllConnections();
        return this.inFlight === 0;
    }
}

/** The kubelet's httpGet: success is 200-399. */
async function probe(port: number, path: string, headers: Record<string, string> = {}): Promise<number> {
    return new Promise((resolve, reject) =>
        http
            .get({ host: "127.0.0.1", port, path, headers }, (res) => {
                res.resume();
                resolve(res.statusCode ?? 0);
            })
            .on("error", reject),
    );
}

describe("Triton's probes and drain against a fake Triton", () => {
    const c = tritonContainer(spec()) as any;
    // What the kubelet puts into the env var: the pod's UID.
    const env = { TRITON_ADMIN_TOKEN: "0b7c6e5e-5d2a-4c1e-9f00-5a1f2b3c4d5e" };
    let fake: FakeTriton;
    let port: number;
    before(async () => {
        fake = new FakeTriton(c.args, env);
        port = await fake.listen();
    });
    after(() => fake.terminate());

    const ok = (status: number) => status >= 200 && status < 400;

    it("is live but neither started nor ready until every listed model is loaded (strict readiness)", async () => {
        assert.ok(ok(await probe(port, c.livenessProbe.httpGet.path)));
        assert.ok(!ok(await probe(port, c.startupProbe.httpGet.path)));
        fake.loaded.add("a");
        assert.ok(!ok(await probe(port, c.readinessProbe.httpGet.path)), "one of two models loaded");
        fake.loaded.add("b");
        assert.ok(ok(await probe(port, c.readinessProbe.httpGet.path)));
        assert.ok(ok(await probe(port, c.startupProbe.httpGet.path)));
    });

    it("keeps health open to the kubelet, and model loading closed without the pod's UID in the header", async () => {
        assert.equal(await probe(port, "/v2/repository/models/a/load"), 403);
        assert.equal(
            await probe(port, "/v2/repository/models/a/load", { "triton-admin-token": env.TRITON_ADMIN_TOKEN }),
            200,
        );
        assert.equal(await probe(port, c.livenessProbe.httpGet.path), 200);
    });

    it("finishes an in-flight request on termination, within the grace period", async () => {
        const pending = probe(port, "/v2/models/a/infer?ms=1500");
        await new Promise((r) => setTimeout(r, 100));
        const preStop = Number(c.lifecycle.preStop.exec.command[1]);
        assert.equal(preStop, endpointRemovalSeconds);
        const start = Date.now();
        assert.ok(await fake.terminate(), "the request finished before the exit timeout");
        assert.equal(await pending, 200);
        const drained = (Date.now() - start) / 1000;
        assert.ok(preStop + drained <= terminationGracePeriodSeconds(spec()), "the kubelet would not have killed it");
    });
});
