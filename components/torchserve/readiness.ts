// Readiness = every configured model loaded. TorchServe's /ping is no readiness signal (pytorch/serve
// v0.12.0, ApiUtils.getWorkerStatus/isModelHealthy): it counts loading workers as healthy, counts
// crash-looping ones healthy for maxRetryTimeoutInSec (300 s by default), and answers Healthy with
// zero models when registration failed. So the pod runs this check (exec probe, the image's own
// python3): it asks the management API for each model at its configured version
// (`GET /models/<name>/<version>`, DescribeModelResponse) and counts workers with status READY,
// which TorchServe reports only for a running worker in state WORKER_MODEL_LOADED.
import { TorchServeSpec } from "./spec";

/** Seconds for the JVM to start, open its ports and spawn the Python workers, before any model loads. */
export const serverStartSeconds = 120;

/**
 * Seconds the startup probe waits for every model to be loaded before the kubelet restarts the
 * container: server start plus two of the slowest model's `startupTimeout` (TorchServe kills a
 * worker that has not loaded in time and retries it; the budget covers the first try and one retry).
 */
export function startupBudgetSeconds(s: Pick<TorchServeSpec, "models">): number {
    const slowest = Math.max(0, ...s.models.map((m) => m.startupTimeout));
    return serverStartSeconds + 2 * slowest;
}

/** File names in the config ConfigMap (mounted at configMountDir). */
export const readinessScriptFile = "ready.py";
export const readinessModelsFile = "ready.json";

/** What the check expects: the management API (from inside the pod) and each model's floor. */
export interface ReadinessExpectation {
    managementUrl: string;
    models: { name: string; version: string; minWorkers: number }[];
}

/** The expectation for a spec: loopback management port, every model at its version and minWorkers. */
export function readinessExpectation(spec: Pick<TorchServeSpec, "managementPort" | "models">): ReadinessExpectation {
    return {
        managementUrl: `http://127.0.0.1:${spec.managementPort}`,
        models: spec.models.map((m) => ({ name: m.name, version: m.version, minWorkers: m.minWorkers })),
    };
}

/** `ready.json` as written into the ConfigMap. */
export function readinessJson(spec: Pick<TorchServeSpec, "managementPort" | "models">): string {
    return JSON.stringify(readinessExpectation(spec), null, 2) + "\n";
}

/**
 * Usage: `python3 ready.py <ready.json>`. Exit 0 and print `ready: …` when every model has at least
 * minWorkers READY workers (with no models: when the management API answers); otherwise exit 1 and
 * print one line per unready model (the kubelet puts it in the pod's events). A version mismatch is
 * named: TorchServe keys per-model settings by the archive's manifest version, so a model registered
 * under another version also ran with default settings. Python 3.9, standard library only.
 */
export const readinessScript = String.raw`#!/usr/bin/env python3
"""TorchServe readiness: every configured model has at least minWorkers READY workers."""
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

TIMEOUT_SECONDS = 3


def get(base, path):
    """(status, parsed JSON or None) of GET base+path; raises OSError when the API is unreachable."""
    try:
        with urllib.request.urlopen(base + path, timeout=TIMEOUT_SECONDS) as r:
            return r.status, json.loads(r.read().decode("utf-8"))
    except urllib.error.HTTPError as e:
        return e.code, None


def registered_versions(base, name):
    status, body = get(base, "/models/%s/all" % urllib.parse.quote(name, safe=""))
    if status != 200 or not isinstance(body, list):
        return []
    return sorted(str(d.get("modelVersion")) for d in body)


def check(base, model):
    """None when the model is ready, else why not."""
    name, version, floor = model["name"], model["version"], int(model["minWorkers"])
    path = "/models/%s/%s" % (urllib.parse.quote(name, safe=""), urllib.parse.quote(version, safe=""))
    status, body = get(base, path)
    if status == 404:
        others = registered_versions(base, name)
        if others:
            return "model %s: version %s not registered (TorchServe has %s: the archive's manifest version differs, so its per-model settings were not applied)" % (
                name, version, ", ".join(others))
        return "model %s: not registered" % name
    if status != 200 or not isinstance(body, list) or not body:
        return "model %s: management API answered %s" % (name, status)
    workers = body[0].get("workers") or []
    ready = sum(1 for w in workers if w.get("status") == "READY")
    if ready < floor:
        return "model %s: %d of %d workers READY (%d starting or failing)" % (name, ready, floor, len(workers) - ready)
    return None


def main(argv):
    with open(argv[1]) as f:
        expected = json.load(f)
    base = expected["managementUrl"].rstrip("/")
    try:
        if not expected["models"]:
            status, _ = get(base, "/models")
            if status != 200:
                print("not ready: management API answered %s" % status)
                return 1
            print("ready: no models configured, management API answers")
            return 0
        problems = [p for p in (check(base, m) for m in expected["models"]) if p]
    except (OSError, ValueError) as e:
        print("not ready: management API unreachable at %s (%s)" % (base, e))
        return 1
    if problems:
        print("not ready: " + "; ".join(problems))
        return 1
    print("ready: %d model(s) loaded" % len(expected["models"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
`;
