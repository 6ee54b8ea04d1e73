// The day-2 rules (harness/transitions/rules.ts) held to facts read from the providers' and the
// Kubernetes API server's own sources, not to the rules table itself: each row below was transcribed
// from the file and commit it cites, and the planner (harness/transitions/plan.ts diffResource) must
// answer a change of that one input as the source says — replaced, updated in place, or updated and
// refused by the API. A wrong entry in the table (a field missing, a field the provider updates in
// place listed as replacing) fails here.
import * as assert from "assert";
import { RegisteredResource } from "../harness/evaluate";
import { diffResource } from "../harness/transitions/plan";
import { kubernetesProviderReplaces } from "../harness/transitions/rules";
import { parsePath, setPath } from "../harness/transitions/paths";

/** What the source says a change of `path` does. */
type Answer = "replace" | "update" | "refused";

interface Fact {
    type: string;
    path: string;
    answer: Answer;
    /** Values before and after (defaults: two different strings). */
    before?: unknown;
    after?: unknown;
    /** Other inputs the resource has (e.g. a set nodeAffinity). */
    inputs?: Record<string, unknown>;
}

/** Facts of one source: [path, answer] rows, or full rows. */
function from(type: string, rows: ([string, Answer] | Omit<Fact, "type">)[]): Fact[] {
    return rows.map((r) => (Array.isArray(r) ? { type, path: r[0], answer: r[1] } : { type, ...r }));
}

// hashicorp/terraform-provider-google google/services/container/node_config.go
// @00b984c6987304290117e54f87cdfd38f2be0685 schemaNodeConfig: ForceNew on guest_accelerator, spot,
// preemptible, oauth_scopes, metadata, service_account, min_cpu_platform; machine_type, disk_size_gb,
// disk_type, labels and taint without ForceNew.
const gkeNodeConfig = from("gcp:container/nodePool:NodePool", [
    ["nodeConfig.guestAccelerators", "replace"],
    ["nodeConfig.spot", "replace"],
    ["nodeConfig.preemptible", "replace"],
    ["nodeConfig.oauthScopes", "replace"],
    ["nodeConfig.metadata", "replace"],
    ["nodeConfig.serviceAccount", "replace"],
    ["nodeConfig.minCpuPlatform", "replace"],
    ["nodeConfig.machineType", "update"],
    ["nodeConfig.diskSizeGb", "update"],
    ["nodeConfig.diskType", "update"],
    ["nodeConfig.labels", "update"],
]);

// hashicorp/terraform-provider-google google/services/filestore/resource_filestore_instance.go
// @01fd07ad86985e682ab59a9ef195742303af42c0: ForceNew on tier, networks, location, zone, project,
// kms_key_name and file_shares.name; `name` has no ForceNew (so an in-place update, whose PATCH
// addresses the new name: refused); capacity_gb, description, labels neither.
const filestore = from("gcp:filestore/instance:Instance", [
    ["name", "refused"],
    ["tier", "replace"],
    ["networks", "replace"],
    ["location", "replace"],
    ["project", "replace"],
    ["kmsKeyName", "replace"],
    ["fileShares.name", "replace"],
    ["description", "update"],
    ["labels", "update"],
]);

// hashicorp/terraform-provider-google google/services/resourcemanager/iam_project.go
// @1babe97f1e921e124bb5e83e703d3d9a0c3d0892 IamProjectSchema: project ForceNew; role, member and
// condition ForceNew in google/tpgiamresource/resource_iam_member.go (no Update).
const projectIam = from("gcp:projects/iAMMember:IAMMember", [
    ["project", "replace"],
    ["role", "replace"],
    ["member", "replace"],
]);

// pulumi/pulumi-azure-native provider/pkg/gen/replacement.go @1b7112af33c62b247daed1028686bf279f4d5e69
// forceNewMap: Authorization RoleAssignment {principalId, scope}; ContainerService AgentPool
// {gpuInstanceProfile, vmSize, nodePublicIPTags}; ManagedCluster {dnsPrefix, nodeResourceGroup, …}.
const azure = [
    ...from("azure-native:authorization:RoleAssignment", [
        ["principalId", "replace"],
        ["scope", "replace"],
    ]),
    ...from("azure-native:containerservice:AgentPool", [
        ["vmSize", "replace"],
        ["gpuInstanceProfile", "replace"],
    ]),
    ...from("azure-native:containerservice:ManagedCluster", [
        ["dnsPrefix", "replace"],
        ["nodeResourceGroup", "replace"],
        ["networkProfile.networkDataplane", "replace"],
        ["networkProfile.loadBalancerProfile", "update"],
    ]),
];

// pulumi/pulumi-kubernetes provider/pkg/provider/diff.go @00302beb58ae08591f0c8b0b065871c50ba35250
// forceNew: core/v1 PersistentVolume lists only its volume sources (.spec.csi, .spec.nfs, .spec.azureFile,
// …), StorageClass .parameters and .provisioner, Service .spec.clusterIP, RoleBinding .roleRef.
// kubernetes/kubernetes pkg/apis/core/validation/validation.go ValidatePersistentVolumeUpdate (master,
// 2026): the volume source, volumeMode and a nodeAffinity already set are immutable; capacity,
// storageClassName, reclaim policy and mount options are not checked on update.
const affinity = (zone: string) => ({
    required: {
        nodeSelectorTerms: [
            { matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: [zone] }] },
        ],
    },
});
const kubernetes = [
    ...from("kubernetes:core/v1:PersistentVolume", [
        ["spec.csi.volumeHandle", "replace"],
        ["spec.nfs.path", "replace"],
        ["spec.azureFile.shareName", "replace"],
        { path: "spec.capacity.storage", answer: "update", before: "1Gi", after: "2Gi" },
        ["spec.storageClassName", "update"],
        ["spec.persistentVolumeReclaimPolicy", "update"],
        ["spec.mountOptions", "update"],
        { path: "spec.volumeMode", answer: "refused", before: "Filesystem", after: "Block" },
        {
            path: "spec.nodeAffinity",
            answer: "refused",
            before: affinity("us-central1-a"),
            after: affinity("us-central1-b"),
        },
        // Setting a nodeAffinity the volume did not have is allowed.
        { path: "spec.nodeAffinity", answer: "update", before: undefined, after: affinity("us-central1-b") },
    ]),
    ...from("kubernetes:storage.k8s.io/v1:StorageClass", [
        ["parameters.skuName", "replace"],
        ["provisioner", "replace"],
    ]),
    ...from("kubernetes:core/v1:Service", [
        ["spec.clusterIP", "replace"],
        ["spec.type", "update"],
    ]),
    ...from("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", [["roleRef.name", "replace"]]),
    ...from("kubernetes:policy/v1:PodDisruptionBudget", [["spec.minAvailable", "update"]]),
];

const facts: Fact[] = [...gkeNodeConfig, ...filestore, ...projectIam, ...azure, ...kubernetes];

/** A registration of `type` with `inputs`, as the planner reads it. */
function registration(type: string, inputs: Record<string, unknown>): RegisteredResource {
    return {
        urn: `urn:pulumi:t::p::${type}::r`,
        type,
        name: "r",
        custom: true,
        parent: "",
        provider: "",
        dependencies: [],
        options: {},
        inputs,
    } as RegisteredResource;
}

/** The planner's answer to a change of one input. */
function answerOf(f: Fact): Answer {
    const seg = parsePath(f.path);
    const base = f.inputs ?? {};
    const before = setPath(base, seg, "before" in f ? f.before : "a") as Record<string, unknown>;
    const after = setPath(base, seg, "after" in f ? f.after : "b") as Record<string, unknown>;
    const step = diffResource(registration(f.type, after), registration(f.type, before), "urn");
    assert.notStrictEqual(step.action, "same", `${f.type} ${f.path}: the change was not seen`);
    if (step.action === "replace") return "replace";
    return step.refused.length > 0 ? "refused" : "update";
}

describe("day-2 rules agree with the providers' and the API server's sources", () => {
    for (const f of facts) {
        it(`${f.type} ${f.path} → ${f.answer}`, () => assert.strictEqual(answerOf(f), f.answer));
    }
});

// pulumi/pulumi-kubernetes provider/pkg/provider/provider_test.go (DiffConfig, "when the cluster info
// has changed": replaced without a clusterIdentifier, not with an unchanged one, replaced with a
// different one) and provider.go@010f5d8e95e3cc9a384442e8239310d51fdc052e DiffConfig (an unknown
// kubeconfig, context or cluster replaces; the active cluster not found — no kubeconfig — does not).
describe("the Kubernetes provider is replaced as pulumi-kubernetes's DiffConfig decides", () => {
    const kubeconfig = (server: string, current = "a", bServer = "https://b.example") =>
        JSON.stringify({
            apiVersion: "v1",
            kind: "Config",
            "current-context": current,
            clusters: [
                { name: "a", cluster: { server } },
                { name: "b", cluster: { server: bServer } },
            ],
            contexts: [
                { name: "a", context: { cluster: "a", user: "u" } },
                { name: "a-admin", context: { cluster: "a", user: "admin" } },
                { name: "b", context: { cluster: "b", user: "u" } },
            ],
            users: [{ name: "u", user: {} }],
        });
    const type = "pulumi:providers:kubernetes";
    const answer = (before: Record<string, unknown>, after: Record<string, unknown>): Answer => {
        const step = diffResource(registration(type, after), registration(type, before), "urn");
        return step.action === "replace" ? "replace" : "update";
    };
    const rows: [string, Record<string, unknown>, Record<string, unknown>, Answer][] = [
        [
            "the active cluster's server changes",
            { kubeconfig: kubeconfig("https://a") },
            { kubeconfig: kubeconfig("https://a2") },
            "replace",
        ],
        [
            "the same, with an unchanged clusterIdentifier",
            { kubeconfig: kubeconfig("https://a"), clusterIdentifier: "foo" },
            { kubeconfig: kubeconfig("https://a2"), clusterIdentifier: "foo" },
            "update",
        ],
        [
            "a different clusterIdentifier",
            { kubeconfig: kubeconfig("https://a"), clusterIdentifier: "foo" },
            { kubeconfig: kubeconfig("https://a"), clusterIdentifier: "bar" },
            "replace",
        ],
        [
            "context to another cluster",
            { kubeconfig: kubeconfig("https://a"), context: "a" },
            { kubeconfig: kubeconfig("https://a"), context: "b" },
            "replace",
        ],
        [
            "context to another user of the same cluster",
            { kubeconfig: kubeconfig("https://a"), context: "a" },
            { kubeconfig: kubeconfig("https://a"), context: "a-admin" },
            "update",
        ],
        [
            "current-context moved to another cluster",
            { kubeconfig: kubeconfig("https://a", "a") },
            { kubeconfig: kubeconfig("https://a", "b") },
            "replace",
        ],
        [
            "another cluster's entry changes",
            { kubeconfig: kubeconfig("https://a") },
            { kubeconfig: kubeconfig("https://a", "a", "https://b2") },
            "update",
        ],
        [
            "the ambient kubeconfig, context switched (no active cluster found)",
            { context: "a" },
            { context: "b" },
            "update",
        ],
    ];
    for (const [what, before, after, expected] of rows)
        it(`${what} → ${expected}`, () => assert.strictEqual(answer(before, after), expected));

    it("a kubeconfig unknown at preview (the cluster is being replaced) → replace", () => {
        assert.deepStrictEqual(
            kubernetesProviderReplaces({ kubeconfig: kubeconfig("https://a") }, {}, ["kubeconfig"]).map((r) => r.path),
            ["kubeconfig"],
        );
    });
});
