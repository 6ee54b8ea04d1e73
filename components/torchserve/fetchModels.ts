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
 */
export const fetchScript = String.raw`#!/usr/bin/env python3
"""Download TorchServe model archives into the model store (see the header of fetchModels.ts)."""
import hashlib
import http.client
import json
import os
import socket
import sys
import tempfile
import time
import urllib.error
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


def write_atomically(store, final_path, data):
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=store)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(data)
        os.chmod(tmp, 0o664)
        os.replace(tmp, final_path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def download(store, model):
    name, url, want = model["name"], model["url"], (model.get("sha256") or "").lower()
    fd, tmp = tempfile.mkstemp(prefix="." + name + ".mar.", suffix=".part", dir=store)
    try:
        digest = hashlib.sha256()
        size = 0
        with os.fdopen(fd, "wb") as out:
            request = urllib.request.Request(url, headers={"User-Agent": "torchserve-platform-model-fetch"})
            try:
                with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
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
        os.chmod(tmp, 0o664)
        os.replace(tmp, archive_path(store, name))
        write_atomically(store, source_path(store, name), url + "\n")
        return size, got
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def fetch(store, model):
    name, url = model["name"], model["url"]
    if not (url.startswith("http://") or url.startswith("https://")):
        raise Failure("unsupported URL, need http:// or https://")
    if is_present(store, model):
        print("model %s: present in %s, skipped" % (name, store), flush=True)
        return
    attempt = 1
    while True:
        try:
            size, got = download(store, model)
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
    # Group-writable, so TorchServe (gid 1000) can still write the store when this runs as
    # another uid (Istio's 1337, which bypasses the sidecar's traffic capture).
    os.umask(0o002)
    try:
        os.makedirs(store, exist_ok=True)
    except OSError as e:
        print("model store %s: cannot create (%s)" % (store, e.strerror or e), file=sys.stderr, flush=True)
        return 1
    failed = 0
    for model in models:
        try:
            fetch(store, model)
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
