// The model fetcher (components/torchserve/fetchModels.ts) reading objects with workload identities,
// against storage servers these tests run on 127.0.0.1: s3rver (S3), Azurite (Blob, OAuth over
// HTTPS with a throwaway certificate) and a small fake of the Cloud Storage JSON API. The identity
// endpoints (EKS Pod Identity agent, STS, GKE metadata server, Entra token endpoint) are fakes that
// answer as their documentation says. Each server starts once for the file, side by side.
//
// s3rver checks the access key and the SigV4 header's shape but not the signature itself
// (lib/middleware/authentication.js: "Signature version 4 calculation is unimplemented"), so the
// signing is checked separately against AWS's published example.
import { strict as assert } from "assert";
import { ChildProcess, execFile, execFileSync, spawn } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { fetchScript } from "../components/torchserve/fetchModels";
import { parseModelUrl } from "../components/torchserve/objectUrl";

const archive = Buffer.from("PK\u0003\u0004 model bytes from a bucket\n".repeat(40));
const archiveSha = createHash("sha256").update(archive).digest("hex");
/** A blob path with a non-ASCII name, percent-encoded as in a URL (the blob is `réseau/m.mar`). */
const encodedBlobPath = "r%C3%A9seau/m.mar";
const tenant = "00000000-0000-0000-0000-0000000000aa";
const azureClient = "00000000-0000-0000-0000-0000000000cc";
const azuriteAccount = "devstoreaccount1";

interface RunResult {
    code: number | null;
    stdout: string;
    stderr: string;
}

/** A JWT as Entra issues for Storage (signature left empty: Azurite's basic OAuth checks claims only). */
function entraToken(claims: Record<string, unknown>): string {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const now = Math.floor(Date.now() / 1000);
    return `${b64({ alg: "RS256", typ: "JWT" })}.${b64({
        aud: "https://storage.azure.com",
        iss: `https://sts.windows.net/${tenant}/`,
        iat: now - 60,
        nbf: now - 60,
        exp: now + 3600,
        ...claims,
    })}.`;
}

function listen(server: http.Server): Promise<number> {
    return new Promise((resolve) =>
        server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
    );
}

function send(res: http.ServerResponse, status: number, body: string | Buffer, type = "application/json"): void {
    res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(body) });
    res.end(body);
}

/**
 * The fakes: identity endpoints and the Cloud Storage JSON API. GCS answers as
 * https://cloud.google.com/storage/docs/json_api/v1/status-codes describes: 401 for an unknown
 * token, 403 when the token's account may not read the bucket, 404 for a missing object.
 */
function fakes(state: { gcsToken: string }): http.Server {
    // Which buckets each GCS token's service account may read.
    const gcsGrants: Record<string, string[]> = { "reader-token": ["models"], "stranger-token": [] };
    const gcsObjects: Record<string, Buffer> = { "models/resnet/v1/m.mar": archive };
    return http.createServer((req, res) => {
        const url = new URL(req.url ?? "/", "http://x");
        let body = "";
        req.on("data", (d) => (body += d));
        req.on("end", () => {
            // EKS Pod Identity agent: the projected token file's content as Authorization
            // (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-how-it-works.html).
            if (url.pathname === "/v1/credentials") {
                const auth = req.headers.authorization;
                if (auth === "pod-identity-token")
                    return send(
                        res,
                        200,
                        JSON.stringify({
                            AccessKeyId: "S3RVER",
                            SecretAccessKey: "S3RVER",
                            Token: "session",
                            Expiration: new Date(Date.now() + 3600e3).toISOString(),
                        }),
                    );
                if (auth === "unknown-key-token")
                    return send(
                        res,
                        200,
                        JSON.stringify({ AccessKeyId: "AKIAUNKNOWN", SecretAccessKey: "x", Token: "t" }),
                    );
                return send(res, 401, JSON.stringify({ error: "invalid token" }));
            }
            // STS AssumeRoleWithWebIdentity (XML answer, https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html).
            if (url.pathname === "/" && url.searchParams.get("Action") === "AssumeRoleWithWebIdentity") {
                if (
                    url.searchParams.get("WebIdentityToken") === "irsa-token" &&
                    url.searchParams.get("RoleArn") === "arn:aws:iam::123456789000:role/models"
                )
                    return send(
                        res,
                        200,
                        `<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>S3RVER</AccessKeyId><SecretAccessKey>S3RVER</SecretAccessKey><SessionToken>irsa-session</SessionToken></Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>`,
                        "text/xml",
                    );
                return send(
                    res,
                    400,
                    `<ErrorResponse><Error><Type>Sender</Type><Code>ExpiredTokenException</Code><Message>Token expired: current date/time 1 must be before the expiration date/time 0</Message></Error></ErrorResponse>`,
                    "text/xml",
                );
            }
            // GKE metadata server (https://cloud.google.com/compute/docs/access/authenticate-workloads#applications).
            if (url.pathname === "/computeMetadata/v1/instance/service-accounts/default/token") {
                if (req.headers["metadata-flavor"] !== "Google")
                    return send(res, 403, "Missing Metadata-Flavor:Google header", "text/plain");
                return send(
                    res,
                    200,
                    JSON.stringify({ access_token: state.gcsToken, expires_in: 3599, token_type: "Bearer" }),
                );
            }
            // Entra token endpoint, client credentials with a federated assertion.
            const entra = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
            if (entra && req.method === "POST") {
                const form = new URLSearchParams(body);
                const ok =
                    entra[1] === tenant &&
                    form.get("grant_type") === "client_credentials" &&
                    form.get("scope") === "https://storage.azure.com/.default" &&
                    form.get("client_assertion_type") === "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
                const assertion = form.get("client_assertion");
                if (!ok || form.get("client_id") !== azureClient)
                    return send(
                        res,
                        400,
                        JSON.stringify({
                            error: "invalid_client",
                            error_description: "AADSTS700016: Application not found in the directory",
                        }),
                    );
                if (assertion === "expired-federated-token")
                    return send(
                        res,
                        400,
                        JSON.stringify({
                            error: "invalid_client",
                            error_description: "AADSTS700024: Client assertion is not within its valid time range.",
                        }),
                    );
                // The assertion names which token Entra hands out, so each case reaches Azurite's own checks.
                const claims: Record<string, Record<string, unknown>> = {
                    "federated-token": {},
                    "stale-token": { exp: Math.floor(Date.now() / 1000) - 600 },
                    "other-account-token": { aud: "https://someoneelse.blob.core.windows.net" },
                };
                if (!assertion || !claims[assertion]) return send(res, 400, JSON.stringify({ error: "invalid_grant" }));
                return send(
                    res,
                    200,
                    JSON.stringify({
                        token_type: "Bearer",
                        expires_in: 3599,
                        access_token: entraToken(claims[assertion]),
                    }),
                );
            }
            // Cloud Storage JSON API media download.
            const gcs = /^\/storage\/v1\/b\/([^/]+)\/o\/([^/]+)$/.exec(url.pathname);
            if (gcs && url.searchParams.get("alt") === "media") {
                const bucket = gcs[1];
                const name = decodeURIComponent(gcs[2]);
                const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
                const error = (code: number, reason: string, message: string) =>
                    send(res, code, JSON.stringify({ error: { code, message, errors: [{ reason, message }] } }));
                if (!(token in gcsGrants)) return error(401, "required", "Invalid Credentials");
                if (!gcsGrants[token].includes(bucket))
                    return error(
                        403,
                        "forbidden",
                        `caller does not have storage.objects.get access to the Google Cloud Storage object.`,
                    );
                const data = gcsObjects[`${bucket}/${name}`];
                if (!data) return error(404, "notFound", `No such object: ${bucket}/${name}`);
                return send(res, 200, data, "application/octet-stream");
            }
            send(res, 404, "{}");
        });
    });
}

describe("model fetcher with workload identities (s3rver, Azurite, fake GCS)", function () {
    this.timeout(30000);
    let root: string;
    let script: string;
    let certFile: string;
    let s3: { close(): Promise<void> };
    let s3Endpoint: string;
    let azurite: ChildProcess;
    let blobEndpoint: string;
    let fake: http.Server;
    let fakeBase: string;
    let stranger: http.Server;
    let strangerBase: string;

    before(async () => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "ts-objfetch-"));
        script = path.join(root, "fetch_models.py");
        fs.writeFileSync(script, fetchScript);
        certFile = path.join(root, "cert.pem");
        const keyFile = path.join(root, "key.pem");
        execFileSync(
            "openssl",
            [
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                keyFile,
                "-out",
                certFile,
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
            ],
            { stdio: "ignore" },
        );
        for (const [name, content] of Object.entries({
            "pod-identity": "pod-identity-token",
            "unknown-key": "unknown-key-token",
            "bad-pod": "nope",
            irsa: "irsa-token",
            "irsa-expired": "expired",
            federated: "federated-token",
            stale: "stale-token",
            "other-account": "other-account-token",
            "expired-federated": "expired-federated-token",
        }))
            fs.writeFileSync(path.join(root, `${name}.token`), content);

        const startAzurite = new Promise<number>((resolve, reject) => {
            azurite = spawn(
                path.join(__dirname, "..", "node_modules", ".bin", "azurite-blob"),
                [
                    "--blobHost",
                    "127.0.0.1",
                    "--blobPort",
                    "0",
                    "--oauth",
                    "basic",
                    "--cert",
                    certFile,
                    "--key",
                    keyFile,
                    "--inMemoryPersistence",
                    "--skipApiVersionCheck",
                    "--disableTelemetry",
                    "--silent",
                ],
                { stdio: ["ignore", "pipe", "pipe"], cwd: root },
            );
            let out = "";
            const timer = setTimeout(() => reject(new Error(`Azurite did not start: ${out}`)), 20000);
            azurite.stdout!.on("data", (d) => {
                out += d.toString();
                const m = /listens on https:\/\/127\.0\.0\.1:(\d+)/.exec(out);
                if (m) {
                    clearTimeout(timer);
                    resolve(Number(m[1]));
                }
            });
            azurite.on("exit", (code) => reject(new Error(`Azurite exited ${code}: ${out}`)));
        });
        const startS3 = (async () => {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const S3rver = require("s3rver");
            const server = new S3rver({
                address: "127.0.0.1",
                port: 0,
                silent: true,
                directory: path.join(root, "s3"),
                configureBuckets: [{ name: "models" }],
            });
            const { port } = await server.run();
            s3 = server;
            return port as number;
        })();
        fake = fakes({ gcsToken: "reader-token" });
        // A second metadata server, whose Google service account may read no bucket.
        stranger = fakes({ gcsToken: "stranger-token" });
        const [azPort, s3Port, fakePort, strangerPort] = await Promise.all([
            startAzurite,
            startS3,
            listen(fake),
            listen(stranger),
        ]);
        strangerBase = `127.0.0.1:${strangerPort}`;
        s3Endpoint = `http://127.0.0.1:${s3Port}`;
        blobEndpoint = `https://127.0.0.1:${azPort}`;
        fakeBase = `127.0.0.1:${fakePort}`;

        // Objects in place: S3 through an anonymous PUT (s3rver checks signatures only when one is
        // sent), Blob with a bearer token Azurite accepts.
        await request(`${s3Endpoint}/models/resnet/v1/m.mar`, "PUT", archive);
        const bearer = { Authorization: `Bearer ${entraToken({})}`, "x-ms-version": "2021-08-06" };
        await request(`${blobEndpoint}/${azuriteAccount}/models?restype=container`, "PUT", Buffer.alloc(0), bearer);
        for (const blob of ["resnet/v1/m.mar", encodedBlobPath])
            await request(`${blobEndpoint}/${azuriteAccount}/models/${blob}`, "PUT", archive, {
                ...bearer,
                "x-ms-blob-type": "BlockBlob",
            });
    });

    function request(url: string, method: string, body: Buffer, headers: Record<string, string> = {}): Promise<number> {
        return new Promise((resolve, reject) => {
            const lib = url.startsWith("https") ? https : http;
            const req = lib.request(
                url,
                { method, headers: { ...headers, "Content-Length": body.length }, ca: fs.readFileSync(certFile) },
                (res) => {
                    res.resume();
                    res.on("end", () =>
                        (res.statusCode ?? 0) < 300
                            ? resolve(res.statusCode!)
                            : reject(new Error(`${method} ${url}: ${res.statusCode}`)),
                    );
                },
            );
            req.on("error", reject);
            req.end(body);
        });
    }

    after(async () => {
        azurite?.kill();
        fake?.close();
        stranger?.close();
        await s3?.close();
        fs.rmSync(root, { recursive: true, force: true });
    });

    interface Run extends RunResult {
        /** The model store the run filled. */
        store: string;
    }

    /** Runs the fetcher with its own model store (so runs can overlap). */
    function run(
        models: { name: string; url: string; sha256?: string }[],
        env: Record<string, string>,
        store = fs.mkdtempSync(path.join(root, "store-")),
    ): Promise<Run> {
        const list = path.join(store, `models-${Math.random().toString(36).slice(2)}.json`);
        fs.writeFileSync(list, JSON.stringify(models));
        const childEnv: Record<string, string | undefined> = {
            PATH: process.env.PATH,
            FETCH_RETRY_DELAY_SECONDS: "0",
            FETCH_TIMEOUT_SECONDS: "5",
            FETCH_ATTEMPTS: "2",
            NO_PROXY: "127.0.0.1",
            no_proxy: "127.0.0.1",
            ...env,
        };
        return new Promise((resolve) => {
            execFile(
                "python3",
                [script, list, path.join(store, "model-store")],
                { env: childEnv, timeout: 20000 },
                (err, stdout, stderr) =>
                    resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr, store }),
            );
        });
    }

    const tokenFile = (name: string) => path.join(root, `${name}.token`);
    const podIdentity = (token = "pod-identity") => ({
        AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://${fakeBase}/v1/credentials`,
        AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: tokenFile(token),
        AWS_REGION: "us-west-2",
        AWS_ENDPOINT_URL_S3: s3Endpoint,
    });
    const irsa = (token = "irsa") => ({
        AWS_ROLE_ARN: "arn:aws:iam::123456789000:role/models",
        AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile(token),
        AWS_REGION: "us-west-2",
        AWS_ENDPOINT_URL_STS: `http://${fakeBase}`,
        AWS_ENDPOINT_URL_S3: s3Endpoint,
    });
    // The metadata server of `base` hands out its own token; the JSON API is the first fake's.
    const gke = (base = fakeBase) => ({ GCE_METADATA_HOST: base, STORAGE_EMULATOR_HOST: `http://${fakeBase}` });
    const aks = (token = "federated") => ({
        AZURE_CLIENT_ID: azureClient,
        AZURE_TENANT_ID: tenant,
        AZURE_FEDERATED_TOKEN_FILE: tokenFile(token),
        AZURE_AUTHORITY_HOST: `http://${fakeBase}/`,
        FETCH_AZURE_BLOB_ENDPOINT: blobEndpoint,
        SSL_CERT_FILE: certFile,
    });
    const s3Url = "s3://models/resnet/v1/m.mar";
    const gsUrl = "gs://models/resnet/v1/m.mar";
    const blobUrl = `https://${azuriteAccount}.blob.core.windows.net/models/resnet/v1/m.mar`;
    // The blob `réseau/m.mar`, as a URL writes it: fetched by that name, not by `r%25C3%25A9seau`.
    const encodedBlobUrl = `https://${azuriteAccount}.blob.core.windows.net/models/${encodedBlobPath}`;
    const stored = (r: Run, name = "m") => fs.readFileSync(path.join(r.store, "model-store", `${name}.mar`));
    const oneLine = (r: RunResult) => {
        const lines = r.stderr.trim().split("\n");
        assert.equal(lines.length, 1, r.stderr);
        return lines[0];
    };
    /** A good object (with its sha256), a missing one and a wrong sha256 side by side: one fetcher start. */
    const threeOutcomes = (url: string, missing: string, env: Record<string, string>) =>
        run(
            [
                { name: "good", url, sha256: archiveSha },
                { name: "missing", url: missing },
                { name: "tampered", url, sha256: "0".repeat(64) },
            ],
            env,
        );
    function assertThreeOutcomes(r: Run, url: string, missing: string, notFound: string) {
        assert.equal(r.code, 1);
        assert.deepEqual(stored(r, "good"), archive);
        assert.deepEqual(r.stderr.trim().split("\n"), [
            `model missing: not found (HTTP 404 ${notFound}) (${missing})`,
            `model tampered: sha256 mismatch: expected ${"0".repeat(64)}, got ${archiveSha} (${url})`,
        ]);
        assert.deepEqual(fs.readdirSync(path.join(r.store, "model-store")).sort(), [".good.mar.source", "good.mar"]);
    }

    /**
     * Every fetcher run starts as soon as the servers are up, side by side (each with its own store),
     * and each test awaits its own: the file costs about as long as its slowest run.
     */
    const scenarios = {
        s3: () => threeOutcomes(s3Url, "s3://models/resnet/v2/m.mar", podIdentity()),
        irsaTwice: async () => {
            const first = await run([{ name: "m", url: s3Url }], irsa());
            return [first, await run([{ name: "m", url: s3Url }], {}, first.store)];
        },
        s3UnknownKey: () => run([{ name: "m", url: s3Url }], podIdentity("unknown-key")),
        s3BadPod: () => run([{ name: "m", url: s3Url }], podIdentity("bad-pod")),
        s3IrsaExpired: () => run([{ name: "m", url: s3Url }], irsa("irsa-expired")),
        s3NoIdentity: () => run([{ name: "m", url: s3Url }], { AWS_ENDPOINT_URL_S3: s3Endpoint }),
        blob: () => threeOutcomes(blobUrl, blobUrl.replace("v1", "v2"), aks()),
        blobEncoded: () => run([{ name: "m", url: encodedBlobUrl, sha256: archiveSha }], aks()),
        blobOtherAccount: () => run([{ name: "m", url: blobUrl }], aks("other-account")),
        blobStale: () => run([{ name: "m", url: blobUrl }], aks("stale")),
        blobExpiredFederated: () => run([{ name: "m", url: blobUrl }], aks("expired-federated")),
        gcs: () => threeOutcomes(gsUrl, "gs://models/nope.mar", gke()),
        gcsStranger: () => run([{ name: "m", url: gsUrl }], gke(strangerBase)),
    };
    type Scenarios = typeof scenarios;
    const started: { [K in keyof Scenarios]?: ReturnType<Scenarios[K]> } = {};
    before(() => {
        for (const k of Object.keys(scenarios) as (keyof Scenarios)[])
            (started as Record<string, unknown>)[k] = scenarios[k]();
    });
    const result = <K extends keyof Scenarios>(k: K) => started[k]! as ReturnType<Scenarios[K]>;

    describe("S3 (s3rver)", () => {
        it("EKS Pod Identity: downloads and checks the sha256; a missing object and a wrong checksum get one line each", async () => {
            assertThreeOutcomes(await result("s3"), s3Url, "s3://models/resnet/v2/m.mar", "NoSuchKey");
        });

        it("IRSA (AssumeRoleWithWebIdentity): downloads; present and unchanged on the next run", async () => {
            const [r, again] = await result("irsaTwice");
            assert.equal(r.code, 0, r.stderr);
            assert.deepEqual(stored(r), archive);
            assert.equal(again.code, 0, again.stderr);
            assert.match(again.stdout, /model m: present/);
        });

        it("credentials S3 does not know: one line, access denied", async () => {
            const r = await result("s3UnknownKey");
            assert.equal(r.code, 1);
            assert.match(
                oneLine(r),
                /^model m: access denied \(HTTP 403 InvalidAccessKeyId\): the pod's identity may not read this object \(s3:/,
            );
        });

        it("refused or expired identity tokens, or none: one line each naming the identity", async () => {
            const cases: [Run, string][] = [
                [
                    await result("s3BadPod"),
                    `model m: EKS Pod Identity credentials: refused (HTTP 401 invalid token) (${s3Url})`,
                ],
                [
                    await result("s3IrsaExpired"),
                    `model m: IRSA AssumeRoleWithWebIdentity: identity token expired (HTTP 400 ExpiredTokenException) (${s3Url})`,
                ],
                [
                    await result("s3NoIdentity"),
                    `model m: no AWS workload identity in the pod (neither EKS Pod Identity nor IRSA variables are set) (${s3Url})`,
                ],
            ];
            for (const [r, line] of cases) {
                assert.equal(r.code, 1);
                assert.equal(oneLine(r), line);
            }
        });
    });

    describe("Azure Blob (Azurite, OAuth)", () => {
        it("an Entra token exchanged for the federated token: downloads; missing blob and wrong checksum get one line each", async () => {
            assertThreeOutcomes(await result("blob"), blobUrl, blobUrl.replace("v1", "v2"), "BlobNotFound");
        });

        it("a percent-encoded path names the blob it decodes to", async () => {
            const r = await result("blobEncoded");
            assert.equal(r.code, 0, r.stderr);
            assert.deepEqual(stored(r), archive);
        });

        it("denied, expired access token, expired federated token: one line each", async () => {
            const cases: [Run, string][] = [
                [
                    await result("blobOtherAccount"),
                    `model m: access denied (HTTP 403 AuthenticationFailed): the pod's identity may not read this object (${blobUrl})`,
                ],
                [
                    await result("blobStale"),
                    `model m: access denied: token expired (HTTP 403 AuthenticationFailed) (${blobUrl})`,
                ],
                [
                    await result("blobExpiredFederated"),
                    `model m: Entra token exchange: identity token expired (HTTP 400 invalid_client) (${blobUrl})`,
                ],
            ];
            for (const [r, line] of cases) {
                assert.equal(r.code, 1);
                assert.equal(oneLine(r), line);
            }
        });
    });

    describe("Cloud Storage (fake JSON API)", () => {
        it("the metadata server's token: downloads; missing object and wrong checksum get one line each", async () => {
            assertThreeOutcomes(await result("gcs"), gsUrl, "gs://models/nope.mar", "notFound");
        });

        it("an account without access to the bucket: one line, access denied", async () => {
            const r = await result("gcsStranger");
            assert.equal(r.code, 1);
            assert.equal(
                oneLine(r),
                `model m: access denied (HTTP 403 forbidden): the pod's identity may not read this object (${gsUrl})`,
            );
        });
    });

    describe("the script's URL parsing agrees with the config's (objectUrl.ts)", () => {
        it("finds the same store, bucket and key, and leaves http(s) and SAS URLs to plain GETs", () => {
            const urls = [
                "s3://my-models/a/b/m.mar",
                "gs://my_models/m.mar",
                "https://acct.blob.core.windows.net/models/a/m.mar",
                "https://acct.blob.core.windows.net/models/r%C3%A9seau/m.mar",
                "https://acct.blob.core.windows.net/models/m.mar?sv=1&sig=x",
                "https://example.com/m.mar",
            ];
            const probe = [
                "import importlib.util, json, sys",
                "spec = importlib.util.spec_from_file_location('f', sys.argv[1]); f = importlib.util.module_from_spec(spec); spec.loader.exec_module(f)",
                "print(json.dumps([f.parse_object_url(u) for u in json.loads(sys.argv[2])]))",
            ].join("\n");
            const python = JSON.parse(execFileSync("python3", ["-c", probe, script, JSON.stringify(urls)]).toString());
            const typescript = urls.map((u) => {
                const p = parseModelUrl(u);
                if (!("kind" in p) || p.kind === "http") return null;
                const l = p.location;
                return l.store === "azureBlob"
                    ? ["azblob", l.account, l.bucket, l.key]
                    : [l.store === "s3" ? "s3" : "gs", l.bucket, l.key];
            });
            assert.deepEqual(python, typescript);
        });
    });

    describe("SigV4 signing", () => {
        it("matches AWS's published GET Object example", async () => {
            // https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html, "Example: GET Object".
            const probe = [
                "import importlib.util, datetime, sys",
                "spec = importlib.util.spec_from_file_location('f', sys.argv[1]); f = importlib.util.module_from_spec(spec); spec.loader.exec_module(f)",
                "print(f.sigv4_headers('https://examplebucket.s3.amazonaws.com/test.txt', 'us-east-1', ('AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', None), datetime.datetime(2013, 5, 24, tzinfo=datetime.timezone.utc), {'Range': 'bytes=0-9'}, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')['Authorization'])",
            ].join("\n");
            const out = execFileSync("python3", ["-c", probe, script]).toString().trim();
            assert.equal(
                out,
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
            );
        });
    });
});
