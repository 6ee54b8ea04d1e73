// Triton (components/triton) under Pulumi mocks, its objects checked against the Kubernetes schemas,
// and in the gke example stack beside TorchServe: what a user relies on, property by property.
import { strict as assert } from "assert";
import * as k8s from "@pulumi/kubernetes";
import { evaluate, Evaluation, RegisteredResource } from "../harness/evaluate";
import { runProgram } from "../harness/program";
import { stackSetting } from "./support/render/evaluation";
import { Triton, TritonArgs } from "../components/triton/triton";
import { TritonSpec } from "../components/triton/spec";
import { endpointRemovalSeconds, tritonPodTemplate, tritonRolloutStrategy } from "../components/triton/workload";
import { requestsAndLimits } from "../policy/containerResources";
import { imagesPinned } from "../policy/images";
import { crafted, validate } from "./support/policyPack";
import { podLabels as torchServePodLabels } from "../components/torchserve/conventions";
import { all, one } from "./support/match";
import { kubernetesObjects, validateKubernetesObject } from "./support/schema";
import { gpuPlacement } from "./support/specs";

const spec = (over: Partial<TritonSpec> = {}): TritonSpec => ({
    image: "nvcr.io/nvidia/tritonserver:25.10-py3",
    repository: {
        url: "gs://models/triton",
        bucket: "models",
        directory: "triton",
        claimName: "triton-repository-abcd1234",
        subPath: "",
    },
    models: ["densenet_onnx", "bert"],
    replicas: 1,
    nGpu: 1,
    nCpu: 2,
    memoryRequest: "4Gi",
    memoryLimit: "8Gi",
    ephemeralStorage: "10Gi",
    namespace: "torchserve",
    exitTimeoutSeconds: 45,
    modelLoadSeconds: 300,
    ...over,
});

async function run(s: TritonSpec, extra: Partial<Omit<TritonArgs, "spec">> = {}, reuse = true): Promise<Evaluation> {
    return evaluate({ project: "torchserve-platform", stack: "test", config: {}, preview: false }, async () => {
        const provider = new k8s.Provider("cluster", { kubeconfig: "apiVersion: v1\nkind: Config\n" });
        const ns = reuse
            ? new k8s.core.v1.Namespace("torchserve-ns", { metadata: { name: s.namespace } }, { provider })
            : undefined;
        const t = new Triton(
            "triton",
            {
                spec: s,
                gpuPlacement,
                namespace: ns?.metadata.name,
                repositoryVolume: s.repository.bucket
                    ? {
                          volumeName: "pv-triton",
                          podAnnotations: { "gke-gcsfuse/volumes": "true" },
                          meshPodAnnotations: {},
                      }
                    : undefined,
                ...extra,
            },
            { provider },
        );
        return { httpUrl: t.httpUrl, grpcUrl: t.grpcUrl, metricsUrl: t.metricsUrl, namespace: t.namespace };
    });
}

const container = (e: Evaluation) => one(e, "Deployment", "triton").inputs.spec.template.spec.containers[0];
const podSpec = (e: Evaluation) => one(e, "Deployment", "triton").inputs.spec.template.spec;

describe("Triton under mocks", () => {
    let e: Evaluation;
    let parked: Evaluation;
    let own: Evaluation;
    before(async () => {
        e = await run(spec({ replicas: 2 }), { monitoring: { namespace: "monitoring" } });
        parked = await run(
            spec({
                replicas: 1,
                models: [],
                repository: { url: "pvc://models/repo", claimName: "models", subPath: "repo" },
                nGpu: 0,
            }),
            {},
            false,
        );
        own = parked;
    });

    it("reuses TorchServe's namespace, or creates its own without it", () => {
        assert.equal(all(e, "Namespace").length, 1, "only the stand-in for TorchServe's");
        // Monitors and rules go where Prometheus looks (checked below).
        const monitoring = (r: RegisteredResource) => r.type.startsWith("kubernetes:monitoring.coreos.com/");
        for (const r of kubernetesObjects(e.resources).filter((r) => !r.type.endsWith(":Namespace") && !monitoring(r)))
            assert.equal(r.inputs.metadata.namespace, "torchserve", `${r.type} ${r.name}`);
        assert.equal(one(own, "Namespace", "torchserve").inputs.metadata.name, "torchserve");
    });

    it("runs on the GPU pool: GPU requested, taint tolerated, node selected, spread over nodes and zones", () => {
        const c = container(e);
        assert.equal(c.resources.requests["nvidia.com/gpu"], "1");
        assert.equal(c.resources.limits["nvidia.com/gpu"], "1");
        assert.deepEqual(podSpec(e).tolerations, gpuPlacement.tolerations);
        assert.deepEqual(podSpec(e).nodeSelector, gpuPlacement.nodeSelector);
        const keys = podSpec(e).topologySpreadConstraints.map((t: any) => t.topologyKey);
        assert.deepEqual(keys, ["kubernetes.io/hostname", "topology.kubernetes.io/zone"]);
        // A CPU Triton stays off the GPU pool.
        assert.equal(podSpec(parked).tolerations, undefined);
        assert.equal(container(parked).resources.requests["nvidia.com/gpu"], undefined);
    });

    it("loads exactly the listed models (or all), with strict readiness, and drains in-flight requests", () => {
        const args: string[] = container(e).args;
        for (const a of [
            "--model-control-mode=explicit",
            "--load-model=densenet_onnx",
            "--load-model=bert",
            "--strict-readiness=true",
            "--exit-timeout-secs=45",
            "--model-repository=/models",
            "--http-port=8000",
            "--grpc-port=8001",
            "--metrics-port=8002",
        ])
            assert.ok(args.includes(a), a);
        assert.ok(container(parked).args.includes("--load-model=*"));
        assert.equal(container(parked).args.filter((a: string) => a.startsWith("--load-model")).length, 1);
        // The grace period covers endpoint removal and Triton's exit timeout.
        assert.ok(podSpec(e).terminationGracePeriodSeconds >= endpointRemovalSeconds + 45);
        assert.deepEqual(container(e).lifecycle.preStop.exec.command, ["sleep", String(endpointRemovalSeconds)]);
    });

    it("probes readiness on /v2/health/ready and liveness on /v2/health/live, with a startup budget from the models", () => {
        const c = container(e);
        assert.equal(c.readinessProbe.httpGet.path, "/v2/health/ready");
        assert.equal(c.startupProbe.httpGet.path, "/v2/health/ready");
        assert.equal(c.livenessProbe.httpGet.path, "/v2/health/live");
        const port = c.ports.find((p: any) => p.name === c.readinessProbe.httpGet.port);
        assert.equal(port.containerPort, 8000);
        // Two models × 300 s.
        assert.equal(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold, 600);
    });

    it("runs as Triton's non-root user with a read-only root and writable emptyDirs", () => {
        const c = container(e);
        assert.equal(c.securityContext.readOnlyRootFilesystem, true);
        assert.equal(c.securityContext.allowPrivilegeEscalation, false);
        assert.deepEqual(c.securityContext.capabilities.drop, ["ALL"]);
        assert.equal(podSpec(e).securityContext.runAsUser, 1000);
        const mounts = Object.fromEntries(c.volumeMounts.map((m: any) => [m.mountPath, m]));
        for (const dir of ["/tmp", "/dev/shm", "/home/triton-server"]) {
            const v = podSpec(e).volumes.find((v: any) => v.name === mounts[dir]?.name);
            assert.ok(v?.emptyDir, dir);
        }
        assert.equal(mounts["/models"].readOnly, true);
        // A claim's directory is its subPath.
        assert.equal(container(parked).volumeMounts.find((m: any) => m.mountPath === "/models").subPath, "repo");
    });

    it("claims the cluster's bucket volume read-only, or names the user's claim", () => {
        const claim = one(e, "PersistentVolumeClaim", "triton-repository-abcd1234");
        assert.equal(claim.inputs.spec.volumeName, "pv-triton");
        assert.deepEqual(claim.inputs.spec.accessModes, ["ReadOnlyMany"]);
        const volume = podSpec(e).volumes.find((v: any) => v.name === "repository");
        assert.equal(volume.persistentVolumeClaim.readOnly, true);
        assert.equal(
            one(e, "Deployment", "triton").inputs.spec.template.metadata.annotations["gke-gcsfuse/volumes"],
            "true",
        );
        assert.equal(all(parked, "PersistentVolumeClaim").length, 0);
        assert.equal(
            podSpec(parked).volumes.find((v: any) => v.name === "repository").persistentVolumeClaim.claimName,
            "models",
        );
    });

    it("serves HTTP 8000, gRPC 8001 and metrics 8002 on its own Service, never selecting TorchServe's pods", () => {
        const svc = one(e, "Service", "triton");
        assert.deepEqual(
            svc.inputs.spec.ports.map((p: any) => [p.port, p.appProtocol]),
            [
                [8000, "http"],
                [8001, "grpc"],
                [8002, "http"],
            ],
        );
        const selector = svc.inputs.spec.selector;
        assert.ok(Object.entries(selector).some(([k, v]) => (torchServePodLabels as Record<string, string>)[k] !== v));
        const np = one(e, "NetworkPolicy", "triton");
        assert.deepEqual(np.inputs.spec.podSelector.matchLabels, selector);
    });

    it("is scraped on its metrics port and alerted on by the stack's Prometheus, when there is one", () => {
        const monitor = one(e, "PodMonitor", "triton");
        assert.equal(monitor.inputs.metadata.namespace, "monitoring");
        assert.deepEqual(monitor.inputs.spec.namespaceSelector.matchNames, ["torchserve"]);
        assert.deepEqual(monitor.inputs.spec.selector.matchLabels, one(e, "Service", "triton").inputs.spec.selector);
        const port = container(e).ports.find((p: any) => p.name === monitor.inputs.spec.podMetricsEndpoints[0].port);
        assert.equal(port.containerPort, 8002);
        const rules = one(e, "PrometheusRule", "triton-alerts").inputs.spec.groups[0].rules.map((r: any) => r.alert);
        assert.deepEqual(rules, [
            "TritonDown",
            "TritonModelNotLoaded",
            "TritonQueueTimeHigh",
            "TritonPendingRequestsHigh",
            "TritonInferenceFailures",
        ]);
        // The rules' scrape job is the monitor's.
        assert.ok(
            one(e, "PrometheusRule", "triton-alerts").inputs.spec.groups[0].rules[0].expr.includes(
                'job="monitoring/triton"',
            ),
        );
        assert.equal(all(parked, "PodMonitor").length, 0);
    });

    it("keeps one pod serving through voluntary disruptions when it runs several", () => {
        assert.equal(one(e, "PodDisruptionBudget", "triton").inputs.spec.maxUnavailable, 1);
        assert.equal(all(parked, "PodDisruptionBudget").length, 0);
    });

    it("unlocks model loading only with the header carrying the pod's UID", () => {
        const c = container(e);
        const env = c.env.find((v: any) => v.name === "TRITON_ADMIN_TOKEN");
        assert.equal(env.valueFrom.fieldRef.fieldPath, "metadata.uid");
        assert.ok(
            c.args.includes(
                "--http-restricted-api=model-repository,shared-memory:triton-admin-token=$(TRITON_ADMIN_TOKEN)",
            ),
        );
    });

    it("makes objects the Kubernetes schemas accept", async () => {
        for (const r of kubernetesObjects(e.resources)) await validateKubernetesObject(r);
        for (const r of kubernetesObjects(parked.resources)) await validateKubernetesObject(r);
    });
});

describe("Triton in the gke example, beside TorchServe", () => {
    let ev: Evaluation;
    before(async () => {
        ev = await runProgram({ stack: "gke", preview: false });
    });
    const byName = (type: string, name: string): RegisteredResource =>
        ev.resources.find((r) => r.type === type && r.name === name)!;

    it("mounts the repository's bucket directory read-only through Cloud Storage FUSE, as Triton's user", () => {
        const pv = byName("kubernetes:core/v1:PersistentVolume", "torchserve-gke-triton-repository");
        assert.ok(pv, "the repository's volume");
        assert.equal(pv.inputs.spec.csi.volumeHandle, "my-gcp-project-torchserve-models");
        assert.equal(pv.inputs.spec.csi.readOnly, true);
        assert.ok(pv.inputs.spec.mountOptions.includes("only-dir=triton"));
        assert.ok(pv.inputs.spec.mountOptions.includes("uid=1000"));
        const claim = one(ev, "PersistentVolumeClaim", pv.inputs.spec.claimRef.name);
        assert.equal(claim.inputs.metadata.namespace, pv.inputs.spec.claimRef.namespace);
    });

    it("reads it with its own ServiceAccount's principal (no Google service account), and its pods wait for the grant", () => {
        // As TorchServe's reader (components/gke/modelReader.ts): gcs-fuse-csi-driver docs/authentication.md.
        const grants = ev.resources.filter(
            (r) => r.type === "gcp:storage/bucketIAMMember:BucketIAMMember" && r.name.startsWith("triton-models"),
        );
        assert.strictEqual(grants.length, 1, "one grant, on the repository's bucket");
        const [grant] = grants;
        assert.strictEqual(grant.inputs.role, "roles/storage.objectViewer");
        assert.match(
            grant.inputs.member,
            /^principal:\/\/iam\.googleapis\.com\/projects\/\d+\/.*\/subject\/ns\/torchserve\/sa\/triton$/,
        );
        assert.strictEqual(byName("gcp:serviceaccount/account:Account", "triton-models"), undefined);
        const sa = one(ev, "ServiceAccount", "triton");
        assert.strictEqual(sa.inputs.metadata.annotations, undefined);
        assert.ok(sa.dependencies.includes(grant.urn), "Triton's ServiceAccount waits for the grant");
        assert.ok(one(ev, "Deployment", "triton").dependencies.includes(grant.urn), "Triton's pods wait for the grant");
    });

    it("with prometheus on, its PodMonitor and rules wait for the release that installs their CRDs", async () => {
        const withPrometheus = await runProgram({ stack: "gke", override: { prometheus: true }, preview: true });
        const release = one(withPrometheus, "kubernetes:helm.sh/v3:Release", "kube-prometheus-stack");
        for (const r of [
            one(withPrometheus, "PodMonitor", "triton"),
            one(withPrometheus, "PrometheusRule", "triton-alerts"),
        ])
            assert.ok(r.dependencies.includes(release.urn), `${r.type} waits for the release`);
    });

    it("serves alone with torchserve.enabled: false: its own namespace, and the stack's URLs are Triton's", async () => {
        const gke = stackSetting("gke", "torchserve") as Record<string, unknown>;
        const alone = await runProgram({
            stack: "gke",
            override: { torchserve: { ...gke, enabled: false } },
            preview: true,
        });
        assert.equal(all(alone, "Deployment", "torchserve").length, 0);
        assert.equal(one(alone, "Namespace", "torchserve").parent?.includes("Triton"), true);
        assert.equal(alone.outputs.inferenceUrl, "http://triton.torchserve.svc.cluster.local:8000");
        assert.equal(alone.outputs.grpcUrl, "triton.torchserve.svc.cluster.local:8001");
    });

    it("runs beside TorchServe in its namespace, with no namespace of its own", () => {
        assert.equal(one(ev, "Deployment", "triton").inputs.metadata.namespace, "torchserve");
        assert.equal(all(ev, "Namespace", "torchserve").length, 1);
        assert.ok(one(ev, "Deployment", "torchserve"));
    });
});

describe("Triton's rollout", () => {
    const surge = { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
    const oldFirst = { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } };
    it("never takes a single pod down first; several on a full pool go old pod first; spare room surges", () => {
        assert.deepEqual(tritonRolloutStrategy({ nGpu: 1, replicas: 1 }, 0), surge);
        assert.deepEqual(tritonRolloutStrategy({ nGpu: 1, replicas: 2 }, 0), oldFirst);
        assert.deepEqual(tritonRolloutStrategy({ nGpu: 1, replicas: 2 }, undefined), oldFirst);
        assert.deepEqual(tritonRolloutStrategy({ nGpu: 1, replicas: 2 }, 1), surge);
        assert.deepEqual(tritonRolloutStrategy({ nGpu: 0, replicas: 2 }, undefined), surge);
    });
});

describe("Triton under the policy pack", () => {
    const pod = (s: TritonSpec) =>
        crafted("kubernetes:apps/v1:Deployment", {
            spec: {
                template: tritonPodTemplate({
                    spec: s,
                    gpuPlacement,
                    claimName: "models",
                    serviceAccountName: "triton",
                }),
            },
        });

    it("passes its pod, and reports one with an unpinned image", async () => {
        assert.deepEqual(await validate(imagesPinned, pod(spec())), []);
        assert.deepEqual(await validate(requestsAndLimits, pod(spec())), []);
        const latest = await validate(imagesPinned, pod(spec({ image: "nvcr.io/nvidia/tritonserver:latest" })));
        assert.equal(latest.length, 1);
    });
});
