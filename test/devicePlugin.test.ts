// The cloud-neutral NVIDIA device plugin: pinned chart, scheduled onto GPU nodes only, through the
// cluster's provider, with value keys chart 0.20.0 defines.
import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
    devicePluginAffinity,
    devicePluginValues,
    NvidiaDevicePlugin,
    nvidiaDevicePluginChart,
} from "../components/devicePlugin";
import { Placement } from "../components/cluster/kubernetes";
import { evaluate, Evaluation } from "../harness/evaluate";
import { assertKnownValueKeys, loadChartKeys, unknownValueKeys } from "./support/chartValues";
import { one } from "./support/match";

/** Stands in for the GPU node pool the plugin waits for. */
class GpuPool extends pulumi.CustomResource {
    constructor(name: string) {
        super("test:index:GpuPool", name, {});
    }
}

const gpuPlacement: Placement = {
    nodeSelector: { "torchserve.pytorch.org/pool": "gpu" },
    tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
};

const pluginKeys = loadChartKeys("nvidia-device-plugin-0.20.0.json");

describe("NVIDIA device plugin values", () => {
    it("schedules onto the GPU pool: its labels, its taint tolerated", () => {
        const v = devicePluginValues(gpuPlacement);
        assert.deepStrictEqual(v.nodeSelector, { "torchserve.pytorch.org/pool": "gpu" });
        assert.ok(
            v.tolerations.some(
                (t: any) => t.key === "nvidia.com/gpu" && t.operator === "Exists" && t.effect === "NoSchedule",
            ),
        );
        assert.strictEqual(v.failOnInitError, undefined, "on GPU-only nodes a missing driver should fail loudly");
    });

    it("replaces the chart's NFD-label affinity, which EKS/AKS nodes would never satisfy", () => {
        const terms =
            devicePluginAffinity(gpuPlacement).nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution
                .nodeSelectorTerms;
        // Helm replaces lists wholesale: one term, ours, and no Node Feature Discovery keys.
        assert.deepStrictEqual(terms, [
            { matchExpressions: [{ key: "torchserve.pytorch.org/pool", operator: "In", values: ["gpu"] }] },
        ]);
        assert.ok(!JSON.stringify(terms).includes("feature.node.kubernetes.io"));
    });

    it("without GPU labels to select on, runs on Linux nodes and tolerates CPU nodes", () => {
        const v = devicePluginValues({ nodeSelector: {}, tolerations: gpuPlacement.tolerations });
        assert.deepStrictEqual(
            v.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]
                .matchExpressions,
            [{ key: "kubernetes.io/os", operator: "In", values: ["linux"] }],
        );
        assert.strictEqual(v.failOnInitError, false);
    });

    it("sets only value keys chart 0.20.0 defines", () => {
        assert.strictEqual(pluginKeys.version, nvidiaDevicePluginChart.version);
        assertKnownValueKeys(devicePluginValues(gpuPlacement), pluginKeys);
        assertKnownValueKeys(devicePluginValues({ nodeSelector: {}, tolerations: [] }), pluginKeys);
        assert.deepStrictEqual(unknownValueKeys({ nodeSelecter: {} }, pluginKeys), ["nodeSelecter"]);
    });
});

describe("NvidiaDevicePlugin under mocks", function () {
    this.timeout(30000);
    for (const preview of [true, false]) {
        describe(preview ? "preview" : "update", () => {
            let ev: Evaluation;
            before(async () => {
                ev = await evaluate({ project: "torchserve-platform", stack: "dp", config: {}, preview }, async () => {
                    const provider = new k8s.Provider("cluster", { kubeconfig: "{}", enableServerSideApply: true });
                    const gpuPool = new GpuPool("gpu-pool");
                    new NvidiaDevicePlugin(
                        "nvidia-device-plugin",
                        { placement: gpuPlacement },
                        { provider, dependsOn: [gpuPool] },
                    );
                    return {};
                });
            });

            it("installs the pinned chart into kube-system through the given provider", () => {
                const rel = one(ev, "kubernetes:helm.sh/v3:Release");
                assert.strictEqual(rel.inputs.chart, "nvidia-device-plugin");
                assert.strictEqual(rel.inputs.version, "0.20.0");
                assert.strictEqual(rel.inputs.repositoryOpts.repo, "https://nvidia.github.io/k8s-device-plugin");
                assert.strictEqual(rel.inputs.namespace, "kube-system");
                assert.ok(rel.provider.startsWith(one(ev, "pulumi:providers:kubernetes").urn + "::"));
                assert.strictEqual(rel.parent, one(ev, "torchserve-platform:index:NvidiaDevicePlugin").urn);
            });

            it("lands on GPU nodes only, tolerating their taint, after the GPU pool exists", () => {
                const rel = one(ev, "kubernetes:helm.sh/v3:Release");
                assert.deepStrictEqual(rel.inputs.values.nodeSelector, gpuPlacement.nodeSelector);
                assert.ok(
                    rel.inputs.values.tolerations.some(
                        (t: any) => t.key === "nvidia.com/gpu" && t.effect === "NoSchedule",
                    ),
                );
                assert.ok(rel.dependencies.includes(one(ev, "test:index:GpuPool").urn));
                const component = one(ev, "torchserve-platform:index:NvidiaDevicePlugin");
                assert.deepStrictEqual(component.dependencies, [], "dependsOn goes to the release");
            });
        });
    }
});
