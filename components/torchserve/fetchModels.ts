// The model fetcher: a small Python script the init container runs with the TorchServe image's own
// python3 (so there is no second image to pin). It fills the model store before the server starts,
// replacing `kubectl cp`. Shipped to the pod in a ConfigMap together with the model list.
import { TorchServeSpec } from "./spec";

/** File names inside the fetcher's ConfigMap (and its mount directory). */
export const fetchScriptFile = "fetch_models.py";
export const fetchModelsFile = "models.json";

/** One entry of `models.json`: what the script needs to know about a model. */
export interface FetchEntry {
    name: string;
    url: string;
    sha256?: string;
}

/** The model list the script reads; same order as the spec. */
export function fetchEntries(spec: Pick<TorchServeSpec, "models">): FetchEntry[] {
    return spec.models.map((m) =>
        m.sha256 ? { name: m.name, url: m.url, sha256: m.sha256.toLowerCase() } : { name: m.name, url: m.url },
    );
}

/** `models.json` as written into the ConfigMap. */
export function fetchModelsJson(spec: Pick<TorchServeSpec, "models">): string {
    return JSON.stringify(fetchEntries(spec), null, 2) + "\n";
}

/**
 * Usage: `python3 fetch_models.py <models.json> <model-store-dir>`.
 *
 * For each model: keep `<store>/<name>.mar` when it is already there (matching `sha256` when one is
 * given, otherwise downloaded earlier from the same URL, recorded in a hidden `.source` file); else
 * download to a temp file in the store, check length and sha256, and rename it into place, so a
 * reader (or a second pod sharing the volume) never sees a partial archive. Failures print one line
 * `model <name>: <what failed> (<url>)` and the script exits 1, failing the pod where
 * `kubectl get pods` shows it. Written for Python 3.9 (the TorchServe 0.12 images' version).
 *
 * Object URLs (objectUrl.ts) are read with the pod's workload identity through each service's REST
 * API, with the standard library only: no cloud SDK or CLI image to pin, pull (the AWS/Google
 * CLI images are 100-500 MB each) and keep patched, and no third-party code in the pod beyond the
 * TorchServe image already trusted. Credentials are fetched once per run and never written to disk:
 * - s3://  SigV4-signed GET (UNSIGNED-PAYLOAD) with credentials from EKS Pod Identity (the agent at
 *   AWS_CONTAINER_CREDENTIALS_FULL_URI with the token in AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) or
 *   IRSA (STS AssumeRoleWithWebIdentity with AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE); the region
 *   from AWS_REGION, corrected from S3's x-amz-bucket-region answer.
 *   https://docs.aws.amazon.com/eks/latest/userguide/pod-id-how-it-works.html,
 *   https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
 * - gs://  JSON API media download with an access token from the GKE metadata server (Workload
 *   Identity). https://cloud.google.com/storage/docs/json_api/v1/objects/get
 * - Azure Blob  Get Blob with an Entra token obtained by exchanging the federated service-account
 *   token (AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE, AZURE_AUTHORITY_HOST, which
 *   the AKS workload-identity webhook injects). https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow#third-case-access-token-request-with-a-federated-credential
 * Endpoint overrides exist for tests only (production always uses the real endpoints):
 * AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL_STS (the AWS SDKs' own names, path-style), GCE_METADATA_HOST
 * and STORAGE_EMULATOR_HOST (the Google libraries' names), FETCH_AZURE_BLOB_ENDPOINT (path-style,
 * as Azurite serves).
 */
export const fetchScript = String.raw`#!/usr/bin/env python3
"""Download TorchServe model archives into the model store (see the header of fetchModels.ts)."""
import datetime
import hashlib
import hmac
import http.client
import json
import os
import re
import socket
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

ATTEMPTS = int(os.environ.get("FETCH_ATTEMPTS", "3"))
RETRY_DELAY_SECONDS = float(os.environ.get("FETCH_RETRY_DELAY_SECONDS", "5"))
TIMEOUT_SECONDS = float(os.environ.get("FETCH_TIMEOUT_SECONDS", "60"))
CHUNK = 1 << 20


class Failure(Exception):
    """What failed, in the words of the one-line report; retryable for transient network errors."""

    def __init__(self, what, retryable=False):
        super().__init__(what)
        self.what = what
        self.retryable = retryable


# ---- object stores ---------------------------------------------------------------------------

AZURE_BLOB_HOST = re.compile(r"^([a-z0-9]{3,24})\.blob\.core\.windows\.net$")
USER_AGENT = "torchserve-platform-model-fetch"


def parse_object_url(url):
    """("s3", bucket, key), ("gs", bucket, key), ("azblob", account, container, blob), or None for http(s)."""
    for scheme, kind in (("s3://", "s3"), ("gs://", "gs")):
        if url.startswith(scheme):
            bucket, _, key = url[len(scheme):].partition("/")
            return (kind, bucket, key)
    parts = urllib.parse.urlsplit(url)
    m = AZURE_BLOB_HOST.match(parts.netloc)
    if parts.scheme == "https" and m and not parts.query:
        # The blob's name is the path with its percent-encoding undone (it is quoted again on request).
        container, _, blob = parts.path.lstrip("/").partition("/")
        return ("azblob", m.group(1), container, urllib.parse.unquote(blob, errors="strict"))
    return None


def http_json(request, what):
    """JSON answer of a token endpoint; Failure naming what otherwise."""
    try:
        return json.loads(http_text(request, what))
    except ValueError:
        raise Failure("%s: not a JSON answer" % what)


def http_text(request, what):
    """Body of a token endpoint's answer; Failure naming what otherwise."""
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return response.read(1 << 20).decode("utf-8")
    except urllib.error.HTTPError as e:
        code, message = error_details(e)
        expired = "expired" in (code + " " + message).lower() or "AADSTS700024" in message
        raise Failure(
            "%s: %s (HTTP %d%s)" % (what, "identity token expired" if expired else "refused", e.code, (" " + code) if code else ""),
            retryable=e.code >= 500 or e.code == 429,
        )
    except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError, http.client.HTTPException) as e:
        raise Failure("%s: unreachable (%s)" % (what, getattr(e, "reason", e)), retryable=True)


def error_details(e):
    """(code, message) from an S3/Azure XML or GCS/Entra JSON error body."""
    try:
        body = e.read(65536).decode("utf-8", "replace")
    except Exception:
        body = ""
    code = re.search(r"<Code>([^<]+)</Code>", body)
    # Azure Storage puts why a token failed in AuthenticationErrorDetail ("... The token is expired.").
    message = " ".join(re.findall(r"<(?:Message|AuthenticationErrorDetail)>([^<]*)</", body))
    if code:
        return code.group(1), message
    try:
        doc = json.loads(body)
    except ValueError:
        return "", body[:200]
    err = doc.get("error") if isinstance(doc, dict) else None
    if isinstance(err, dict):  # GCS: {"error": {"code": 403, "message": ..., "errors": [{"reason": "forbidden"}]}}
        reasons = err.get("errors") if isinstance(err.get("errors"), list) else [{}]
        reason = reasons[0].get("reason") if reasons and isinstance(reasons[0], dict) else None
        return str(err.get("status") or reason or ""), str(err.get("message") or "")
    if isinstance(err, str):
        return err, str(doc.get("error_description") or "")
    return "", ""


class Credentials:
    """Workload-identity credentials, fetched at first use and kept for the run."""

    def __init__(self):
        self.cache = {}

    def get(self, kind):
        if kind not in self.cache:
            self.cache[kind] = {"s3": aws_credentials, "gs": gcs_token, "azblob": azure_token}[kind]()
        return self.cache[kind]


def aws_credentials():
    full_uri = os.environ.get("AWS_CONTAINER_CREDENTIALS_FULL_URI")
    if full_uri:
        token_file = os.environ.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
        try:
            token = open(token_file).read().strip() if token_file else os.environ.get("AWS_CONTAINER_AUTHORIZATION_TOKEN", "")
        except OSError as e:
            raise Failure("EKS Pod Identity token unreadable: %s" % (e.strerror or e))
        request = urllib.request.Request(full_uri, headers={"Authorization": token, "User-Agent": USER_AGENT})
        doc = http_json(request, "EKS Pod Identity credentials")
        if not (doc.get("AccessKeyId") and doc.get("SecretAccessKey")):
            raise Failure("EKS Pod Identity credentials: no credentials in the answer")
        return (doc.get("AccessKeyId"), doc.get("SecretAccessKey"), doc.get("Token"))
    role, token_file = os.environ.get("AWS_ROLE_ARN"), os.environ.get("AWS_WEB_IDENTITY_TOKEN_FILE")
    if role and token_file:
        try:
            token = open(token_file).read().strip()
        except OSError as e:
            raise Failure("IRSA web identity token unreadable: %s" % (e.strerror or e))
        region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
        sts = os.environ.get("AWS_ENDPOINT_URL_STS") or "https://sts.%s.amazonaws.com" % region
        query = urllib.parse.urlencode({
            "Action": "AssumeRoleWithWebIdentity", "Version": "2011-06-15", "RoleArn": role,
            "RoleSessionName": "torchserve-model-fetch", "WebIdentityToken": token,
        })
        request = urllib.request.Request(sts.rstrip("/") + "/?" + query, headers={"User-Agent": USER_AGENT})
        # https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html (XML answer)
        body = http_text(request, "IRSA AssumeRoleWithWebIdentity")
        fields = [re.search(r"<%s>([^<]+)</%s>" % (f, f), body) for f in ("AccessKeyId", "SecretAccessKey", "SessionToken")]
        if not all(fields):
            raise Failure("IRSA AssumeRoleWithWebIdentity: no credentials in the answer")
        return tuple(f.group(1) for f in fields)
    raise Failure("no AWS workload identity in the pod (neither EKS Pod Identity nor IRSA variables are set)")


def gcs_token():
    host = os.environ.get("GCE_METADATA_HOST", "169.254.169.254")
    request = urllib.request.Request(
        "http://%s/computeMetadata/v1/instance/service-accounts/default/token" % host,
        headers={"Metadata-Flavor": "Google", "User-Agent": USER_AGENT},
    )
    return http_json(request, "GKE metadata server token")["access_token"]


def azure_token():
    client, tenant, token_file = (os.environ.get(k) for k in ("AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_FEDERATED_TOKEN_FILE"))
    if not (client and tenant and token_file):
        raise Failure("no Azure workload identity in the pod (AZURE_CLIENT_ID, AZURE_TENANT_ID or AZURE_FEDERATED_TOKEN_FILE missing: is the pod labelled azure.workload.identity/use?)")
    try:
        assertion = open(token_file).read().strip()
    except OSError as e:
        raise Failure("federated token unreadable: %s" % (e.strerror or e))
    authority = os.environ.get("AZURE_AUTHORITY_HOST") or "https://login.microsoftonline.com/"
    body = urllib.parse.urlencode({
        "client_id": client, "scope": "https://storage.azure.com/.default", "grant_type": "client_credentials",
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", "client_assertion": assertion,
    }).encode()
    request = urllib.request.Request(
        authority.rstrip("/") + "/" + tenant + "/oauth2/v2.0/token", data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "User-Agent": USER_AGENT},
    )
    return http_json(request, "Entra token exchange")["access_token"]


def sigv4_headers(url, region, credentials, now=None, extra=None, payload_hash="UNSIGNED-PAYLOAD"):
    """Headers of a SigV4-signed S3 GET (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html)."""
    access_key, secret_key, session_token = credentials
    parts = urllib.parse.urlsplit(url)
    now = now or datetime.datetime.now(datetime.timezone.utc)
    amz_date, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    headers = {"host": parts.netloc, "x-amz-content-sha256": payload_hash, "x-amz-date": amz_date}
    headers.update({k.lower(): v for k, v in (extra or {}).items()})
    if session_token:
        headers["x-amz-security-token"] = session_token
    names = sorted(headers)
    canonical = "\n".join([
        "GET", parts.path or "/", parts.query,
        "".join("%s:%s\n" % (n, " ".join(headers[n].split())) for n in names),
        ";".join(names), payload_hash,
    ])
    scope = "%s/%s/s3/aws4_request" % (day, region)
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + secret_key).encode()
    for part in (day, region, "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=%s/%s,SignedHeaders=%s,Signature=%s" % (
        access_key, scope, ";".join(names), signature)
    del headers["host"]
    return headers


def object_request(obj, credentials, s3_region=None):
    """The urllib Request that downloads an object with the workload identity."""
    quote = lambda s, safe="/": urllib.parse.quote(s, safe=safe + "-_.~")
    if obj[0] == "s3":
        _, bucket, key = obj
        region = s3_region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
        endpoint = os.environ.get("AWS_ENDPOINT_URL_S3")
        if endpoint:
            url = "%s/%s/%s" % (endpoint.rstrip("/"), bucket, quote(key))
        elif "." in bucket:  # a dotted bucket breaks the virtual host's TLS certificate
            url = "https://s3.%s.amazonaws.com/%s/%s" % (region, bucket, quote(key))
        else:
            url = "https://%s.s3.%s.amazonaws.com/%s" % (bucket, region, quote(key))
        headers = sigv4_headers(url, region, credentials.get("s3"))
    elif obj[0] == "gs":
        _, bucket, key = obj
        base = os.environ.get("STORAGE_EMULATOR_HOST") or "https://storage.googleapis.com"
        url = "%s/storage/v1/b/%s/o/%s?alt=media" % (base.rstrip("/"), bucket, quote(key, safe=""))
        headers = {"Authorization": "Bearer " + credentials.get("gs")}
    else:
        _, account, container, blob = obj
        endpoint = os.environ.get("FETCH_AZURE_BLOB_ENDPOINT")
        base = "%s/%s" % (endpoint.rstrip("/"), account) if endpoint else "https://%s.blob.core.windows.net" % account
        url = "%s/%s/%s" % (base, container, quote(blob))
        headers = {"Authorization": "Bearer " + credentials.get("azblob"), "x-ms-version": "2021-08-06"}
    headers["User-Agent"] = USER_AGENT
    return urllib.request.Request(url, headers=headers)


def object_failure(e):
    """One line for an object store's refusal: not found, token expired, access denied."""
    code, message = error_details(e)
    shown = "HTTP %d%s" % (e.code, (" " + code) if code else "")
    if e.code == 404:
        return Failure("not found (%s)" % shown)
    if e.code in (400, 401, 403) and ("expired" in (code + " " + message).lower()):
        return Failure("access denied: token expired (%s)" % shown)
    if e.code in (401, 403):
        return Failure("access denied (%s): the pod's identity may not read this object" % shown)
    return Failure("download failed: %s" % shown, retryable=e.code >= 500 or e.code == 429)


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def archive_path(store, name):
    return os.path.join(store, name + ".mar")


def source_path(store, name):
    return os.path.join(store, "." + name + ".mar.source")


def is_present(store, model):
    path = archive_path(store, model["name"])
    if not os.path.isfile(path):
        return False
    if model.get("sha256"):
        return sha256_of(path) == model["sha256"].lower()
    try:
        with open(source_path(store, model["name"])) as f:
            return f.read().strip() == model["url"]
    except OSError:
        return False


def ensure_mode(path, mode):
    """chmod unless the file already has at least these permission bits. On a CIFS share (Azure
    Files) mounted with uid=/file_mode=, every file shows the mount's owner and mode, so a fetcher
    running as another uid may not chmod (EPERM), while the mount already grants it."""
    if os.stat(path).st_mode & mode == mode:
        return
    os.chmod(path, mode)


def write_atomically(store, final_path, data):
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=store)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(data)
        ensure_mode(tmp, 0o664)
        os.replace(tmp, final_path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def open_url(model, credentials):
    """The response for a model's archive: plain GET, or the object store's API with the identity."""
    obj = parse_object_url(model["url"])
    if obj is None:
        request = urllib.request.Request(model["url"], headers={"User-Agent": USER_AGENT})
        return urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS)
    try:
        return urllib.request.urlopen(object_request(obj, credentials), timeout=TIMEOUT_SECONDS)
    except urllib.error.HTTPError as e:
        # S3 names the bucket's region when asked in the wrong one: ask again there, once.
        region = e.headers.get("x-amz-bucket-region") if obj[0] == "s3" else None
        if region and e.code in (301, 400):
            try:
                return urllib.request.urlopen(object_request(obj, credentials, region), timeout=TIMEOUT_SECONDS)
            except urllib.error.HTTPError as again:
                raise object_failure(again)
        raise object_failure(e)


def download(store, model, credentials):
    name, url, want = model["name"], model["url"], (model.get("sha256") or "").lower()
    fd, tmp = tempfile.mkstemp(prefix="." + name + ".mar.", suffix=".part", dir=store)
    try:
        digest = hashlib.sha256()
        size = 0
        with os.fdopen(fd, "wb") as out:
            try:
                with open_url(model, credentials) as response:
                    expected = response.headers.get("Content-Length")
                    while True:
                        chunk = response.read(CHUNK)
                        if not chunk:
                            break
                        try:
                            out.write(chunk)
                        except OSError as e:
                            raise Failure("cannot write %s: %s" % (store, e.strerror or e))
                        digest.update(chunk)
                        size += len(chunk)
            except urllib.error.HTTPError as e:
                raise Failure("download failed: HTTP %d %s" % (e.code, e.reason), retryable=e.code >= 500 or e.code == 429)
            except urllib.error.URLError as e:
                raise Failure("download failed: %s" % (e.reason,), retryable=True)
            except (socket.timeout, TimeoutError) as e:
                raise Failure("download failed: timed out after %gs" % TIMEOUT_SECONDS, retryable=True)
            except (ConnectionError, http.client.HTTPException) as e:
                raise Failure("download failed: %s" % (e.__class__.__name__ + (": " + str(e) if str(e) else "")), retryable=True)
            if expected is not None and expected.isdigit() and int(expected) != size:
                raise Failure("download incomplete: got %d of %s bytes" % (size, expected), retryable=True)
            if size == 0:
                raise Failure("download failed: empty response")
            out.flush()
            os.fsync(out.fileno())
        got = digest.hexdigest()
        if want and got != want:
            raise Failure("sha256 mismatch: expected %s, got %s" % (want, got))
        ensure_mode(tmp, 0o664)
        os.replace(tmp, archive_path(store, name))
        write_atomically(store, source_path(store, name), url + "\n")
        return size, got
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def fetch(store, model, credentials):
    name, url = model["name"], model["url"]
    if not (url.startswith("http://") or url.startswith("https://") or parse_object_url(url)):
        raise Failure("unsupported URL, need http://, https://, s3:// or gs://")
    if is_present(store, model):
        print("model %s: present in %s, skipped" % (name, store), flush=True)
        return
    attempt = 1
    while True:
        try:
            size, got = download(store, model, credentials)
            print("model %s: downloaded %d bytes, sha256 %s (%s)" % (name, size, got, url), flush=True)
            return
        except Failure as f:
            if not f.retryable or attempt >= ATTEMPTS:
                raise
            print("model %s: %s, retrying (%d/%d)" % (name, f.what, attempt, ATTEMPTS), flush=True)
            time.sleep(RETRY_DELAY_SECONDS * attempt)
            attempt += 1


def main(argv):
    if len(argv) != 3:
        print("usage: %s <models.json> <model-store-dir>" % argv[0], file=sys.stderr)
        return 2
    with open(argv[1]) as f:
        models = json.load(f)
    store = argv[2]
    # Group-writable, so TorchServe (gid 1000) can still write the store whichever uid wrote it
    # (earlier versions ran this as Istio's 1337).
    os.umask(0o002)
    try:
        os.makedirs(store, exist_ok=True)
    except OSError as e:
        print("model store %s: cannot create (%s)" % (store, e.strerror or e), file=sys.stderr, flush=True)
        return 1
    failed = 0
    credentials = Credentials()
    for model in models:
        try:
            fetch(store, model, credentials)
        except Failure as f:
            print("model %s: %s (%s)" % (model["name"], f.what, model["url"]), file=sys.stderr, flush=True)
            failed += 1
        except OSError as e:
            print("model %s: %s (%s)" % (model["name"], e.strerror or e, model["url"]), file=sys.stderr, flush=True)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
`;
