// The EKS add-on pins per Kubernetes minor (components/eks/versions.ts): well-formed, and never older
// on a newer minor (a `cluster.kubernetesVersion` upgrade moves every add-on forward or leaves it).
import * as assert from "assert";
import { addonTableProblems, EksAddonVersions, eksAddonVersions } from "../components/eks/versions";

const row: EksAddonVersions = {
    vpcCni: "v1.21.1-eksbuild.7",
    kubeProxy: "v1.35.3-eksbuild.13",
    coredns: "v1.14.2-eksbuild.4",
    efsCsiDriver: "v3.4.1-eksbuild.1",
    ebsCsiDriver: "v1.58.0-eksbuild.1",
    podIdentityAgent: "v1.3.10-eksbuild.3",
    mountpointS3CsiDriver: "v2.5.0-eksbuild.1",
    cloudWatchObservability: "v6.4.0-eksbuild.1",
};

describe("EKS add-on pins", () => {
    it("the shipped table is well-formed and moves forward with the minor", () => {
        assert.deepStrictEqual(addonTableProblems(eksAddonVersions), []);
    });

    const cases: [string, Record<string, EksAddonVersions>, RegExp | undefined][] = [
        ["the same builds on both minors", { "1.35": row, "1.36": row }, undefined],
        [
            "a newer build on the newer minor",
            { "1.35": row, "1.36": { ...row, vpcCni: "v1.22.4-eksbuild.3" } },
            undefined,
        ],
        [
            "an older minor version on the newer minor",
            { "1.35": row, "1.36": { ...row, vpcCni: "v1.20.1-eksbuild.3" } },
            /1\.36 vpcCni: v1\.20\.1-eksbuild\.3 is older than 1\.35's/,
        ],
        [
            "an older eksbuild on the newer minor",
            { "1.35": row, "1.36": { ...row, podIdentityAgent: "v1.3.10-eksbuild.2" } },
            /1\.36 podIdentityAgent/,
        ],
        [
            "10 after 9, not before it",
            {
                "1.35": { ...row, ebsCsiDriver: "v1.9.0-eksbuild.1" },
                "1.36": { ...row, ebsCsiDriver: "v1.10.0-eksbuild.1" },
            },
            undefined,
        ],
        [
            "a version EKS does not name so",
            { "1.35": { ...row, coredns: "1.14.2" } },
            /1\.35 coredns: 1\.14\.2 is not an EKS add-on version/,
        ],
    ];
    for (const [name, table, refused] of cases)
        it(`${refused ? "refuses" : "accepts"}: ${name}`, () => {
            const problems = addonTableProblems(table);
            if (!refused) assert.deepStrictEqual(problems, []);
            else
                assert.ok(
                    problems.some((p) => refused.test(p)),
                    problems.join("\n"),
                );
        });
});
