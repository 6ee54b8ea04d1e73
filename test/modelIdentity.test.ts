// The workload identity each cloud stack creates for object-store models, under mocks: exact policy
// documents, role scopes and the ServiceAccount / pod wiring that hands it to TorchServe's pods.
import { strict as assert } from "assert";
import { Evaluation } from "../harness/evaluate";
import { fakeAksOidcIssuer, fakeIdentityClientId, fakeIdentityPrincipalId } from "../harness/cloudComputed";
import { fakeAwsAccountId, fakeAzureSubscriptionId } from "../harness/cloudMocks";
import { configFor, runProgram } from "../harness/program";
import { modelReadPolicy } from "../components/eks/modelReader";
import { trackLabels } from "../components/torchserve/workload";
import { all, one } from "./support/match";
import { staticCredentials } from "./support/staticCredentials";

const P = "torchserve-platform";
const torchserveOf = (stack: string) => configFor(stack)[`${P}:torchserve`] as Record<string, unknown>;
/** Cloud stacks require each archive's SHA-256 (stacks/config/security.ts). */
const sha256 = "a".repeat(64);
const withModels = (
    stack: string,
    models: { name: string; url: string; sha256: string }[],
    extra: Record<string, unknown> = {},
) => ({
    // The fetcher's identity: the models go into the file share (the eks and gke examples mount their
    // bucket instead; test/modelBucket.test.ts covers that store), Filestore at its 1 TiB minimum.
    torchserve: {
        ...torchserveOf(stack),
        modelStore: "fileShare",
        ...(stack === "gke" ? { persistenceSize: "1Ti" } : {}),
        models,
        ...extra,
    },
});

describe("model identities (object-store URLs)", function () {
    this.timeout(60000);
    const runs: Record<string, Evaluation> = {};
    before(async () => {
        const kms = "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        const cases: [string, string, Record<string, unknown>][] = [
            [
                "eks",
                "eks",
                withModels(
                    "eks",
                    [
                        { name: "resnet", url: "s3://acme-models/resnet/v1/resnet.mar", sha256 },
                        { name: "bert", url: "s3://acme-models/bert.mar", sha256 },
                        { name: "public", url: "https://example.com/m.mar", sha256 },
                    ],
                    { kmsKeyArn: kms },
                ),
            ],
            [
                "gke",
                "gke",
                withModels("gke", [
                    { name: "resnet", url: "gs://acme-models/resnet/v1/resnet.mar", sha256 },
                    { name: "bert", url: "gs://acme-more/bert.mar", sha256 },
                ]),
            ],
            [
                "aks",
                "aks",
                withModels(
                    "aks",
                    [
                        {
                            name: "resnet",
                            url: "https://acmemodels.blob.core.windows.net/models/resnet/v1/resnet.mar",
                            sha256,
                        },
                    ],
                    {
                        storageResourceGroup: "models-rg",
                    },
                ),
            ],
            [
                "existing",
                "dev",
                withModels("dev", [{ name: "resnet", url: "gs://acme-models/resnet.mar", sha256 }], {
                    serviceAccount: {
                        annotations: { "iam.gke.io/gcp-service-account": "reader@p.iam.gserviceaccount.com" },
                        podLabels: { team: "ml" },
                    },
                }),
            ],
        ];
        for (const [key, stack, override] of cases) runs[key] = await runProgram({ stack, override, preview: false });
    });

    const serviceAccount = (ev: Evaluation) => one(ev, "ServiceAccount", "torchserve").inputs;
    const podSpec = (ev: Evaluation) => one(ev, "Deployment", "torchserve").inputs.spec.template;

    it("EKS: a role only EKS Pod Identity assumes, associated with TorchServe's ServiceAccount once the cluster's agent add-on exists", () => {
        const ev = runs.eks;
        const agent = all(ev, "aws:eks/addon:Addon").filter((a) => a.inputs.addonName === "eks-pod-identity-agent");
        assert.equal(agent.length, 1, "one agent add-on per cluster (EksCluster's)");
        const role = one(ev, "aws:iam/role:Role", "torchserve-models").inputs;
        assert.deepEqual(JSON.parse(role.assumeRolePolicy), {
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Principal: { Service: "pods.eks.amazonaws.com" },
                    Action: ["sts:AssumeRole", "sts:TagSession"],
                    // Only TorchServe's service account of this cluster, in this account: not any Pod
                    // Identity association in the account (EKS user guide pod-id-role.html).
                    Condition: {
                        StringEquals: {
                            "aws:SourceAccount": fakeAwsAccountId,
                            "aws:RequestTag/eks-cluster-arn": `arn:aws:eks:us-west-2:${fakeAwsAccountId}:cluster/torchserve-eks`,
                            "aws:RequestTag/kubernetes-namespace": "torchserve",
                            "aws:RequestTag/kubernetes-service-account": "torchserve",
                        },
                    },
                },
            ],
        });
        const association = one(
            ev,
            "aws:eks/podIdentityAssociation:PodIdentityAssociation",
            "torchserve-models",
        ).inputs;
        assert.equal(association.namespace, "torchserve");
        assert.equal(association.serviceAccount, "torchserve");
        assert.equal(association.clusterName, "torchserve-eks");
        assert.ok(
            one(ev, "aws:eks/podIdentityAssociation:PodIdentityAssociation", "torchserve-models").dependencies.includes(
                agent[0].urn,
            ),
        );
    });

    it("EKS: s3:GetObject on exactly the named objects, kms:Decrypt on the configured key through S3 only", () => {
        const policy = one(runs.eks, "aws:iam/rolePolicy:RolePolicy", "torchserve-models").inputs.policy;
        assert.deepEqual(JSON.parse(policy), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "ReadModels",
                    Effect: "Allow",
                    Action: "s3:GetObject",
                    Resource: ["arn:aws:s3:::acme-models/bert.mar", "arn:aws:s3:::acme-models/resnet/v1/resnet.mar"],
                },
                {
                    Sid: "DecryptModels",
                    Effect: "Allow",
                    Action: "kms:Decrypt",
                    Resource: "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                    Condition: { StringLike: { "kms:ViaService": "s3.*.amazonaws.com" } },
                },
            ],
        });
        // Without a KMS key, no kms statement; a broken policy (another bucket) is told apart.
        assert.deepEqual(JSON.parse(modelReadPolicy([{ bucket: "b", key: "k" }])).Statement, [
            { Sid: "ReadModels", Effect: "Allow", Action: "s3:GetObject", Resource: ["arn:aws:s3:::b/k"] },
        ]);
        assert.notDeepEqual(JSON.parse(policy), JSON.parse(modelReadPolicy([{ bucket: "other", key: "bert.mar" }])));
    });

    it("every cloud: the fetcher's pods wait for the identity (association, or grants and federation)", () => {
        const fetch = podSpec(runs.eks).spec.initContainers.find((c: { name: string }) => c.name === "fetch-models");
        assert.deepEqual(fetch.env, [{ name: "AWS_REGION", value: "us-west-2" }]);
        const waits = (ev: Evaluation, type: string, name: string) => {
            const target = one(ev, type, name).urn;
            const deployment = one(ev, "Deployment", "torchserve");
            const sa = one(ev, "ServiceAccount", "torchserve");
            return deployment.dependencies.includes(target) || sa.dependencies.includes(target);
        };
        assert.ok(waits(runs.eks, "aws:eks/podIdentityAssociation:PodIdentityAssociation", "torchserve-models"));
        // GKE: no annotation carries the grants any more; both the ServiceAccount and the Deployment wait.
        for (const bucket of ["acme-models", "acme-more"]) {
            const grant = one(
                runs.gke,
                "gcp:storage/bucketIAMMember:BucketIAMMember",
                `torchserve-models-${bucket}`,
            ).urn;
            assert.ok(one(runs.gke, "Deployment", "torchserve").dependencies.includes(grant), bucket);
            assert.ok(one(runs.gke, "ServiceAccount", "torchserve").dependencies.includes(grant), bucket);
        }
        assert.ok(waits(runs.aks, "azure-native:authorization:RoleAssignment", "torchserve-models-acmemodels-models"));
        assert.ok(waits(runs.aks, "azure-native:managedidentity:FederatedIdentityCredential", "torchserve-models"));
    });

    it("GKE: storage.objectViewer on each bucket for TorchServe's own ServiceAccount as a principal; no Google service account", () => {
        // gcs-fuse-csi-driver docs/authentication.md @5fcdc04a: the binding it checks for.
        const ev = runs.gke;
        const cluster = one(ev, "gcp:container/cluster:Cluster").inputs;
        const principal =
            "principal://iam.googleapis.com/projects/000000000000/locations/global/workloadIdentityPools/" +
            `${cluster.workloadIdentityConfig.workloadPool}/subject/ns/torchserve/sa/torchserve`;
        // TorchServe's grants (the gke example's Triton has its own, test/triton.test.ts).
        const grants = all(ev, "gcp:storage/bucketIAMMember:BucketIAMMember")
            .filter((r) => r.name.startsWith("torchserve-models"))
            .map((r) => r.inputs);
        assert.deepEqual(
            grants.map((g) => [g.bucket, g.role, g.member]),
            [
                ["acme-models", "roles/storage.objectViewer", principal],
                ["acme-more", "roles/storage.objectViewer", principal],
            ],
        );
        assert.deepEqual(
            all(ev, "gcp:serviceaccount/account:Account").filter((a) => a.name === "torchserve-models"),
            [],
        );
        assert.deepEqual(all(ev, "gcp:serviceaccount/iAMMember:IAMMember"), []);
        // Without the annotation the driver and the metadata server use the ServiceAccount itself.
        assert.equal(serviceAccount(ev).metadata.annotations, undefined);
    });

    it("GKE: the grants wait for the cluster (its pool) and the APIs; the project number is looked up after the APIs", () => {
        // IAM answers "Identity Pool does not exist" before (terraform-google-modules/terraform-google-kubernetes-engine#916).
        const ev = runs.gke;
        const cluster = one(ev, "gcp:container/cluster:Cluster");
        const services = all(ev, "gcp:projects/service:Service");
        for (const r of all(ev, "gcp:storage/bucketIAMMember:BucketIAMMember")) {
            assert.ok(r.dependencies.includes(cluster.urn), r.dependencies.join("\n"));
            assert.ok(
                r.dependencies.includes(services.find((x) => x.inputs.service === "storage.googleapis.com")!.urn),
                `${r.name} waits for storage.googleapis.com`,
            );
        }
        const events = ev.events!;
        const lookup = events.indexOf("call gcp:organizations/getProject:getProject");
        assert.ok(lookup >= 0, events.join("\n"));
        for (const s of services)
            assert.ok(
                events.indexOf(`created gcp:projects/service:Service ${s.name}`) < lookup,
                `${s.name} before the lookup`,
            );
    });

    it("AKS: a user-assigned identity, federated for TorchServe's ServiceAccount, Storage Blob Data Reader on the container only", () => {
        const ev = runs.aks;
        const credential = one(
            ev,
            "azure-native:managedidentity:FederatedIdentityCredential",
            "torchserve-models",
        ).inputs;
        assert.equal(credential.subject, "system:serviceaccount:torchserve:torchserve");
        assert.deepEqual(credential.audiences, ["api://AzureADTokenExchange"]);
        const assignment = one(
            ev,
            "azure-native:authorization:RoleAssignment",
            "torchserve-models-acmemodels-models",
        ).inputs;
        assert.equal(
            assignment.scope,
            `/subscriptions/${fakeAzureSubscriptionId}/resourceGroups/models-rg/providers/Microsoft.Storage/storageAccounts/acmemodels/blobServices/default/containers/models`,
        );
        assert.equal(
            assignment.roleDefinitionId,
            `/subscriptions/${fakeAzureSubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1`,
        );
        assert.equal(assignment.principalType, "ServicePrincipal");
        assert.equal(credential.issuer, fakeAksOidcIssuer);
        assert.equal(assignment.principalId, fakeIdentityPrincipalId);
        assert.deepEqual(serviceAccount(ev).metadata.annotations, {
            "azure.workload.identity/client-id": fakeIdentityClientId,
        });
        assert.equal(podSpec(ev).metadata.labels["azure.workload.identity/use"], "true");
    });

    it("no static key anywhere: no minted key, key invoke, credential Secret, key env or CSI secret", () => {
        for (const [key, ev] of Object.entries(runs)) assert.deepEqual(staticCredentials(ev), [], key);
    });

    it("existing: the configured annotations and pod labels; the ServiceAccount mounts no API token", () => {
        const ev = runs.existing;
        assert.deepEqual(serviceAccount(ev).metadata.annotations, {
            "iam.gke.io/gcp-service-account": "reader@p.iam.gserviceaccount.com",
        });
        assert.equal(serviceAccount(ev).automountServiceAccountToken, false);
        const pod = podSpec(ev);
        assert.equal(pod.metadata.labels.team, "ml");
        assert.equal(pod.spec.serviceAccountName, "torchserve");
        assert.equal(pod.spec.automountServiceAccountToken, false);
        assert.deepEqual(pod.metadata.labels, { team: "ml", ...trackLabels("stable") });
        // No cloud identity is created on an adopted cluster.
        assert.deepEqual(all(ev, "aws:iam/role:Role"), []);
        assert.deepEqual(all(ev, "gcp:serviceaccount/account:Account"), []);
    });
});

describe("static-credential check (test/support/staticCredentials.ts): each kind of key is found", () => {
    const resource = (type: string, inputs: Record<string, any>, name = "x") =>
        ({ urn: `urn:${name}`, type, name, custom: true, parent: "", provider: "", dependencies: [], inputs }) as any;
    const pod = (env: { name: string; value: string }[]) =>
        resource("kubernetes:apps/v1:Deployment", {
            metadata: { name: "torchserve" },
            spec: { template: { spec: { initContainers: [{ name: "fetch", env }], containers: [] } } },
        });
    const rows: [string, { resources: any[]; calls: string[] }, RegExp][] = [
        ["an IAM access key", { resources: [resource("aws:iam/accessKey:AccessKey", {})], calls: [] }, /AccessKey/],
        ["a GCP service account key", { resources: [resource("gcp:serviceaccount/key:Key", {})], calls: [] }, /Key x/],
        [
            "a Cloud Storage HMAC key",
            { resources: [resource("gcp:storage/hmacKey:HmacKey", {})], calls: [] },
            /HmacKey/,
        ],
        [
            "a storage account's keys read",
            { resources: [], calls: ["azure-native:storage:listStorageAccountKeys"] },
            /listStorageAccountKeys/,
        ],
        [
            "a Secret with an account key",
            {
                resources: [
                    resource("kubernetes:core/v1:Secret", {
                        metadata: { name: "blob" },
                        stringData: { azurestorageaccountname: "a", azurestorageaccountkey: "k" },
                    }),
                ],
                calls: [],
            },
            /Secret blob carries azurestorageaccountkey/,
        ],
        [
            "a CSI volume mounted with a Secret",
            {
                resources: [
                    resource("kubernetes:core/v1:PersistentVolume", {
                        metadata: { name: "pv" },
                        spec: { csi: { driver: "blob.csi.azure.com", nodeStageSecretRef: { name: "blob" } } },
                    }),
                ],
                calls: [],
            },
            /nodeStageSecretRef/,
        ],
        [
            "a Blob volume naming its key Secret in attributes",
            {
                resources: [
                    resource("kubernetes:core/v1:PersistentVolume", {
                        metadata: { name: "pv" },
                        spec: { csi: { driver: "blob.csi.azure.com", volumeAttributes: { secretName: "blob" } } },
                    }),
                ],
                calls: [],
            },
            /volume attribute secretName/,
        ],
        [
            "an access key in the fetcher's env",
            { resources: [pod([{ name: "AWS_SECRET_ACCESS_KEY", value: "s" }])], calls: [] },
            /fetch: env AWS_SECRET_ACCESS_KEY/,
        ],
    ];
    for (const [what, ev, expected] of rows)
        it(what, () => {
            const found = staticCredentials(ev);
            assert.equal(found.length, 1, found.join("\n"));
            assert.match(found[0], expected);
        });
    it("an identity-only pod passes", () =>
        assert.deepEqual(
            staticCredentials({ resources: [pod([{ name: "AWS_REGION", value: "us-west-2" }])], calls: [] }),
            [],
        ));
});
