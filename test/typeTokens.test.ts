// Type tokens: every component registers as `torchserve-platform:index:<ClassName>` with an alias
// to the token it had before, and a stack created before the change keeps every resource: each URN
// the old program registered is the new resource's URN or one of the aliases the engine derives.
import * as assert from "assert";
import { Evaluation, RecordedAlias, RegisteredResource } from "../harness/evaluate";
import { configFor, runProgram } from "../harness/program";
import { projectName } from "../harness/stackFiles";
import { baseTypeOf, matchUrns, nameOf } from "../harness/transitions/urns";
import previous from "./data/pre-index-urns.json";

/** Each component's token before the move to the `index` module, by class name. */
const previousTypes: Record<string, string> = previous.previousTypes;

/**
 * Resources added since the move, which no old stack holds (`<type>::<name>` of the URN's end):
 * they are created, not matched. Components added since then register under `index` with no alias.
 */
const addedSinceMove = [
    "kubernetes:core/v1:ServiceAccount::torchserve-service-account",
    // Triton's repository volume (the gke example runs Triton, which came after the move).
    "kubernetes:core/v1:PersistentVolume::torchserve-gke-triton-repository",
];
const componentsSinceMove = [
    "EksModelReader",
    "GkeModelReader",
    "AksModelReader",
    "S3ModelBucket",
    "BlobModelBucket",
    "Triton",
];
const isAdded = (urn: string) =>
    addedSinceMove.some((a) => urn.endsWith(`$${a}`) || urn.endsWith(`::${a}`)) ||
    componentsSinceMove.some((c) => urn.includes(`torchserve-platform:index:${c}`));

/**
 * Which resources of an evaluation the engine would match to a stack whose state holds `oldUrns`
 * (harness/transitions/urns.ts emulates the engine's step generator).
 */
function matchPreviousUrns(
    resources: RegisteredResource[],
    stack: string,
    oldUrns: string[],
): { unmatched: string[]; unclaimed: string[] } {
    const { unmatched, unclaimed } = matchUrns(resources, stack, projectName, oldUrns);
    return { unmatched, unclaimed };
}

/** The example stacks, and the EKS one with every add-on (the other components only appear then). */
// Logging came after the move: its resources are new (no URN to keep), so the stacks run without it.
// The eks and gke examples now mount their models' bucket (README "Model store"): the URNs from before
// the move are those of their file-share store with the public model they served then.
const fileShareStore = (stack: string): Record<string, unknown> =>
    stack === "eks" || stack === "gke"
        ? {
              torchserve: {
                  ...(configFor(stack)[`${projectName}:torchserve`] as object),
                  modelStore: "fileShare",
                  persistenceSize: stack === "gke" ? "1Ti" : "10Gi",
                  models: [
                      {
                          name: "squeezenet1_1",
                          url: "https://torchserve.pytorch.org/mar_files/squeezenet1_1.mar",
                          minWorkers: 1,
                          maxWorkers: 1,
                      },
                  ],
              },
          }
        : {};
const cases: { key: string; stack: string; override?: Record<string, unknown> }[] = [
    ...["aks", "dev", "eks", "gke"].map((stack) => ({
        key: stack,
        stack,
        // The aks example turned Istio on after the move (the mesh's URNs are checked in eks+addons).
        override: { logging: false, ...(stack === "aks" ? { istio: false } : {}), ...fileShareStore(stack) },
    })),
    {
        key: "eks+addons",
        stack: "eks",
        override: { ...previous.addonsOverride, logging: false, ...fileShareStore("eks") },
    },
];

/**
 * Resources that later changes added or removed, as `<type>::<name>`, per case: an added one has no
 * URN from before the move to match, a removed one no resource now. Each entry must still be so, so
 * the list cannot hide a lost alias or go stale.
 */
const eksSecurity = {
    added: [
        "aws:eks/addon:Addon::eks-vpc-cni-agent",
        "aws:eks/podIdentityAssociation:PodIdentityAssociation::eks-vpc-cni",
        "aws:iam/role:Role::eks-vpc-cni",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment::eks-vpc-cni",
        "aws:ec2/launchTemplate:LaunchTemplate::eks-gpu",
        "aws:ec2/launchTemplate:LaunchTemplate::eks-system",
    ],
    // The VPC CNI's policy left the node role for the CNI's own (components/eks/iam.ts).
    removed: ["aws:iam/rolePolicyAttachment:RolePolicyAttachment::eks-node-1"],
};
/** Added by the day-2 changes (issue 11): pinned CoreDNS, the model store's own volumes, maintenance, APIs. */
const day2Added: Record<string, string[]> = {
    eks: [
        "aws:eks/addon:Addon::eks-coredns",
        "aws:efs/accessPoint:AccessPoint::eks-models-ap",
        "kubernetes:core/v1:PersistentVolume::eks-models-pv",
        // Issue 22: the control plane's log group whatever the logging backend, Prometheus's own volume.
        "aws:cloudwatch/logGroup:LogGroup::eks-control-plane",
        "aws:ebs/volume:Volume::monitoring-prometheus",
        "kubernetes:core/v1:PersistentVolume::monitoring-prometheus",
        "aws:ec2/vpcEndpoint:VpcEndpoint::eks-s3",
    ],
    aks: [
        "azure-native:containerservice:MaintenanceConfiguration::torchserve-aks-aksManagedAutoUpgradeSchedule",
        "azure-native:containerservice:MaintenanceConfiguration::torchserve-aks-aksManagedNodeOSUpgradeSchedule",
    ],
    gke: [
        "gcp:filestore/instance:Instance::torchserve-gke-models",
        "kubernetes:core/v1:PersistentVolume::torchserve-gke-models",
        "gcp:projects/service:Service::torchserve-gke-compute",
        "gcp:projects/service:Service::torchserve-gke-container",
        "gcp:projects/service:Service::torchserve-gke-file",
        "gcp:projects/service:Service::torchserve-gke-iam",
    ],
};
const changedSince: Record<string, { added: string[]; removed: string[] }> = {
    // The eks example turned on Prometheus and KEDA autoscaling (issue 12): their components and children,
    // and the PodDisruptionBudget autoscaling puts on TorchServe, are new to a stack of the old example.
    eks: {
        added: [
            ...eksSecurity.added,
            "torchserve-platform:index:Monitoring::monitoring",
            "torchserve-platform:index:Autoscaling::autoscaling",
            "kubernetes:policy/v1:PodDisruptionBudget::torchserve-pdb",
            "kubernetes:helm.sh/v3:Release::kube-prometheus-stack",
            "kubernetes:monitoring.coreos.com/v1:PodMonitor::monitoring-torchserve-podmonitor",
            "kubernetes:monitoring.coreos.com/v1:PrometheusRule::monitoring-alert-rules",
            "kubernetes:helm.sh/v3:Release::dcgm-exporter",
            "kubernetes:helm.sh/v3:Release::keda",
            "kubernetes:keda.sh/v1alpha1:ScaledObject::autoscaling-scaled-object",
        ],
        removed: eksSecurity.removed,
    },
    // With the mesh on (issue 10, workload side): the AuthorizationPolicy on TorchServe's pods.
    "eks+addons": {
        added: [
            ...eksSecurity.added,
            "kubernetes:security.istio.io/v1:AuthorizationPolicy::torchserve-authorizationpolicy-torchserve",
            // Issue 12: KEDA, its ScaledObject and the gateway's PodMonitor replaced prometheus-adapter and the HPA.
            "kubernetes:helm.sh/v3:Release::keda",
            "kubernetes:keda.sh/v1alpha1:ScaledObject::autoscaling-scaled-object",
            "kubernetes:monitoring.coreos.com/v1:PodMonitor::autoscaling-gateway-monitor",
            // Issue 23: Grafana's admin password moved from the release's values to a Secret.
            "kubernetes:core/v1:Secret::grafana-admin",
        ],
        removed: [
            ...eksSecurity.removed,
            "kubernetes:helm.sh/v3:Release::prometheus-adapter",
            "kubernetes:autoscaling/v2:HorizontalPodAutoscaler::autoscaling-hpa",
        ],
    },
    gke: {
        added: [
            "gcp:compute/router:Router::torchserve-gke",
            "gcp:compute/routerNat:RouterNat::torchserve-gke",
            "gcp:projects/iAMMember:IAMMember::torchserve-gke-nodes-container.defaultNodeServiceAccount",
            "gcp:serviceaccount/account:Account::torchserve-gke",
            // Issue 20: the APIs Workload Identity's tokens and the models' bucket IAM call.
            "gcp:projects/service:Service::torchserve-gke-iamcredentials",
            "gcp:projects/service:Service::torchserve-gke-storage",
        ],
        removed: [],
    },
    aks: {
        added: ["azure-native:authorization:RoleAssignment::torchserve-aks-admin-00000000-0000-0000-0000-000000000000"],
        removed: [],
    },
};

/** A match result without the resources `changedSince` lists, each of which must be among them. */
function withoutChanges(
    key: string,
    result: { unmatched: string[]; unclaimed: string[] },
): { unmatched: string[]; unclaimed: string[] } {
    const changed = changedSince[key] ?? { added: [], removed: [] };
    const added = [...changed.added, ...(day2Added[key.split("+")[0]] ?? [])];
    const removed = changed.removed;
    const id = (urn: string) => `${baseTypeOf(urn)}::${nameOf(urn)}`;
    for (const a of added) assert.ok(result.unmatched.map(id).includes(a), `${a} is listed as added but matched`);
    for (const r of removed) assert.ok(result.unclaimed.map(id).includes(r), `${r} is listed as removed but exists`);
    return {
        unmatched: result.unmatched.filter((u) => !added.includes(id(u))),
        unclaimed: result.unclaimed.filter((u) => !removed.includes(id(u))),
    };
}

const oldUrnsOf = (key: string, stack: string): string[] =>
    (previous.urns as Record<string, string[]>)[key].map((id) => `urn:pulumi:${stack}::${projectName}::${id}`);

describe("component type tokens", function () {
    this.timeout(60000);
    const runs = new Map<string, Evaluation>();
    before(async () => {
        for (const c of cases) {
            runs.set(c.key, await runProgram({ stack: c.stack, override: c.override, preview: true }));
        }
    });

    it("every component registers as torchserve-platform:index:<ClassName>, aliased to its previous token", () => {
        const seen = new Set<string>();
        for (const ev of runs.values()) {
            for (const r of ev.resources.filter((x) => x.type.startsWith("torchserve-platform:"))) {
                const className = /^torchserve-platform:index:(\w+)$/.exec(r.type)?.[1];
                if (className && componentsSinceMove.includes(className)) continue;
                assert.ok(className && className in previousTypes, `unexpected component type ${r.type}`);
                seen.add(className);
                assert.deepStrictEqual(
                    r.aliases,
                    [
                        {
                            name: "",
                            type: previousTypes[className],
                            stack: "",
                            project: "",
                            parentUrn: r.parent,
                            noParent: false,
                        },
                    ],
                    `${r.type} ${r.name}`,
                );
            }
        }
        assert.deepStrictEqual([...seen].sort(), Object.keys(previousTypes).sort(), "every component is covered");
    });

    for (const c of cases) {
        it(`${c.key}: every resource keeps its URN from before the move, directly or through an alias`, () => {
            const result = matchPreviousUrns(runs.get(c.key)!.resources, c.stack, oldUrnsOf(c.key, c.stack));
            assert.deepStrictEqual(
                withoutChanges(c.key, { ...result, unmatched: result.unmatched.filter((u) => !isAdded(u)) }),
                { unmatched: [], unclaimed: [] },
            );
        });
    }

    it("the URN check fails when a component's alias is missing or wrong", () => {
        const resources = runs.get("eks")!.resources;
        const oldUrns = oldUrnsOf("eks", "eks");
        const without = (keep: (r: RegisteredResource) => RecordedAlias[] | undefined) =>
            withoutChanges(
                "eks",
                matchPreviousUrns(
                    resources.map((r) => ({ ...r, aliases: keep(r) })),
                    "eks",
                    oldUrns,
                ),
            );
        // No aliases at all: everything under a component is new, and the old resources would be deleted.
        const none = without(() => undefined);
        const underComponents = resources.filter((r) => r.type.startsWith("torchserve-platform:")).length;
        assert.ok(none.unmatched.length > underComponents, `${none.unmatched.length} unmatched`);
        assert.strictEqual(none.unclaimed.length, none.unmatched.filter((u) => !isAdded(u)).length);
        // The node group component's alias only: its children (node groups, ASG tags) lose their URNs.
        const nodeGroups = without((r) => (r.type.endsWith(":EksNodeGroup") ? undefined : r.aliases));
        assert.ok(nodeGroups.unmatched.some((u) => u.endsWith("aws:eks/nodeGroup:NodeGroup::eks-gpu")));
        assert.ok(nodeGroups.unclaimed.some((u) => u.endsWith("aws:eks/nodeGroup:NodeGroup::eks-gpu")));
        // An alias to the wrong token matches nothing either.
        const wrong = without((r) =>
            r.type.endsWith(":EksNetwork") ? [{ ...r.aliases![0], type: "torchserve-platform:eks:Vpc" }] : r.aliases,
        );
        assert.ok(wrong.unmatched.some((u) => u.endsWith("aws:ec2/vpc:Vpc::eks-vpc")));
    });
});
