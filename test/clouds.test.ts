// The whole program for each cloud's example stack (Pulumi.eks/aks/gke.yaml), under preview and
// update mocks: the contract between cluster and platform holds the same way on every cloud.
import * as assert from "assert";
import { cloudCall } from "../harness/cloudMocks";
import { Evaluation, RegisteredResource } from "../harness/evaluate";
import { stackConfig } from "../harness/stackFiles";
import { cloudComputed } from "../harness/cloudComputed";
import { configFor, runProgram } from "../harness/program";
import { bucketLayout, isBucketLayout, modelBucketClaimName } from "../components/torchserve/modelBucket";
import { all } from "./support/match";
import { kubernetesObjects, validateKubernetesObject } from "./support/schema";

interface Taint {
    key: string;
    value?: string;
    effect: string;
}

/** Each cloud's GPU pool resource and how it spells taints and labels, in Kubernetes terms. */
const clouds = {
    eks: {
        devicePlugin: true,
        gpuPool: (ev: Evaluation) =>
            ev.resources.find((r) => r.type === "aws:eks/nodeGroup:NodeGroup" && r.inputs.taints?.length),
        taints: (r: RegisteredResource): Taint[] =>
            r.inputs.taints.map((t: any) => ({ key: t.key, value: t.value, effect: effect(t.effect) })),
        // EKS labels each node with its managed node group's name.
        labels: (r: RegisteredResource): Record<string, string> => ({
            ...(r.inputs.labels ?? {}),
            ...(r.inputs.nodeGroupName ? { "eks.amazonaws.com/nodegroup": r.inputs.nodeGroupName } : {}),
        }),
    },
    aks: {
        devicePlugin: true,
        gpuPool: (ev: Evaluation) => ev.resources.find((r) => r.type === "azure-native:containerservice:AgentPool"),
        taints: (r: RegisteredResource): Taint[] =>
            r.inputs.nodeTaints.map((t: string) => {
                const m = /^([^=]+)=([^:]*):(.+)$/.exec(t)!;
                return { key: m[1], value: m[2], effect: m[3] };
            }),
        // AKS labels each node with its agent pool's name.
        labels: (r: RegisteredResource): Record<string, string> => ({
            ...(r.inputs.nodeLabels ?? {}),
            "kubernetes.azure.com/agentpool": r.inputs.agentPoolName,
        }),
    },
    gke: {
        devicePlugin: false,
        gpuPool: (ev: Evaluation) =>
            ev.resources.find(
                (r) => r.type === "gcp:container/nodePool:NodePool" && r.inputs.nodeConfig?.guestAccelerators?.length,
            ),
        taints: (r: RegisteredResource): Taint[] =>
            r.inputs.nodeConfig.taints.map((t: any) => ({ key: t.key, value: t.value, effect: effect(t.effect) })),
        // GKE labels nodes with their pool's name and accelerator; the pool's own labels come on top.
        labels: (r: RegisteredResource): Record<string, string> => ({
            ...r.inputs.nodeConfig.labels,
            "cloud.google.com/gke-nodepool": r.inputs.name,
            "cloud.google.com/gke-accelerator": r.inputs.nodeConfig.guestAccelerators[0].type,
        }),
    },
} as const;

function effect(cloudSpelling: string): string {
    return (
        { NO_SCHEDULE: "NoSchedule", PREFER_NO_SCHEDULE: "PreferNoSchedule", NO_EXECUTE: "NoExecute" }[cloudSpelling] ??
        cloudSpelling
    );
}

function tolerates(tolerations: any[], taint: Taint): boolean {
    return tolerations.some(
        (t) =>
            (t.key === taint.key || (t.key === undefined && t.operator === "Exists")) &&
            (t.effect === undefined || t.effect === taint.effect) &&
            (t.operator === "Exists" || t.value === taint.value),
    );
}

for (const [stack, cloud] of Object.entries(clouds)) {
    for (const preview of [true, false]) {
        describe(`${stack} stack, whole program (${preview ? "preview" : "update"})`, () => {
            let ev: Evaluation;
            const config = configFor(stack);
            const torchserve = config["torchserve-platform:torchserve"] as Record<string, any>;
            before(async () => {
                ev = await runProgram({ stack, preview, call: cloudCall(config), computed: cloudComputed });
            });

            it("has a GPU pool whose taints TorchServe tolerates and whose labels it selects", () => {
                const pool = cloud.gpuPool(ev);
                assert.ok(pool, "GPU pool registered");
                const taints = cloud.taints(pool!);
                assert.ok(
                    taints.some((t) => t.key === "nvidia.com/gpu" && t.effect === "NoSchedule"),
                    "GPU taint",
                );
                const deployment = all(ev, "kubernetes:apps/v1:Deployment").find((d) => d.name === "torchserve")!;
                const pod = deployment.inputs.spec.template.spec;
                for (const taint of taints)
                    assert.ok(tolerates(pod.tolerations ?? [], taint), `TorchServe tolerates ${JSON.stringify(taint)}`);
                const labels = cloud.labels(pool!);
                for (const [k, v] of Object.entries(pod.nodeSelector ?? {}))
                    assert.strictEqual(labels[k], v, `node selector ${k}=${v} matches the GPU pool`);
                assert.ok(Object.keys(pod.nodeSelector ?? {}).length > 0, "GPU pods select the GPU pool");
                const container = pod.containers.find((c: any) => c.name === "torchserve");
                assert.strictEqual(String(container.resources.limits["nvidia.com/gpu"]), String(torchserve.nGpu));
            });

            it(
                cloud.devicePlugin
                    ? "installs the NVIDIA device plugin onto the GPU nodes"
                    : "relies on the cloud's own device plugin",
                () => {
                    const plugin = all(ev, "kubernetes:helm.sh/v3:Release").find(
                        (r) => r.inputs.chart === "nvidia-device-plugin",
                    );
                    assert.strictEqual(plugin !== undefined, cloud.devicePlugin);
                    if (!plugin) return;
                    const pool = cloud.gpuPool(ev)!;
                    const labels = cloud.labels(pool);
                    for (const [k, v] of Object.entries(plugin.inputs.values.nodeSelector ?? {}))
                        assert.strictEqual(labels[k], v);
                    for (const taint of cloud.taints(pool))
                        assert.ok(tolerates(plugin.inputs.values.tolerations, taint), `plugin tolerates ${taint.key}`);
                    const deployment = all(ev, "kubernetes:apps/v1:Deployment").find((d) => d.name === "torchserve")!;
                    assert.ok(deployment.dependencies.includes(plugin.urn), "TorchServe waits for the device plugin");
                },
            );

            // The eks and gke examples mount their models' bucket; the aks example keeps Azure Files
            // (README "Model store": the Blob driver's token-only mount needs a driver version the program does not check).
            const bucket = stack !== "aks";
            it(
                bucket
                    ? "mounts the models' bucket read-only: no download, no root step"
                    : "fills the model store with the fetcher, with no root step",
                () => {
                    const deployment = all(ev, "kubernetes:apps/v1:Deployment").find((d) => d.name === "torchserve")!;
                    const init = (deployment.inputs.spec.template.spec.initContainers ?? []).map((c: any) => c.name);
                    // The examples' model has no sha256 (allowUnverifiedModels), so nothing to verify either.
                    assert.deepStrictEqual(init, bucket ? [] : ["fetch-models"]);
                },
            );

            it(
                bucket
                    ? "claims the cluster's bucket volume, and creates no file-share class"
                    : "puts the model store on the cluster's ReadWriteMany class",
                () => {
                    const pvc = all(ev, "kubernetes:core/v1:PersistentVolumeClaim")[0];
                    assert.deepStrictEqual(pvc.inputs.spec.accessModes, [bucket ? "ReadOnlyMany" : "ReadWriteMany"]);
                    // Besides a default class for add-ons' volumes (EKS: gp3), the stack creates the model store's.
                    const classes = all(ev, "kubernetes:storage.k8s.io/v1:StorageClass").filter(
                        (c) =>
                            c.inputs.metadata.annotations?.["storageclass.kubernetes.io/is-default-class"] !== "true",
                    );
                    assert.strictEqual(classes.length, bucket ? 0 : 1);
                    if (bucket) {
                        assert.strictEqual(pvc.inputs.spec.storageClassName, "");
                        // Named after the models' bucket directory, the cluster's volume after the claim.
                        const { models } = configFor(stack)["torchserve-platform:torchserve"] as {
                            models: { name: string; url: string }[];
                        };
                        const layout = bucketLayout(models);
                        assert.ok(isBucketLayout(layout));
                        assert.strictEqual(pvc.inputs.metadata.name, modelBucketClaimName(layout));
                        if (!preview)
                            assert.strictEqual(
                                pvc.inputs.spec.volumeName,
                                `torchserve-${modelBucketClaimName(layout)}`,
                            );
                    } else if (!preview)
                        assert.strictEqual(pvc.inputs.spec.storageClassName, classes[0].inputs.metadata.name);
                },
            );

            it("creates every Kubernetes object and Helm release with the cluster's provider", () => {
                const providers = all(ev, "pulumi:providers:kubernetes");
                assert.strictEqual(providers.length, 1, "one Kubernetes provider, built from the cluster");
                const objects = ev.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
                assert.ok(objects.length > 5);
                for (const r of objects)
                    assert.ok(r.provider.startsWith(`${providers[0].urn}::`), `${r.type} ${r.name}`);
            });

            it("exports the cloud, the cluster name and a secret kubeconfig", () => {
                assert.strictEqual(ev.outputs.cloud, stackConfig(stack)["torchserve-platform:cloud"]);
                assert.ok(ev.secretOutputs.includes("kubeconfig"));
                for (const k of ["clusterName", "namespace", "inferenceUrl", "managementUrl", "metricsUrl", "grpcUrl"])
                    assert.ok(k in ev.outputs, k);
            });

            if (!preview) {
                it("every Kubernetes object passes the upstream schema", async () => {
                    // KEDA's CRD is no kubernetes-models package: the render tests validate the
                    // ScaledObject against the CRD in the vendored chart.
                    const objects = kubernetesObjects(ev.resources).filter((r) => !r.type.includes("keda.sh"));
                    for (const r of objects) await validateKubernetesObject(r);
                });
            }
        });
    }
}
