// tools/compare-plans.ts: how the committed plans show that the move to `index` type tokens changed
// nothing else (`npx ts-node --transpile-only tools/compare-plans.ts <rev before>`).
import * as assert from "assert";
import { indexTokenRenames, tokenOnlyDifferences } from "../tools/compare-plans";

describe("tools/compare-plans.ts: plans that differ only by type tokens", () => {
    const renames = indexTokenRenames({ EksCluster: "p:eks:Cluster", ClusterAutoscaler: "p:eks:ClusterAutoscaler" });
    const plan = (cluster: string, autoscaler: string, overrides: { role?: object; deps?: string[] } = {}) => ({
        resources: [
            { id: `${cluster}::eks`, type: cluster, parent: "", dependencies: [], inputs: {} },
            {
                id: `${cluster}$${autoscaler}::ca`,
                type: autoscaler,
                parent: `${cluster}::eks`,
                dependencies: [],
                inputs: {},
            },
            {
                id: `${cluster}$aws:iam/role:Role::eks-node`,
                type: "aws:iam/role:Role",
                parent: `${cluster}::eks`,
                dependencies: overrides.deps ?? [`${cluster}$${autoscaler}::ca`, `${cluster}::eks`],
                inputs: { tags: { a: "1" }, ...overrides.role },
            },
        ],
        counts: { [cluster]: 1, [autoscaler]: 1, "aws:iam/role:Role": 1 },
    });
    const before = plan("p:eks:Cluster", "p:eks:ClusterAutoscaler");
    const cluster = "torchserve-platform:index:EksCluster";
    const autoscaler = "torchserve-platform:index:ClusterAutoscaler";

    it("finds no difference when only the tokens changed (ids re-sorted)", () => {
        assert.deepStrictEqual(tokenOnlyDifferences(before, plan(cluster, autoscaler), renames), []);
    });

    it("finds a changed input, a dropped dependency and a token renamed otherwise", () => {
        assert.ok(
            tokenOnlyDifferences(before, plan(cluster, autoscaler, { role: { tags: { a: "2" } } }), renames).length,
        );
        assert.ok(
            tokenOnlyDifferences(before, plan(cluster, autoscaler, { deps: [`${cluster}::eks`] }), renames).length,
        );
        // A token sharing a prefix with another is renamed whole, not as `EksCluster` + `Autoscaler`.
        assert.ok(
            tokenOnlyDifferences(before, plan(cluster, "torchserve-platform:index:EksClusterAutoscaler"), renames)
                .length,
        );
    });
});
