// EKS cluster admins (`cluster.admins` on aws): access entries with AmazonEKSClusterAdminPolicy.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { accessEntryModes, clusterAdminPolicyArn, EksClusterAdmins } from "../components/eks/accessEntries";
import { evaluate } from "../harness/evaluate";
import { eksAuthenticationMode } from "../stacks/aws";

const arns = [
    "arn:aws:iam::123456789012:role/ops",
    "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123abcd",
    "arn:aws-cn:iam::123456789012:user/alice",
];

function run(principalArns: string[]) {
    return evaluate({ project: "torchserve-platform", stack: "eks", config: {}, preview: false }, async () => {
        new EksClusterAdmins("eks-admins", { clusterName: "torchserve-eks", authenticationMode: "API", principalArns });
    });
}

describe("EKS cluster admins: access entries", () => {
    it("gives each principal an access entry and the cluster admin policy at cluster scope, after its entry", async () => {
        const ev = await run(arns);
        const entries = ev.resources.filter((r) => r.type === "aws:eks/accessEntry:AccessEntry");
        const policies = ev.resources.filter(
            (r) => r.type === "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
        );
        assert.deepStrictEqual(
            entries.map((e) => [e.inputs.principalArn, e.inputs.clusterName, e.inputs.type]),
            arns.map((a) => [a, "torchserve-eks", "STANDARD"]),
        );
        assert.deepStrictEqual(
            policies.map((p) => [p.inputs.principalArn, p.inputs.policyArn, p.inputs.accessScope]),
            arns.map((a) => [
                a,
                `arn:${a.split(":")[1]}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
                { type: "cluster" },
            ]),
        );
        // EKS refuses an association for a principal without an entry: each waits for its entry.
        for (const [i, p] of policies.entries()) assert.ok(p.dependencies.includes(entries[i].urn), p.name);
        assert.strictEqual(
            clusterAdminPolicyArn(arns[0]),
            "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
        );
    });

    it("names a principal's resources after its ARN, so reordering the list changes nothing", async () => {
        const names = (ev: Awaited<ReturnType<typeof run>>) => ev.resources.map((r) => r.urn).sort();
        assert.deepStrictEqual(names(await run(arns)), names(await run([...arns].reverse())));
    });

    it("refuses a cluster whose authentication mode takes no access entries", () => {
        assert.throws(
            () =>
                new EksClusterAdmins("x", { clusterName: "c", authenticationMode: "CONFIG_MAP", principalArns: arns }),
            /authentication mode CONFIG_MAP/,
        );
    });

    it("the eks example's cluster is created with the authentication mode the admins' entries are made for", () => {
        const plan = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "plans", "eks.json"), "utf8"));
        const cluster = plan.resources.find((r: any) => r.type === "eks:index:Cluster");
        assert.strictEqual(cluster.inputs.authenticationMode, eksAuthenticationMode);
        assert.ok(accessEntryModes.includes(eksAuthenticationMode));
    });
});
