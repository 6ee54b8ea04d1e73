// Runs the model fetcher script the init container ships, with python3, against Python's own
// http.server on 127.0.0.1 serving files from a temp dir. Loopback only; every run is time-bounded.
import { strict as assert } from "assert";
import { ChildProcess, execFile, spawn, spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { fetchEntries, fetchScript } from "../components/torchserve/fetchModels";
import { requirePython } from "./support/python";

const archive = Buffer.from("PK\u0003\u0004 not really a model archive, but bytes with a known hash\n".repeat(50));
const archiveSha = createHash("sha256").update(archive).digest("hex");

interface RunResult {
    code: number | null;
    stdout: string;
    stderr: string;
}

describe("model fetcher script (python3, local http.server)", function () {
    this.timeout(20000);
    let root: string;
    let served: string;
    let script: string;
    let server: ChildProcess;
    let base: string;

    before(async () => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "ts-fetch-"));
        served = path.join(root, "served");
        fs.mkdirSync(served);
        fs.writeFileSync(path.join(served, "good.mar"), archive);
        script = path.join(root, "fetch_models.py");
        fs.writeFileSync(script, fetchScript);
        server = spawn("python3", ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", served], {
            stdio: ["ignore", "pipe", "pipe"],
        });
        const port = await new Promise<number>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error("http.server did not start")), 5000);
            let out = "";
            server.stdout!.on("data", (d) => {
                out += d.toString();
                const m = /port (\d+)/.exec(out);
                if (m) {
                    clearTimeout(timer);
                    resolve(Number(m[1]));
                }
            });
            server.on("exit", (code) => reject(new Error(`http.server exited ${code}`)));
        });
        base = `http://127.0.0.1:${port}`;
    });

    after(() => {
        server?.kill();
        fs.rmSync(root, { recursive: true, force: true });
    });

    let store: string;
    beforeEach(() => {
        store = fs.mkdtempSync(path.join(root, "store-"));
    });

    function run(
        models: { name: string; url: string; sha256?: string }[],
        env: Record<string, string> = {},
    ): Promise<RunResult> {
        const list = path.join(store, "..", `${path.basename(store)}-models.json`);
        fs.writeFileSync(list, JSON.stringify(models));
        const childEnv: Record<string, string | undefined> = {
            ...process.env,
            FETCH_RETRY_DELAY_SECONDS: "0",
            FETCH_TIMEOUT_SECONDS: "5",
            ...env,
        };
        for (const k of ["http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"])
            delete childEnv[k];
        childEnv.NO_PROXY = childEnv.no_proxy = "127.0.0.1,localhost";
        return new Promise((resolve) => {
            execFile(
                "python3",
                [script, list, path.join(store, "model-store")],
                { env: childEnv, timeout: 15000 },
                (err, stdout, stderr) => {
                    resolve({ code: err ? ((err as any).code ?? null) : 0, stdout, stderr });
                },
            );
        });
    }

    const storeFiles = () => fs.readdirSync(path.join(store, "model-store")).sort();

    it("downloads a good archive into <store>/<name>.mar and checks its sha256", async () => {
        const r = await run([{ name: "resnet", url: `${base}/good.mar`, sha256: archiveSha }]);
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(fs.readFileSync(path.join(store, "model-store", "resnet.mar")), archive);
        assert.match(r.stdout, /model resnet: downloaded \d+ bytes/);
        // Nothing left over but the archive and its source marker.
        assert.deepEqual(storeFiles(), [".resnet.mar.source", "resnet.mar"]);
    });

    it("leaves the store and archives group-writable, so the server's uid can manage them when the fetcher ran as another", async () => {
        const r = await run([{ name: "perm", url: `${base}/good.mar` }]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(fs.statSync(path.join(store, "model-store")).mode & 0o070, 0o070);
        assert.equal(fs.statSync(path.join(store, "model-store", "perm.mar")).mode & 0o060, 0o060);
    });

    it("accepts an archive without sha256", async () => {
        const r = await run([{ name: "plain", url: `${base}/good.mar` }]);
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(fs.readFileSync(path.join(store, "model-store", "plain.mar")), archive);
    });

    it("fails on a sha256 mismatch with one line naming the model, the problem and the URL, and keeps no file", async () => {
        const wrong = "0".repeat(64);
        const r = await run([{ name: "tampered", url: `${base}/good.mar`, sha256: wrong }]);
        assert.equal(r.code, 1);
        const lines = r.stderr.trim().split("\n");
        assert.equal(lines.length, 1, r.stderr);
        assert.equal(
            lines[0],
            `model tampered: sha256 mismatch: expected ${wrong}, got ${archiveSha} (${base}/good.mar)`,
        );
        assert.deepEqual(storeFiles(), []);
    });

    it("fails on HTTP 404 with one clear line", async () => {
        const r = await run([{ name: "missing", url: `${base}/missing.mar` }]);
        assert.equal(r.code, 1);
        assert.match(
            r.stderr.trim(),
            new RegExp(`^model missing: download failed: HTTP 404 [^\\n]*\\(${base}/missing\\.mar\\)$`),
        );
        assert.deepEqual(storeFiles(), []);
    });

    it("skips a model already present with a matching sha256 (no download: the URL would 404)", async () => {
        fs.mkdirSync(path.join(store, "model-store"));
        fs.writeFileSync(path.join(store, "model-store", "cached.mar"), archive);
        const r = await run([{ name: "cached", url: `${base}/gone.mar`, sha256: archiveSha }]);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /model cached: present/);
        assert.deepEqual(fs.readFileSync(path.join(store, "model-store", "cached.mar")), archive);
    });

    it("skips a model downloaded earlier from the same URL, and re-downloads when the URL changes", async () => {
        const first = await run([{ name: "again", url: `${base}/good.mar` }]);
        assert.equal(first.code, 0, first.stderr);
        fs.rmSync(path.join(served, "good.mar"));
        try {
            const second = await run([{ name: "again", url: `${base}/good.mar` }]);
            assert.equal(second.code, 0, second.stderr);
            assert.match(second.stdout, /model again: present/);
            const moved = await run([{ name: "again", url: `${base}/v2.mar` }]);
            assert.equal(moved.code, 1, "a new URL must be fetched, and v2.mar is not served");
            assert.match(moved.stderr, /^model again: download failed: HTTP 404/);
        } finally {
            fs.writeFileSync(path.join(served, "good.mar"), archive);
        }
    });

    it("replaces a present archive whose sha256 does not match", async () => {
        fs.mkdirSync(path.join(store, "model-store"));
        fs.writeFileSync(path.join(store, "model-store", "stale.mar"), "old bytes");
        const r = await run([{ name: "stale", url: `${base}/good.mar`, sha256: archiveSha }]);
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(fs.readFileSync(path.join(store, "model-store", "stale.mar")), archive);
    });

    it("reports every failing model, still fetches the good ones, and exits non-zero", async () => {
        const r = await run([
            { name: "ok", url: `${base}/good.mar`, sha256: archiveSha },
            { name: "nope", url: `${base}/nope.mar` },
        ]);
        assert.equal(r.code, 1);
        assert.deepEqual(
            r.stderr
                .trim()
                .split("\n")
                .map((l) => l.split(":")[0]),
            ["model nope"],
        );
        assert.ok(fs.existsSync(path.join(store, "model-store", "ok.mar")));
    });

    it("fails a refused connection after bounded retries", async () => {
        // A loopback port nothing listens on: bind one, then close it.
        const net = await import("net");
        const port = await new Promise<number>((resolve) => {
            const s = net.createServer().listen(0, "127.0.0.1", () => {
                const p = (s.address() as any).port;
                s.close(() => resolve(p));
            });
        });
        const url = `http://127.0.0.1:${port}/x.mar`;
        const r = await run([{ name: "down", url }], { FETCH_ATTEMPTS: "2" });
        assert.equal(r.code, 1);
        assert.match(r.stdout, /model down: .*retrying \(1\/2\)/);
        assert.match(
            r.stderr.trim(),
            new RegExp(`^model down: download failed: .*refused.* \\(${url.replace(/\./g, "\\.")}\\)$`),
        );
    });

    it("rejects URLs that are not http(s)", async () => {
        const r = await run([{ name: "local", url: "file:///etc/passwd" }]);
        assert.equal(r.code, 1);
        assert.equal(
            r.stderr.trim(),
            "model local: unsupported URL, need http://, https://, s3:// or gs:// (file:///etc/passwd)",
        );
    });

    it("reads the models.json the component writes (sha256 normalised to lowercase)", () => {
        assert.deepEqual(
            fetchEntries({
                models: [
                    {
                        name: "a",
                        url: "https://x/a.mar",
                        sha256: "ABC",
                        version: "1",
                        minWorkers: 1,
                        maxWorkers: 1,
                        batchSize: 1,
                        maxBatchDelay: 1,
                        responseTimeout: 1,
                        startupTimeout: 1,
                    },
                ],
            }),
            [{ name: "a", url: "https://x/a.mar", sha256: "abc" }],
        );
    });
});

describe("model fetcher as another uid on a share that fixes owner and mode (python3)", () => {
    // A CIFS mount with uid=1000,file_mode=0664 (Azure Files) shows every file as the server's and
    // 0664; chmod by any other uid (earlier versions ran the fetcher as 1337 in the mesh) fails with EPERM. Simulated by making
    // chmod raise as the kernel would, on files whose mode the "mount" already sets or does not.
    const driver = String.raw`
import importlib.util, json, os, sys, tempfile
spec = importlib.util.spec_from_file_location("fetch", sys.argv[1])
fetch = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fetch)
real_chmod = os.chmod
def eperm(path, mode):
    raise PermissionError(1, "Operation not permitted", path)
os.chmod = eperm
out = {}
d = tempfile.mkdtemp()
for name, mode in (("mounted-0664", 0o664), ("private-0600", 0o600)):
    p = os.path.join(d, name)
    open(p, "w").close()
    real_chmod(p, mode)  # what the mount shows
    try:
        fetch.ensure_mode(p, 0o664)
        out[name] = "ok"
    except PermissionError:
        out[name] = "EPERM"
print(json.dumps(out))
`;
    it("skips chmod where the mount already grants the mode, and still fails where it does not", function () {
        requirePython(this);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fetch-mode-"));
        try {
            const script = path.join(dir, "fetch_models.py");
            fs.writeFileSync(script, fetchScript);
            const r = spawnSync("python3", ["-c", driver, script], { encoding: "utf8" });
            assert.equal(r.status, 0, r.stderr);
            assert.deepEqual(JSON.parse(r.stdout), { "mounted-0664": "ok", "private-0600": "EPERM" });
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
