// TorchServe: its pure builders (config.properties, pods, rollouts, Service ports, NetworkPolicy,
// serving endpoints) checked directly, then what the component registers under Pulumi mocks
// (preview and update): names, namespaces, wiring, waits, provider, outputs, upstream schemas.
import { strict as assert } from "assert";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { checksum, configFilePath, configProperties, torchserveCommand } from "../components/torchserve/config";
import {
    canaryDeploymentName,
    podLabels,
    portNames,
    publicServiceName,
    serviceName,
    stableDeploymentName,
    trackLabel,
} from "../components/torchserve/conventions";
import { servingEndpoints } from "../components/torchserve/endpoints";
import { fetchModelsJson, fetchScript } from "../components/torchserve/fetchModels";
import { drainConfig, drainJson, drainScript } from "../components/torchserve/drain";
import { log4j2Xml } from "../components/torchserve/logging";
import { readinessJson, readinessScript } from "../components/torchserve/readiness";
import { ModelSpec, TorchServeSpec } from "../components/torchserve/spec";
import {
    configChecksumAnnotation,
    containerPorts,
    fetchMountDir,
    podTemplate,
    PodTemplateOptions,
    progressDeadlineSeconds,
    rolloutStrategy,
} from "../components/torchserve/workload";
import {
    modelStoreClaimName,
    networkPolicySpec,
    publicServiceAnnotations,
    publicServicePorts,
    servicePorts,
    TorchServe,
    TorchServeArgs,
} from "../components/torchserve/torchserve";
import { evaluate, Evaluation, RegisteredResource } from "../harness/evaluate";
import { all, one } from "./support/match";
import { parseProperties } from "./support/properties";
import { kubernetesObjects, validateKubernetesObject } from "./support/schema";
import { gpuPlacement, gpuTorchServeSpec, squeezenet, torchServeSpec } from "./support/specs";

// ---- Pure builders -------------------------------------------------------------------------

const config = (s: TorchServeSpec) => parseProperties(configProperties(s));

/** The ConfigMaps' names as pulumi-kubernetes gives them (the component sets none): placeholders here. */
const configMapName = "torchserve-config-0a1b2c3d";
const fetchConfigMapName = "torchserve-model-fetch-0a1b2c3d";
/** The component's ConfigMaps, by their Pulumi (logical) names. */
const configMapType = "kubernetes:core/v1:ConfigMap";

/** The pod spec of one track, as the component builds it. */
function podOf(s: TorchServeSpec, o: Partial<PodTemplateOptions> = {}) {
    const volumes = { configMapName, fetchConfigMapName, modelStoreClaimName };
    return podTemplate({ spec: s, image: s.image, track: "stable", gpuPlacement, volumes, annotations: {}, ...o })
        .spec as any;
}
const serverOf = (pod: any) => pod.containers.find((c: any) => c.name === "torchserve");

/** The containerPort a probe or targetPort refers to, by name or number. */
function resolvePort(container: any, port: string | number): number {
    if (typeof port === "number") return port;
    const p = container.ports.find((x: any) => x.name === port);
    assert.ok(p, `no container port named ${port}`);
    return p.containerPort;
}

/** Ports, namespace, store path, model API, queue and two models all differ from the defaults. */
const moved = torchServeSpec({
    inferencePort: 9080,
    managementPort: 9081,
    metricsPort: 9082,
    grpcInferencePort: 9070,
    grpcManagementPort: 9071,
    namespace: "serving",
    modelStorePath: "/mnt/models",
    enableModelApi: true,
    jobQueueSize: 500,
    models: [
        {
            name: "bert",
            url: "https://example.com/bert.mar",
            sha256: "A".repeat(64),
            version: "2.0",
            minWorkers: 2,
            maxWorkers: 4,
            batchSize: 8,
            maxBatchDelay: 50,
            responseTimeout: 300,
            startupTimeout: 600,
        },
        { ...squeezenet, name: "resnet-18", url: "https://example.com/r.mar" },
    ],
});

describe("config.properties (pure)", () => {
    it("sets addresses, gRPC on 0.0.0.0, metrics, store and models from the spec", () => {
        const c = config(torchServeSpec());
        assert.equal(c.inference_address, "http://0.0.0.0:8080");
        assert.equal(c.management_address, "http://0.0.0.0:8081");
        assert.equal(c.metrics_address, "http://0.0.0.0:8082");
        assert.equal(c.grpc_inference_address, "0.0.0.0");
        assert.equal(c.grpc_management_address, "0.0.0.0");
        assert.equal(c.grpc_inference_port, "7070");
        assert.equal(c.grpc_management_port, "7071");
        assert.equal(c.metrics_mode, "prometheus");
        assert.equal(c.number_of_gpu, "0");
        assert.equal(c.model_store, "/home/model-server/shared/model-store");
        assert.equal(c.load_models, "squeezenet1_1=squeezenet1_1.mar");
        assert.deepEqual(JSON.parse(c.models), {
            squeezenet1_1: {
                "1.0": {
                    defaultVersion: true,
                    marName: "squeezenet1_1.mar",
                    minWorkers: 1,
                    maxWorkers: 1,
                    batchSize: 1,
                    maxBatchDelay: 100,
                    responseTimeout: 120,
                    startupTimeout: 120,
                },
            },
        });
        assert.equal(c.job_queue_size, "100");
        // 4Gi limit → 1638 MiB heap; half of it for 100 queued requests → 8 MiB each.
        assert.equal(c.max_request_size, String(8 * 2 ** 20));
        assert.equal(c.max_response_size, String(8 * 2 ** 20));
        assert.deepEqual(c.vmargs.split(" ").slice(0, 2), ["-Xmx1638m", "-XX:+ExitOnOutOfMemoryError"]);
    });

    it("turns token auth off and the model API off by default", () => {
        const c = config(torchServeSpec());
        assert.equal(c.disable_token_authorization, "true");
        assert.equal(c.enable_model_api, "false");
        const cmd = torchserveCommand(torchServeSpec());
        assert.ok(cmd.includes("--disable-token-auth"));
        assert.ok(!cmd.includes("--enable-model-api"));
    });

    it("follows non-default ports, store path, model API, queue size and models", () => {
        const c = config(moved);
        assert.equal(c.inference_address, "http://0.0.0.0:9080");
        assert.equal(c.management_address, "http://0.0.0.0:9081");
        assert.equal(c.metrics_address, "http://0.0.0.0:9082");
        assert.equal(c.grpc_inference_port, "9070");
        assert.equal(c.grpc_management_port, "9071");
        assert.equal(c.model_store, "/mnt/models/model-store");
        assert.equal(c.enable_model_api, "true");
        assert.equal(c.job_queue_size, "500");
        assert.equal(c.load_models, "bert=bert.mar,resnet-18=resnet-18.mar");
        const models = JSON.parse(c.models);
        assert.deepEqual(models.bert["2.0"], {
            defaultVersion: true,
            marName: "bert.mar",
            minWorkers: 2,
            maxWorkers: 4,
            batchSize: 8,
            maxBatchDelay: 50,
            responseTimeout: 300,
            startupTimeout: 600,
        });
        assert.equal(models["resnet-18"]["1.0"].marName, "resnet-18.mar");
        // The fetcher's list: same models, checksums lowercased.
        assert.deepEqual(JSON.parse(fetchModelsJson(moved)), [
            { name: "bert", url: "https://example.com/bert.mar", sha256: "a".repeat(64) },
            { name: "resnet-18", url: "https://example.com/r.mar" },
        ]);
    });

    it("omits load_models and models when there are no models", () => {
        const c = config(torchServeSpec({ models: [] }));
        assert.equal(c.load_models, undefined);
        assert.equal(c.models, undefined);
        assert.deepEqual(JSON.parse(fetchModelsJson(torchServeSpec({ models: [] }))), []);
    });

    it("is one key per line with the models JSON on a single line", () => {
        const text = configProperties(torchServeSpec());
        const lines = text
            .trimEnd()
            .split("\n")
            .filter((l) => !l.startsWith("#"));
        assert.ok(
            lines.every((l) => /^[a-z_]+=\S/.test(l)),
            text,
        );
        const keys = lines.map((l) => l.split("=")[0]);
        assert.equal(new Set(keys).size, keys.length, "no key twice");
    });

    it("changes its checksum (which rolls the pods) only when the file changes", () => {
        const a = checksum(configProperties(torchServeSpec()));
        assert.match(a, /^[0-9a-f]{64}$/);
        assert.notEqual(checksum(configProperties(torchServeSpec({ jobQueueSize: 200 }))), a);
        assert.equal(checksum(configProperties(torchServeSpec())), a, "same spec, same checksum");
    });
});

describe("TorchServe pod (pure)", () => {
    it("runs torchserve in the foreground with the mounted config, store and token auth off", () => {
        const pod = podOf(torchServeSpec());
        const container = serverOf(pod);
        const cmd: string[] = container.command;
        assert.deepEqual(cmd.slice(0, 3), ["torchserve", "--start", "--foreground"]);
        assert.equal(cmd[cmd.indexOf("--model-store") + 1], config(torchServeSpec()).model_store);
        const tsConfig = cmd[cmd.indexOf("--ts-config") + 1];
        assert.equal(tsConfig, configFilePath);
        const mount = container.volumeMounts.find((m: any) => m.name === "config");
        const volume = pod.volumes.find((v: any) => v.name === "config");
        assert.equal(`${mount.mountPath}/config.properties`, tsConfig);
        assert.equal(volume.configMap.name, configMapName);
        assert.equal(container.image, "pytorch/torchserve:0.12.0-cpu");
    });

    it("mounts the store where config.properties says and lets the fetcher fill it first", () => {
        const pod = podOf(moved);
        const c = config(moved);
        const store = serverOf(pod).volumeMounts.find((m: any) => m.name === "model-store");
        assert.equal(store.mountPath, "/mnt/models");
        assert.ok(c.model_store.startsWith(store.mountPath + "/"));
        const init = pod.initContainers[0];
        assert.equal(init.image, moved.image, "the fetcher reuses the pinned TorchServe image");
        assert.deepEqual(init.command, [
            "python3",
            `${fetchMountDir}/fetch_models.py`,
            `${fetchMountDir}/models.json`,
            c.model_store,
        ]);
        assert.equal(init.volumeMounts.find((m: any) => m.name === "model-store").mountPath, "/mnt/models");
        assert.equal(resolvePort(serverOf(pod), serverOf(pod).livenessProbe.httpGet.port), 9080);
    });

    it("is ready when the models are loaded (mounted check), live while /ping answers", () => {
        const container = serverOf(podOf(torchServeSpec()));
        const check = ["python3", "/etc/torchserve/ready.py", "/etc/torchserve/ready.json"];
        assert.deepEqual(container.readinessProbe.exec.command, check);
        assert.deepEqual(container.startupProbe.exec.command, check);
        const mounted = container.volumeMounts.find((m: any) => m.name === "config").mountPath;
        assert.ok(check.slice(1).every((f) => path.posix.dirname(f) === mounted));
        assert.equal(container.livenessProbe.httpGet.path, "/ping");
        assert.equal(resolvePort(container, container.livenessProbe.httpGet.port), 8080);
    });

    it("gives model loading a startup budget of two of the slowest model's startupTimeout plus server start", () => {
        const budget = (models: ModelSpec[]) => {
            const p = serverOf(podOf(torchServeSpec({ models }))).startupProbe;
            return p.periodSeconds * p.failureThreshold;
        };
        assert.equal(budget([squeezenet]), 120 + 2 * 120);
        const slow = { ...squeezenet, name: "llm", startupTimeout: 900 };
        assert.equal(budget([squeezenet, slow]), 120 + 2 * 900);
        assert.equal(budget([]), 120);
        // The Deployment's progress deadline outlasts the budget (plus a GPU node scale-up).
        assert.ok(progressDeadlineSeconds(torchServeSpec({ models: [slow] })) > 120 + 2 * 900);
    });

    it("runs as the image's non-root user with no privileges", () => {
        const pod = podOf(torchServeSpec());
        const { runAsUser, runAsGroup, fsGroup, runAsNonRoot } = pod.securityContext;
        assert.deepEqual(
            { runAsUser, runAsGroup, fsGroup, runAsNonRoot },
            {
                runAsUser: 1000,
                runAsGroup: 1000,
                fsGroup: 1000,
                runAsNonRoot: true,
            },
        );
        assert.equal(pod.securityContext.seccompProfile.type, "RuntimeDefault");
        for (const c of [...pod.containers, ...pod.initContainers]) {
            assert.equal(c.securityContext.allowPrivilegeEscalation, false, c.name);
            assert.deepEqual(c.securityContext.capabilities.drop, ["ALL"], c.name);
        }
    });

    it("recycles gRPC connections, so clients leave a draining pod before its deadline and reach new replicas", () => {
        const slow = { ...squeezenet, name: "slow", responseTimeout: 600, maxBatchDelay: 2500 };
        for (const spec of [
            torchServeSpec(),
            torchServeSpec({ models: [squeezenet, slow] }),
            torchServeSpec({ models: [] }),
        ]) {
            const c = config(spec);
            // TorchServe 0.12 ConfigManager keys (pytorch/serve v0.12.0 ConfigManager.java
            // TS_GRPC_INFERENCE_MAX_CONNECTION_AGE_MS / _GRACE_MS; both default to infinite).
            const age = Number(c.grpc_inference_max_connection_age_ms);
            const grace = Number(c.grpc_inference_max_connection_age_grace_ms);
            assert.ok(age > 0 && grace > 0, JSON.stringify(c));
            // A call in flight when GOAWAY comes may take as long as any model's response timeout
            // (120 s, TorchServe's default, for models registered later).
            const longest = Math.max(120, ...spec.models.map((m) => m.responseTimeout + m.maxBatchDelay / 1000));
            assert.ok(grace >= longest * 1000, `grace ${grace} ms < ${longest} s`);
            // A connection opened just before the drain is told to go away (age + 10 % jitter,
            // grpc-java NettyServer) and its last request settles before the drain's deadline.
            const settle = Math.max(
                ...spec.models.map((m) => m.responseTimeout + Math.ceil(m.maxBatchDelay / 1000)),
                0,
            );
            assert.ok(drainConfig(spec).deadlineSeconds >= Math.ceil((age * 1.1) / 1000) + settle);
        }
    });

    it("drains before stopping and spreads pods across nodes and zones without blocking scheduling", () => {
        const pod = podOf(torchServeSpec());
        assert.deepEqual(serverOf(pod).lifecycle.preStop.exec.command, [
            "python3",
            "/etc/torchserve/drain.py",
            "/etc/torchserve/drain.json",
        ]);
        // Grace: every gRPC connection told to go away (30 s age + 10 % jitter = 33, longer than the
        // 15 s endpoint drain) + the slowest model's responseTimeout and batch delay + server stop (30).
        assert.equal(pod.terminationGracePeriodSeconds, 33 + 120 + 1 + 30);
        const slow = { ...squeezenet, name: "slow", responseTimeout: 600, maxBatchDelay: 2500 };
        const slowPod = podOf(torchServeSpec({ models: [squeezenet, slow] }));
        assert.equal(slowPod.terminationGracePeriodSeconds, 33 + 600 + 3 + 30);
        assert.deepEqual(
            pod.topologySpreadConstraints.map((t: any) => [t.topologyKey, t.whenUnsatisfiable]),
            [
                ["kubernetes.io/hostname", "ScheduleAnyway"],
                ["topology.kubernetes.io/zone", "ScheduleAnyway"],
            ],
        );
    });

    it("requests no GPU and sets no GPU placement when nGpu is 0", () => {
        const pod = podOf(torchServeSpec());
        const ephemeral = { "ephemeral-storage": "10Gi" };
        assert.deepEqual(serverOf(pod).resources.requests, { cpu: "1", memory: "1Gi", ...ephemeral });
        assert.deepEqual(serverOf(pod).resources.limits, { cpu: "1", memory: "4Gi", ...ephemeral });
        assert.equal(pod.tolerations, undefined);
        assert.equal(pod.nodeSelector, undefined);
    });

    it("requests nGpu GPUs and goes to the GPU pool when nGpu > 0", () => {
        const s = gpuTorchServeSpec({ nGpu: 2, nCpu: 3.5 });
        const pod = podOf(s);
        const res = serverOf(pod).resources;
        assert.equal(res.limits["nvidia.com/gpu"], "2");
        assert.equal(res.requests["nvidia.com/gpu"], "2");
        assert.equal(res.requests.cpu, "3500m");
        assert.deepEqual(pod.nodeSelector, gpuPlacement.nodeSelector);
        assert.deepEqual(pod.tolerations, gpuPlacement.tolerations);
        assert.equal(config(s).number_of_gpu, "2");
    });

    it("runs TorchServe on a read-only root file system, writing only to emptyDirs at its temp directories", () => {
        for (const spec of [torchServeSpec(), torchServeSpec({ ephemeralStorage: "40Gi", enableModelApi: true })]) {
            const pod = podOf(spec);
            const server = serverOf(pod);
            assert.equal(server.securityContext.readOnlyRootFilesystem, true);
            // The image's TEMP (java.io.tmpdir: unpacked archives, worker sockets; the PID file) and /tmp.
            const writable = server.volumeMounts.filter((m: any) => !m.readOnly);
            const tempMounts = writable.filter(
                (m: any) => m.mountPath === "/home/model-server/tmp" || m.mountPath === "/tmp",
            );
            assert.deepEqual(tempMounts.map((m: any) => m.mountPath).sort(), ["/home/model-server/tmp", "/tmp"]);
            for (const m of tempMounts) {
                const v = pod.volumes.find((x: any) => x.name === m.name);
                assert.deepEqual(v.emptyDir, { sizeLimit: spec.ephemeralStorage }, m.mountPath);
            }
            // Besides them, only the model store, and only where models are registered through the API.
            assert.deepEqual(
                writable.filter((m: any) => !tempMounts.includes(m)).map((m: any) => m.name),
                spec.enableModelApi ? ["model-store"] : [],
            );
        }
    });

    it("runs the fetcher as the server's uid, never Istio's 1337 (whose traffic bypasses the sidecar and its egress control)", () => {
        const pod = podOf(torchServeSpec());
        const fetcher = pod.initContainers.find((c: any) => c.name === "fetch-models");
        // Unset: the pod's runAsUser 1000. Native sidecars start the proxy before it (mesh/charts.ts).
        assert.equal(fetcher.securityContext.runAsUser, undefined);
        assert.equal(pod.securityContext.runAsUser, 1000);
        assert.ok(!JSON.stringify(pod).includes("1337"));
    });

    it("adds a root init step, first and with only the capabilities it needs, when the store ignores fsGroup", () => {
        assert.deepEqual(
            podOf(torchServeSpec()).initContainers.map((c: any) => c.name),
            ["fetch-models"],
        );
        const pod = podOf(torchServeSpec(), { modelStoreNeedsOwnership: true });
        assert.deepEqual(
            pod.initContainers.map((c: any) => c.name),
            ["prepare-model-store", "fetch-models"],
        );
        const prepare = pod.initContainers[0];
        assert.equal(prepare.securityContext.runAsUser, 0);
        assert.equal(prepare.securityContext.allowPrivilegeEscalation, false);
        assert.deepEqual(prepare.securityContext.capabilities, {
            drop: ["ALL"],
            add: ["CHOWN", "FOWNER", "DAC_OVERRIDE"],
        });
        assert.match(
            prepare.command[2],
            /chown 1000:1000 \/home\/model-server\/shared\/ \/home\/model-server\/shared\/model-store/,
        );
        assert.deepEqual(prepare.volumeMounts, [{ name: "model-store", mountPath: "/home/model-server/shared/" }]);
        // Everything else still runs as the model-server user.
        assert.equal(pod.securityContext.runAsUser, 1000);
    });
});

describe("rollout strategy (pure)", () => {
    const surge = (inputs: Parameters<typeof rolloutStrategy>[0]) =>
        (rolloutStrategy(inputs).rollingUpdate as { maxSurge: number; maxUnavailable: number }).maxSurge;

    it("one replica on ReadWriteOnce: the old pod goes before the new one", () => {
        assert.deepEqual(rolloutStrategy({ spec: torchServeSpec(), maxReplicas: 1 }), {
            type: "RollingUpdate",
            rollingUpdate: { maxSurge: 0, maxUnavailable: 1 },
        });
    });

    it("ReadWriteMany on CPU: surges", () => {
        const s = torchServeSpec({ replicas: 2, storageAccessMode: "ReadWriteMany" });
        assert.deepEqual(rolloutStrategy({ spec: s, maxReplicas: 2 }), {
            type: "RollingUpdate",
            rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
        });
    });

    it("does not surge GPU pods unless the GPU pool has room for one more pod", () => {
        const s = gpuTorchServeSpec({ replicas: 2 });
        assert.equal(surge({ spec: s, maxReplicas: 2 }), 0, "capacity unknown");
        assert.equal(surge({ spec: s, maxReplicas: 2, gpuPodCapacity: 2 }), 0);
        assert.equal(surge({ spec: s, maxReplicas: 2, gpuPodCapacity: 3 }), 1);
    });

    it("counts both tracks' pods before letting either Deployment surge", () => {
        // 3 stable + 1 canary fill 4 pods: neither track may add a fifth.
        const s = gpuTorchServeSpec({
            replicas: 3,
            canary: { image: "pytorch/torchserve:0.12.1-gpu", weight: 10, replicas: 1 },
        });
        assert.equal(surge({ spec: s, maxReplicas: 3, gpuPodCapacity: 4 }), 0);
        assert.equal(surge({ spec: s, maxReplicas: 3, gpuPodCapacity: 5 }), 1);
    });
});

describe("Services and NetworkPolicy (pure)", () => {
    it("exposes the five ports on the Service, gRPC ones as appProtocol grpc, targeting named container ports", () => {
        const s = torchServeSpec();
        const container = { ports: containerPorts(s) };
        const ports = Object.fromEntries(servicePorts(s).map((p: any) => [p.name, p]));
        assert.deepEqual(Object.keys(ports).sort(), Object.values(portNames).sort());
        const expected: Record<string, [number, string]> = {
            [portNames.inference]: [8080, "http"],
            [portNames.management]: [8081, "http"],
            [portNames.metrics]: [8082, "http"],
            [portNames.grpcInference]: [7070, "grpc"],
            [portNames.grpcManagement]: [7071, "grpc"],
        };
        for (const [name, [port, proto]] of Object.entries(expected)) {
            assert.equal(ports[name].port, port, name);
            assert.equal(ports[name].appProtocol, proto, name);
            assert.equal(resolvePort(container, ports[name].targetPort), port, `${name} reaches the container port`);
        }
    });

    it("gives the public Service's load balancer a probe TorchServe answers (Azure: HTTP /ping, TCP for gRPC)", () => {
        const a = publicServiceAnnotations(moved);
        assert.deepEqual(a, {
            "service.beta.kubernetes.io/port_9080_health-probe_protocol": "http",
            "service.beta.kubernetes.io/port_9080_health-probe_request-path": "/ping",
            "service.beta.kubernetes.io/port_9070_health-probe_protocol": "tcp",
        });
        // The annotated ports are exactly the public Service's ports.
        const annotated = new Set(Object.keys(a).map((k) => Number(/port_(\d+)_/.exec(k)![1])));
        assert.deepEqual(
            [...annotated].sort(),
            publicServicePorts(moved)
                .map((p) => p.port)
                .sort(),
        );
    });

    it("publishes inference only (REST and gRPC) on the public Service", () => {
        assert.deepEqual(
            publicServicePorts(torchServeSpec()).map((p: any) => [p.name, p.port]),
            [
                [portNames.inference, 8080],
                [portNames.grpcInference, 7070],
            ],
        );
    });

    it("opens inference to all, management and metrics only to this and the given namespaces", () => {
        const np = networkPolicySpec(torchServeSpec(), ["ops"], ["monitoring"]) as any;
        assert.deepEqual(np.podSelector.matchLabels, { ...podLabels });
        assert.deepEqual(np.policyTypes, ["Ingress"]);
        const rule = (port: number) => {
            const rules = np.ingress.filter((r: any) => r.ports.some((p: any) => p.port === port));
            assert.equal(rules.length, 1, `one rule for port ${port}`);
            return rules[0];
        };
        const namespacesOf = (r: any) =>
            r.from.flatMap((p: any) => (p.namespaceSelector ? p.namespaceSelector.matchExpressions[0].values : []));
        const sameNamespace = (r: any) =>
            r.from.some((p: any) => p.podSelector && !p.namespaceSelector && Object.keys(p.podSelector).length === 0);
        assert.equal(rule(8080).from, undefined, "inference from anywhere");
        assert.equal(rule(7070).from, undefined, "gRPC inference from anywhere");
        for (const port of [8081, 7071]) {
            assert.ok(sameNamespace(rule(port)));
            assert.deepEqual(namespacesOf(rule(port)), ["ops"]);
        }
        assert.ok(sameNamespace(rule(8082)));
        assert.deepEqual(namespacesOf(rule(8082)), ["monitoring"]);
    });
});

describe("serving endpoints (pure)", () => {
    it("carry the spec's namespace and ports, and a canary only when the spec has one", () => {
        const e = servingEndpoints(moved);
        assert.equal(e.namespace, "serving");
        assert.deepEqual(e.ports, {
            inference: 9080,
            management: 9081,
            metrics: 9082,
            grpcInference: 9070,
            grpcManagement: 9071,
        });
        assert.deepEqual(e.stable, { deploymentName: stableDeploymentName, track: "stable" });
        assert.equal(e.canary, undefined);
        const canary = { image: "pytorch/torchserve:0.12.1-cpu", weight: 15, replicas: 1 };
        assert.deepEqual(servingEndpoints(torchServeSpec({ canary })).canary, {
            deploymentName: canaryDeploymentName,
            track: "canary",
            weight: 15,
        });
    });
});

// ---- Under Pulumi mocks --------------------------------------------------------------------

type ExtraArgs = Partial<Omit<TorchServeArgs, "spec">> & { withGpuPool?: boolean };

async function run(
    spec: TorchServeSpec,
    preview: boolean,
    extra: ExtraArgs = {},
    computed?: (a: any) => any,
): Promise<Evaluation> {
    return evaluate({ project: "torchserve-platform", stack: "test", config: {}, preview, computed }, async () => {
        const provider = new k8s.Provider("cluster", { kubeconfig: "apiVersion: v1\nkind: Config\n" });
        // Stand-ins for the cluster's readiness and the GPU pool the Deployment must wait for.
        const clusterReady = new k8s.core.v1.ConfigMap("cluster-ready", { metadata: { name: "ready" } }, { provider });
        const gpuPool = extra.withGpuPool
            ? [new k8s.core.v1.ConfigMap("gpu-pool", { metadata: { name: "gpu-pool" } }, { provider })]
            : undefined;
        const { withGpuPool: _w, ...rest } = extra;
        const ts = new TorchServe(
            "torchserve",
            { spec, gpuPlacement, ...rest },
            { provider, dependsOn: [clusterReady], gpuDependsOn: gpuPool },
        );
        return {
            namespace: ts.namespace,
            serviceName: ts.serviceName,
            deploymentName: ts.deploymentName,
            canaryDeploymentName: ts.canaryDeploymentName,
            inferenceUrl: ts.inferenceUrl,
            managementUrl: ts.managementUrl,
            metricsUrl: ts.metricsUrl,
            grpcUrl: ts.grpcUrl,
            endpoints: pulumi.output(ts.endpoints),
        };
    });
}

const deploymentOf = (e: Evaluation, name = stableDeploymentName) => one(e, "Deployment", name);
const containerOf = (d: RegisteredResource) =>
    d.inputs.spec.template.spec.containers.find((c: any) => c.name === "torchserve");
const urnOf = (e: Evaluation, name: string) => e.resources.find((r) => r.name === name)!.urn;
const ours = (r: RegisteredResource) => !["cluster-ready", "gpu-pool"].includes(r.name);

/** Everything on at once: two replicas, canary, LoadBalancer, the mesh, non-default ports and namespace. */
const rich = torchServeSpec({
    ...moved,
    replicas: 2,
    storageAccessMode: "ReadWriteMany",
    serviceType: "LoadBalancer",
    persistenceSize: "20Gi",
    canary: { image: "pytorch/torchserve:0.12.1-cpu", weight: 5, replicas: 2 },
});
const richArgs: ExtraArgs = {
    storageClassName: "efs-sc",
    meshInjection: true,
    managementNamespaces: ["ops"],
    metricsNamespaces: ["monitoring"],
    protectModelStore: true,
    modelStoreNeedsOwnership: true,
};

for (const preview of [true, false]) {
    describe(`TorchServe component (${preview ? "preview" : "update"})`, function () {
        this.timeout(20000);
        let e: Evaluation;
        let gpu: Evaluation;
        before(async () => {
            e = await run(rich, preview, richArgs);
            gpu = await run(gpuTorchServeSpec(), preview, { withGpuPool: true });
        });

        it("puts every object in the spec's namespace, labelled for sidecar injection when meshed", () => {
            for (const r of kubernetesObjects(e.resources).filter((r) => !r.type.endsWith(":Namespace") && ours(r)))
                assert.equal(r.inputs.metadata.namespace, "serving", `${r.type} ${r.name} namespace`);
            const ns = one(e, "Namespace", "serving");
            assert.equal(ns.inputs.metadata.labels["istio-injection"], "enabled");
            assert.equal(one(gpu, "Namespace", "torchserve").inputs.metadata.labels?.["istio-injection"], undefined);
        });

        it("leaves the ConfigMaps unnamed, so a config change is a new ConfigMap the pods roll onto", () => {
            const volumes = deploymentOf(e).inputs.spec.template.spec.volumes;
            for (const [resource, volume] of [
                ["torchserve-config", "config"],
                ["torchserve-model-fetch", "model-fetch"],
            ]) {
                const cm = one(e, configMapType, resource);
                assert.strictEqual(cm.inputs.metadata.name, undefined, `${resource} has a fixed name`);
                // The name pulumi-kubernetes gives it (harness/providerNames.ts), read by the pod template.
                assert.match(
                    volumes.find((v: any) => v.name === volume).configMap.name,
                    new RegExp(`^${resource}-[0-9a-f]{8}$`),
                );
            }
        });

        it("ships config.properties and the fetcher exactly as the builders make them", () => {
            const configData = one(e, configMapType, "torchserve-config").inputs.data;
            assert.equal(configData["config.properties"], configProperties(rich));
            assert.equal(configData["log4j2.xml"], log4j2Xml());
            const fetch = one(e, configMapType, "torchserve-model-fetch").inputs.data;
            assert.equal(fetch["models.json"], fetchModelsJson(rich));
            assert.equal(fetch["fetch_models.py"], fetchScript);
            const annotations = deploymentOf(e).inputs.spec.template.metadata.annotations;
            assert.equal(configData["ready.py"], readinessScript);
            assert.equal(configData["ready.json"], readinessJson(rich));
            assert.equal(configData["drain.py"], drainScript);
            assert.equal(configData["drain.json"], drainJson(rich));
            assert.equal(
                annotations[configChecksumAnnotation],
                checksum(
                    configProperties(rich) +
                        log4j2Xml() +
                        readinessScript +
                        readinessJson(rich) +
                        drainScript +
                        drainJson(rich),
                ),
            );
        });

        it("builds the pods with the mesh and store options it was given", () => {
            const init = deploymentOf(e).inputs.spec.template.spec.initContainers;
            assert.deepEqual(
                init.map((c: any) => c.name),
                ["prepare-model-store", "fetch-models"],
            );
            // In the mesh too the fetcher keeps the pod's uid (1000): uid 1337 would bypass the sidecar.
            assert.equal(init[1].securityContext.runAsUser, undefined);
            // The pods name their sidecar, so turning the mesh on or off rolls them (injection happens
            // only at pod creation; the day-2 row istio-on).
            assert.equal(deploymentOf(e).inputs.spec.template.metadata.labels["sidecar.istio.io/inject"], "true");
            assert.equal(deploymentOf(gpu).inputs.spec.template.metadata.labels["sidecar.istio.io/inject"], undefined);
            const plain = deploymentOf(gpu).inputs.spec.template.spec.initContainers;
            assert.deepEqual(
                plain.map((c: any) => [c.name, c.securityContext.runAsUser]),
                [["fetch-models", undefined]],
            );
        });

        it("claims the model store with the spec's access mode and size, the cluster's class, protected", () => {
            const pvc = one(e, "PersistentVolumeClaim");
            assert.deepEqual(pvc.inputs.spec.accessModes, ["ReadWriteMany"]);
            assert.equal(pvc.inputs.spec.resources.requests.storage, "20Gi");
            assert.equal(pvc.inputs.spec.storageClassName, "efs-sc");
            assert.equal(pvc.options.protect, true);
            assert.equal(
                pvc.inputs.metadata.annotations["pulumi.com/skipAwait"],
                "true",
                "no deadlock on WaitForFirstConsumer classes",
            );
            for (const d of [deploymentOf(e), deploymentOf(e, canaryDeploymentName)]) {
                const vol = d.inputs.spec.template.spec.volumes.find((v: any) => v.name === "model-store");
                assert.equal(vol.persistentVolumeClaim.claimName, pvc.inputs.metadata.name);
            }
        });

        it("rolls out as rolloutStrategy decides and guards two replicas with a PDB", () => {
            const spec = deploymentOf(e).inputs.spec;
            assert.equal(spec.replicas, 2);
            assert.deepEqual(spec.strategy, rolloutStrategy({ spec: rich, maxReplicas: 2 }));
            const pdb = one(e, "PodDisruptionBudget");
            assert.equal(pdb.inputs.spec.maxUnavailable, 1);
            assert.deepEqual(pdb.inputs.spec.selector.matchLabels, spec.selector.matchLabels);
            assert.equal(all(gpu, "PodDisruptionBudget").length, 0, "no PDB for one replica");
        });

        it("adds a canary Deployment with its own image and replicas; the Service selects both tracks", () => {
            const stable = deploymentOf(e);
            const canary = deploymentOf(e, canaryDeploymentName);
            assert.equal(containerOf(stable).image, rich.image);
            assert.equal(containerOf(canary).image, "pytorch/torchserve:0.12.1-cpu");
            assert.equal(canary.inputs.spec.template.spec.initContainers[0].image, "pytorch/torchserve:0.12.1-cpu");
            assert.equal(canary.inputs.spec.replicas, 2);
            assert.equal(stable.inputs.spec.template.metadata.labels[trackLabel], "stable");
            assert.equal(canary.inputs.spec.template.metadata.labels[trackLabel], "canary");
            assert.equal(stable.inputs.spec.selector.matchLabels[trackLabel], "stable");
            assert.equal(canary.inputs.spec.selector.matchLabels[trackLabel], "canary");
            assert.deepEqual(containerOf(canary).command, containerOf(stable).command);
            assert.deepEqual(containerOf(canary).ports, containerOf(stable).ports);
            assert.deepEqual(canary.inputs.spec.template.spec.volumes, stable.inputs.spec.template.spec.volumes);
            const selector = one(e, "Service", serviceName).inputs.spec.selector;
            assert.deepEqual(selector, { ...podLabels });
            for (const d of [stable, canary]) {
                const labels = d.inputs.spec.template.metadata.labels;
                assert.ok(
                    Object.entries(selector).every(([k, v]) => labels[k] === v),
                    "the Service selects every track",
                );
            }
            assert.equal(all(gpu, "Deployment").length, 1);
        });

        it("keeps every port on the in-cluster Service and publishes inference only", () => {
            const svc = one(e, "Service", serviceName);
            assert.equal(svc.inputs.spec.type, "ClusterIP");
            assert.deepEqual(svc.inputs.spec.ports, servicePorts(rich));
            const pub = one(e, "Service", publicServiceName);
            assert.equal(pub.inputs.spec.type, "LoadBalancer");
            assert.deepEqual(pub.inputs.spec.ports, publicServicePorts(rich));
            assert.deepEqual(pub.inputs.spec.selector, { ...podLabels });
            assert.deepEqual(pub.inputs.metadata.annotations, publicServiceAnnotations(rich));
            assert.deepEqual(one(e, "NetworkPolicy").inputs.spec, networkPolicySpec(rich, ["ops"], ["monitoring"]));
            assert.equal(all(gpu, "Service").length, 1, "no public Service for ClusterIP");
        });

        it("makes every Deployment wait for the cluster, and a GPU Deployment for the GPU pool", () => {
            const ready = urnOf(e, "cluster-ready");
            for (const d of [deploymentOf(e), deploymentOf(e, canaryDeploymentName)])
                assert.ok(d.dependencies.includes(ready), `${d.name} waits for the cluster`);
            assert.ok(one(e, "PersistentVolumeClaim").dependencies.includes(ready), "the claim waits for the cluster");
            assert.ok(
                !one(e, configMapType, "torchserve-config").dependencies.includes(ready),
                "config goes in right away",
            );
            assert.ok(deploymentOf(gpu).dependencies.includes(urnOf(gpu, "gpu-pool")));
            const component = e.resources.find((r) => r.type === "torchserve-platform:index:TorchServe")!;
            assert.ok(component && !component.custom);
            assert.deepEqual(component.dependencies, [], "the component passes dependsOn to its children");
        });

        it("outputs names and URLs, and endpoints that name what it registered", () => {
            assert.equal(e.outputs.namespace, "serving");
            assert.equal(e.outputs.serviceName, serviceName);
            assert.equal(e.outputs.deploymentName, stableDeploymentName);
            assert.equal(e.outputs.canaryDeploymentName, canaryDeploymentName);
            assert.equal(e.outputs.managementUrl, "http://torchserve.serving.svc.cluster.local:9081");
            assert.equal(e.outputs.metricsUrl, "http://torchserve.serving.svc.cluster.local:9082/metrics");
            assert.equal(gpu.outputs.inferenceUrl, "http://torchserve.torchserve.svc.cluster.local:8080");
            assert.equal(gpu.outputs.grpcUrl, "torchserve.torchserve.svc.cluster.local:7070");

            const endpoints = e.outputs.endpoints;
            assert.deepEqual(endpoints, servingEndpoints(rich));
            const svc = one(e, "Service", endpoints.serviceName);
            assert.equal(svc.inputs.metadata.namespace, endpoints.namespace);
            assert.deepEqual(svc.inputs.spec.selector, endpoints.podLabels);
            const byName = Object.fromEntries(svc.inputs.spec.ports.map((p: any) => [p.name, p.port]));
            for (const key of Object.keys(endpoints.ports) as (keyof typeof endpoints.ports)[])
                assert.equal(byName[endpoints.portNames[key]], endpoints.ports[key], key);
            for (const track of [endpoints.stable, endpoints.canary!]) {
                const d = deploymentOf(e, track.deploymentName);
                assert.equal(d.inputs.spec.template.metadata.labels[endpoints.trackLabel], track.track);
            }
        });

        it("every Kubernetes object passes its upstream schema and uses the given provider", async () => {
            for (const ev of [e, gpu]) {
                const provider = ev.resources.find(
                    (r) => r.type === "pulumi:providers:kubernetes" && r.name === "cluster",
                )!;
                const objects = kubernetesObjects(ev.resources).filter(ours);
                const kinds = new Set(objects.map((r) => r.type));
                for (const kind of [
                    "Namespace",
                    "ConfigMap",
                    "PersistentVolumeClaim",
                    "Deployment",
                    "Service",
                    "NetworkPolicy",
                ]) {
                    assert.ok(
                        [...kinds].some((t) => t.endsWith(`:${kind}`)),
                        `registers a ${kind}`,
                    );
                }
                for (const r of objects) {
                    await validateKubernetesObject(r);
                    assert.ok(
                        r.provider.startsWith(provider.urn + "::"),
                        `${r.type} ${r.name} uses the given provider, not ${r.provider}`,
                    );
                }
            }
        });
    });
}

describe("TorchServe component variants (update)", function () {
    this.timeout(20000);

    it("lets the spec's storageClass win over the cluster's, and names none when neither is set", async () => {
        const own = await run(torchServeSpec({ storageClass: "premium-rwx" }), false, { storageClassName: "efs-sc" });
        assert.equal(one(own, "PersistentVolumeClaim").inputs.spec.storageClassName, "premium-rwx");
        const none = await run(torchServeSpec(), false);
        assert.equal(one(none, "PersistentVolumeClaim").inputs.spec.storageClassName, undefined);
        assert.equal(one(none, "PersistentVolumeClaim").options.protect, undefined);
    });

    it("leaves replicas to the autoscaler when one owns them, with a PDB for its maximum", async () => {
        const e = await run(torchServeSpec({ storageAccessMode: "ReadWriteMany" }), false, {
            autoscaling: { minReplicas: 1, maxReplicas: 4 },
        });
        assert.equal(deploymentOf(e).inputs.spec.replicas, undefined);
        assert.equal(all(e, "PodDisruptionBudget").length, 1);
        const s = torchServeSpec({ storageAccessMode: "ReadWriteMany" });
        assert.deepEqual(deploymentOf(e).inputs.spec.strategy, rolloutStrategy({ spec: s, maxReplicas: 4 }));
    });

    it("lets GPU pods surge only with the pool's capacity it was given", async () => {
        const s = gpuTorchServeSpec({ replicas: 2 });
        const room = await run(s, false, { gpuPodCapacity: 3 });
        assert.equal(deploymentOf(room).inputs.spec.strategy.rollingUpdate.maxSurge, 1);
        const unknown = await run(s, false);
        assert.equal(deploymentOf(unknown).inputs.spec.strategy.rollingUpdate.maxSurge, 0);
    });

    it("makes a CPU Deployment not wait for the GPU pool", async () => {
        const e = await run(torchServeSpec(), false, { withGpuPool: true });
        assert.ok(!deploymentOf(e).dependencies.includes(urnOf(e, "gpu-pool")));
    });

    const lb = torchServeSpec({ serviceType: "LoadBalancer" });
    const status = (ingress: object) => (a: any) =>
        a.type === "kubernetes:core/v1:Service" ? { status: { loadBalancer: { ingress: [ingress] } } } : undefined;

    it("uses the load balancer hostname for inference and gRPC, cluster DNS for management and metrics", async () => {
        const e = await run(lb, false, {}, status({ hostname: "abc.elb.us-west-2.amazonaws.com" }));
        assert.equal(e.outputs.inferenceUrl, "http://abc.elb.us-west-2.amazonaws.com:8080");
        assert.equal(e.outputs.grpcUrl, "abc.elb.us-west-2.amazonaws.com:7070");
        assert.equal(e.outputs.managementUrl, "http://torchserve.torchserve.svc.cluster.local:8081");
        assert.equal(e.outputs.metricsUrl, "http://torchserve.torchserve.svc.cluster.local:8082/metrics");
    });

    it("uses the load balancer IP when there is no hostname, and cluster DNS while none is assigned", async () => {
        const ip = await run(lb, false, {}, status({ ip: "203.0.113.7" }));
        assert.equal(ip.outputs.inferenceUrl, "http://203.0.113.7:8080");
        const pending = await run(lb, false);
        assert.equal(pending.outputs.inferenceUrl, "http://torchserve-public.torchserve.svc.cluster.local:8080");
    });

    it("publishes a NodePort Service for NodePort, inference ports only", async () => {
        const e = await run(torchServeSpec({ serviceType: "NodePort" }), false);
        const pub = one(e, "Service", publicServiceName);
        assert.equal(pub.inputs.spec.type, "NodePort");
        assert.deepEqual(
            pub.inputs.spec.ports.map((p: any) => p.name).sort(),
            [portNames.grpcInference, portNames.inference].sort(),
        );
    });
});
