// How components take readiness as resource options (components/cluster/options.ts): dependsOn is
// split off the component's own options and handed, combined with TS-only lists, to its children.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { allDependsOn, splitDependsOn } from "../components/cluster/options";

/** Stands in for a resource: Resource.isInstance only looks for this marker. */
const fake = (name: string) => ({ __pulumiResource: true, name }) as unknown as pulumi.Resource;
const names = (rs: unknown) => (rs as { name: string }[]).map((r) => r.name);

describe("component options", () => {
    const a = fake("a");
    const b = fake("b");
    const c = fake("c");

    it("splits dependsOn off the component's own options, keeping the rest", () => {
        const provider = fake("provider") as unknown as pulumi.ProviderResource;
        const { own, dependsOn } = splitDependsOn({ provider, dependsOn: [a], protect: true });
        assert.deepStrictEqual(own, { provider, protect: true });
        assert.deepStrictEqual(names(dependsOn), ["a"]);
        assert.deepStrictEqual(splitDependsOn(undefined), { own: {}, dependsOn: undefined });
    });

    const cases: { name: string; lists: Parameters<typeof allDependsOn>; want: string[] }[] = [
        { name: "lists and single resources, in order", lists: [[a], b, undefined, [c]], want: ["a", "b", "c"] },
        { name: "nothing", lists: [undefined, []], want: [] },
    ];
    for (const t of cases) {
        it(`combines ${t.name} into one plain list`, () => {
            const got = allDependsOn(...t.lists);
            assert.ok(Array.isArray(got));
            assert.deepStrictEqual(names(got), t.want);
        });
    }

    it("combines a list that is an Output or a Promise into an Output of every resource", async () => {
        const got = allDependsOn([a], pulumi.output([b]) as pulumi.Input<pulumi.Resource[]>, Promise.resolve([c]));
        assert.ok(pulumi.Output.isInstance(got));
        assert.deepStrictEqual(names(await (got as any).promise()), ["a", "b", "c"]);
    });
});
