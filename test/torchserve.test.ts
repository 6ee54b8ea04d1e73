// The TorchServe component under Pulumi mocks (preview and update): what it registers is what a
// cluster would run, so the assertions read the recorded Kubernetes objects.
import { strict as assert } from "assert";
import * as k8s from "@pulumi/kubernetes";
import { Placement } from "../components/cluster/target";
import { configFilePath, configProperties } from "../components/torchserve/config";
import {
    canaryDeploymentName,
    podLabels,
    portNames,
    publicServiceName,
    serviceName,
    stableDeploymentName,
    trackLabel,
} from "../components/torchserve/conventions";
import { fetchMountDir } from "../components/torchserve/workload";
import { TorchServe, TorchServeArgs } from "../components/torchserve/torchserve";
import { Settings } from "../stacks/config/settings";
import { evaluate, Evaluation, RegisteredResource } from "../harness/evaluate";
import { all, one } from "./support/match";
import { parseProperties } from "./support/properties";
import { kubernetesObjects, validateKubernetesObject } from "./support/schema";
import { gpuSettings, testSettings } from "./support/settings";

const gpuPlacement: Placement = {
    nodeSelector: { "torchserve.pytorch.org/pool": "gpu" },
    tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
};

type ExtraArgs = Partial<Omit<TorchServeArgs, "provider" | "settings">> & { withGpuPool?: boolean };

async function run(
    settings: Settings,
    preview: boolean,
    extra: ExtraArgs = {},
    computed?: (a: any) => any,
): Promise<Evaluation> {
    return evaluate({ project: "torchserve-platform", stack: "test", config: {}, preview, computed }, async () => {
        const provider = new k8s.Provider("cluster", { kubeconfig: "apiVersion: v1\nkind: Config\n" });
        // Stand-in for the GPU pool / device plugin the Deployment must wait for.
        const gpuPool = extra.withGpuPool
            ? [new k8s.core.v1.ConfigMap("gpu-pool", { metadata: { name: "gpu-pool" } }, { provider })]
            : undefined;
        const { withGpuPool: _w, ...rest } = extra;
        const ts = new TorchServe("torchserve", {
            provider,
            settings: settings.torchserve,
            gpuPlacement,
            gpuReady: gpuPool,
            ...rest,
        });
        return {
            namespace: ts.namespace,
            serviceName: ts.serviceName,
            deploymentName: ts.deploymentName,
            canaryDeploymentName: ts.canaryDeploymentName,
            inferenceUrl: ts.inferenceUrl,
            managementUrl: ts.managementUrl,
            metricsUrl: ts.metricsUrl,
            grpcUrl: ts.grpcUrl,
        };
    });
}

const deploymentOf = (e: Evaluation, name = stableDeploymentName) => one(e, "Deployment", name);
const containerOf = (d: RegisteredResource) =>
    d.inputs.spec.template.spec.containers.find((c: any) => c.name === "torchserve");
const podConfig = (e: Evaluation) =>
    parseProperties(one(e, "ConfigMap", "torchserve-config").inputs.data["config.properties"]);

/** The containerPort a probe or targetPort refers to, by name or number. */
function resolvePort(container: any, port: string | number): number {
    if (typeof port === "number") return port;
    const p = container.ports.find((x: any) => x.name === port);
    assert.ok(p, `no container port named ${port}`);
    return p.containerPort;
}

for (const preview of [true, false]) {
    describe(`TorchServe component (${preview ? "preview" : "update"})`, function () {
        this.timeout(20000);

        it("generates config.properties from the settings: addresses, gRPC on 0.0.0.0, metrics, store, models", async () => {
            const e = await run(testSettings(), preview);
            const c = podConfig(e);
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
                    },
                },
            });
            assert.equal(c.job_queue_size, "100");
            assert.ok(Number(c.max_request_size) > 6553500 && Number(c.max_response_size) > 6553500);
        });

        it("turns token auth off and the model API off by default", async () => {
            const e = await run(testSettings(), preview);
            const c = podConfig(e);
            assert.equal(c.disable_token_authorization, "true");
            assert.equal(c.enable_model_api, "false");
            const cmd: string[] = containerOf(deploymentOf(e)).command;
            assert.ok(cmd.includes("--disable-token-auth"));
            assert.ok(!cmd.includes("--enable-model-api"));
        });

        it("follows non-default ports, namespace, store path, model API and models everywhere", async () => {
            const s = testSettings({
                torchserve: {
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
                            sha256: "a".repeat(64),
                            version: "2.0",
                            minWorkers: 2,
                            maxWorkers: 4,
                            batchSize: 8,
                            maxBatchDelay: 50,
                            responseTimeout: 300,
                        },
                        {
                            name: "resnet-18",
                            url: "https://example.com/r.mar",
                            version: "1.0",
                            minWorkers: 1,
                            maxWorkers: 1,
                            batchSize: 1,
                            maxBatchDelay: 100,
                            responseTimeout: 120,
                        },
                    ],
                },
            });
            const e = await run(s, preview);
            const c = podConfig(e);
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
            });
            assert.equal(models["resnet-18"]["1.0"].marName, "resnet-18.mar");

            for (const r of kubernetesObjects(e.resources).filter(
                (r) => !r.type.endsWith(":Namespace") && r.inputs.metadata?.name !== "gpu-pool",
            )) {
                assert.equal(r.inputs.metadata.namespace, "serving", `${r.type} ${r.name} namespace`);
            }
            assert.equal(one(e, "Namespace").inputs.metadata.name, "serving");

            // Pod: the store volume is mounted where config.properties says, and the fetcher gets the models.
            const d = deploymentOf(e);
            const container = containerOf(d);
            const store = container.volumeMounts.find((m: any) => m.name === "model-store");
            assert.equal(store.mountPath, "/mnt/models");
            assert.ok(c.model_store.startsWith(store.mountPath + "/"));
            const init = d.inputs.spec.template.spec.initContainers[0];
            assert.equal(init.image, s.torchserve.image, "the fetcher reuses the pinned TorchServe image");
            assert.deepEqual(init.command, [
                "python3",
                `${fetchMountDir}/fetch_models.py`,
                `${fetchMountDir}/models.json`,
                c.model_store,
            ]);
            assert.equal(init.volumeMounts.find((m: any) => m.name === "model-store").mountPath, "/mnt/models");
            const fetch = one(e, "ConfigMap", "torchserve-model-fetch").inputs.data;
            assert.deepEqual(JSON.parse(fetch["models.json"]), [
                { name: "bert", url: "https://example.com/bert.mar", sha256: "a".repeat(64) },
                { name: "resnet-18", url: "https://example.com/r.mar" },
            ]);
            assert.match(fetch["fetch_models.py"], /^#!\/usr\/bin\/env python3/);

            // Probes, Service and NetworkPolicy follow the ports.
            assert.equal(resolvePort(container, container.readinessProbe.httpGet.port), 9080);
            const svcPorts = one(e, "Service", serviceName)
                .inputs.spec.ports.map((p: any) => p.port)
                .sort();
            assert.deepEqual(svcPorts, [9070, 9071, 9080, 9081, 9082]);
            assert.equal(e.outputs.inferenceUrl, "http://torchserve.serving.svc.cluster.local:9080");
            assert.equal(e.outputs.managementUrl, "http://torchserve.serving.svc.cluster.local:9081");
            assert.equal(e.outputs.metricsUrl, "http://torchserve.serving.svc.cluster.local:9082/metrics");
            assert.equal(e.outputs.grpcUrl, "torchserve.serving.svc.cluster.local:9070");
        });

        it("runs torchserve in the foreground with the mounted config, store and token auth off", async () => {
            const e = await run(testSettings(), preview);
            const d = deploymentOf(e);
            const container = containerOf(d);
            const cmd: string[] = container.command;
            assert.deepEqual(cmd.slice(0, 3), ["torchserve", "--start", "--foreground"]);
            assert.equal(cmd[cmd.indexOf("--model-store") + 1], podConfig(e).model_store);
            const tsConfig = cmd[cmd.indexOf("--ts-config") + 1];
            assert.equal(tsConfig, configFilePath);
            const mount = container.volumeMounts.find((m: any) => m.name === "config");
            const volume = d.inputs.spec.template.spec.volumes.find((v: any) => v.name === "config");
            assert.equal(`${mount.mountPath}/config.properties`, tsConfig);
            assert.equal(volume.configMap.name, "torchserve-config");
            assert.equal(container.image, "pytorch/torchserve:0.12.0-cpu");
        });

        it("probes GET /ping on the inference container port, with a generous startup budget", async () => {
            const e = await run(testSettings(), preview);
            const container = containerOf(deploymentOf(e));
            const inferencePort = Number(podConfig(e).inference_address.split(":").pop());
            for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
                const get = container[probe].httpGet;
                assert.equal(get.path, "/ping", probe);
                assert.equal(resolvePort(container, get.port), inferencePort, probe);
            }
            const startup = container.startupProbe;
            assert.ok(startup.periodSeconds * startup.failureThreshold >= 600, "at least 10 minutes to load models");
        });

        it("runs as the image's non-root user with no privileges", async () => {
            const e = await run(testSettings(), preview);
            const pod = deploymentOf(e).inputs.spec.template.spec;
            assert.deepEqual(
                {
                    u: pod.securityContext.runAsUser,
                    g: pod.securityContext.runAsGroup,
                    f: pod.securityContext.fsGroup,
                    nr: pod.securityContext.runAsNonRoot,
                },
                { u: 1000, g: 1000, f: 1000, nr: true },
            );
            assert.equal(pod.securityContext.seccompProfile.type, "RuntimeDefault");
            for (const c of [...pod.containers, ...pod.initContainers]) {
                assert.equal(c.securityContext.allowPrivilegeEscalation, false, c.name);
                assert.deepEqual(c.securityContext.capabilities.drop, ["ALL"], c.name);
            }
        });

        it("drains before stopping and spreads pods across nodes and zones without blocking scheduling", async () => {
            const e = await run(testSettings(), preview);
            const pod = deploymentOf(e).inputs.spec.template.spec;
            const preStop = containerOf(deploymentOf(e)).lifecycle.preStop.exec.command.join(" ");
            const sleep = Number(/sleep (\d+)/.exec(preStop)![1]);
            assert.ok(sleep >= 5 && pod.terminationGracePeriodSeconds > sleep);
            assert.deepEqual(
                pod.topologySpreadConstraints.map((t: any) => [t.topologyKey, t.whenUnsatisfiable]),
                [
                    ["kubernetes.io/hostname", "ScheduleAnyway"],
                    ["topology.kubernetes.io/zone", "ScheduleAnyway"],
                ],
            );
        });

        it("requests no GPU and sets no GPU placement when nGpu is 0", async () => {
            const e = await run(testSettings(), preview, { withGpuPool: true });
            const d = deploymentOf(e);
            const res = containerOf(d).resources;
            assert.deepEqual(res.requests, { cpu: "1", memory: "1Gi" });
            assert.deepEqual(res.limits, { cpu: "1", memory: "4Gi" });
            assert.equal(d.inputs.spec.template.spec.tolerations, undefined);
            assert.equal(d.inputs.spec.template.spec.nodeSelector, undefined);
            const gpuPool = e.resources.find((r) => r.name === "gpu-pool")!;
            assert.ok(!d.dependencies.includes(gpuPool.urn), "a CPU Deployment does not wait for the GPU pool");
        });

        it("requests nGpu GPUs, goes to the GPU pool and waits for it when nGpu > 0", async () => {
            const e = await run(gpuSettings({ torchserve: { nGpu: 2, nCpu: 3.5 } }), preview, { withGpuPool: true });
            const d = deploymentOf(e);
            const res = containerOf(d).resources;
            assert.equal(res.limits["nvidia.com/gpu"], "2");
            assert.equal(res.requests["nvidia.com/gpu"], "2");
            assert.equal(res.requests.cpu, "3500m");
            const pod = d.inputs.spec.template.spec;
            assert.deepEqual(pod.nodeSelector, gpuPlacement.nodeSelector);
            assert.deepEqual(pod.tolerations, gpuPlacement.tolerations);
            assert.equal(podConfig(e).number_of_gpu, "2");
            const gpuPool = e.resources.find((r) => r.name === "gpu-pool")!;
            assert.ok(d.dependencies.includes(gpuPool.urn), "the GPU Deployment waits for the GPU pool");
        });

        it("claims the model store with the configured access mode, size and class", async () => {
            const e = await run(testSettings({ torchserve: { persistenceSize: "20Gi" } }), preview, {
                storageClassName: "efs-sc",
            });
            const pvc = one(e, "PersistentVolumeClaim");
            assert.deepEqual(pvc.inputs.spec.accessModes, ["ReadWriteOnce"]);
            assert.equal(pvc.inputs.spec.resources.requests.storage, "20Gi");
            assert.equal(pvc.inputs.spec.storageClassName, "efs-sc");
            assert.equal(
                pvc.inputs.metadata.annotations["pulumi.com/skipAwait"],
                "true",
                "no deadlock on WaitForFirstConsumer classes",
            );
            const vol = deploymentOf(e).inputs.spec.template.spec.volumes.find((v: any) => v.name === "model-store");
            assert.equal(vol.persistentVolumeClaim.claimName, pvc.inputs.metadata.name);

            const own = await run(
                testSettings({ torchserve: { storageClass: "premium-rwx", storageAccessMode: "ReadWriteMany" } }),
                preview,
                { storageClassName: "efs-sc" },
            );
            assert.equal(
                one(own, "PersistentVolumeClaim").inputs.spec.storageClassName,
                "premium-rwx",
                "the stack's storageClass wins",
            );
            assert.deepEqual(one(own, "PersistentVolumeClaim").inputs.spec.accessModes, ["ReadWriteMany"]);
            const none = await run(testSettings(), preview);
            assert.equal(
                one(none, "PersistentVolumeClaim").inputs.spec.storageClassName,
                undefined,
                "no class = the cluster default",
            );
        });

        it("with one replica on ReadWriteOnce: no PDB, and the old pod goes before the new one", async () => {
            const e = await run(testSettings(), preview);
            assert.equal(all(e, "PodDisruptionBudget").length, 0);
            const spec = deploymentOf(e).inputs.spec;
            assert.equal(spec.replicas, 1);
            assert.deepEqual(spec.strategy, {
                type: "RollingUpdate",
                rollingUpdate: { maxSurge: 0, maxUnavailable: 1 },
            });
        });

        it("with 2 replicas on ReadWriteMany: a PDB and a surging rolling update", async () => {
            const e = await run(
                testSettings({ torchserve: { replicas: 2, storageAccessMode: "ReadWriteMany" } }),
                preview,
            );
            assert.deepEqual(one(e, "PersistentVolumeClaim").inputs.spec.accessModes, ["ReadWriteMany"]);
            const spec = deploymentOf(e).inputs.spec;
            assert.equal(spec.replicas, 2);
            assert.deepEqual(spec.strategy, {
                type: "RollingUpdate",
                rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
            });
            const pdb = one(e, "PodDisruptionBudget");
            assert.equal(pdb.inputs.spec.maxUnavailable, 1);
            assert.deepEqual(pdb.inputs.spec.selector.matchLabels, spec.selector.matchLabels);
        });

        it("does not surge GPU pods unless the GPU pool has room for one more pod", async () => {
            const s = gpuSettings({ torchserve: { replicas: 2 } });
            const unknown = await run(s, preview);
            assert.equal(deploymentOf(unknown).inputs.spec.strategy.rollingUpdate.maxSurge, 0);
            const full = await run(s, preview, { gpuPodCapacity: 2 });
            assert.equal(deploymentOf(full).inputs.spec.strategy.rollingUpdate.maxSurge, 0);
            const room = await run(s, preview, { gpuPodCapacity: 3 });
            assert.deepEqual(deploymentOf(room).inputs.spec.strategy.rollingUpdate, { maxSurge: 1, maxUnavailable: 0 });
        });

        it("counts both tracks' pods before letting either Deployment surge", async () => {
            // 3 stable + 1 canary fill 4 pods: neither track may add a fifth.
            const s = gpuSettings({
                torchserve: {
                    replicas: 3,
                    canary: { image: "pytorch/torchserve:0.12.1-gpu", weight: 10, replicas: 1 },
                },
            });
            const full = await run(s, preview, { gpuPodCapacity: 4 });
            assert.equal(deploymentOf(full).inputs.spec.strategy.rollingUpdate.maxSurge, 0);
            assert.equal(deploymentOf(full, canaryDeploymentName).inputs.spec.strategy.rollingUpdate.maxSurge, 0);
            const room = await run(s, preview, { gpuPodCapacity: 5 });
            assert.equal(deploymentOf(room, canaryDeploymentName).inputs.spec.strategy.rollingUpdate.maxSurge, 1);
        });

        it("leaves replicas to the autoscaler when one owns them", async () => {
            const e = await run(testSettings({ torchserve: { storageAccessMode: "ReadWriteMany" } }), preview, {
                autoscaling: { minReplicas: 1, maxReplicas: 4 },
            });
            assert.equal(deploymentOf(e).inputs.spec.replicas, undefined);
            assert.equal(all(e, "PodDisruptionBudget").length, 1);
        });

        it("adds a canary Deployment with its own image and replicas; the Service selects both tracks", async () => {
            const s = testSettings({
                torchserve: {
                    storageAccessMode: "ReadWriteMany",
                    canary: { image: "pytorch/torchserve:0.12.1-cpu", weight: 10, replicas: 2 },
                },
            });
            const e = await run(s, preview);
            const stable = deploymentOf(e);
            const canary = deploymentOf(e, canaryDeploymentName);
            assert.equal(containerOf(stable).image, "pytorch/torchserve:0.12.0-cpu");
            assert.equal(containerOf(canary).image, "pytorch/torchserve:0.12.1-cpu");
            assert.equal(canary.inputs.spec.template.spec.initContainers[0].image, "pytorch/torchserve:0.12.1-cpu");
            assert.equal(canary.inputs.spec.replicas, 2);
            assert.equal(stable.inputs.spec.template.metadata.labels[trackLabel], "stable");
            assert.equal(canary.inputs.spec.template.metadata.labels[trackLabel], "canary");
            assert.equal(stable.inputs.spec.selector.matchLabels[trackLabel], "stable");
            assert.equal(canary.inputs.spec.selector.matchLabels[trackLabel], "canary");
            // Same config, same store, same ports.
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
            assert.equal(e.outputs.canaryDeploymentName, canaryDeploymentName);

            const without = await run(testSettings(), preview);
            assert.equal(all(without, "Deployment").length, 1);
        });

        it("rolls the pods when config.properties changes (checksum annotation)", async () => {
            const a = await run(testSettings(), preview);
            const b = await run(testSettings({ torchserve: { jobQueueSize: 200 } }), preview);
            const ann = (e: Evaluation) =>
                deploymentOf(e).inputs.spec.template.metadata.annotations["torchserve.pytorch.org/config-checksum"];
            assert.match(ann(a), /^[0-9a-f]{64}$/);
            assert.notEqual(ann(a), ann(b));
            assert.equal(
                ann(await run(testSettings(), preview)),
                ann(a),
                "same settings, same checksum (no needless rollouts)",
            );
        });

        it("exposes the five ports on the Service, gRPC ones as appProtocol grpc, targeting named container ports", async () => {
            const e = await run(testSettings(), preview);
            const svc = one(e, "Service", serviceName);
            assert.equal(svc.inputs.spec.type, "ClusterIP");
            const container = containerOf(deploymentOf(e));
            const ports = Object.fromEntries(svc.inputs.spec.ports.map((p: any) => [p.name, p]));
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
                assert.equal(
                    resolvePort(container, ports[name].targetPort),
                    port,
                    `${name} reaches the container port`,
                );
            }
        });

        it("opens inference to all, management and metrics only to this and the given namespaces", async () => {
            const e = await run(testSettings(), preview, {
                managementNamespaces: ["ops"],
                metricsNamespaces: ["monitoring"],
            });
            const np = one(e, "NetworkPolicy").inputs.spec;
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
                r.from.some(
                    (p: any) => p.podSelector && !p.namespaceSelector && Object.keys(p.podSelector).length === 0,
                );
            assert.equal(rule(8080).from, undefined, "inference from anywhere");
            assert.equal(rule(7070).from, undefined, "gRPC inference from anywhere");
            for (const port of [8081, 7071]) {
                assert.ok(sameNamespace(rule(port)));
                assert.deepEqual(namespacesOf(rule(port)), ["ops"]);
            }
            assert.ok(sameNamespace(rule(8082)));
            assert.deepEqual(namespacesOf(rule(8082)), ["monitoring"]);
        });

        it("labels the namespace for Istio injection only when asked, and lets the fetcher bypass the sidecar", async () => {
            const on = await run(testSettings(), preview, { meshInjection: true });
            assert.equal(one(on, "Namespace").inputs.metadata.labels["istio-injection"], "enabled");
            const meshed = deploymentOf(on).inputs.spec.template.spec;
            assert.equal(
                meshed.initContainers[0].securityContext.runAsUser,
                1337,
                "Istio never captures uid 1337's traffic",
            );
            assert.equal(
                containerOf(deploymentOf(on)).securityContext.runAsUser,
                undefined,
                "the server keeps the pod's uid 1000",
            );
            const off = await run(testSettings(), preview);
            assert.equal(one(off, "Namespace").inputs.metadata.labels?.["istio-injection"], undefined);
            assert.equal(
                deploymentOf(off).inputs.spec.template.spec.initContainers[0].securityContext.runAsUser,
                undefined,
            );
        });

        it("omits load_models and models when there are no models", async () => {
            const e = await run(testSettings({ torchserve: { models: [] } }), preview);
            const c = podConfig(e);
            assert.equal(c.load_models, undefined);
            assert.equal(c.models, undefined);
            assert.deepEqual(JSON.parse(one(e, "ConfigMap", "torchserve-model-fetch").inputs.data["models.json"]), []);
        });

        it("outputs names and cluster-DNS URLs", async () => {
            const e = await run(testSettings(), preview);
            assert.equal(e.outputs.namespace, "torchserve");
            assert.equal(e.outputs.serviceName, serviceName);
            assert.equal(e.outputs.deploymentName, stableDeploymentName);
            assert.equal(e.outputs.inferenceUrl, "http://torchserve.torchserve.svc.cluster.local:8080");
            assert.equal(e.outputs.grpcUrl, "torchserve.torchserve.svc.cluster.local:7070");
            const component = e.resources.find((r) => r.type === "torchserve-platform:index:TorchServe");
            assert.ok(component && !component.custom);
        });

        it("every Kubernetes object passes its upstream schema and uses the given provider", async () => {
            const settings = [
                testSettings({
                    torchserve: {
                        replicas: 2,
                        storageAccessMode: "ReadWriteMany",
                        serviceType: "LoadBalancer",
                        canary: { image: "pytorch/torchserve:0.12.1-cpu", weight: 5, replicas: 1 },
                    },
                }),
                gpuSettings(),
            ];
            for (const s of settings) {
                const e = await run(s, preview, { meshInjection: true, metricsNamespaces: ["monitoring"] });
                const provider = e.resources.find(
                    (r) => r.type === "pulumi:providers:kubernetes" && r.name === "cluster",
                )!;
                const objects = kubernetesObjects(e.resources);
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

describe("TorchServe LoadBalancer URLs (update)", function () {
    this.timeout(20000);
    const lb = testSettings({ torchserve: { serviceType: "LoadBalancer" } });

    it("uses the load balancer hostname for inference and gRPC, cluster DNS for management and metrics", async () => {
        const e = await run(lb, false, {}, (a) =>
            a.type === "kubernetes:core/v1:Service"
                ? { status: { loadBalancer: { ingress: [{ hostname: "abc.elb.us-west-2.amazonaws.com" }] } } }
                : undefined,
        );
        // The load balancer publishes inference only; every port stays on the in-cluster Service.
        const pub = one(e, "Service", publicServiceName);
        assert.equal(pub.inputs.spec.type, "LoadBalancer");
        assert.deepEqual(pub.inputs.spec.ports.map((p: any) => p.port).sort(), [7070, 8080]);
        assert.equal(one(e, "Service", serviceName).inputs.spec.type, "ClusterIP");
        assert.equal(e.outputs.inferenceUrl, "http://abc.elb.us-west-2.amazonaws.com:8080");
        assert.equal(e.outputs.grpcUrl, "abc.elb.us-west-2.amazonaws.com:7070");
        assert.equal(e.outputs.managementUrl, "http://torchserve.torchserve.svc.cluster.local:8081");
        assert.equal(e.outputs.metricsUrl, "http://torchserve.torchserve.svc.cluster.local:8082/metrics");
    });

    it("uses the load balancer IP when there is no hostname, and cluster DNS while none is assigned", async () => {
        const ip = await run(lb, false, {}, (a) =>
            a.type === "kubernetes:core/v1:Service"
                ? { status: { loadBalancer: { ingress: [{ ip: "203.0.113.7" }] } } }
                : undefined,
        );
        assert.equal(ip.outputs.inferenceUrl, "http://203.0.113.7:8080");
        const pending = await run(lb, false);
        assert.equal(pending.outputs.inferenceUrl, "http://torchserve-public.torchserve.svc.cluster.local:8080");
    });
});

describe("TorchServe model store ownership", function () {
    this.timeout(20000);
    it("adds a root init step, first and with only the capabilities it needs, when the store ignores fsGroup", async () => {
        const plain = await run(testSettings(), false);
        const plainInit = deploymentOf(plain).inputs.spec.template.spec.initContainers.map((c: any) => c.name);
        assert.deepEqual(plainInit, ["fetch-models"]);

        const e = await run(testSettings(), false, { modelStoreNeedsOwnership: true });
        const init = deploymentOf(e).inputs.spec.template.spec.initContainers;
        assert.deepEqual(
            init.map((c: any) => c.name),
            ["prepare-model-store", "fetch-models"],
        );
        const prepare = init[0];
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
        assert.equal(deploymentOf(e).inputs.spec.template.spec.securityContext.runAsUser, 1000);
    });
});

describe("TorchServe public Service", function () {
    this.timeout(20000);
    it("exists only for LoadBalancer/NodePort and never carries the management or metrics ports", async () => {
        const clusterIp = await run(testSettings(), false);
        assert.equal(all(clusterIp, "Service").length, 1);
        const nodePort = await run(testSettings({ torchserve: { serviceType: "NodePort" } }), false);
        const pub = one(nodePort, "Service", publicServiceName);
        assert.equal(pub.inputs.spec.type, "NodePort");
        assert.deepEqual(
            pub.inputs.spec.ports.map((p: any) => p.name).sort(),
            [portNames.grpcInference, portNames.inference].sort(),
        );
        assert.deepEqual(pub.inputs.spec.selector, { ...podLabels });
    });
});

describe("config.properties (pure)", () => {
    it("is one key per line with the models JSON on a single line", () => {
        const text = configProperties(testSettings().torchserve);
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
});
