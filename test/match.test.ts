// test/support/match.ts: how tests find resources (by type token and Pulumi name, or by Kubernetes
// kind and metadata.name), and that `one` fails rather than pick among none or several.
import * as assert from "assert";
import { RegisteredResource } from "../harness/evaluate";
import { all, kindOf, one } from "./support/match";

const resource = (type: string, name: string, inputs: Record<string, any> = {}, custom = true): RegisteredResource => ({
    urn: `urn:pulumi:test::p::${type}::${name}`,
    type,
    name,
    custom,
    parent: "",
    provider: "",
    dependencies: [],
    options: {},
    inputs,
});

const resources = [
    resource("kubernetes:apps/v1:Deployment", "torchserve", { metadata: { name: "ts-stable" } }),
    resource("kubernetes:apps/v1:Deployment", "torchserve-canary", { metadata: { name: "ts-canary" } }),
    resource("kubernetes:core/v1:Service", "torchserve", { metadata: { name: "torchserve" } }),
    resource("aws:iam/role:Role", "role"),
    // A cloud type whose last segment reads like a kind, and a component: neither is a Kubernetes object.
    resource("test:index:Service", "fake"),
    resource("torchserve-platform:torchserve:Deployment", "component", {}, false),
];
const ev = { resources, outputs: {}, secretOutputs: [], calls: [], logs: [] };
const objects = [
    { kind: "Gateway", metadata: { name: "gw" } },
    { kind: "VirtualService", metadata: { name: "vs-a" } },
    { kind: "VirtualService", metadata: { name: "vs-b" } },
];

describe("resource matching (test/support/match.ts)", () => {
    const rows: [string, () => unknown[], string[]][] = [
        ["type token", () => all(ev, "kubernetes:apps/v1:Deployment"), ["torchserve", "torchserve-canary"]],
        ["type token + Pulumi name", () => all(ev, "kubernetes:apps/v1:Deployment", "torchserve"), ["torchserve"]],
        ["a type token's name is not metadata.name", () => all(ev, "kubernetes:apps/v1:Deployment", "ts-stable"), []],
        ["kind, Kubernetes objects only", () => all(ev, "Deployment"), ["torchserve", "torchserve-canary"]],
        ["kind + metadata.name", () => all(ev, "Deployment", "ts-canary"), ["torchserve-canary"]],
        ["a kind's name is not the Pulumi name", () => all(ev, "Deployment", "torchserve-canary"), []],
        ["kind never matches other providers' types", () => all(ev, "Service"), ["torchserve"]],
        ["a resource list works like an evaluation", () => all(resources, "aws:iam/role:Role"), ["role"]],
        ["plain objects by kind", () => all(objects, "VirtualService"), ["vs-a", "vs-b"]],
        ["plain objects by kind + name", () => all(objects, "VirtualService", "vs-b"), ["vs-b"]],
    ];
    for (const [what, run, names] of rows) {
        it(what, () => {
            const found = run() as (RegisteredResource | { metadata: { name: string } })[];
            assert.deepStrictEqual(
                found.map((x) => ("urn" in x ? x.name : x.metadata.name)),
                names,
            );
        });
    }

    it("one returns the single match", () => {
        assert.strictEqual(one(ev, "Service").name, "torchserve");
        assert.strictEqual(one(ev, "aws:iam/role:Role").name, "role");
        assert.strictEqual(one(objects, "Gateway").metadata.name, "gw");
    });

    it("one fails on none and on several, naming what it found", () => {
        assert.throws(
            () => one(ev, "kubernetes:core/v1:ConfigMap"),
            /expected one kubernetes:core\/v1:ConfigMap, found none/,
        );
        assert.throws(() => one(ev, "Deployment"), /expected one Deployment, found torchserve, torchserve-canary/);
        assert.throws(() => one(objects, "VirtualService"), /found vs-a, vs-b/);
    });

    it("plain objects have no type token", () => {
        assert.throws(() => all(objects, "kubernetes:networking.istio.io/v1:Gateway"), /matched by kind/);
    });

    it("kindOf reads Kubernetes type tokens only", () => {
        assert.strictEqual(kindOf("kubernetes:networking.k8s.io/v1:NetworkPolicy"), "NetworkPolicy");
        assert.strictEqual(kindOf("kubernetes:core/v1:Service"), "Service");
        assert.strictEqual(kindOf("gcp:compute/network:Network"), undefined);
    });
});
