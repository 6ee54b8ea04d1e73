// The policy pack (policy/) over every example stack's program, evaluated once each under update
// mocks: no policy is violated (advisory ones included), and the pack as Pulumi starts it
// (PulumiPolicy.yaml, ts-node, gRPC) reports the same.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { MockResourceArgs } from "@pulumi/pulumi/runtime/mocks";
import { packArgs } from "../policy/policies";
import { cloudComputed } from "../harness/cloudComputed";
import { runProgram } from "../harness/program";
import { patchedConfig } from "../harness/transitions/config";
import { Diagnostic, PackConfig, PackResource, packResources, runPack, servePack } from "./support/policyPack";

/** Update-mode outputs: the clouds', and a generated password (which values then carry, as in a real update). */
function computed(args: MockResourceArgs): Record<string, any> | undefined {
    if (args.type === "random:index/randomPassword:RandomPassword") return { result: "generated-password" };
    return cloudComputed(args);
}

async function evaluated(
    stack: string,
    override: Record<string, unknown> = {},
    secretKeys: string[] = [],
): Promise<PackResource[]> {
    const ev = await runProgram({ stack, override, preview: false, computed, secretKeys });
    return packResources(ev.resources);
}

/** `level policy resource-name`, the part of a diagnostic a change of the program would move. */
const summary = (d: Diagnostic) => `${d.level} ${d.policy} ${d.urn.split("::").pop()}`;

/** The policy config the README tells the dev stack to run with. */
const devConfig: PackConfig = JSON.parse(
    fs.readFileSync(path.join(__dirname, "..", "policy", "config", "dev.json"), "utf8"),
);

describe("policy pack on the example stacks", () => {
    // Pulumi's runner compiles the pack with ts-node in a process of its own: started as mocha
    // collects the tests, it is ready by the time they reach it.
    const served = servePack();
    served.catch(() => undefined);
    const stacks: Record<string, PackResource[]> = {};
    before(async () => {
        for (const stack of ["dev", "eks", "aks", "gke"]) stacks[stack] = await evaluated(stack);
    });
    after(async () => (await served.catch(() => undefined))?.close());

    for (const stack of ["eks", "aks", "gke"]) {
        it(`${stack}: passes every policy, cluster network-policy enforcement included`, async () => {
            const found = await runPack(stacks[stack]);
            assert.deepStrictEqual(found.map(summary), [], found.map((d) => d.message).join("\n"));
        });
    }

    it("aks keeping an older cluster's Azure dataplane (cluster.aksNetworkDataplane: azure): network-policy enforcement blocks", async () => {
        const found = await runPack(
            await evaluated("aks", patchedConfig("aks", { cluster: { aksNetworkDataplane: "azure" } })),
        );
        assert.deepStrictEqual(found.map(summary), ["mandatory cluster-network-policy-enforced torchserve-aks"]);
    });

    it("dev: passes with its policy config, which lowers the unprotected throwaway model store to advisory", async () => {
        const found = await runPack(stacks.dev, devConfig);
        assert.deepStrictEqual(found.map(summary), ["advisory model-stores-protected torchserve-model-store"]);
        // Without the config the throwaway store blocks: the config is what lets the dev stack through.
        const strict = await runPack(stacks.dev);
        assert.deepStrictEqual(strict.map(summary), ["mandatory model-stores-protected torchserve-model-store"]);
    });

    // Every add-on on, on every example stack: no mandatory violation (Grafana's admin password
    // reaches its chart through admin.existingSecret, never values: components/monitoring/grafana.ts).
    const addons = {
        prometheus: true,
        grafana: true,
        autoscaling: { enabled: true, maxReplicas: 2 },
        istio: { enabled: true },
        logging: { enabled: true, backend: "loki" },
        alertReceivers: { webhookUrl: "https://alerts.example.com/hook" },
    };
    const gpuFree = {
        image: "pytorch/torchserve:0.12.0-cpu",
        nGpu: 0,
        storageClass: "nfs-client",
        storageAccessMode: "ReadWriteMany",
        models: [{ name: "squeezenet1_1", url: "https://torchserve.pytorch.org/mar_files/squeezenet1_1.mar" }],
    };
    for (const stack of ["dev", "eks", "aks", "gke"]) {
        it(`${stack} with every add-on on: no mandatory violation`, async function () {
            this.timeout(120000);
            // Triton (the gke example's) is refused with istio until the gateway routes to it.
            const override = stack === "dev" ? { ...addons, torchserve: gpuFree } : { ...addons, triton: false };
            const all = await evaluated(stack, patchedConfig(stack, override), ["torchserve-platform:alertReceivers"]);
            const found = await runPack(all, stack === "dev" ? devConfig : undefined);
            const mandatory = found.filter((d) => d.level === "mandatory");
            assert.deepStrictEqual(mandatory.map(summary), [], found.map((d) => d.message).join("\n"));
            // Grafana's release is among what was checked, and its values carry no credential.
            const grafana = all.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.props.name === "grafana");
            assert.ok(grafana, "no Grafana release evaluated");
        });
    }

    it("is served by Pulumi's policy runner from policy/ with the same policies and the same findings", async () => {
        const pack = await served;
        assert.deepStrictEqual(
            await pack.policies(),
            packArgs.policies.map((p) => ({ name: p.name, level: p.enforcementLevel ?? packArgs.enforcementLevel })),
        );
        // And it blocks: TorchServe's image unpinned in every container that runs it.
        const deployment = stacks.eks.find((r) => r.type === "kubernetes:apps/v1:Deployment")!;
        const text = JSON.stringify(deployment.props);
        const uses = text.match(/"pytorch\/torchserve:[^"]+"/g) ?? [];
        assert.ok(uses.length > 0);
        const unpinned = {
            ...deployment,
            props: JSON.parse(text.replace(/"pytorch\/torchserve:[^"]+"/g, '"pytorch/torchserve"')),
        };
        const found = await pack.run([unpinned]);
        assert.deepStrictEqual(
            found.map(summary),
            uses.map(() => "mandatory images-pinned torchserve"),
        );
        // The same findings, compared where there are some: the eks stack with that Deployment in it.
        const broken = stacks.eks.map((r) => (r === deployment ? unpinned : r));
        const expected = await runPack(broken);
        assert.ok(expected.length > 0, "the stack compared has findings");
        assert.deepStrictEqual(await pack.run(broken), expected);
    });
});
