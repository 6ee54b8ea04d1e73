// Each policy of the pack (policy/) on resources written by hand: every row that should pass
// passes, and every row that breaks the guarantee is reported (with what the message names).
import * as assert from "assert";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { chartVersionsPinned } from "../policy/charts";
import { requestsAndLimits } from "../policy/containerResources";
import { isCredentialKey, noCredentialsInConfig } from "../policy/credentials";
import { noPublicManagementPorts, privatePortNumbers } from "../policy/exposure";
import { gpuPodsPlaced, gpuPoolsTainted } from "../policy/gpu";
import { imageProblem, imagesPinned } from "../policy/images";
import { tolerates } from "../policy/kubernetes";
import { clusterNetworkPolicy } from "../policy/networkPolicy";
import { packArgs } from "../policy/policies";
import { modelStoresProtected } from "../policy/protection";
import { portNames } from "../components/torchserve/conventions";
import { crafted, PackResource, validate, validateStack } from "./support/policyPack";

/** A resource and, per violation in order, the substring(s) its message contains ([] = passes). */
type Row = [what: string, resource: PackResource, expected: (string | string[])[]];

function table(policy: ResourceValidationPolicy, rows: Row[]): void {
    describe(`policy ${policy.name}`, () => {
        for (const [what, resource, expected] of rows) {
            it(`${expected.length ? "reports" : "passes"} ${what}`, async () => {
                const messages = await validate(policy, resource);
                assert.strictEqual(messages.length, expected.length, `got ${JSON.stringify(messages)}`);
                expected.forEach((e, i) => {
                    for (const part of [e].flat())
                        assert.ok(messages[i].includes(part), `"${messages[i]}" names ${part}`);
                });
            });
        }
    });
}

const deploymentType = "kubernetes:apps/v1:Deployment";
const sized = { requests: { cpu: "100m", memory: "64Mi" }, limits: { memory: "128Mi" } };
const container = (c: Record<string, any>) => ({ name: "app", image: "nginx:1.27.3", resources: sized, ...c });
const withPod = (pod: Record<string, any>, type = deploymentType) =>
    crafted(
        type,
        type.endsWith(":Pod")
            ? { spec: pod }
            : type.endsWith(":CronJob")
              ? { spec: { jobTemplate: { spec: { template: { spec: pod } } } } }
              : { spec: { template: { spec: pod } } },
    );
const release = (props: Record<string, any>) =>
    crafted("kubernetes:helm.sh/v3:Release", { chart: "grafana", version: "10.1.4", ...props });

describe("policy pack", () => {
    it("serves every policy once, all mandatory (network-policy enforcement included, now that the program enables it)", () => {
        const names = packArgs.policies.map((p) => p.name);
        assert.strictEqual(new Set(names).size, names.length);
        assert.strictEqual(packArgs.enforcementLevel, "mandatory");
        assert.deepStrictEqual(
            packArgs.policies.filter((p) => p.enforcementLevel).map((p) => [p.name, p.enforcementLevel]),
            [],
        );
    });
});

describe("policy helpers", () => {
    const images: [string, boolean][] = [
        ["pytorch/torchserve:0.12.0-gpu", true],
        ["registry.k8s.io/autoscaling/cluster-autoscaler:v1.35.2", true],
        ["localhost:5000/app:1.0", true],
        [`nginx@sha256:${"a".repeat(64)}`, true],
        ["nginx", false],
        ["nginx:latest", false],
        ["localhost:5000/app", false],
        ["nginx:", false],
        ["", false],
    ];
    for (const [ref, pinned] of images) {
        it(`image ${JSON.stringify(ref)} is ${pinned ? "" : "not "}pinned`, () =>
            assert.strictEqual(imageProblem(ref) === undefined, pinned));
    }

    const keys: [string, boolean][] = [
        ["password", true],
        ["adminPassword", true],
        ["API_TOKEN", true],
        ["apiKey", true],
        ["AWS_SECRET_ACCESS_KEY", true],
        ["client-secret", true],
        ["existingSecret", false],
        ["passwordKey", false],
        ["secretName", false],
        ["tokenFile", false],
        ["secretKeyRef", false],
        ["disable_token_authorization", false],
        ["adminUser", false],
    ];
    for (const [key, credential] of keys) {
        it(`key ${key} ${credential ? "names" : "does not name"} a credential`, () =>
            assert.strictEqual(isCredentialKey(key), credential));
    }

    const taint = { key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" };
    const tolerations: [string, Record<string, string>, boolean][] = [
        ["Exists on the key", { key: "nvidia.com/gpu", operator: "Exists" }, true],
        ["Exists on the key and effect", { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }, true],
        ["Equal on the value", { key: "nvidia.com/gpu", operator: "Equal", value: "true", effect: "NoSchedule" }, true],
        ["Exists on everything", { operator: "Exists" }, true],
        ["another value", { key: "nvidia.com/gpu", value: "present" }, false],
        ["another effect", { key: "nvidia.com/gpu", operator: "Exists", effect: "NoExecute" }, false],
        ["another key", { key: "CriticalAddonsOnly", operator: "Exists" }, false],
    ];
    for (const [what, t, ok] of tolerations) {
        it(`toleration ${what} ${ok ? "tolerates" : "does not tolerate"} nvidia.com/gpu=true:NoSchedule`, () =>
            assert.strictEqual(tolerates(t, taint), ok));
    }

    it("knows TorchServe's management and metrics ports by the names and defaults the program uses", () => {
        const s = crafted("kubernetes:core/v1:Service", {
            spec: {
                type: "LoadBalancer",
                ports: Object.values(portNames).map((name, i) => ({ name, port: 9000 + i })),
            },
        });
        return validate(noPublicManagementPorts, s).then((m) => {
            assert.deepStrictEqual(
                m.map((x) => x.split(" ")[3]),
                [portNames.management, portNames.metrics, portNames.grpcManagement],
            );
            assert.deepStrictEqual([...privatePortNumbers], [8081, 8082, 7071]);
        });
    });
});

table(imagesPinned, [
    [
        "a Deployment with tagged containers and init containers",
        withPod({ initContainers: [container({ name: "init", image: "busybox:1.37" })], containers: [container({})] }),
        [],
    ],
    [
        "an untagged init container",
        withPod({ initContainers: [container({ name: "init", image: "busybox" })], containers: [container({})] }),
        [["initContainers[init]", "no tag"]],
    ],
    [
        "a :latest container in a DaemonSet",
        withPod({ containers: [container({ image: "nginx:latest" })] }, "kubernetes:apps/v1:DaemonSet"),
        [["containers[app]", "latest"]],
    ],
    [
        "an untagged container in a StatefulSet",
        withPod({ containers: [container({ image: "nginx" })] }, "kubernetes:apps/v1:StatefulSet"),
        ["no tag"],
    ],
    [
        "an untagged container in a Job",
        withPod({ containers: [container({ image: "nginx" })] }, "kubernetes:batch/v1:Job"),
        ["no tag"],
    ],
    [
        "an untagged container in a CronJob",
        withPod({ containers: [container({ image: "nginx" })] }, "kubernetes:batch/v1:CronJob"),
        ["no tag"],
    ],
    [
        "an untagged container in a Pod",
        withPod({ containers: [container({ image: "nginx" })] }, "kubernetes:core/v1:Pod"),
        ["no tag"],
    ],
    [
        "Helm values with a pinned image tag and chart-default images",
        release({
            values: { image: { tag: "v1.35.2" }, sidecar: { image: { repository: "quay.io/kiwigrid/k8s-sidecar" } } },
        }),
        [],
    ],
    [
        "Helm values with an image tag latest",
        release({ values: { sidecar: { image: { repository: "quay.io/kiwigrid/k8s-sidecar", tag: "latest" } } } }),
        [["values.sidecar.image.tag", "latest"]],
    ],
    [
        "Helm values with an untagged image string",
        release({ values: { initChownData: { image: "busybox" } }, extraInitContainers: [] }),
        [["values.initChownData.image", "no tag"]],
    ],
    [
        "Helm values with an untagged image in a list",
        release({ values: { extraContainers: [{ name: "x", image: "busybox" }] } }),
        ["values.extraContainers[0].image"],
    ],
    [
        "a Deployment patch (partial: not a workload of its own)",
        crafted("kubernetes:apps/v1:DeploymentPatch", {
            spec: { template: { spec: { containers: [{ name: "app", image: "nginx" }] } } },
        }),
        [],
    ],
]);

const gpuPoolRows: Row[] = [
    [
        "an EKS GPU node group with the taint",
        crafted("aws:eks/nodeGroup:NodeGroup", {
            amiType: "AL2023_x86_64_NVIDIA",
            instanceTypes: ["g5.xlarge"],
            taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }],
        }),
        [],
    ],
    [
        "an EKS GPU node group without it",
        crafted("aws:eks/nodeGroup:NodeGroup", {
            amiType: "AL2023_x86_64_NVIDIA",
            instanceTypes: ["g5.xlarge"],
            taints: [],
        }),
        ["nvidia.com/gpu:NoSchedule"],
    ],
    [
        "an EKS GPU instance type on a standard AMI, tainted PreferNoSchedule",
        crafted("aws:eks/nodeGroup:NodeGroup", {
            instanceTypes: ["p4d.24xlarge"],
            taints: [{ key: "nvidia.com/gpu", value: "true", effect: "PREFER_NO_SCHEDULE" }],
        }),
        ["no nvidia.com/gpu:NoSchedule"],
    ],
    [
        "an EKS g-family instance type on a standard AMI, without the taint",
        crafted("aws:eks/nodeGroup:NodeGroup", { instanceTypes: ["g5.xlarge"], taints: [] }),
        ["nvidia.com/gpu:NoSchedule"],
    ],
    [
        "an EKS g-family type (g4dn) on a standard AMI, without the taint",
        crafted("aws:eks/nodeGroup:NodeGroup", { instanceTypes: ["g4dn.xlarge"], taints: [] }),
        ["nvidia.com/gpu:NoSchedule"],
    ],
    [
        "a pulumi-eks ManagedNodeGroup with GPUs and no taint (as test mocks record it)",
        crafted("eks:index:ManagedNodeGroup", { amiType: "AL2023_x86_64_NVIDIA", instanceTypes: ["g6.xlarge"] }),
        ["no nvidia.com/gpu:NoSchedule"],
    ],
    [
        "an EKS CPU node group without taints",
        crafted("aws:eks/nodeGroup:NodeGroup", {
            amiType: "AL2023_x86_64_STANDARD",
            instanceTypes: ["m6i.large"],
            taints: [],
        }),
        [],
    ],
    [
        "an AKS GPU agent pool with the taint",
        crafted("azure-native:containerservice:AgentPool", {
            vmSize: "Standard_NC4as_T4_v3",
            nodeTaints: ["nvidia.com/gpu=true:NoSchedule"],
        }),
        [],
    ],
    [
        "an AKS GPU agent pool without it",
        crafted("azure-native:containerservice:AgentPool", {
            vmSize: "Standard_NC4as_T4_v3",
            nodeTaints: ["sku=gpu:NoSchedule"],
        }),
        ["no nvidia.com/gpu"],
    ],
    [
        "an AKS cluster whose inline GPU pool is untainted",
        crafted("azure-native:containerservice:ManagedCluster", {
            agentPoolProfiles: [
                { name: "system", vmSize: "Standard_D4s_v5" },
                { name: "gpu", vmSize: "Standard_ND96asr_v4" },
            ],
        }),
        ["pool gpu"],
    ],
    [
        "a GKE GPU node pool with the taint",
        crafted("gcp:container/nodePool:NodePool", {
            nodeConfig: {
                guestAccelerators: [{ type: "nvidia-tesla-t4", count: 1 }],
                taints: [{ key: "nvidia.com/gpu", value: "present", effect: "NO_SCHEDULE" }],
            },
        }),
        [],
    ],
    [
        "a GKE GPU node pool without it",
        crafted("gcp:container/nodePool:NodePool", {
            nodeConfig: { guestAccelerators: [{ type: "nvidia-tesla-t4", count: 1 }] },
        }),
        ["no nvidia.com/gpu"],
    ],
    [
        "a GKE A2 node pool (GPUs built in) without it",
        crafted("gcp:container/nodePool:NodePool", { nodeConfig: { machineType: "a2-highgpu-1g" } }),
        ["no nvidia.com/gpu"],
    ],
    [
        "a GKE CPU node pool",
        crafted("gcp:container/nodePool:NodePool", { nodeConfig: { machineType: "e2-standard-4" } }),
        [],
    ],
];
table(gpuPoolsTainted, gpuPoolRows);

table(requestsAndLimits, [
    [
        "containers with CPU and memory requests and a memory limit",
        withPod({ initContainers: [container({ name: "init" })], containers: [container({})] }),
        [],
    ],
    [
        "an init container with no resources",
        withPod({ initContainers: [{ name: "init", image: "busybox:1.37" }], containers: [container({})] }),
        [["initContainers[init]", "requests.cpu, requests.memory, limits.memory"]],
    ],
    [
        "a container with requests but no memory limit",
        withPod({ containers: [container({ resources: { requests: sized.requests, limits: { cpu: "1" } } })] }),
        ["limits.memory"],
    ],
    [
        "a Job container with limits only",
        withPod(
            { containers: [container({ resources: { limits: { cpu: "1", memory: "1Gi" } } })] },
            "kubernetes:batch/v1:Job",
        ),
        ["requests.cpu, requests.memory"],
    ],
]);

const service = (spec: Record<string, any>) => crafted("kubernetes:core/v1:Service", { spec });
table(noPublicManagementPorts, [
    [
        "a ClusterIP Service with every TorchServe port",
        service({
            type: "ClusterIP",
            ports: [
                { name: "http-inference", port: 8080 },
                { name: "http-management", port: 8081 },
                { name: "http-metrics", port: 8082 },
            ],
        }),
        [],
    ],
    [
        "a LoadBalancer Service with inference ports",
        service({
            type: "LoadBalancer",
            ports: [
                { name: "http-inference", port: 80, targetPort: "http-inference" },
                { name: "grpc-inference", port: 7070 },
            ],
        }),
        [],
    ],
    [
        "a LoadBalancer Service publishing the management port",
        service({
            type: "LoadBalancer",
            ports: [
                { name: "http-inference", port: 8080 },
                { name: "http-management", port: 8081 },
            ],
        }),
        ["http-management"],
    ],
    [
        "a NodePort Service targeting the metrics port by name",
        service({ type: "NodePort", ports: [{ name: "web", port: 80, targetPort: "http-metrics" }] }),
        ["web (port 80, targetPort http-metrics)"],
    ],
    [
        "a LoadBalancer Service targeting gRPC management by number",
        service({ type: "LoadBalancer", ports: [{ name: "rpc", port: 443, targetPort: 7071 }] }),
        ["targetPort 7071"],
    ],
]);

const protect = { opts: { protect: true, ignoreChanges: [] } };
const fileClass = (provisioner: string, reclaimPolicy?: string) =>
    crafted("kubernetes:storage.k8s.io/v1:StorageClass", {
        metadata: { name: "models" },
        provisioner,
        ...(reclaimPolicy ? { reclaimPolicy } : {}),
    });
table(modelStoresProtected, [
    ["a protected EFS file system", crafted("aws:efs/fileSystem:FileSystem", { encrypted: true }, protect), []],
    [
        "an unprotected EFS file system",
        crafted("aws:efs/fileSystem:FileSystem", { encrypted: true }),
        ["FileSystem r is not protected"],
    ],
    [
        "an unprotected Filestore instance",
        crafted("gcp:filestore/instance:Instance", {}),
        ["Instance r is not protected"],
    ],
    ["an unprotected Azure storage account", crafted("azure-native:storage:StorageAccount", {}), ["StorageAccount r"]],
    ["an unprotected Azure file share", crafted("azure-native:storage:FileShare", {}), ["FileShare r"]],
    ["a protected model-store claim", crafted("kubernetes:core/v1:PersistentVolumeClaim", { spec: {} }, protect), []],
    [
        "an unprotected model-store claim",
        crafted("kubernetes:core/v1:PersistentVolumeClaim", { spec: {} }),
        ["PersistentVolumeClaim r"],
    ],
    ...(["s3.csi.aws.com", "gcsfuse.csi.storage.gke.io", "blob.csi.azure.com"].map((driver) => [
        `an unprotected volume of the user's bucket (${driver}, Retain)`,
        crafted("kubernetes:core/v1:PersistentVolume", {
            spec: { persistentVolumeReclaimPolicy: "Retain", csi: { driver } },
        }),
        [],
    ]) as Row[]),
    [
        "an unprotected bucket volume a driver may delete (Delete)",
        crafted("kubernetes:core/v1:PersistentVolume", {
            spec: { persistentVolumeReclaimPolicy: "Delete", csi: { driver: "blob.csi.azure.com" } },
        }),
        ["PersistentVolume r is not protected"],
    ],
    [
        "an unprotected EFS volume (Retain: the access point is the stack's data)",
        crafted("kubernetes:core/v1:PersistentVolume", {
            spec: { persistentVolumeReclaimPolicy: "Retain", csi: { driver: "efs.csi.aws.com" } },
        }),
        ["PersistentVolume r is not protected"],
    ],
    [
        "an unprotected claim of a volume it names (no class)",
        crafted("kubernetes:core/v1:PersistentVolumeClaim", { spec: { storageClassName: "", volumeName: "v" } }),
        [],
    ],
    [
        "an unprotected claim naming a volume of a class",
        crafted("kubernetes:core/v1:PersistentVolumeClaim", { spec: { storageClassName: "efs-sc", volumeName: "v" } }),
        ["PersistentVolumeClaim r"],
    ],
    ["an EFS storage class that retains", fileClass("efs.csi.aws.com", "Retain"), []],
    [
        "a Filestore storage class that deletes",
        fileClass("filestore.csi.storage.gke.io", "Delete"),
        ["reclaimPolicy Delete"],
    ],
    [
        "an Azure Files storage class with the default reclaim policy",
        fileClass("file.csi.azure.com"),
        ["Delete (the default)"],
    ],
    ["a block-storage class that deletes (not a shared file system)", fileClass("ebs.csi.aws.com", "Delete"), []],
]);

const configMap = (data: Record<string, string>) =>
    crafted("kubernetes:core/v1:ConfigMap", { metadata: { name: "cfg" }, data });
table(noCredentialsInConfig, [
    [
        "TorchServe's config.properties",
        configMap({ "config.properties": "inference_address=http://0.0.0.0:8080\ndisable_token_authorization=true\n" }),
        [],
    ],
    ["a ConfigMap with a password entry", configMap({ DB_PASSWORD: "hunter2" }), ["at DB_PASSWORD"]],
    [
        "a properties file with a token line",
        configMap({ "app.properties": "url=http://x\napi.token=abc123\n" }),
        ["app.properties: api.token"],
    ],
    ["a YAML file with an empty password (nothing to leak)", configMap({ "app.yaml": 'password: ""\n' }), []],
    [
        "Helm values referencing an existing Secret",
        release({ values: { admin: { existingSecret: "grafana-admin", passwordKey: "admin-password" } } }),
        [],
    ],
    [
        "Helm values with an admin password",
        release({ values: { adminUser: "admin", adminPassword: "hunter2" } }),
        ["values.adminPassword"],
    ],
    [
        "Helm values with a token in container env",
        release({
            values: {
                env: [
                    { name: "API_TOKEN", value: "abc" },
                    { name: "LOG_LEVEL", value: "info" },
                ],
            },
        }),
        ["values.env[0] (API_TOKEN)"],
    ],
    [
        "Helm values with a token from a Secret",
        release({ values: { env: [{ name: "API_TOKEN", valueFrom: { secretKeyRef: { name: "s", key: "token" } } }] } }),
        [],
    ],
    [
        "Helm values whose password is a Pulumi secret (revealed to policies)",
        release({
            values: {
                adminPassword: {
                    "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
                    value: "generated",
                },
            },
        }),
        ["values.adminPassword"],
    ],
    [
        "Helm values whose password a preview does not know yet",
        release({ values: { adminPassword: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } }),
        ["values.adminPassword"],
    ],
]);

table(chartVersionsPinned, [
    ["an exact version", release({ version: "9.59.0" }), []],
    ["an exact pre-release version", release({ version: "1.0.0-rc.1" }), []],
    ["no version", release({ version: undefined }), ["sets no chart version"]],
    ["a caret range", release({ version: "^9.59.0" }), ['"^9.59.0" is not an exact version']],
    ["a partial version", release({ version: "9.59" }), ["not an exact version"]],
    ["a wildcard", release({ version: "9.x" }), ["not an exact version"]],
    [
        "a local chart directory without a version",
        crafted("kubernetes:helm.sh/v3:Release", { chart: "./charts/app" }),
        [],
    ],
]);

/** A stack policy over resources, and the substrings of its violations, in order. */
type StackRow = [what: string, resources: PackResource[], expected: string[]];

function stackTable(policy: StackValidationPolicy, rows: StackRow[]): void {
    describe(`policy ${policy.name}`, () => {
        for (const [what, resources, expected] of rows) {
            it(`${expected.length ? "reports" : "passes"} ${what}`, async () => {
                const violations = await validateStack(policy, resources);
                assert.strictEqual(violations.length, expected.length, `got ${JSON.stringify(violations)}`);
                expected.forEach((e, i) =>
                    assert.ok(
                        violations[i].message.includes(e) && violations[i].urn,
                        `"${violations[i].message}" names ${e}`,
                    ),
                );
            });
        }
    });
}

const gpuContainer = container({
    name: "model",
    resources: {
        requests: { ...sized.requests, "nvidia.com/gpu": "1" },
        limits: { memory: "1Gi", "nvidia.com/gpu": "1" },
    },
});
const eksGpuPool = crafted(
    "aws:eks/nodeGroup:NodeGroup",
    {
        amiType: "AL2023_x86_64_NVIDIA",
        labels: { "torchserve.pytorch.org/pool": "gpu" },
        taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }],
    },
    { name: "gpu" },
);
const gkeGpuPool = crafted(
    "gcp:container/nodePool:NodePool",
    {
        name: "gpu",
        nodeConfig: {
            guestAccelerators: [{ type: "nvidia-l4", count: 1 }],
            taints: [{ key: "nvidia.com/gpu", value: "present", effect: "NO_SCHEDULE" }],
        },
    },
    { name: "gke-gpu" },
);
const gpuPod = (pod: Record<string, any>) => withPod({ containers: [gpuContainer], ...pod });
const placed = {
    tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
    nodeSelector: { "torchserve.pytorch.org/pool": "gpu" },
};
stackTable(gpuPodsPlaced, [
    ["a GPU pod tolerating and selecting the stack's GPU pool", [eksGpuPool, gpuPod(placed)], []],
    ["a GPU pod on an existing cluster (no pools in the stack) that tolerates and selects", [gpuPod(placed)], []],
    ["a CPU pod with neither", [eksGpuPool, withPod({ containers: [container({})] })], []],
    [
        "a GPU pod selecting GKE's accelerator label through required affinity",
        [
            gkeGpuPool,
            gpuPod({
                tolerations: [{ key: "nvidia.com/gpu", operator: "Equal", value: "present", effect: "NoSchedule" }],
                affinity: {
                    nodeAffinity: {
                        requiredDuringSchedulingIgnoredDuringExecution: {
                            nodeSelectorTerms: [
                                {
                                    matchExpressions: [
                                        {
                                            key: "cloud.google.com/gke-accelerator",
                                            operator: "In",
                                            values: ["nvidia-l4"],
                                        },
                                    ],
                                },
                            ],
                        },
                    },
                },
            }),
        ],
        [],
    ],
    [
        "a GPU pod without the toleration",
        [eksGpuPool, gpuPod({ nodeSelector: placed.nodeSelector })],
        ["does not tolerate", "fits none"],
    ],
    [
        "a GPU pod selecting no node",
        [eksGpuPool, gpuPod({ tolerations: placed.tolerations })],
        ["does not select GPU nodes"],
    ],
    [
        "a GPU pod selecting a label no GPU pool has",
        [eksGpuPool, gpuPod({ ...placed, nodeSelector: { "torchserve.pytorch.org/pool": "gpu-a100" } })],
        ["fits none of the stack's GPU pools (gpu)"],
    ],
    [
        "a GPU pod tolerating another value of the taint than the pool's",
        [
            eksGpuPool,
            gpuPod({
                ...placed,
                tolerations: [{ key: "nvidia.com/gpu", operator: "Equal", value: "present", effect: "NoSchedule" }],
            }),
        ],
        ["fits none"],
    ],
    [
        "a GPU init container in a pod without placement",
        [withPod({ initContainers: [gpuContainer], containers: [container({})] })],
        ["does not tolerate", "does not select"],
    ],
]);

const aks = (networkProfile: Record<string, any>) =>
    crafted("azure-native:containerservice:ManagedCluster", { networkProfile }, { name: "aks" });
const gke = (props: Record<string, any>) => crafted("gcp:container/cluster:Cluster", props, { name: "gke" });
const eksComponent = (props: Record<string, any>) =>
    crafted(
        "eks:index:Cluster",
        { name: "prod", ...props },
        { name: "eks", urn: "urn:pulumi:test::proj::eks:index:Cluster::eks" },
    );
const eksChild = crafted(
    "aws:eks/cluster:Cluster",
    { name: "prod" },
    {
        name: "eks-cluster",
        urn: "urn:pulumi:test::proj::eks:index:Cluster$aws:eks/cluster:Cluster::eks-cluster",
        parent: "urn:pulumi:test::proj::eks:index:Cluster::eks",
    },
);
const vpcCni = (config: Record<string, unknown>, more: Partial<PackResource> = {}) =>
    crafted(
        "aws:eks/addon:Addon",
        { addonName: "vpc-cni", clusterName: "prod", configurationValues: JSON.stringify(config) },
        { name: "vpc-cni", ...more },
    );
stackTable(clusterNetworkPolicy, [
    ["an AKS cluster with Azure network policy", [aks({ networkPlugin: "azure", networkPolicy: "azure" })], []],
    [
        "an AKS cluster with Cilium",
        [aks({ networkPlugin: "azure", networkDataplane: "cilium", networkPolicy: "cilium" })],
        [],
    ],
    [
        "an AKS cluster without network policy",
        [aks({ networkPlugin: "azure" })],
        ["aks: AKS cluster enforces no network policy"],
    ],
    ["an AKS cluster with network policy none", [aks({ networkPlugin: "azure", networkPolicy: "none" })], ['"none"']],
    ["a GKE cluster on Dataplane V2", [gke({ datapathProvider: "ADVANCED_DATAPATH" })], []],
    [
        "a GKE cluster with Calico network policy and its add-on",
        [
            gke({
                networkPolicy: { enabled: true, provider: "CALICO" },
                addonsConfig: { networkPolicyConfig: { disabled: false } },
            }),
        ],
        [],
    ],
    [
        "a GKE cluster with network policy but not its add-on",
        [gke({ networkPolicy: { enabled: true, provider: "CALICO" } })],
        ["gke: GKE cluster enforces no network policy"],
    ],
    ["a GKE cluster on the legacy datapath", [gke({ datapathProvider: "LEGACY_DATAPATH" })], ["GKE cluster"]],
    [
        "a pulumi-eks cluster whose vpc-cni add-on enforces network policy",
        [eksComponent({}), eksChild, vpcCni({ enableNetworkPolicy: "true" })],
        [],
    ],
    [
        "a pulumi-eks cluster on the default VPC CNI",
        [eksComponent({}), eksChild],
        ["EKS cluster enforces no network policy"],
    ],
    [
        "a pulumi-eks cluster whose vpc-cni add-on leaves network policy off",
        [eksComponent({}), eksChild, vpcCni({ enableNetworkPolicy: "false" })],
        ["EKS cluster"],
    ],
    [
        "a pulumi-eks cluster as test mocks see it, with vpcCniOptions.enableNetworkPolicy",
        [eksComponent({ vpcCniOptions: { enableNetworkPolicy: true }, useDefaultVpcCni: false })],
        [],
    ],
    [
        "a pulumi-eks cluster as test mocks see it, keeping the default VPC CNI",
        [eksComponent({ vpcCniOptions: { enableNetworkPolicy: true } })],
        ["EKS cluster"],
    ],
    [
        "two EKS clusters of which one has the add-on",
        [
            crafted("aws:eks/cluster:Cluster", { name: "prod" }, { name: "a" }),
            crafted("aws:eks/cluster:Cluster", { name: "staging" }, { name: "b" }),
            vpcCni({ enableNetworkPolicy: "true" }),
        ],
        ["EKS cluster enforces no network policy"],
    ],
]);
