// Cost and quota in every plan (tools/plan/cost.ts, prices.ts): the figures in plans/<stack>.md and in
// the plan diff are the price table's prices times the pool sizes the stack file sets, read from what
// the program registers (the committed plans, which test/plan.test.ts keeps equal to the program).
import * as assert from "assert";
import * as fs from "fs";
import { stackConfig } from "../harness/stackFiles";
import { CostEstimate, estimateCost, quotaDuringChange } from "../tools/plan/cost";
import { costDiffLines, costSection } from "../tools/plan/costMarkdown";
import { Plan } from "../tools/plan/model";
import { HOURS_PER_MONTH, priceOf, prices } from "../tools/plan/prices";
import { planPath } from "../tools/plan/render";
import { summaryPath } from "../tools/plan/summary";

const committed = (stack: string): Plan => JSON.parse(fs.readFileSync(planPath(stack), "utf8")) as Plan;
const close = (a: number | undefined, b: number, what: string) =>
    assert.ok(a !== undefined && Math.abs(a - b) < 1e-6, `${what}: ${a} ≠ ${b}`);
const gpuPool = (stack: string) => stackConfig(stack)["torchserve-platform:gpuNodePool"] as any;
const line = (e: CostEstimate, prefix: RegExp) => {
    const l = e.lines.find((x) => prefix.test(x.item));
    assert.ok(l, `no line ${prefix} in ${e.lines.map((x) => x.item).join("; ")}`);
    return l;
};
/** The committed plan with `edit` applied to the inputs of the resource of `type`. */
function edited(stack: string, type: string, edit: (inputs: any) => void): Plan {
    const plan = structuredClone(committed(stack));
    const r = plan.resources.find((x) => x.type === type && /gpu/.test(x.name));
    assert.ok(r, `${stack}: no ${type}`);
    edit(r.inputs);
    return plan;
}

describe("price table (tools/plan/prices.ts)", () => {
    it("gives every row a cloud, region, unit, positive or zero price, date and source, once", () => {
        const seen = new Set<string>();
        for (const p of prices) {
            const key = `${p.cloud} ${p.region} ${p.item}`;
            assert.ok(!seen.has(key), `duplicate row ${key}`);
            seen.add(key);
            assert.ok(p.region.length > 0 && p.usd >= 0, key);
            assert.match(p.date, /^\d{4}-\d{2}-\d{2}$/, key);
            assert.match(p.source, /^https:\/\//, key);
        }
    });

    it("prefers a region's own row to an every-region row", () => {
        const table = [
            { ...prices[0], region: "*", item: "x", usd: 1 },
            { ...prices[0], region: "r1", item: "x", usd: 2 },
        ];
        assert.strictEqual(priceOf(prices[0].cloud, "r1", "x", table)?.usd, 2);
        assert.strictEqual(priceOf(prices[0].cloud, "r2", "x", table)?.usd, 1);
    });
});

describe("cost and quota of the example stacks", () => {
    const eks = estimateCost(committed("eks"));
    const aks = estimateCost(committed("aks"));
    const gke = estimateCost(committed("gke"));

    it("prices each GPU pool at minNodes and maxNodes of Pulumi.<stack>.yaml times the table's price", () => {
        const g = gpuPool("eks");
        const perNode = priceOf("aws", "us-west-2", `instance:${g.instanceType}`)!.usd;
        close(line(eks, /^pool eks-gpu/).min, perNode * g.minNodes, "eks gpu min");
        close(line(eks, /^pool eks-gpu/).max, perNode * g.maxNodes, "eks gpu max");
        const a = gpuPool("aks");
        const vm = priceOf("azure", "eastus", `instance:${a.instanceType}`)!.usd;
        close(line(aks, /^pool torchserve-aks-gpu/).max, vm * a.maxNodes, "aks gpu max");
        // GKE N1: the machine plus each attached GPU.
        const k = gpuPool("gke");
        const machine = priceOf("gcp", "us-central1", `instance:${k.instanceType}`)!.usd;
        const t4 = priceOf("gcp", "us-central1", `gpu:${k.gpuType}`)!.usd;
        close(line(gke, /^pool torchserve-gke-gpu/).min, (machine + k.gpusPerNode * t4) * k.minNodes, "gke gpu min");
        close(line(gke, /^pool torchserve-gke-gpu/).max, (machine + k.gpusPerNode * t4) * k.maxNodes, "gke gpu max");
    });

    it("prices the system pools, control planes, NAT and node disks from the table", () => {
        const sys = stackConfig("aks")["torchserve-platform:cluster"] as any;
        const d4 = priceOf("azure", "eastus", `instance:${sys.systemNodePool.instanceType}`)!.usd;
        close(line(aks, /^pool torchserve-aks\/system/).min, d4 * sys.systemNodePool.minNodes, "aks system min");
        close(line(eks, /^EKS control plane/).max, priceOf("aws", "us-west-2", "eks-control-plane")!.usd, "eks cp");
        close(line(aks, /^AKS control plane \(free tier\)/).max, 0, "aks cp");
        close(line(gke, /^GKE cluster management fee/).max, 0.1, "gke fee");
        const nat = priceOf("aws", "us-west-2", "nat-gateway")!.usd + priceOf("aws", "us-west-2", "public-ipv4")!.usd;
        close(line(eks, /^NAT gateway/).max, nat, "eks nat");
        // 100 GB on each GPU node and 50 GB on each of the three system nodes, gp3, at maximum scale.
        const gp3 = priceOf("aws", "us-west-2", "disk:gp3")!.usd / HOURS_PER_MONTH;
        close(line(eks, /^node disks/).max, gp3 * (100 * gpuPool("eks").maxNodes + 50 * 3), "eks disks");
    });

    it("adds its lines up to the totals, minimum never above maximum, every price known", () => {
        for (const e of [eks, aks, gke]) {
            const sum = (k: "min" | "max") => e.lines.reduce((n, l) => n + (l[k] ?? 0), 0);
            close(e.min, Math.round(sum("min") * 1e4) / 1e4, `${e.cloud} min`);
            close(e.max, Math.round(sum("max") * 1e4) / 1e4, `${e.cloud} max`);
            assert.ok(e.min <= e.max && e.min > 0, `${e.cloud}: ${e.min} > ${e.max}`);
            assert.strictEqual(e.incomplete, false, JSON.stringify(e.lines.filter((l) => l.missing.length)));
        }
    });

    it("needs GPU quota per cloud: vCPUs of the GPU family, GPUs per model and in all regions", () => {
        const q = (e: CostEstimate, name: RegExp) => {
            const x = e.quota.find((y) => name.test(y.quota));
            assert.ok(x, `${e.cloud}: no quota ${name} in ${JSON.stringify(e.quota)}`);
            return x;
        };
        // g5.xlarge: 4 vCPUs; the GPU group updates MINIMAL (each node terminated before its replacement), so an upgrade needs no vCPUs beyond the maximum.
        const g = gpuPool("eks");
        assert.deepStrictEqual(
            [
                q(eks, /^Running On-Demand G and VT/).atMax,
                q(eks, /G and VT/).duringUpgrade,
                q(eks, /G and VT/).duringSwap,
            ],
            [4 * g.maxNodes, 4 * g.maxNodes, 4 * 2 * g.maxNodes],
        );
        const a = gpuPool("aks");
        assert.deepStrictEqual(
            [q(aks, /^Standard NCASv3_T4 Family vCPUs$/).atMax, q(aks, /NCASv3_T4/).duringUpgrade],
            [4 * a.maxNodes, 4 * (a.maxNodes + 1)],
        );
        const k = gpuPool("gke");
        assert.strictEqual(q(gke, /^NVIDIA_T4_GPUS$/).atMax, k.gpusPerNode * k.maxNodes);
        assert.strictEqual(q(gke, /^GPUS_ALL_REGIONS$/).duringUpgrade, k.gpusPerNode * (k.maxNodes + 1));
    });

    it("follows what the program registers: pool sizes, surge settings, spot", () => {
        const bigger = estimateCost(edited("eks", "aws:eks/nodeGroup:NodeGroup", (i) => (i.scalingConfig.maxSize = 5)));
        close(line(bigger, /^pool eks-gpu/).max, 5 * priceOf("aws", "us-west-2", "instance:g5.xlarge")!.usd, "max 5");
        const minimal = estimateCost(
            edited(
                "eks",
                "aws:eks/nodeGroup:NodeGroup",
                (i) => (i.updateConfig = { maxUnavailable: 1, updateStrategy: "MINIMAL" }),
            ),
        );
        assert.strictEqual(minimal.quota[0].duringUpgrade, minimal.quota[0].atMax);
        const surge = estimateCost(
            edited("aks", "azure-native:containerservice:AgentPool", (i) => (i.upgradeSettings = { maxSurge: "50%" })),
        );
        assert.strictEqual(surge.quota[0].duringUpgrade, 4 * (2 + 1));
        const spot = estimateCost(edited("gke", "gcp:container/nodePool:NodePool", (i) => (i.nodeConfig.spot = true)));
        assert.deepStrictEqual(
            spot.quota.map((x) => x.quota),
            ["PREEMPTIBLE_NVIDIA_T4_GPUS", "GPUS_ALL_REGIONS"],
        );
        const blueGreen = estimateCost(
            edited("gke", "gcp:container/nodePool:NodePool", (i) => (i.upgradeSettings = { strategy: "BLUE_GREEN" })),
        );
        assert.strictEqual(blueGreen.quota[0].duringUpgrade, 2 * 2);
    });

    it("says when the table has no price for what the plan needs, and calls the total a lower bound", () => {
        const plan = edited("eks", "aws:eks/nodeGroup:NodeGroup", (i) => (i.instanceTypes = ["g6e.xlarge"]));
        const e = estimateCost(plan);
        assert.strictEqual(e.incomplete, true);
        assert.deepStrictEqual(line(e, /^pool eks-gpu/).missing, ["instance:g6e.xlarge"]);
        const text = costSection(e).join("\n");
        assert.match(text, /no price in the table for `instance:g6e.xlarge`/);
        assert.match(text, /lower bound/);
    });

    it("says the dev stack adds nothing billable beyond the cluster it uses", () => {
        const dev = estimateCost(committed("dev"));
        assert.strictEqual(dev.cloud, undefined);
        assert.strictEqual(dev.max, 0);
        assert.match(costSection(dev).join("\n"), /adds nothing billable beyond the cluster it uses/);
        assert.match(fs.readFileSync(summaryPath("dev"), "utf8"), /adds nothing billable beyond the cluster it uses/);
    });

    it("puts the section in every committed plans/<stack>.md with the prices' sources", () => {
        const md = fs.readFileSync(summaryPath("eks"), "utf8");
        assert.match(md, /^## Cost and quota$/m);
        const total = estimateCost(committed("eks")).min.toFixed(3);
        assert.ok(md.includes(`| **total** | **$${total}/h**`), `no total of $${total}/h in the eks plan`);
        assert.match(md, /`instance:g5\.xlarge` us-west-2: \$1\.006\/hour, 2026-12-07, quoted by https:\/\//);
    });
});

describe("cost and quota in the plan diff", () => {
    const before = committed("eks");
    const after = edited("eks", "aws:eks/nodeGroup:NodeGroup", (i) => (i.instanceTypes = ["g5.2xlarge"]));
    const id = after.resources.find((r) => r.type === "aws:eks/nodeGroup:NodeGroup" && /gpu/.test(r.name))!.id;

    it("counts old and new pools side by side while a replaced GPU pool is swapped", () => {
        const [q] = quotaDuringChange(estimateCost(before), estimateCost(after), new Set([id]));
        // g5.xlarge 4 vCPUs → g5.2xlarge 8 vCPUs, 2 nodes each.
        assert.deepStrictEqual([q.before, q.after, q.peak], [8, 16, 24]);
        const [kept] = quotaDuringChange(estimateCost(before), estimateCost(after), new Set());
        assert.strictEqual(kept.peak, 16);
    });

    it("shows the change in cost and the quota the change needs", () => {
        const text = costDiffLines(estimateCost(before), estimateCost(after), new Set([id])).join("\n");
        const delta = 2 * (priceOf("aws", "us-west-2", "instance:g5.2xlarge")!.usd - 1.006);
        assert.match(text, new RegExp(`maximum \\+\\$${delta.toFixed(3)}/h`));
        assert.match(text, /8 → 16 vCPUs at max scale; \*\*24 vCPUs during the change\*\*/);
        assert.match(costDiffLines(estimateCost(before), estimateCost(before), new Set()).join("\n"), /unchanged/);
    });
});
