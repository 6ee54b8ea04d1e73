// Graceful drain: the preStop hook of the TorchServe container. TorchServe itself does not drain:
// SIGTERM runs ModelServer.stop() (pytorch/serve v0.12.0), which closes every channel, client
// connections with in-flight requests included (ServerGroups.closeAllChannels), and `torchserve
// --stop` only sends that SIGTERM and returns. So before stopping, the hook
//   1. keeps serving while the Service's endpoints, the mesh and load balancers drop the
//      terminating pod (new requests stop arriving), then
//   2. waits until nothing is left: every model's job queue is empty (management API,
//      jobQueueStatus.pendingRequests) and no request has arrived for that model
//      (`ts_inference_requests_total`, counted on arrival for REST and gRPC) for its
//      responseTimeout + maxBatchDelay: TorchServe ends a request in a worker within its
//      responseTimeout (it kills the worker otherwise), and it exposes no count of requests
//      inside workers, so that wait is the only bound that holds for both protocols;
//   3. stops the server.
// The pod's grace period covers all of it (terminationGracePeriodSeconds below).
import { ModelSpec, TorchServeSpec } from "./spec";

/** File names in the config ConfigMap (mounted at configMountDir). */
export const drainScriptFile = "drain.py";
export const drainConfigFile = "drain.json";

/** Seconds a terminating pod keeps serving while endpoints and load balancers drop it. */
export const endpointDrainSeconds = 15;
/** Seconds `torchserve --stop` and the JVM's shutdown (unregistering models, stopping workers) may take. */
export const serverStopSeconds = 30;

/**
 * Longest life of a gRPC inference connection (config.properties
 * `grpc_inference_max_connection_age_ms`). gRPC keeps one HTTP/2 connection per client, which
 * kube-proxy never moves: without an age limit a client keeps sending to a terminating pod until
 * the server stops, and never reaches replicas added later. At this age the server sends GOAWAY;
 * the client reconnects through the Service to a pod still in its endpoints, while its calls in
 * flight finish within the grace below. grpc-java (NettyServer) jitters the age by ±10 %.
 */
export const grpcMaxConnectionAgeSeconds = 30;

/** Seconds until every gRPC connection open when a drain starts has been told to go away (age + 10 % jitter). */
export const grpcRecycleSeconds = Math.ceil(grpcMaxConnectionAgeSeconds * 1.1);

/**
 * TorchServe's response timeout for models registered later through the management API
 * (`default_response_timeout`, 120 s in pytorch/serve v0.12.0 ConfigManager).
 */
export const defaultResponseTimeoutSeconds = 120;

/**
 * Seconds a load balancer in front of TorchServe must keep a silent connection open: the longest any
 * model may take to answer (`settleSeconds`) plus a margin, at least 60 (the cloud defaults).
 */
export function loadBalancerIdleSeconds(models: Pick<ModelSpec, "responseTimeout" | "maxBatchDelay">[]): number {
    return Math.max(60, ...models.map((m) => settleSeconds(m) + 30));
}

/** Seconds after a model's last request arrival until that request has surely finished. */
export function settleSeconds(m: Pick<ModelSpec, "responseTimeout" | "maxBatchDelay">): number {
    return m.responseTimeout + Math.ceil(m.maxBatchDelay / 1000);
}

/**
 * `grpc_inference_max_connection_age_grace_ms` in seconds: how long a call in flight on a
 * connection told to go away may still take. The slowest model's settle time (its responseTimeout
 * and batch delay), at least TorchServe's default response timeout, so no call a worker may still
 * answer is cut.
 */
export function grpcMaxConnectionAgeGraceSeconds(s: Pick<TorchServeSpec, "models">): number {
    return Math.max(defaultResponseTimeoutSeconds, ...s.models.map(settleSeconds));
}

/**
 * Longest drain: until endpoints have dropped the pod and every gRPC connection has been told to go
 * away, plus the slowest model's settle time (the last request to arrive then finishes).
 */
export function drainDeadlineSeconds(s: Pick<TorchServeSpec, "models">): number {
    return Math.max(endpointDrainSeconds, grpcRecycleSeconds) + Math.max(0, ...s.models.map(settleSeconds));
}

/** Pod grace period: the longest drain plus the server's stop, so SIGKILL never cuts a drain short. */
export function terminationGracePeriodSeconds(s: Pick<TorchServeSpec, "models">): number {
    return drainDeadlineSeconds(s) + serverStopSeconds;
}

/** What the drain script reads. */
export interface DrainConfig {
    managementUrl: string;
    metricsUrl: string;
    endpointDrainSeconds: number;
    deadlineSeconds: number;
    pollSeconds: number;
    models: { name: string; version: string; settleSeconds: number }[];
    /** Run once drained (or at the deadline). */
    stopCommand: string[];
}

/** The drain configuration of a spec: loopback APIs, per-model settle times, `torchserve --stop`. */
export function drainConfig(spec: Pick<TorchServeSpec, "managementPort" | "metricsPort" | "models">): DrainConfig {
    return {
        managementUrl: `http://127.0.0.1:${spec.managementPort}`,
        metricsUrl: `http://127.0.0.1:${spec.metricsPort}/metrics`,
        endpointDrainSeconds,
        deadlineSeconds: drainDeadlineSeconds(spec),
        pollSeconds: 1,
        models: spec.models.map((m) => ({ name: m.name, version: m.version, settleSeconds: settleSeconds(m) })),
        // --foreground: wait (up to 60 s) for the JVM to exit, inside the grace period.
        stopCommand: ["torchserve", "--stop", "--foreground"],
    };
}

/** `drain.json` as written into the ConfigMap. */
export function drainJson(spec: Pick<TorchServeSpec, "managementPort" | "metricsPort" | "models">): string {
    return JSON.stringify(drainConfig(spec), null, 2) + "\n";
}

/**
 * Usage: `python3 drain.py <drain.json>`. Prints one line when it stops the server, saying why
 * (drained, deadline, or server already unreachable). Python 3.9, standard library only.
 */
export const drainScript = String.raw`#!/usr/bin/env python3
"""TorchServe preStop: wait for endpoints to drop the pod and for in-flight requests, then stop."""
import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

TIMEOUT_SECONDS = 2
COUNTER = re.compile(r'^ts_inference_requests_total\{([^}]*)\}\s+([0-9.eE+-]+)')
MODEL_LABEL = re.compile(r'model_name="([^"]*)"')


def get(url):
    with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as r:
        return r.read().decode("utf-8")


def arrivals(metrics_url):
    """Requests counted on arrival, per model name (REST and gRPC)."""
    out = {}
    for line in get(metrics_url).splitlines():
        m = COUNTER.match(line)
        if m:
            name = MODEL_LABEL.search(m.group(1))
            if name:
                out[name.group(1)] = out.get(name.group(1), 0.0) + float(m.group(2))
    return out


def pending(management_url, model):
    """Requests waiting in the model's job queue."""
    path = "/models/%s/%s" % (urllib.parse.quote(model["name"], safe=""), urllib.parse.quote(model["version"], safe=""))
    try:
        body = json.loads(get(management_url + path))
    except urllib.error.HTTPError:
        return 0
    return int(((body[0] if body else {}).get("jobQueueStatus") or {}).get("pendingRequests", 0))


def drain(cfg, now=time.monotonic, sleep=time.sleep):
    start = now()
    last_activity = {m["name"]: start for m in cfg["models"]}
    previous = None
    while True:
        t = now()
        elapsed = t - start
        try:
            counts = arrivals(cfg["metricsUrl"])
            for m in cfg["models"]:
                busy = pending(cfg["managementUrl"], m) > 0
                if busy or (previous is not None and counts.get(m["name"], 0.0) != previous.get(m["name"], 0.0)):
                    last_activity[m["name"]] = t
            previous = counts
        except (OSError, ValueError) as e:
            return "server unreachable after %.1fs (%s)" % (elapsed, e)
        settled = all(t - last_activity[m["name"]] >= m["settleSeconds"] for m in cfg["models"])
        if elapsed >= cfg["endpointDrainSeconds"] and settled:
            return "drained after %.1fs" % elapsed
        if elapsed >= cfg["deadlineSeconds"]:
            return "deadline of %ss reached with requests still arriving or queued" % cfg["deadlineSeconds"]
        sleep(cfg["pollSeconds"])


def main(argv):
    with open(argv[1]) as f:
        cfg = json.load(f)
    why = drain(cfg)
    print("torchserve drain: %s; stopping" % why, flush=True)
    return subprocess.call(cfg["stopCommand"])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
`;
