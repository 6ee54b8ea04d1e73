// The bucket model store (`torchserve.modelStore: bucket`): the choice and its refusals (pure, a
// row per combination), the archives' layout TorchServe needs, the SHA-256 check on the mount (the
// real script, run with python3), and per cloud under mocks what a user relies on: the volume's
// driver, bucket and read-only mount, the pod's claim and mounts, no download step, no file share
// created, the identity's exact scope.
import type * as k8s from "@pulumi/kubernetes";
import { strict as assert } from "assert";
import { execFileSync, spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Evaluation } from "../harness/evaluate";
import { fakeIdentityClientId } from "../harness/cloudComputed";
import { configFor, runProgram } from "../harness/program";
import { modelReadPolicy } from "../components/eks/modelReader";
import { blobVolume } from "../components/aks/modelBucket";
import { mountpointVolume } from "../components/eks/modelBucket";
import { gcsFuseMeshAnnotations, gcsFuseVolume } from "../components/gke/modelBucket";
import {
    archiveFile,
    bucketLayout,
    bucketPodAnnotations,
    isBucketLayout,
    modelBucketClaimName,
    verifyEntries,
    verifyScript,
} from "../components/torchserve/modelBucket";
import { chooseModelStore, ModelStoreInput } from "../stacks/config/modelStore";
import { all, one } from "./support/match";
import { staticCredentials } from "./support/staticCredentials";
import { kubernetesObjects, validateKubernetesObject } from "./support/schema";

const P = "torchserve-platform";
const sha256 = "a".repeat(64);

describe("model store: bucket or file share (stacks/config/modelStore.ts)", () => {
    const s3 = (k: string, name = "m") => ({ name, url: `s3://acme-models/${k}` });
    const input = (over: Partial<ModelStoreInput>): ModelStoreInput => ({
        cloud: "aws",
        value: undefined,
        models: [s3("serving/resnet.mar", "resnet"), s3("serving/bert.mar", "bert")],
        storageClass: false,
        ...over,
    });
    type Row = [string, Partial<ModelStoreInput>, string, string[]];
    // [what, input, store chosen, error lines ("key: text" prefixes)]
    const rows: Row[] = [
        ["aws, unset, all models in one S3 directory: bucket", {}, "bucket", []],
        [
            "gcp, unset, gs:// models in one directory: bucket",
            { cloud: "gcp", models: [{ name: "a", url: "gs://acme-models/a.mar" }] },
            "bucket",
            [],
        ],
        [
            "azure, unset, blobs in one container: file share (token-only Blob mounts need driver v1.27, unchecked)",
            { cloud: "azure", models: [{ name: "a", url: "https://acme.blob.core.windows.net/models/a.mar" }] },
            "fileShare",
            [],
        ],
        ["existing, unset: file share", { cloud: "existing" }, "fileShare", []],
        [
            "aws, unset, an http model: file share",
            { models: [s3("serving/resnet.mar"), { name: "h", url: "https://example.com/h.mar" }] },
            "fileShare",
            [],
        ],
        [
            "aws, unset, two directories: file share",
            { models: [s3("a/x.mar", "x"), s3("b/y.mar", "y")] },
            "fileShare",
            [],
        ],
        ["aws, unset, a storageClass: file share", { storageClass: true }, "fileShare", []],
        ["aws, unset, no models: file share", { models: [] }, "fileShare", []],
        ["explicit fileShare with bucket-ready models", { value: "fileShare" }, "fileShare", []],
        [
            "explicit bucket on azure",
            {
                cloud: "azure",
                value: "bucket",
                models: [{ name: "a", url: "https://acme.blob.core.windows.net/models/d/a.mar" }],
            },
            "bucket",
            [],
        ],
        ["a misspelt value", { value: "s3" }, "fileShare", ['modelStore: "s3" is not allowed']],
        [
            "bucket on existing",
            { cloud: "existing", value: "bucket" },
            "bucket",
            ["modelStore: bucket is for aws, gcp and azure"],
        ],
        [
            "bucket with a storageClass",
            { value: "bucket", storageClass: true },
            "bucket",
            ["storageClass: not used with modelStore: bucket"],
        ],
        ["bucket with no models", { value: "bucket", models: [] }, "bucket", ["modelStore: bucket: no models"]],
        [
            "bucket with an http model",
            { value: "bucket", models: [s3("d/a.mar", "a"), { name: "h", url: "https://example.com/h.mar" }] },
            "bucket",
            ['models[1].url: model "h": https://example.com/h.mar is not an object URL'],
        ],
        [
            "bucket with two buckets",
            { value: "bucket", models: [s3("d/a.mar", "a"), { name: "b", url: "s3://other-models/d/b.mar" }] },
            "bucket",
            ['models[1].url: model "b": its archive is in other-models but model a\'s in acme-models'],
        ],
        [
            "bucket with two directories",
            { value: "bucket", models: [s3("v1/a.mar", "a"), s3("v2/b.mar", "b")] },
            "bucket",
            ['models[1].url: model "b": its archive is in v2/ but model a\'s in v1/'],
        ],
        [
            "bucket with a non-.mar object",
            { value: "bucket", models: [s3("d/a.tar.gz", "a")] },
            "bucket",
            ['models[0].url: model "a": a.tar.gz is not a .mar archive'],
        ],
        [
            "bucket with a character the mount options cannot carry",
            { value: "bucket", models: [s3("my,dir/a.mar", "a")] },
            "bucket",
            ['models[0].url: model "a": my,dir/a.mar has characters other than'],
        ],
        [
            "bucket with a leading '/' in the key (an object under an empty directory name)",
            { value: "bucket", models: [s3("/a.mar", "a")] },
            "bucket",
            ['models[0].url: model "a": /a.mar has an empty path segment'],
        ],
        [
            "bucket with '//' in the key",
            { value: "bucket", models: [s3("d//a.mar", "a")] },
            "bucket",
            ['models[0].url: model "a": d//a.mar has an empty path segment'],
        ],
        ["aws, unset, a key with '//': file share", { models: [s3("d//a.mar", "a")] }, "fileShare", []],
        [
            "gcp, explicit bucket, a dotted bucket and a nested directory",
            { cloud: "gcp", value: "bucket", models: [{ name: "a", url: "gs://models.example.com/a/b/c/a.mar" }] },
            "bucket",
            [],
        ],
        [
            "aws, explicit bucket, a dotted bucket",
            { value: "bucket", models: [{ name: "a", url: "s3://acme.models/d/a.mar" }] },
            "bucket",
            [],
        ],
        [
            "bucket with a refused URL: its own line only",
            { value: "bucket", models: [{ name: "a", url: "" }] },
            "bucket",
            [],
        ],
    ];
    for (const [what, over, store, errors] of rows) {
        it(what, () => {
            const choice = chooseModelStore(input(over));
            assert.equal(choice.store, store);
            const lines = choice.errors.map((e) => `${e.key}: ${e.text}`);
            assert.equal(lines.length, errors.length, lines.join("\n"));
            errors.forEach((prefix, i) => assert.ok(lines[i].startsWith(prefix), `${lines[i]}\n  expected ${prefix}…`));
        });
    }

    it("a default bucket store says so in one warning naming the directory; an explicit one does not", () => {
        assert.deepEqual(
            chooseModelStore(input({})).warnings.map((w) => w.key),
            ["modelStore"],
        );
        assert.match(chooseModelStore(input({})).warnings[0].text, /acme-models\/serving\//);
        assert.deepEqual(chooseModelStore(input({ value: "bucket" })).warnings, []);
    });

    it("a stack's config: a bad combination fails the preview with one line naming the key", async () => {
        const torchserve = {
            ...(configFor("gke")[`${P}:torchserve`] as object),
            modelStore: "bucket",
            storageClass: "standard-rwx",
            models: [{ name: "a", url: "gs://acme-models/d/a.mar", sha256 }],
        };
        await assert.rejects(runProgram({ stack: "gke", override: { torchserve }, preview: true }), (e: Error) => {
            assert.match(e.message, /torchserve\.storageClass: not used with modelStore: bucket/);
            return true;
        });
    });
});

describe("bucket layout and archive names (components/torchserve/modelBucket.ts)", () => {
    it("the claim is named after what it mounts: another bucket, container, account or directory is another claim", () => {
        const at = { store: "s3" as const, bucket: "acme-models", directory: "serving" };
        const names = [
            at,
            { ...at, bucket: "other-models" },
            { ...at, directory: "serving/v2" },
            { ...at, directory: "" },
            { ...at, store: "gcs" as const },
            { store: "azureBlob" as const, account: "acct1", bucket: "models", directory: "serving" },
            { store: "azureBlob" as const, account: "acct2", bucket: "models", directory: "serving" },
        ].map(modelBucketClaimName);
        assert.equal(new Set(names).size, names.length, names.join("\n"));
        assert.equal(modelBucketClaimName({ ...at }), names[0]);
        // A DNS-1123 label, and the cluster's volume `<namespace>-<claim>` stays a valid name too.
        for (const n of names) assert.match(n, /^torchserve-model-bucket-[0-9a-f]{8}$/);
    });

    it("one directory of one bucket; load_models names the object's file (TorchServe opens model_store/<file name>)", () => {
        const layout = bucketLayout([
            { name: "resnet", url: "gs://acme/serving/v1/resnet-18.mar" },
            { name: "bert", url: "gs://acme/serving/v1/bert.mar" },
        ]);
        assert.ok(isBucketLayout(layout));
        assert.deepEqual(layout, {
            store: "gcs",
            bucket: "acme",
            directory: "serving/v1",
            files: { resnet: "resnet-18.mar", bert: "bert.mar" },
        });
        const spec = { modelStore: "bucket" as const };
        assert.equal(archiveFile(spec, { name: "resnet", url: "gs://acme/serving/v1/resnet-18.mar" }), "resnet-18.mar");
        // The file share keeps the fetcher's <name>.mar.
        assert.equal(archiveFile({}, { name: "resnet", url: "gs://acme/serving/v1/resnet-18.mar" }), "resnet.mar");
        const blob = bucketLayout([{ name: "a", url: "https://acme.blob.core.windows.net/models/a.mar" }]);
        assert.ok(isBucketLayout(blob));
        assert.deepEqual([blob.account, blob.bucket, blob.directory], ["acme", "models", ""]);
    });

    it("mesh annotations only with the sidecar", () => {
        const volume = {
            podAnnotations: { "gke-gcsfuse/volumes": "true" },
            meshPodAnnotations: gcsFuseMeshAnnotations,
        };
        assert.deepEqual(bucketPodAnnotations(volume, false), { "gke-gcsfuse/volumes": "true" });
        assert.deepEqual(bucketPodAnnotations(volume, true), {
            "gke-gcsfuse/volumes": "true",
            "proxy.istio.io/config": '{ "holdApplicationUntilProxyStarts": true }',
            "traffic.sidecar.istio.io/excludeOutboundIPRanges": "169.254.169.254/32",
        });
    });
});

describe("verify_models.py: the SHA-256 check on the mounted bucket", function () {
    this.timeout(20000);
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-models-"));
        fs.writeFileSync(path.join(dir, "verify_models.py"), verifyScript);
        fs.mkdirSync(path.join(dir, "store"));
        fs.writeFileSync(path.join(dir, "store", "good.mar"), "archive bytes");
        fs.writeFileSync(path.join(dir, "store", "changed.mar"), "replaced bytes");
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const hash = (s: string) => createHash("sha256").update(s).digest("hex");
    const run = (entries: object[]) => {
        fs.writeFileSync(path.join(dir, "entries.json"), JSON.stringify(entries));
        return spawnSync(
            "python3",
            [path.join(dir, "verify_models.py"), path.join(dir, "entries.json"), path.join(dir, "store")],
            {
                encoding: "utf8",
            },
        );
    };
    it("passes when every archive matches", () => {
        const r = run([{ name: "good", file: "good.mar", sha256: hash("archive bytes") }]);
        assert.equal(r.status, 0, r.stdout + r.stderr);
        assert.equal(r.stdout, "model good: good.mar verified\n");
    });
    it("fails the pod with one line per changed or missing archive", () => {
        const r = run([
            { name: "good", file: "good.mar", sha256: hash("archive bytes") },
            { name: "changed", file: "changed.mar", sha256: hash("archive bytes") },
            { name: "gone", file: "gone.mar", sha256: hash("x") },
        ]);
        assert.equal(r.status, 1);
        assert.deepEqual(r.stdout.trim().split("\n"), [
            "model good: good.mar verified",
            `model changed: changed.mar has sha256 ${hash("replaced bytes")}, expected ${hash("archive bytes")}`,
            "model gone: gone.mar is not in the mounted bucket directory (check the model's URL)",
        ]);
    });
    it("checks only models with a sha256 (the others were accepted unverified)", () => {
        const spec = {
            modelStore: "bucket" as const,
            models: [
                { name: "a", url: "s3://b/d/a.mar", sha256: "AB".repeat(32) },
                { name: "b", url: "s3://b/d/b.mar" },
            ],
        };
        assert.deepEqual(verifyEntries(spec as never), [{ name: "a", file: "a.mar", sha256: "ab".repeat(32) }]);
        // python3 is what the TorchServe image runs it with; here, only that it compiles.
        execFileSync("python3", ["-c", "import ast,sys; ast.parse(sys.stdin.read())"], { input: verifyScript });
    });
});

describe("bucket model store per cloud, whole program under mocks", function () {
    this.timeout(60000);
    const runs: Record<string, Evaluation> = {};
    const torchserveOf = (stack: string) => configFor(stack)[`${P}:torchserve`] as Record<string, unknown>;
    const bucketStack = (stack: string, models: object[], extra: Record<string, unknown> = {}) => ({
        torchserve: { ...torchserveOf(stack), modelStore: "bucket", persistenceSize: "1Gi", models, ...extra },
    });
    before(async () => {
        const cases: [string, Record<string, unknown>][] = [
            [
                "eks",
                bucketStack("eks", [
                    { name: "resnet", url: "s3://acme-models/serving/resnet-18.mar", sha256 },
                    { name: "bert", url: "s3://acme-models/serving/bert.mar" },
                ]),
            ],
            ["gke", bucketStack("gke", [{ name: "resnet", url: "gs://acme-models/serving/resnet-18.mar", sha256 }])],
            [
                "aks",
                bucketStack(
                    "aks",
                    [
                        {
                            name: "resnet",
                            url: "https://acmemodels.blob.core.windows.net/models/serving/resnet-18.mar",
                            sha256,
                        },
                    ],
                    { storageResourceGroup: "models-rg" },
                ),
            ],
        ];
        for (const [stack, override] of cases) runs[stack] = await runProgram({ stack, override, preview: false });
    });

    const pod = (ev: Evaluation) => one(ev, "Deployment", "torchserve").inputs.spec.template;
    // What each stack above mounts: the claim (and the volume after it) is named after it.
    const mounted: Record<string, Parameters<typeof modelBucketClaimName>[0]> = {
        eks: { store: "s3", bucket: "acme-models", directory: "serving" },
        gke: { store: "gcs", bucket: "acme-models", directory: "serving" },
        aks: { store: "azureBlob", account: "acmemodels", bucket: "models", directory: "serving" },
    };
    const claimName = (ev: Evaluation) => modelBucketClaimName(mounted[Object.keys(runs).find((k) => runs[k] === ev)!]);
    const pvName = (ev: Evaluation) => `torchserve-${claimName(ev)}`;
    const pv = (ev: Evaluation) => one(ev, "PersistentVolume", pvName(ev)).inputs;

    for (const stack of ["eks", "gke", "aks"]) {
        it(`${stack}: TorchServe claims exactly the bucket volume, read-only, mounted at model_store; nothing downloads`, () => {
            const ev = runs[stack];
            const claim = one(ev, "PersistentVolumeClaim", claimName(ev)).inputs;
            assert.deepEqual(claim.spec.accessModes, ["ReadOnlyMany"]);
            assert.equal(claim.spec.storageClassName, "");
            assert.equal(claim.spec.volumeName, pvName(ev));
            assert.deepEqual(all(ev, "PersistentVolumeClaim", "torchserve-model-store"), []);
            const volume = pv(ev);
            // Created with the cluster's Kubernetes provider, like every other object of the stack.
            const provider = one(ev, "pulumi:providers:kubernetes").urn;
            assert.ok(one(ev, "PersistentVolume", pvName(ev)).provider.startsWith(`${provider}::`));
            assert.deepEqual(volume.spec.claimRef, { namespace: "torchserve", name: claimName(ev) });
            assert.deepEqual(volume.spec.accessModes, ["ReadOnlyMany"]);
            assert.equal(volume.spec.csi.readOnly, true);
            assert.equal(volume.spec.persistentVolumeReclaimPolicy, "Retain");
            const spec = pod(ev).spec;
            const store = spec.volumes.find((v: { name: string }) => v.name === "model-store");
            assert.deepEqual(store.persistentVolumeClaim, { claimName: claimName(ev), readOnly: true });
            const server = spec.containers.find((c: { name: string }) => c.name === "torchserve");
            const mount = server.volumeMounts.find((m: { name: string }) => m.name === "model-store");
            assert.deepEqual(mount, {
                name: "model-store",
                mountPath: "/home/model-server/shared/model-store",
                readOnly: true,
            });
            // No fetcher, no root step: only the SHA-256 check on the mount.
            assert.deepEqual(
                spec.initContainers.map((c: { name: string }) => c.name),
                ["verify-models"],
            );
            // ConfigMaps are unnamed (pulumi-kubernetes names them): found by their Pulumi names.
            assert.deepEqual(all(ev, "kubernetes:core/v1:ConfigMap", "torchserve-model-fetch"), []);
            const config = one(ev, "kubernetes:core/v1:ConfigMap", "torchserve-config").inputs.data[
                "config.properties"
            ] as string;
            assert.match(config, /^load_models=resnet=resnet-18\.mar/m);
            assert.match(config, /^model_store=\/home\/model-server\/shared\/model-store$/m);
            // The ReadWriteMany file-share classes are not created.
            const classes = all(ev, "StorageClass").map((c) => c.inputs.provisioner);
            assert.ok(!classes.some((p: string) => /efs|filestore|file\.csi/.test(p)), classes.join(", "));
        });
    }

    it("no static key anywhere: each driver mounts with the pods' identity (no minted key, key invoke or CSI secret)", () => {
        for (const [key, ev] of Object.entries(runs)) assert.deepEqual(staticCredentials(ev), [], key);
    });

    it("eks: Mountpoint add-on (pinned, no IAM role: pod-level credentials) and its volume of the models' prefix; no EFS", () => {
        const ev = runs.eks;
        const addons = all(ev, "aws:eks/addon:Addon").map((a) => a.inputs);
        const mountpoint = addons.filter((a) => a.addonName === "aws-mountpoint-s3-csi-driver");
        assert.equal(mountpoint.length, 1);
        assert.match(mountpoint[0].addonVersion, /^v2\.\d+\.\d+-eksbuild\.\d+$/);
        assert.equal(mountpoint[0].serviceAccountRoleArn, undefined);
        assert.ok(!addons.some((a) => a.addonName === "aws-efs-csi-driver"));
        assert.deepEqual(
            ev.resources.filter((r) => r.type.startsWith("aws:efs/")).map((r) => r.type),
            [],
        );
        const volume = pv(ev);
        assert.equal(volume.spec.csi.driver, "s3.csi.aws.com");
        assert.deepEqual(volume.spec.csi.volumeAttributes, { bucketName: "acme-models", authenticationSource: "pod" });
        // The stack's region, stated: pod-level credentials run Mountpoint without IMDS.
        assert.deepEqual(volume.spec.mountOptions, ["region us-west-2", "prefix serving/"]);
        assert.equal(volume.spec.storageClassName, "");
    });

    it("eks: the role lists only the models' prefix and reads only the named objects", () => {
        const policy = JSON.parse(one(runs.eks, "aws:iam/rolePolicy:RolePolicy", "torchserve-models").inputs.policy);
        assert.deepEqual(policy.Statement, [
            {
                Sid: "ReadModels",
                Effect: "Allow",
                Action: "s3:GetObject",
                Resource: [
                    "arn:aws:s3:::acme-models/serving/bert.mar",
                    "arn:aws:s3:::acme-models/serving/resnet-18.mar",
                ],
            },
            {
                Sid: "ListModelDirectory",
                Effect: "Allow",
                Action: "s3:ListBucket",
                Resource: "arn:aws:s3:::acme-models",
                Condition: { StringLike: { "s3:prefix": "serving/*" } },
            },
        ]);
        // The whole bucket mounted: listing without a prefix condition; fetched models: no listing.
        assert.deepEqual(
            JSON.parse(modelReadPolicy([{ bucket: "b", key: "a.mar" }], undefined, { bucket: "b", directory: "" }))
                .Statement[1],
            {
                Sid: "ListModelDirectory",
                Effect: "Allow",
                Action: "s3:ListBucket",
                Resource: "arn:aws:s3:::b",
            },
        );
        assert.equal(JSON.parse(modelReadPolicy([{ bucket: "b", key: "a.mar" }])).Statement.length, 1);
        // Pods wait for the association: the ServiceAccount names the role once it exists.
        const sa = one(runs.eks, "ServiceAccount", "torchserve");
        const association = one(runs.eks, "aws:eks/podIdentityAssociation:PodIdentityAssociation", "torchserve-models");
        assert.ok(sa.dependencies.includes(association.urn));
        assert.match(sa.inputs.metadata.annotations["torchserve.pytorch.org/model-reader-role-arn"], /^arn:aws:iam::/);
    });

    it("gke: Cloud Storage FUSE add-on on the cluster, the sidecar annotation on the pods, no Filestore", () => {
        const ev = runs.gke;
        const cluster = one(ev, "gcp:container/cluster:Cluster").inputs;
        assert.deepEqual(cluster.addonsConfig.gcsFuseCsiDriverConfig, { enabled: true });
        assert.deepEqual(all(ev, "gcp:filestore/instance:Instance"), []);
        const volume = pv(ev);
        assert.equal(volume.spec.csi.driver, "gcsfuse.csi.storage.gke.io");
        assert.equal(volume.spec.csi.volumeHandle, "acme-models");
        assert.deepEqual(volume.spec.mountOptions, ["only-dir=serving", "uid=1000", "gid=1000"]);
        const annotations = pod(ev).metadata.annotations;
        assert.equal(annotations["gke-gcsfuse/volumes"], "true");
        assert.deepEqual([annotations["gke-gcsfuse/cpu-limit"], annotations["gke-gcsfuse/memory-limit"]], ["0", "0"]);
        // Read with the pod's own ServiceAccount, granted the bucket as a principal (no annotation:
        // gcs-fuse-csi-driver token_sources.go fetchGCPSAToken then uses its token directly).
        // TorchServe's grants (the gke example's Triton has its own, test/triton.test.ts).
        const grants = all(ev, "gcp:storage/bucketIAMMember:BucketIAMMember")
            .filter((g) => g.name.startsWith("torchserve-models"))
            .map((g) => [g.inputs.bucket, g.inputs.role, g.inputs.member]);
        assert.deepEqual(
            grants.map((g) => g.slice(0, 2)),
            [["acme-models", "roles/storage.objectViewer"]],
        );
        assert.match(
            grants[0][2],
            /^principal:\/\/iam\.googleapis\.com\/projects\/\d+\/.*\/subject\/ns\/torchserve\/sa\/torchserve$/,
        );
        assert.equal(one(ev, "ServiceAccount", "torchserve").inputs.metadata.annotations, undefined);
        // The pods wait for the grant.
        const [grant] = all(ev, "gcp:storage/bucketIAMMember:BucketIAMMember")
            .filter((g) => g.name.startsWith("torchserve-models"))
            .map((g) => g.urn);
        assert.ok(one(ev, "Deployment", "torchserve").dependencies.includes(grant));
    });

    it("aks: Blob CSI driver on the cluster, blobfuse2 with the workload identity's token only (no account key), Reader on the container", () => {
        const ev = runs.aks;
        const cluster = one(ev, "azure-native:containerservice:ManagedCluster").inputs;
        assert.deepEqual(cluster.storageProfile.blobCSIDriver, { enabled: true });
        const volume = pv(ev);
        assert.equal(volume.spec.csi.driver, "blob.csi.azure.com");
        assert.deepEqual(volume.spec.csi.volumeAttributes, {
            protocol: "fuse2",
            storageaccount: "acmemodels",
            containerName: "models",
            resourcegroup: "models-rg",
            clientID: fakeIdentityClientId,
            mountWithWorkloadIdentityToken: "true",
        });
        // Unique per volume (the fourth part, which the driver does not read): the kubelet stages
        // each handle once per node, so two directories of one container must not share one.
        assert.equal(volume.spec.csi.volumeHandle, `models-rg#acmemodels#models#${volume.metadata.name}`);
        assert.deepEqual(volume.spec.mountOptions, ["-o allow_other", "--read-only", "--subdirectory=serving"]);
        const roles = all(ev, "azure-native:authorization:RoleAssignment")
            .map((r) => r.inputs.roleDefinitionId as string)
            .filter((id) => !id.includes("b1ff04bb") /* the admins' cluster-admin role */);
        assert.ok(
            roles.length > 0 && roles.every((id) => id.endsWith("/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1")),
            roles.join(", "),
        );
    });

    it("every Kubernetes object of the bucket stores passes the upstream schema", async () => {
        for (const ev of Object.values(runs))
            for (const r of kubernetesObjects(ev.resources).filter((x) => /PersistentVolume|Deployment/.test(x.type)))
                await validateKubernetesObject(r);
    });
});

describe("bucket volumes per driver (pure builders)", () => {
    const mount = (directory: string) => ({
        bucket: "models",
        directory,
        claim: { namespace: "ts", name: "torchserve-model-bucket", size: "1Gi" },
        owner: { uid: 1000, gid: 1000 },
    });
    const where = { account: "acme", resourceGroup: "rg", clientId: "client" };
    // The builders return plain objects (no Outputs in mountOptions), read as such.
    const rows: [string, string, (d: string) => k8s.core.v1.PersistentVolumeArgs, unknown][] = [
        [
            "Mountpoint, a directory: its region and prefix only",
            "a/b",
            (d) => mountpointVolume(mount(d), "eu-west-1"),
            ["region eu-west-1", "prefix a/b/"],
        ],
        [
            "Mountpoint, the whole bucket: no prefix option",
            "",
            (d) => mountpointVolume(mount(d), "eu-west-1"),
            ["region eu-west-1"],
        ],
        ["gcsfuse, a directory", "a/b", (d) => gcsFuseVolume(mount(d)), ["only-dir=a/b", "uid=1000", "gid=1000"]],
        ["gcsfuse, the whole bucket", "", (d) => gcsFuseVolume(mount(d)), ["uid=1000", "gid=1000"]],
        [
            "blobfuse2, a directory",
            "a/b",
            (d) => blobVolume(mount(d), where),
            ["-o allow_other", "--read-only", "--subdirectory=a/b"],
        ],
        ["blobfuse2, the whole container", "", (d) => blobVolume(mount(d), where), ["-o allow_other", "--read-only"]],
    ];
    for (const [what, directory, build, options] of rows)
        it(what, () => assert.deepEqual((build(directory).spec as { mountOptions?: unknown }).mountOptions, options));
});
