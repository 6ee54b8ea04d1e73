// Table-driven tests of config parsing and preflight validation (pure; no Pulumi runtime).
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { defaultKubernetesVersion as aksDefaultVersion } from "../components/aks/defaults";
import { aksSupportedMinors } from "../components/aks/versions";
import { eksDefaults } from "../components/eks/defaults";
import { eksAddonVersions, eksSupportedMinors } from "../components/eks/versions";
import { defaultKubernetesVersion as gkeDefaultVersion } from "../components/gke/defaults";
import { gkeRegularChannelMinors } from "../components/gke/versions";
import { gpuPodCapacity } from "../stacks/config/capacity";
import { chartKeys } from "../stacks/config/helmChart";
import { parseStackConfig, providerNamespaces } from "../stacks/config/parse";
import { RawStackConfig } from "../stacks/config/read";
import { errorsOf } from "./support/configErrors";
import { eksAddonNames } from "../stacks/config/sections/cluster";
import { aksCallerWarning, eksCallerWarning, nilGuid } from "../stacks/config/sections/admins";
import { imageFlavour } from "../stacks/config/sections/torchserve";

const P = "torchserve-platform";

/** The admins of every azure row, unless the row is about that key. */
const azureAdmins = [{ objectId: "8a1b2c3d-0000-4000-8000-1234567890ab", principalType: "User" }];

/** What every cloud row allows to reach its API server, unless the row is about that key. */
const allowedCidrs = ["203.0.113.0/24"];

/**
 * A stack's raw config. Like the example stacks, a cloud stack (aws, azure, gcp) states its
 * required `cluster.apiAllowedCidrs` (`allowedCidrs`) unless `values.cluster` has that key itself,
 * and an azure stack its required `cluster.admins` (`azureAdmins`).
 */
function raw(
    values: Record<string, unknown>,
    location: RawStackConfig["location"] = {},
    stack = "t",
    otherKeys: string[] = [],
): RawStackConfig {
    const cluster = values.cluster;
    const statesCidrs = typeof cluster === "object" && cluster !== null && "apiAllowedCidrs" in cluster;
    if (["aws", "azure", "gcp"].includes(values.cloud as string) && !statesCidrs && (cluster ?? {}) instanceof Object)
        values = { ...values, cluster: { ...(values.cluster as object), apiAllowedCidrs: allowedCidrs } };
    const statesAdmins = typeof cluster === "object" && cluster !== null && "admins" in cluster;
    if (values.cloud === "azure" && !statesAdmins && (cluster ?? {}) instanceof Object)
        values = { ...values, cluster: { ...(values.cluster as object), admins: azureAdmins } };
    const locationKeys = {
        awsRegion: "aws:region",
        azureLocation: "azure-native:location",
        gcpProject: "gcp:project",
        gcpRegion: "gcp:region",
    };
    const allKeys = [
        ...Object.keys(values).map((k) => `${P}:${k}`),
        ...Object.entries(location)
            .filter(([, v]) => v !== undefined)
            .map(([k]) => locationKeys[k as keyof typeof locationKeys]),
        ...otherKeys,
    ];
    return { project: P, stack, values, location, allKeys, secretKeys: [] };
}

const gpuTorchserve = {
    image: "pytorch/torchserve:0.12.0-gpu",
    nGpu: 1,
    nCpu: 2,
    memoryRequest: "4Gi",
    memoryLimit: "8Gi",
};
const aws = (extra: Record<string, unknown> = {}) =>
    raw(
        { cloud: "aws", gpuNodePool: { instanceType: "g5.xlarge" }, torchserve: gpuTorchserve, ...extra },
        { awsRegion: "us-west-2" },
    );
const azure = (extra: Record<string, unknown> = {}) =>
    raw(
        { cloud: "azure", gpuNodePool: { instanceType: "Standard_NC4as_T4_v3" }, torchserve: gpuTorchserve, ...extra },
        { azureLocation: "eastus" },
    );
const gcp = (extra: Record<string, unknown> = {}) =>
    raw(
        {
            cloud: "gcp",
            gpuNodePool: { instanceType: "n1-standard-8", gpuType: "nvidia-tesla-t4" },
            torchserve: { ...gpuTorchserve, persistenceSize: "1Ti" },
            ...extra,
        },
        { gcpProject: "my-project", gcpRegion: "us-central1" },
    );
const existing = (torchserve: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    raw({
        cloud: "existing",
        torchserve: { image: "pytorch/torchserve:0.12.0-cpu", nGpu: 0, ...torchserve },
        ...extra,
    });

describe("config: valid stacks", () => {
    it("applies the defaults of docs/architecture.md and the README", () => {
        const { settings } = parseStackConfig(existing({}));
        const ts = settings.torchserve;
        assert.deepStrictEqual(
            [ts.inferencePort, ts.managementPort, ts.metricsPort, ts.grpcInferencePort, ts.grpcManagementPort],
            [8080, 8081, 8082, 7070, 7071],
        );
        assert.strictEqual(ts.replicas, 1);
        assert.strictEqual(ts.modelStorePath, "/home/model-server/shared/");
        assert.strictEqual(ts.persistenceSize, "1Gi");
        assert.strictEqual(ts.memoryLimit, "4Gi");
        assert.strictEqual(ts.memoryRequest, "1Gi");
        assert.strictEqual(ts.namespace, "torchserve");
        assert.strictEqual(settings.cluster.name, "torchserve-t");
        assert.strictEqual(settings.prometheus.enabled, false);
        assert.strictEqual(ts.storageAccessMode, "ReadWriteOnce");
    });

    it("defaults the image to -gpu with GPUs and -cpu without", () => {
        assert.strictEqual(
            parseStackConfig(aws({ torchserve: { nCpu: 2 } })).settings.torchserve.image,
            "pytorch/torchserve:0.12.0-gpu",
        );
        assert.strictEqual(
            parseStackConfig(raw({ cloud: "existing", torchserve: { nGpu: 0 } })).settings.torchserve.image,
            "pytorch/torchserve:0.12.0-cpu",
        );
    });

    it("accepts true/false wherever {enabled} is accepted", () => {
        const { settings } = parseStackConfig(
            aws({ prometheus: true, grafana: { enabled: true }, autoscaling: true, istio: false }),
        );
        assert.strictEqual(settings.prometheus.enabled, true);
        assert.strictEqual(settings.grafana.enabled, true);
        assert.strictEqual(settings.autoscaling.enabled, true);
        assert.strictEqual(settings.istio.enabled, false);
    });

    it("logs by default: the cloud's sink on cloud stacks, Loki on existing; true/false accepted", () => {
        for (const [config, backend] of [
            [aws(), "cloud"],
            [azure(), "cloud"],
            [gcp(), "cloud"],
            [existing({}), "loki"],
        ] as const) {
            const { logging } = parseStackConfig(config).settings;
            assert.deepStrictEqual(
                [logging.enabled, logging.backend, logging.retentionDays],
                [true, backend, 30],
                config.values.cloud as string,
            );
        }
        assert.strictEqual(parseStackConfig(aws({ logging: false })).settings.logging.enabled, false);
        assert.strictEqual(parseStackConfig(existing({}, { logging: true })).settings.logging.backend, "loki");
        const loki = parseStackConfig(
            aws({ logging: { enabled: true, backend: "loki", retentionDays: 10, storageSize: "20Gi" } }),
        ).settings.logging;
        assert.deepStrictEqual([loki.backend, loki.retentionDays, loki.storageSize], ["loki", 10, "20Gi"]);
        assert.strictEqual(
            parseStackConfig(azure({ logging: { enabled: true, retentionDays: 90 } })).settings.logging.retentionDays,
            90,
        );
        assert.strictEqual(
            parseStackConfig(aws({ logging: { enabled: true, retentionDays: 14 } })).settings.logging.retentionDays,
            14,
        );
    });

    it("takes GPUs per node from the instance type", () => {
        const { settings } = parseStackConfig(
            aws({ gpuNodePool: { instanceType: "g5.12xlarge" }, torchserve: { ...gpuTorchserve, nGpu: 4 } }),
        );
        assert.strictEqual(settings.gpuNodePool!.gpusPerNode, 4);
    });

    it("treats maxNodes: 0 as no GPU pool", () => {
        const { settings } = parseStackConfig(
            raw(
                { cloud: "aws", gpuNodePool: { instanceType: "g5.xlarge", maxNodes: 0 }, torchserve: { nGpu: 0 } },
                { awsRegion: "us-west-2" },
            ),
        );
        assert.strictEqual(settings.gpuNodePool, undefined);
    });

    it("uses ReadWriteMany on cloud clusters and when several pods share the store", () => {
        assert.strictEqual(parseStackConfig(aws()).settings.torchserve.storageAccessMode, "ReadWriteMany");
        assert.strictEqual(
            parseStackConfig(existing({ replicas: 2 })).settings.torchserve.storageAccessMode,
            "ReadWriteMany",
        );
    });

    it("warns when an add-on has settings but no enabled", () => {
        const { settings, warnings } = parseStackConfig(existing({}, { grafana: { serviceType: "LoadBalancer" } }));
        assert.strictEqual(settings.grafana.enabled, false);
        assert.ok(
            warnings.some((w) => w.startsWith(`${P}:grafana: settings given but no "enabled"`)),
            warnings.join("\n"),
        );
        const off = parseStackConfig(existing({}, { grafana: false })).warnings;
        assert.deepStrictEqual(
            off.filter((w) => w.startsWith(`${P}:grafana`)),
            [],
        );
    });

    it("warns once on existing that the cluster must enforce NetworkPolicy, and never on a created cluster", () => {
        const warned = parseStackConfig(existing({})).warnings.filter((w) => w.includes("NetworkPolic"));
        assert.strictEqual(warned.length, 1, warned.join("\n"));
        assert.ok(
            warned[0].startsWith(
                `${P}:cloud: existing: the program cannot check that this cluster enforces NetworkPolicy`,
            ),
        );
        for (const r of [aws(), azure(), gcp()])
            assert.deepStrictEqual(
                parseStackConfig(r).warnings.filter((w) => w.includes("NetworkPolic")),
                [],
            );
    });

    it("takes cluster.apiAllowedCidrs as given and warns only when it allows any address", () => {
        const own = parseStackConfig(aws({ cluster: { apiAllowedCidrs: ["203.0.113.0/24", "198.51.100.7/32"] } }));
        assert.deepStrictEqual(own.settings.cluster.apiAllowedCidrs, ["203.0.113.0/24", "198.51.100.7/32"]);
        assert.deepStrictEqual(
            own.warnings.filter((w) => w.includes("apiAllowedCidrs")),
            [],
        );
        const open = parseStackConfig(gcp({ cluster: { apiAllowedCidrs: ["0.0.0.0/0"] } }));
        const warned = open.warnings.filter((w) => w.includes("apiAllowedCidrs"));
        assert.strictEqual(warned.length, 1);
        assert.ok(warned[0].startsWith(`${P}:cluster.apiAllowedCidrs: 0.0.0.0/0 lets any address reach`), warned[0]);
        assert.strictEqual(parseStackConfig(existing({})).settings.cluster.apiAllowedCidrs, undefined);
    });

    it("warns (does not fail) for an unknown instance type and for a GPU image on CPU", () => {
        const unknown = parseStackConfig(aws({ gpuNodePool: { instanceType: "g7.mega" } }));
        assert.ok(unknown.warnings.some((w) => w.includes("gpuNodePool.instanceType") && w.includes("g7.mega")));
        const gpuOnCpu = parseStackConfig(existing({ image: "pytorch/torchserve:0.12.0-gpu" }));
        assert.ok(gpuOnCpu.warnings.some((w) => w.startsWith(`${P}:torchserve.image`)));
    });

    it("accepts the example GPU stacks of each cloud", () => {
        for (const r of [aws(), azure(), gcp()]) assert.deepStrictEqual(errorsOf(r), []);
    });
});

/** A SHA-256, which cloud stacks require of every model (stacks/config/security.ts). */
const hash = "a".repeat(64);

describe("config: object-store model URLs", () => {
    const model = (url: string) => ({ name: "m", url, sha256: hash });
    it("accepts each cloud's own object URL", () => {
        const cases: [RawStackConfig, string][] = [
            [
                aws({ torchserve: { ...gpuTorchserve, models: [model("s3://my-models/resnet/1.mar")] } }),
                "s3://my-models/resnet/1.mar",
            ],
            [
                gcp({
                    torchserve: { ...gpuTorchserve, persistenceSize: "1Ti", models: [model("gs://my_models/r.mar")] },
                }),
                "gs://my_models/r.mar",
            ],
            [
                azure({
                    torchserve: {
                        ...gpuTorchserve,
                        storageResourceGroup: "models-rg",
                        models: [model("https://MyAcct.blob.core.windows.net/models/r.mar")],
                    },
                }),
                "https://myacct.blob.core.windows.net/models/r.mar",
            ],
            [existing({ serviceAccount: {}, models: [model("s3://my-models/r.mar")] }), "s3://my-models/r.mar"],
        ];
        for (const [config, url] of cases)
            assert.equal(parseStackConfig(config).settings.torchserve.models[0].url, url);
    });

    it("keeps a pre-signed (SAS) Blob URL an http URL on any cloud", () => {
        const sas = "https://acct.blob.core.windows.net/models/r.mar?sv=2022-11-02&sig=abc";
        const s = parseStackConfig(aws({ torchserve: { ...gpuTorchserve, models: [model(sas)] } })).settings;
        assert.equal(s.torchserve.models[0].url, sas);
    });

    it("reads an existing cluster's identity annotations and pod labels", () => {
        const serviceAccount = {
            annotations: { "azure.workload.identity/client-id": "00000000-0000-0000-0000-000000000001" },
            podLabels: { "azure.workload.identity/use": "true" },
        };
        const s = parseStackConfig(existing({ serviceAccount })).settings;
        assert.deepEqual(s.torchserve.serviceAccount, serviceAccount);
    });
});

describe("config: day-2 keys and their defaults", () => {
    it("pins the EKS add-ons for the cluster's minor, with overrides", () => {
        const { settings } = parseStackConfig(
            aws({
                cluster: {
                    kubernetesVersion: "1.35",
                    addonVersions: { coredns: "v1.99.0-eksbuild.1", cloudWatchObservability: "v6.7.0-eksbuild.1" },
                },
            }),
        );
        assert.deepStrictEqual(settings.cluster.addonVersions, {
            ...eksAddonVersions["1.35"],
            coredns: "v1.99.0-eksbuild.1",
            // The CloudWatch add-on is pinned per minor like the others, and overridable.
            cloudWatchObservability: "v6.7.0-eksbuild.1",
        });
        assert.deepStrictEqual(parseStackConfig(azure()).settings.cluster.addonVersions, {});
    });
    it("accepts Prometheus's and Loki's volumes up to gp3's 16 TiB on aws", () => {
        parseStackConfig(
            aws({
                prometheus: { enabled: true, storageSize: "16Ti" },
                logging: { enabled: true, backend: "loki", storageSize: "16384Gi" },
            }),
        );
    });
    it("warns, and leaves the add-on to EKS, on a minor with no pinned versions", () => {
        const { warnings } = parseStackConfig(
            aws({ cluster: { kubernetesVersion: "1.38", allowUnlistedKubernetesVersion: true } }),
        );
        assert.strictEqual(
            warnings.filter((w) => w.includes("cluster.addonVersions.")).length,
            Object.keys(eksAddonNames).length,
        );
    });
    for (const minor of ["1.32", "1.33"])
        it(`EKS creates ${minor} clusters in extended support: accepted, with a warning stating the price`, () => {
            const { settings, warnings } = parseStackConfig(aws({ cluster: { kubernetesVersion: minor } }));
            assert.strictEqual(settings.cluster.kubernetesVersion, minor);
            const w = warnings.filter((x) => x.startsWith(`${P}:cluster.kubernetesVersion:`));
            assert.strictEqual(w.length, 1, warnings.join("\n"));
            assert.match(w[0], /extended support until 20\d\d-\d\d-\d\d/);
            assert.match(w[0], /\$0\.60 per cluster-hour instead of \$0\.10/);
        });
    it("AKS clusters get Cilium unless the stack keeps an older cluster's Azure dataplane, said at every preview", () => {
        const plain = parseStackConfig(azure());
        assert.strictEqual(plain.settings.cluster.aksNetworkDataplane, undefined);
        assert.ok(!plain.warnings.some((w) => w.includes("aksNetworkDataplane")), plain.warnings.join("\n"));
        const kept = parseStackConfig(azure({ cluster: { aksNetworkDataplane: "azure" } }));
        assert.strictEqual(kept.settings.cluster.aksNetworkDataplane, "azure");
        const lines = kept.warnings.filter((w) => w.includes("aksNetworkDataplane"));
        assert.strictEqual(lines.length, 1, kept.warnings.join("\n"));
        assert.match(lines[0], /^torchserve-platform:cluster\.aksNetworkDataplane: azure: .*enforces no NetworkPolicy/);
        assert.ok(!lines[0].includes("\n"));
        const cilium = parseStackConfig(azure({ cluster: { aksNetworkDataplane: "cilium" } }));
        assert.strictEqual(cilium.settings.cluster.aksNetworkDataplane, "cilium");
        assert.ok(!cilium.warnings.some((w) => w.includes("aksNetworkDataplane")));
    });
    it("defaults the maintenance window (12 hours on GKE, 4 on AKS) and the GPU pool's upgrade surge", () => {
        const { settings } = parseStackConfig(gcp());
        // GKE needs 48 hours in every 32 days (components/gke/maintenance.ts): 4 weekly windows of 12.
        assert.deepStrictEqual(settings.cluster.maintenanceWindow, {
            day: "Saturday",
            startHour: 3,
            durationHours: 12,
        });
        assert.deepStrictEqual(parseStackConfig(azure()).settings.cluster.maintenanceWindow, {
            day: "Saturday",
            startHour: 3,
            durationHours: 4,
        });
        assert.deepStrictEqual(settings.gpuNodePool!.upgrade, { maxSurge: 1, maxUnavailable: 0 });
        assert.strictEqual(settings.gpuNodePool!.zones, undefined);
    });
    it("warns on gcp when where the accelerator is offered is unknown", () => {
        const known = parseStackConfig(gcp()).warnings;
        assert.ok(!known.some((w) => w.includes("gpuNodePool.zones")), known.join("\n"));
        // L4s in us-south1: not in components/gke/acceleratorZones.ts (test/gkeAcceleratorZones.test.ts).
        const southL4 = gcp({ gpuNodePool: { instanceType: "g2-standard-8", gpuType: "nvidia-l4" } });
        const l4 = parseStackConfig({ ...southL4, location: { ...southL4.location, gcpRegion: "us-south1" } }).warnings;
        assert.ok(
            l4.some((w) => w.startsWith(`${P}:gpuNodePool.zones`)),
            l4.join("\n"),
        );
        const set = parseStackConfig(
            gcp({ gpuNodePool: { instanceType: "g2-standard-8", gpuType: "nvidia-l4", zones: ["us-central1-a"] } }),
        );
        assert.deepStrictEqual(set.settings.gpuNodePool!.zones, ["us-central1-a"]);
    });
});

describe("config: EKS system pool spans every zone", () => {
    const pool = (minNodes: number) => ({ cluster: { systemNodePool: { minNodes } } });
    const cases: [string, ReturnType<typeof aws>, boolean][] = [
        ["aws, default minNodes 1: warned it is raised to 3", aws(), true],
        ["aws, minNodes 2: warned", aws(pool(2)), true],
        ["aws, minNodes 3: as given", aws(pool(3)), false],
        ["gcp, minNodes 1: as given", gcp(), false],
    ];
    for (const [name, input, warned] of cases)
        it(name, () => {
            const w = parseStackConfig(input).warnings;
            const hit = w.some((x) => x.startsWith(`${P}:cluster.systemNodePool.minNodes`));
            assert.strictEqual(hit, warned, w.join("\n"));
        });
});

describe("config: GPU pod capacity (rollout surge room)", () => {
    it("counts CPU and memory, not only GPUs", () => {
        // g5.12xlarge: 4 GPUs, 48 vCPU; 16 CPUs per pod fit twice per node, so 2 nodes hold 4 pods, not 8.
        const { settings } = parseStackConfig(
            aws({
                gpuNodePool: { instanceType: "g5.12xlarge", maxNodes: 2 },
                torchserve: { ...gpuTorchserve, nCpu: 16 },
            }),
        );
        assert.strictEqual(gpuPodCapacity(settings), 4);
        const gpuBound = parseStackConfig(aws({ gpuNodePool: { instanceType: "g5.12xlarge", maxNodes: 2 } })).settings;
        assert.strictEqual(gpuPodCapacity(gpuBound), 8);
        assert.strictEqual(gpuPodCapacity(parseStackConfig(existing({})).settings), undefined);
        // A GPU pool but TorchServe on CPUs: no GPU pods to count (StrykerJS found this unguarded).
        const cpuPods = aws({ torchserve: { ...gpuTorchserve, image: "pytorch/torchserve:0.12.0-cpu", nGpu: 0 } });
        assert.strictEqual(gpuPodCapacity(parseStackConfig(cpuPods).settings), undefined);
    });

    it("a pod fits a node whole or not at all: GPUs, CPU and memory per node round down", () => {
        const capacity = (torchserve: Record<string, unknown>) =>
            gpuPodCapacity(
                parseStackConfig(
                    aws({
                        gpuNodePool: { instanceType: "g5.12xlarge", maxNodes: 2 },
                        torchserve: { ...gpuTorchserve, ...torchserve },
                    }),
                ).settings,
            );
        // 4 GPUs / 3 per pod: one pod per node (not two).
        assert.strictEqual(capacity({ nGpu: 3 }), 2);
        // 192 GiB less the system reserve holds two 70Gi pods (not three).
        assert.strictEqual(capacity({ memoryRequest: "70Gi", memoryLimit: "70Gi" }), 4);
        // 48 vCPUs less the reserve hold two pods of 20 CPUs (not three).
        assert.strictEqual(capacity({ nCpu: 20 }), 4);
    });
});

describe("config: a GPU pod's sidecars count against the node", () => {
    const bucketModels = {
        modelStore: "bucket",
        models: [{ name: "m", url: "gs://acme-models/serving/m.mar", sha256: "a".repeat(64) }],
    };
    const l4 = { instanceType: "g2-standard-4", gpuType: "nvidia-l4" };
    /** [what, config, the line expected for torchserve.nCpu, or undefined when it fits]. */
    const rows: [string, RawStackConfig, RegExp | undefined][] = [
        // g2-standard-4: 4 vCPU, about 3.5 for pods; TorchServe alone fits with 3.4.
        [
            "3.4 CPUs on a g2-standard-4, file share",
            gcp({ gpuNodePool: l4, torchserve: { ...gpuTorchserve, nCpu: 3.4, persistenceSize: "1Ti" } }),
            undefined,
        ],
        [
            "3.4 CPUs on a g2-standard-4 beside gcsfuse (250m)",
            gcp({ gpuNodePool: l4, torchserve: { ...gpuTorchserve, nCpu: 3.4, ...bucketModels } }),
            /torchserve\.nCpu: 3\.4 .*about 3\.25 CPUs .*less the gcsfuse sidecar's request/,
        ],
        [
            "3.2 CPUs beside gcsfuse",
            gcp({ gpuNodePool: l4, torchserve: { ...gpuTorchserve, nCpu: 3.2, ...bucketModels } }),
            undefined,
        ],
        // g5.xlarge: 4 vCPU; istio-proxy asks 100m.
        ["3.45 CPUs on a g5.xlarge", aws({ torchserve: { ...gpuTorchserve, nCpu: 3.45 } }), undefined],
        [
            "3.45 CPUs on a g5.xlarge beside istio-proxy (100m)",
            aws({ torchserve: { ...gpuTorchserve, nCpu: 3.45 }, istio: { enabled: true } }),
            /torchserve\.nCpu: 3\.45 .*about 3\.4 CPUs .*less the istio-proxy sidecar's request/,
        ],
    ];
    for (const [what, config, expected] of rows)
        it(`${what}: ${expected ? "refused" : "accepted"}`, () => {
            const lines = errorsOf(config).filter((l) => l.includes("torchserve.nCpu"));
            if (expected) assert.ok(lines.length === 1 && expected.test(lines[0]), lines.join("\n") || "no error");
            else assert.deepStrictEqual(lines, []);
        });
});

describe("config: image references", () => {
    const table: [string, string | undefined][] = [
        ["pytorch/torchserve:0.12.0-gpu", "gpu"],
        ["pytorch/torchserve:0.12.0-cpu", "cpu"],
        ["registry.example.com:5000/team/torchserve:1.2", "unknown"],
        [`pytorch/torchserve@sha256:${"a".repeat(64)}`, "unknown"],
        ["pytorch/torchserve", undefined],
        ["pytorch/torchserve:latest", undefined],
        ["pytorch/torchserve:latest-gpu", undefined],
        ["registry.example.com:5000/torchserve", undefined],
        // Tags and registry hosts may hold capitals; repository paths may not (distribution/reference).
        ["pytorch/torchserve:0.12.0-GPU-RC1", "gpu"],
        ["Registry.Example.com:5000/team/torchserve:1.2-CPU", "cpu"],
        ["pytorch/TorchServe:0.12.0-gpu", undefined],
        ["pytorch/torchserve:LATEST", undefined],
    ];
    for (const [image, flavour] of table) {
        it(`${image} → ${flavour ?? "rejected"}`, () => assert.strictEqual(imageFlavour(image), flavour));
    }
});

/** [what, config, the key the single error line must name, a word the line must contain] */
const badConfigs: [string, RawStackConfig, string, string][] = [
    ["cloud missing", raw({}), `${P}:cloud`, "required"],
    ["cloud not in the list", raw({ cloud: "openstack" }), `${P}:cloud`, "existing, aws, azure, gcp"],
    ["aws without region", raw({ cloud: "aws", torchserve: { nGpu: 0 } }), "aws:region", "required"],
    ["azure without location", raw({ cloud: "azure", torchserve: { nGpu: 0 } }), "azure-native:location", "required"],
    [
        "gcp without project",
        raw({ cloud: "gcp", torchserve: { nGpu: 0, persistenceSize: "1Ti" } }, { gcpRegion: "us-central1" }),
        "gcp:project",
        "required",
    ],
    [
        "gcp without region",
        raw({ cloud: "gcp", torchserve: { nGpu: 0, persistenceSize: "1Ti" } }, { gcpProject: "my-project" }),
        "gcp:region",
        "required",
    ],
    [
        "aws region key misspelt",
        raw({ cloud: "aws", torchserve: { nGpu: 0 } }, {}, "t", ["aws:regoin"]),
        "aws:region",
        "did you mean aws:region",
    ],
    [
        "aws region that is a zone",
        raw({ cloud: "aws", torchserve: { nGpu: 0 } }, { awsRegion: "us-west-2a" }),
        "aws:region",
        "availability zone",
    ],
    [
        "azure location with spaces",
        raw({ cloud: "azure", torchserve: { nGpu: 0 } }, { azureLocation: "East US" }),
        "azure-native:location",
        "eastus",
    ],
    [
        "gcp zone given as region",
        raw(
            { cloud: "gcp", torchserve: { nGpu: 0, persistenceSize: "1Ti" } },
            { gcpProject: "my-project", gcpRegion: "us-central1-a" },
        ),
        "gcp:region",
        "zone",
    ],
    [
        "gcp project id malformed",
        raw(
            { cloud: "gcp", torchserve: { nGpu: 0, persistenceSize: "1Ti" } },
            { gcpProject: "My Project", gcpRegion: "us-central1" },
        ),
        "gcp:project",
        "project ID",
    ],
    ["port out of range", existing({ inferencePort: 70000 }), `${P}:torchserve.inferencePort`, "65535"],
    ["port zero", existing({ metricsPort: 0 }), `${P}:torchserve.metricsPort`, "from 1024"],
    ["privileged port", existing({ inferencePort: 80 }), `${P}:torchserve.inferencePort`, "from 1024"],
    ["port not a number", existing({ managementPort: "8081x" }), `${P}:torchserve.managementPort`, "integer"],
    ["ports colliding", existing({ grpcInferencePort: 8080 }), `${P}:torchserve.grpcInferencePort`, "inferencePort"],
    ["replicas negative", existing({ replicas: -1 }), `${P}:torchserve.replicas`, "from 0"],
    [
        "scale to zero without the mesh (no wake-up signal)",
        existing({}, { prometheus: true, autoscaling: { enabled: true, minReplicas: 0, maxReplicas: 1 } }),
        `${P}:autoscaling.minReplicas`,
        "wake-up signal",
    ],
    [
        "scale to zero with a canary (which KEDA does not scale: an idle stack keeps a GPU node)",
        existing(
            { storageAccessMode: "ReadWriteMany", canary: { image: "pytorch/torchserve:0.12.0-cpu", weight: 10 } },
            { prometheus: true, istio: true, autoscaling: { enabled: true, minReplicas: 0, maxReplicas: 2 } },
        ),
        `${P}:autoscaling.minReplicas`,
        "torchserve.canary",
    ],
    [
        "the retired queue-latency target",
        existing({}, { prometheus: true, autoscaling: { enabled: true, maxReplicas: 1, targetQueueLatencyMs: 50 } }),
        `${P}:autoscaling.targetQueueLatencyMs`,
        "targetRequestsPerSecond",
    ],
    ["nCpu zero", existing({ nCpu: 0 }), `${P}:torchserve.nCpu`, "> 0"],
    ["nCpu negative", existing({ nCpu: -1 }), `${P}:torchserve.nCpu`, "> 0"],
    ["malformed memory quantity", existing({ memoryLimit: "4Gb" }), `${P}:torchserve.memoryLimit`, "quantity"],
    [
        "malformed persistence size",
        existing({ persistenceSize: "ten gigs" }),
        `${P}:torchserve.persistenceSize`,
        "quantity",
    ],
    [
        "memoryRequest above memoryLimit",
        existing({ memoryRequest: "8Gi", memoryLimit: "4Gi" }),
        `${P}:torchserve.memoryRequest`,
        "memoryLimit",
    ],
    [
        "modelStorePath relative",
        existing({ modelStorePath: "model-store" }),
        `${P}:torchserve.modelStorePath`,
        "absolute",
    ],
    [
        "modelStorePath over the config mount",
        existing({ modelStorePath: "/etc/torchserve" }),
        `${P}:torchserve.modelStorePath`,
        "overlaps /etc/torchserve",
    ],
    [
        "modelStorePath above the config mount",
        existing({ modelStorePath: "/etc/" }),
        `${P}:torchserve.modelStorePath`,
        "overlaps",
    ],
    ["modelStorePath root", existing({ modelStorePath: "/" }), `${P}:torchserve.modelStorePath`, "absolute path"],
    [
        "persistence size zero",
        existing({ persistenceSize: "0" }),
        `${P}:torchserve.persistenceSize`,
        "larger than zero",
    ],
    [
        "TorchServe in kube-system",
        existing({ namespace: "kube-system" }),
        `${P}:torchserve.namespace`,
        "one of its own",
    ],
    [
        "Prometheus in TorchServe's namespace",
        existing({}, { prometheus: { enabled: true, namespace: "torchserve" } }),
        `${P}:prometheus.namespace`,
        "of its own",
    ],
    [
        "Prometheus in the mesh's gateway namespace",
        existing({}, { prometheus: { enabled: true, namespace: "istio-ingress" } }),
        `${P}:prometheus.namespace`,
        "of its own",
    ],
    [
        "Prometheus in a namespace Kubernetes owns",
        existing({}, { prometheus: { enabled: true, namespace: "kube-node-lease" } }),
        `${P}:prometheus.namespace`,
        "of its own",
    ],
    [
        "TorchServe in the mesh's control-plane namespace",
        existing({ namespace: "istio-system" }),
        `${P}:torchserve.namespace`,
        "one of its own",
    ],
    ["a secret in config", { ...existing({}), secretKeys: ["torchserve"] }, `${P}:torchserve`, "clear text"],
    [
        "modelStorePath escaping",
        existing({ modelStorePath: "/home/../etc" }),
        `${P}:torchserve.modelStorePath`,
        "absolute",
    ],
    [
        "typo in a torchserve key (seed name)",
        existing({ persitant_volume: "2Gi" }),
        `${P}:torchserve.persitant_volume`,
        "persistenceSize",
    ],
    ["typo in a torchserve key", existing({ replcas: 2 }), `${P}:torchserve.replcas`, "replicas"],
    ["seed parameter name", existing({ n_gpu: 0 }), `${P}:torchserve.n_gpu`, "nGpu"],
    ["unknown top-level key", raw({ cloud: "existing", torchserv: {} }), `${P}:torchserv`, "torchserve"],
    ["torchserve key at top level", raw({ cloud: "existing", replicas: 2 }), `${P}:replicas`, "torchserve.replicas"],
    [
        "unknown cluster key",
        raw({ cloud: "existing", torchserve: { nGpu: 0 }, cluster: { nmae: "x" } }),
        `${P}:cluster.nmae`,
        "name",
    ],
    [
        "unknown gpuNodePool key",
        aws({ gpuNodePool: { instanceType: "g5.xlarge", maxNode: 3 } }),
        `${P}:gpuNodePool.maxNode`,
        "maxNodes",
    ],
    [
        "model without name",
        existing({ models: [{ url: "https://example.com/a.mar" }] }),
        `${P}:torchserve.models[0].name`,
        "required",
    ],
    [
        "model name with bad characters",
        existing({ models: [{ name: "my model!", url: "https://example.com/a.mar" }] }),
        `${P}:torchserve.models[0].name`,
        "model name",
    ],
    [
        "model url on s3 on an existing cluster without an identity",
        existing({ models: [{ name: "m", url: "s3://bucket/m.mar" }] }),
        `${P}:torchserve.models[0].url`,
        'model "m" is an S3 object, and on an existing cluster the pods need an identity',
    ],
    [
        "gs:// model on aws",
        aws({
            torchserve: { ...gpuTorchserve, models: [{ name: "bert", url: "gs://models/bert.mar", sha256: hash }] },
        }),
        `${P}:torchserve.models[0].url`,
        `model "bert" is a Cloud Storage object, read with Google Cloud's workload identity, but this stack's cloud is aws: use s3://`,
    ],
    [
        "s3:// model on gcp",
        gcp({
            torchserve: {
                ...gpuTorchserve,
                persistenceSize: "1Ti",
                models: [{ name: "bert", url: "s3://models/bert.mar", sha256: hash }],
            },
        }),
        `${P}:torchserve.models[0].url`,
        `model "bert" is an S3 object, read with AWS's workload identity, but this stack's cloud is gcp: use gs://`,
    ],
    [
        "Azure Blob model on aws",
        aws({
            torchserve: {
                ...gpuTorchserve,
                models: [{ name: "bert", url: "https://acct.blob.core.windows.net/models/bert.mar", sha256: hash }],
            },
        }),
        `${P}:torchserve.models[0].url`,
        `model "bert" is an Azure Blob object, read with Azure's workload identity, but this stack's cloud is aws`,
    ],
    [
        "gs:// model on azure",
        azure({
            torchserve: { ...gpuTorchserve, models: [{ name: "bert", url: "gs://models/bert.mar", sha256: hash }] },
        }),
        `${P}:torchserve.models[0].url`,
        `model "bert" is a Cloud Storage object, read with Google Cloud's workload identity, but this stack's cloud is azure`,
    ],
    [
        "S3 bucket with capitals",
        aws({ torchserve: { ...gpuTorchserve, models: [{ name: "m", url: "s3://My-Models/m.mar", sha256: hash }] } }),
        `${P}:torchserve.models[0].url`,
        "S3 bucket names use lowercase letters",
    ],
    [
        "S3 bucket with a reserved prefix",
        aws({ torchserve: { ...gpuTorchserve, models: [{ name: "m", url: "s3://xn--models/m.mar", sha256: hash }] } }),
        `${P}:torchserve.models[0].url`,
        "reserved prefix xn--",
    ],
    [
        "S3 bucket without a key",
        aws({ torchserve: { ...gpuTorchserve, models: [{ name: "m", url: "s3://models", sha256: hash }] } }),
        `${P}:torchserve.models[0].url`,
        "names no object",
    ],
    [
        "GCS bucket starting with goog",
        gcp({
            torchserve: {
                ...gpuTorchserve,
                persistenceSize: "1Ti",
                models: [{ name: "m", url: "gs://goog-models/m.mar", sha256: hash }],
            },
        }),
        `${P}:torchserve.models[0].url`,
        "do not begin with goog",
    ],
    [
        "GCS bucket spelling google",
        gcp({
            torchserve: {
                ...gpuTorchserve,
                persistenceSize: "1Ti",
                models: [{ name: "m", url: "gs://my-g00gle-models/m.mar", sha256: hash }],
            },
        }),
        `${P}:torchserve.models[0].url`,
        "google",
    ],
    [
        "Azure storage account with a dash",
        azure({
            torchserve: {
                ...gpuTorchserve,
                storageResourceGroup: "models-rg",
                models: [{ name: "m", url: "https://my-acct.blob.core.windows.net/models/m.mar", sha256: hash }],
            },
        }),
        `${P}:torchserve.models[0].url`,
        "Azure storage account names are 3-24 lowercase letters and digits",
    ],
    [
        "Azure container with a double dash",
        azure({
            torchserve: {
                ...gpuTorchserve,
                storageResourceGroup: "models-rg",
                models: [{ name: "m", url: "https://acct.blob.core.windows.net/my--models/m.mar", sha256: hash }],
            },
        }),
        `${P}:torchserve.models[0].url`,
        "Azure container names",
    ],
    [
        "Azure Blob model without the storage accounts' resource group",
        azure({
            torchserve: {
                ...gpuTorchserve,
                models: [{ name: "m", url: "https://acct.blob.core.windows.net/models/m.mar", sha256: hash }],
            },
        }),
        `${P}:torchserve.storageResourceGroup`,
        'required: model "m" is an Azure Blob object',
    ],
    [
        "serviceAccount on a cloud stack",
        aws({ torchserve: { ...gpuTorchserve, serviceAccount: { annotations: {} } } }),
        `${P}:torchserve.serviceAccount`,
        "cloud: existing only",
    ],
    [
        "serviceAccount pod label not a string",
        existing({ serviceAccount: { podLabels: { "azure.workload.identity/use": true } } }),
        `${P}:torchserve.serviceAccount.podLabels.azure.workload.identity/use`,
        "label value",
    ],
    [
        "kmsKeyArn on gcp",
        gcp({
            torchserve: {
                ...gpuTorchserve,
                persistenceSize: "1Ti",
                kmsKeyArn: "arn:aws:kms:us-west-2:123456789012:key/abc",
            },
        }),
        `${P}:torchserve.kmsKeyArn`,
        "cloud: aws only",
    ],
    [
        "model url not a url",
        existing({ models: [{ name: "m", url: "m.mar" }] }),
        `${P}:torchserve.models[0].url`,
        "http(s)",
    ],
    ["model without url", existing({ models: [{ name: "m" }] }), `${P}:torchserve.models[0].url`, "required"],
    [
        "duplicate model names",
        existing({
            models: [
                { name: "m", url: "https://e.com/a.mar" },
                { name: "m", url: "https://e.com/b.mar" },
            ],
        }),
        `${P}:torchserve.models[1].name`,
        "unique",
    ],
    [
        "bad sha256",
        existing({ models: [{ name: "m", url: "https://e.com/a.mar", sha256: "abc" }] }),
        `${P}:torchserve.models[0].sha256`,
        "hex",
    ],
    [
        "maxWorkers below minWorkers",
        existing({ models: [{ name: "m", url: "https://e.com/a.mar", minWorkers: 4, maxWorkers: 2 }] }),
        `${P}:torchserve.models[0].maxWorkers`,
        "minWorkers",
    ],
    [
        "minWorkers 0 (TorchServe reads <= 0 as unset)",
        existing({ models: [{ name: "m", url: "https://e.com/a.mar", minWorkers: 0 }] }),
        `${P}:torchserve.models[0].minWorkers`,
        "treats values <= 0 as unset",
    ],
    [
        "maxBatchDelay 0 (TorchServe reads <= 0 as unset)",
        existing({ models: [{ name: "m", url: "https://e.com/a.mar", maxBatchDelay: 0 }] }),
        `${P}:torchserve.models[0].maxBatchDelay`,
        "treats values <= 0 as unset",
    ],
    [
        "startupTimeout 0",
        existing({ models: [{ name: "m", url: "https://e.com/a.mar", startupTimeout: 0 }] }),
        `${P}:torchserve.models[0].startupTimeout`,
        "treats values <= 0 as unset",
    ],
    [
        "memoryLimit too small for the JVM heap",
        existing({ memoryLimit: "512Mi", memoryRequest: "256Mi" }),
        `${P}:torchserve.memoryLimit`,
        "heap",
    ],
    [
        "a queue whose requests cannot fit in the heap",
        existing({ jobQueueSize: 5000 }),
        `${P}:torchserve.jobQueueSize`,
        "less than 1 MiB per request",
    ],
    [
        "bad ephemeralStorage",
        existing({ ephemeralStorage: "ten gigs" }),
        `${P}:torchserve.ephemeralStorage`,
        "quantity",
    ],
    ["image tagged latest", existing({ image: "pytorch/torchserve:latest" }), `${P}:torchserve.image`, "pinned"],
    ["image untagged", existing({ image: "pytorch/torchserve" }), `${P}:torchserve.image`, "pinned"],
    [
        "GPUs with a CPU image",
        aws({ torchserve: { ...gpuTorchserve, image: "pytorch/torchserve:0.12.0-cpu" } }),
        `${P}:torchserve.image`,
        "CPU image",
    ],
    ["bad namespace", existing({ namespace: "Torch_Serve" }), `${P}:torchserve.namespace`, "namespace"],
    ["bad service type", existing({ serviceType: "Ingress" }), `${P}:torchserve.serviceType`, "LoadBalancer"],
    [
        "replicas 2 on ReadWriteOnce",
        existing({ replicas: 2, storageAccessMode: "ReadWriteOnce" }),
        `${P}:torchserve.replicas`,
        "ReadWriteOnce",
    ],
    [
        "more GPUs per pod than the node has",
        aws({ torchserve: { ...gpuTorchserve, nGpu: 2 } }),
        `${P}:torchserve.nGpu`,
        "g5.xlarge",
    ],
    [
        "non-GPU instance type with GPUs",
        aws({ gpuNodePool: { instanceType: "m5.large" } }),
        `${P}:gpuNodePool.instanceType`,
        "no GPUs",
    ],
    [
        "non-GPU Azure VM with GPUs",
        azure({ gpuNodePool: { instanceType: "Standard_D4s_v5" } }),
        `${P}:gpuNodePool.instanceType`,
        "no GPUs",
    ],
    [
        "instance type from another cloud",
        azure({ gpuNodePool: { instanceType: "g5.xlarge" } }),
        `${P}:gpuNodePool.instanceType`,
        "aws instance type",
    ],
    [
        "gpusPerNode contradicting the instance",
        aws({ gpuNodePool: { instanceType: "g5.xlarge", gpusPerNode: 4 } }),
        `${P}:gpuNodePool.gpusPerNode`,
        "1 GPU",
    ],
    ["nCpu above the node", aws({ torchserve: { ...gpuTorchserve, nCpu: 8 } }), `${P}:torchserve.nCpu`, "g5.xlarge"],
    [
        "memoryRequest above the node",
        aws({ torchserve: { ...gpuTorchserve, memoryRequest: "15Gi", memoryLimit: "16Gi" } }),
        `${P}:torchserve.memoryRequest`,
        "g5.xlarge",
    ],
    [
        "replicas that can never fit",
        aws({ gpuNodePool: { instanceType: "g5.xlarge", maxNodes: 2 }, torchserve: { ...gpuTorchserve, replicas: 3 } }),
        `${P}:torchserve.replicas`,
        "at most 2",
    ],
    [
        "autoscaling beyond the GPU pool",
        aws({ prometheus: true, autoscaling: { enabled: true, maxReplicas: 5 } }),
        `${P}:autoscaling.maxReplicas`,
        "at most 2",
    ],
    [
        "GPUs but no GPU pool",
        raw({ cloud: "aws", torchserve: gpuTorchserve }, { awsRegion: "us-west-2" }),
        `${P}:torchserve.nGpu`,
        "no GPU node pool",
    ],
    [
        "GKE without gpuType",
        gcp({ gpuNodePool: { instanceType: "n1-standard-8" } }),
        `${P}:gpuNodePool.gpuType`,
        "required",
    ],
    [
        "GKE accelerator not attachable",
        gcp({ gpuNodePool: { instanceType: "n1-standard-8", gpuType: "nvidia-l4" } }),
        `${P}:gpuNodePool.gpuType`,
        "N1",
    ],
    [
        "GKE family without GPUs",
        gcp({ gpuNodePool: { instanceType: "e2-standard-4", gpuType: "nvidia-tesla-t4" } }),
        `${P}:gpuNodePool.instanceType`,
        "cannot be attached",
    ],
    [
        "GKE wrong accelerator for g2",
        gcp({ gpuNodePool: { instanceType: "g2-standard-8", gpuType: "nvidia-tesla-t4" } }),
        `${P}:gpuNodePool.gpuType`,
        "nvidia-l4",
    ],
    [
        "gpuType outside GKE",
        aws({ gpuNodePool: { instanceType: "g5.xlarge", gpuType: "nvidia-tesla-t4" } }),
        `${P}:gpuNodePool.gpuType`,
        "only used on gcp",
    ],
    [
        "Filestore below its minimum",
        gcp({ torchserve: { ...gpuTorchserve, persistenceSize: "100Gi" } }),
        `${P}:torchserve.persistenceSize`,
        "1Ti",
    ],
    [
        "gpuNodePool without instanceType",
        raw({ cloud: "aws", gpuNodePool: { minNodes: 1 }, torchserve: gpuTorchserve }, { awsRegion: "us-west-2" }),
        `${P}:gpuNodePool.instanceType`,
        "required",
    ],
    [
        "gpuNodePool min above max",
        aws({ gpuNodePool: { instanceType: "g5.xlarge", minNodes: 3, maxNodes: 2 } }),
        `${P}:gpuNodePool.minNodes`,
        "maxNodes",
    ],
    [
        "kubeconfig on a cloud stack",
        aws({ cluster: { kubeconfig: "~/.kube/config" } }),
        `${P}:cluster.kubeconfig`,
        "existing",
    ],
    ["cluster name with capitals", existing({}, { cluster: { name: "My_Cluster" } }), `${P}:cluster.name`, "lowercase"],
    [
        "bad kubernetes version",
        existing({}, { cluster: { kubernetesVersion: "latest" } }),
        `${P}:cluster.kubernetesVersion`,
        "1.35",
    ],
    [
        "kubernetes version with a patch number",
        existing({}, { cluster: { kubernetesVersion: "1.35.2" } }),
        `${P}:cluster.kubernetesVersion`,
        "no patch",
    ],
    [
        "kubernetes version out of support",
        existing({}, { cluster: { kubernetesVersion: "1.20" } }),
        `${P}:cluster.kubernetesVersion`,
        "1.30 or newer",
    ],
    ["grafana without any Prometheus", existing({}, { grafana: true }), `${P}:grafana`, "prometheus"],
    [
        "autoscaling without Prometheus",
        existing({ storageAccessMode: "ReadWriteMany" }, { autoscaling: true }),
        `${P}:autoscaling`,
        "prometheus",
    ],
    [
        "autoscaling max below min",
        existing(
            { storageAccessMode: "ReadWriteMany" },
            { prometheus: true, autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 2 } },
        ),
        `${P}:autoscaling.maxReplicas`,
        "minReplicas",
    ],
    // Prometheus's and Loki's volumes are gp3 EBS volumes the program creates: 1-16384 GiB (16Ti passes).
    [
        "Prometheus volume above gp3's maximum (aws)",
        aws({ prometheus: { enabled: true, storageSize: "17Ti" } }),
        `${P}:prometheus.storageSize`,
        "16384 GiB",
    ],
    [
        "Loki volume above gp3's maximum (aws)",
        aws({ logging: { enabled: true, backend: "loki", storageSize: "16385Gi" } }),
        `${P}:logging.storageSize`,
        "16384 GiB",
    ],
    ["toggle neither bool nor object", existing({}, { prometheus: "yes" }), `${P}:prometheus`, "object"],
    ["enabled not a boolean", existing({}, { istio: { enabled: "true" } }), `${P}:istio.enabled`, "true or false"],
    [
        "prometheus retention malformed",
        existing({}, { prometheus: { enabled: true, retention: "two weeks" } }),
        `${P}:prometheus.retention`,
        "duration",
    ],
    [
        "canary without istio",
        existing({
            storageAccessMode: "ReadWriteMany",
            canary: { image: "pytorch/torchserve:0.12.0-cpu", weight: 10 },
        }),
        `${P}:torchserve.canary`,
        "istio",
    ],
    [
        "canary weight above 100",
        existing(
            { storageAccessMode: "ReadWriteMany", canary: { image: "pytorch/torchserve:0.12.0-cpu", weight: 120 } },
            { istio: true },
        ),
        `${P}:torchserve.canary.weight`,
        "100",
    ],
    [
        "canary without image",
        existing({ storageAccessMode: "ReadWriteMany", canary: { weight: 10 } }, { istio: true }),
        `${P}:torchserve.canary.image`,
        "required",
    ],
    [
        "canary pods beyond the GPU pool",
        aws({
            istio: true,
            gpuNodePool: { instanceType: "g5.xlarge", maxNodes: 2 },
            torchserve: { ...gpuTorchserve, replicas: 2, canary: { image: "pytorch/torchserve:0.12.0-gpu" } },
        }),
        `${P}:torchserve.replicas`,
        "canary",
    ],
    [
        "autoscaling's maxReplicas plus the canary's pods beyond the GPU pool",
        aws({
            istio: true,
            prometheus: true,
            autoscaling: { enabled: true, minReplicas: 1, maxReplicas: 2 },
            gpuNodePool: { instanceType: "g5.xlarge", maxNodes: 2 },
            torchserve: { ...gpuTorchserve, canary: { image: "pytorch/torchserve:0.12.0-gpu" } },
        }),
        `${P}:autoscaling.maxReplicas`,
        "1 canary pod(s) included",
    ],
    [
        "istio cookie ttl malformed",
        existing({}, { istio: { enabled: true, sessionCookie: { ttl: "forever" } } }),
        `${P}:istio.sessionCookie.ttl`,
        "duration",
    ],
    [
        "Kubernetes too old for the pinned Istio",
        existing({}, { istio: true, cluster: { kubernetesVersion: "1.31" } }),
        `${P}:cluster.kubernetesVersion`,
        "Istio",
    ],
    [
        "apiAllowedCidrs missing on a created cluster",
        aws({ cluster: { apiAllowedCidrs: undefined } }),
        `${P}:cluster.apiAllowedCidrs`,
        "required",
    ],
    [
        "apiAllowedCidrs a single string, not a list",
        azure({ cluster: { apiAllowedCidrs: "203.0.113.0/24" } }),
        `${P}:cluster.apiAllowedCidrs`,
        "a list of 1 to 200",
    ],
    [
        "apiAllowedCidrs empty (would lock everyone out)",
        gcp({ cluster: { apiAllowedCidrs: [] } }),
        `${P}:cluster.apiAllowedCidrs`,
        "a list of 1 to 50",
    ],
    [
        "apiAllowedCidrs more blocks than EKS takes",
        aws({ cluster: { apiAllowedCidrs: [...Array(41).keys()].map((i) => `198.51.${i}.0/24`) } }),
        `${P}:cluster.apiAllowedCidrs`,
        "1 to 40",
    ],
    [
        "apiAllowedCidrs block with host bits set",
        aws({ cluster: { apiAllowedCidrs: ["203.0.113.7/24"] } }),
        `${P}:cluster.apiAllowedCidrs`,
        "the block is 203.0.113.0/24",
    ],
    [
        "apiAllowedCidrs address without prefix length",
        gcp({ cluster: { apiAllowedCidrs: ["203.0.113.7"] } }),
        `${P}:cluster.apiAllowedCidrs`,
        "/32",
    ],
    [
        "apiAllowedCidrs octet out of range",
        azure({ cluster: { apiAllowedCidrs: ["203.0.113.0/24", "256.1.1.0/24"] } }),
        `${P}:cluster.apiAllowedCidrs`,
        "not an IPv4 CIDR block",
    ],
    [
        "apiAllowedCidrs block listed twice",
        aws({ cluster: { apiAllowedCidrs: ["203.0.113.0/24", "203.0.113.0/24"] } }),
        `${P}:cluster.apiAllowedCidrs`,
        "twice",
    ],
    [
        "apiAllowedCidrs on an existing cluster",
        existing({}, { cluster: { apiAllowedCidrs: ["203.0.113.0/24"] } }),
        `${P}:cluster.apiAllowedCidrs`,
        "only used when the program creates the cluster",
    ],
    [
        "istio jwt without jwksUri",
        existing({}, { istio: { enabled: true, jwt: { issuer: "https://issuer" } } }),
        `${P}:istio.jwt.jwksUri`,
        "required",
    ],
    [
        "istio jwt audiences not a list",
        existing(
            {},
            { istio: { enabled: true, jwt: { issuer: "https://i", jwksUri: "https://i/k", audiences: "api://x" } } },
        ),
        `${P}:istio.jwt.audiences`,
        "expected a list of audiences",
    ],
    [
        "istio jwt audiences with an empty value",
        existing(
            {},
            { istio: { enabled: true, jwt: { issuer: "https://i", jwksUri: "https://i/k", audiences: [" "] } } },
        ),
        `${P}:istio.jwt.audiences`,
        "expected a list of audiences",
    ], // Day-2 keys (issue 11).
    [
        "AKS dataplane on another cloud",
        gcp({ cluster: { aksNetworkDataplane: "azure" } }),
        `${P}:cluster.aksNetworkDataplane`,
        "only used with cloud: azure",
    ],
    [
        "AKS dataplane not one Azure names",
        azure({ cluster: { aksNetworkDataplane: "calico" } }),
        `${P}:cluster.aksNetworkDataplane`,
        "expected one of cilium, azure",
    ],
    [
        "add-on versions on azure",
        azure({ cluster: { addonVersions: { coredns: "v1.14.2-eksbuild.4" } } }),
        `${P}:cluster.addonVersions`,
        "only used with cloud: aws",
    ],
    [
        "kube-proxy pinned for another minor",
        aws({ cluster: { kubernetesVersion: "1.35", addonVersions: { kubeProxy: "v1.34.6-eksbuild.13" } } }),
        `${P}:cluster.addonVersions.kubeProxy`,
        "built for the cluster's Kubernetes 1.35",
    ],
    [
        "add-on version malformed",
        aws({ cluster: { addonVersions: { coredns: "latest" } } }),
        `${P}:cluster.addonVersions.coredns`,
        "eksbuild",
    ],
    [
        "maintenance day misspelt",
        aws({ cluster: { maintenanceWindow: { day: "Caturday" } } }),
        `${P}:cluster.maintenanceWindow.day`,
        "Saturday",
    ],
    [
        "maintenance window too short",
        gcp({ cluster: { maintenanceWindow: { durationHours: 2 } } }),
        `${P}:cluster.maintenanceWindow.durationHours`,
        "4 hours",
    ],
    [
        // GKE: Error 400 "maintenance policy would go longer than 32d without 48h maintenance availability".
        "GKE maintenance window under 48 hours in 32 days",
        gcp({ cluster: { maintenanceWindow: { day: "Sunday", durationHours: 11 } } }),
        `${P}:cluster.maintenanceWindow`,
        "gives GKE 44 hours in some 32 days; GKE needs at least 48 hours",
    ],
    [
        // A /14 pods' range with a /24 per node (components/gke/defaults.ts maxClusterNodes).
        "GKE nodes beyond the pods' range",
        gcp({
            cluster: { systemNodePool: { maxNodes: 100 } },
            gpuNodePool: { instanceType: "n1-standard-8", gpuType: "nvidia-tesla-t4", maxNodes: 1000 },
        }),
        `${P}:gpuNodePool.maxNodes`,
        "would need 1102 nodes",
    ],
    [
        "maintenance hour out of range",
        azure({ cluster: { maintenanceWindow: { startHour: 24 } } }),
        `${P}:cluster.maintenanceWindow.startHour`,
        "UTC",
    ],
    [
        "GPU upgrades that can replace no node",
        aws({ gpuNodePool: { instanceType: "g5.xlarge", upgrade: { maxSurge: 0, maxUnavailable: 0 } } }),
        `${P}:gpuNodePool.upgrade`,
        "both 0",
    ],
    [
        "GPU surge negative",
        azure({ gpuNodePool: { instanceType: "Standard_NC4as_T4_v3", upgrade: { maxSurge: -1 } } }),
        `${P}:gpuNodePool.upgrade.maxSurge`,
        "from 0 to 10",
    ],
    [
        "GPU zones on aws",
        aws({ gpuNodePool: { instanceType: "g5.xlarge", zones: ["us-west-2a"] } }),
        `${P}:gpuNodePool.zones`,
        "only used on gcp",
    ],
    [
        "GPU zones listing one twice",
        gcp({
            gpuNodePool: {
                instanceType: "n1-standard-8",
                gpuType: "nvidia-tesla-t4",
                zones: ["us-central1-a", "us-central1-a"],
            },
        }),
        `${P}:gpuNodePool.zones`,
        "twice",
    ],
    [
        "GPU zones outside the region",
        gcp({ gpuNodePool: { instanceType: "n1-standard-8", gpuType: "nvidia-tesla-t4", zones: ["europe-west4-a"] } }),
        `${P}:gpuNodePool.zones`,
        "us-central1",
    ],
    [
        "logging backend unknown",
        existing({}, { logging: { enabled: true, backend: "efk" } }),
        `${P}:logging.backend`,
        "loki",
    ],
    [
        "logging to a cloud sink on an existing cluster",
        existing({}, { logging: { enabled: true, backend: "cloud" } }),
        `${P}:logging.backend`,
        "loki",
    ],
    [
        "CloudWatch retention not one it offers",
        aws({ logging: { enabled: true, retentionDays: 10 } }),
        `${P}:logging.retentionDays`,
        "CloudWatch",
    ],
    [
        "Log Analytics retention below 30 days",
        azure({ logging: { enabled: true, retentionDays: 7 } }),
        `${P}:logging.retentionDays`,
        "30 to 730",
    ],
    [
        "Cloud Logging retention (the project's bucket)",
        gcp({ logging: { enabled: true, retentionDays: 90 } }),
        `${P}:logging.retentionDays`,
        "_Default",
    ],
    [
        "logging retention not a whole number of days",
        existing({}, { logging: { enabled: true, retentionDays: 1.5 } }),
        `${P}:logging.retentionDays`,
        "integer",
    ],
    [
        "Loki volume size on the cloud backend",
        aws({ logging: { enabled: true, storageSize: "20Gi" } }),
        `${P}:logging.storageSize`,
        "loki",
    ],
    [
        "Loki volume size malformed",
        existing({}, { logging: { enabled: true, storageSize: "lots" } }),
        `${P}:logging.storageSize`,
        "quantity",
    ],
    ["TorchServe in Loki's namespace", existing({ namespace: "logging" }), `${P}:torchserve.namespace`, "Loki"],
    [
        "logging key misspelt",
        existing({}, { logging: { enabled: true, retention: 7 } }),
        `${P}:logging.retention`,
        "retentionDays",
    ],
];

describe("config: each mistake fails with one line naming the key", () => {
    for (const [what, config, key, word] of badConfigs) {
        it(what, () => {
            const errors = errorsOf(config);
            assert.strictEqual(errors.length, 1, `expected exactly one problem, got:\n${errors.join("\n")}`);
            assert.ok(errors[0].startsWith(`${key}:`), `"${errors[0]}" should start with ${key}:`);
            assert.ok(errors[0].includes(word), `"${errors[0]}" should mention ${word}`);
            assert.ok(!errors[0].includes("\n"), "one line");
        });
    }

    it("reports every problem of a config at once", () => {
        const errors = errorsOf(existing({ replicas: -1, nCpu: 0, image: "x:latest" }));
        assert.strictEqual(errors.length, 3, errors.join("\n"));
    });

    it("has at least 30 cases", () => assert.ok(badConfigs.length >= 30));
});

// Issue 15, "Config holes": configurations a new user tried. Each row names the outcome: one error
// line naming the key and showing the value, an accepted config, or a warning.
describe("config holes: accepted although wrong → one line naming key and value", () => {
    const store = (modelStorePath: string) => existing({ modelStorePath });
    const version = (cloud: (e: Record<string, unknown>) => RawStackConfig, v: unknown) =>
        cloud({ cluster: { kubernetesVersion: v } });
    /** [what, config, key the line starts with, the value as the line shows it, a word it must contain] */
    const refused: [string, RawStackConfig, string, string, string][] = [
        [
            "namespace typo hides the torchserve section",
            raw({ cloud: "existing" }, {}, "t", ["torchserve_platform:torchserve"]),
            "torchserve_platform:torchserve",
            '"torchserve_platform"',
            "did you mean torchserve-platform:torchserve?",
        ],
        [
            "another provider's namespace",
            raw({ cloud: "azure", torchserve: { nGpu: 0 } }, { azureLocation: "eastus" }, "t", ["azure:location"]),
            "azure:location",
            '"azure"',
            "did you mean azure-native:location?",
        ],
        [
            "memoryRequest in milli",
            existing({ memoryRequest: "512m" }),
            `${P}:torchserve.memoryRequest`,
            '"512m"',
            "512Mi",
        ],
        [
            "memoryLimit in milli",
            existing({ memoryLimit: "8000m" }),
            `${P}:torchserve.memoryLimit`,
            '"8000m"',
            "8 bytes",
        ],
        ["nCpu below a millicore", existing({ nCpu: 1e-9 }), `${P}:torchserve.nCpu`, "1e-9", "steps of 0.001"],
        [
            "prometheus in kube-public",
            existing({}, { prometheus: { enabled: true, namespace: "kube-public" } }),
            `${P}:prometheus.namespace`,
            '"kube-public"',
            "of its own",
        ],
        [
            "model names equal ignoring case",
            existing({
                models: [
                    { name: "squeezenet1_1", url: "https://e.com/a.mar" },
                    { name: "SqueezeNet1_1", url: "https://e.com/b.mar" },
                ],
            }),
            `${P}:torchserve.models[1].name`,
            '"SqueezeNet1_1"',
            "case",
        ],
        ...[15000, 15001, 15004, 15006, 15008, 15020, 15021, 15053, 15090].map(
            (port): [string, RawStackConfig, string, string, string] => [
                `TorchServe port ${port} with the mesh on`,
                existing({ inferencePort: port }, { istio: true }),
                `${P}:torchserve.inferencePort`,
                String(port),
                "sidecar",
            ],
        ),
        [
            "gRPC port in Envoy's set with the mesh on",
            existing({ grpcManagementPort: 15090 }, { istio: true }),
            `${P}:torchserve.grpcManagementPort`,
            "15090",
            "Envoy Prometheus",
        ],
        [
            "system pool instance type of another cloud",
            gcp({ cluster: { systemNodePool: { instanceType: "m6i.large" } } }),
            `${P}:cluster.systemNodePool.instanceType`,
            '"m6i.large"',
            "aws instance type but cloud is gcp",
        ],
        [
            "rest of a maxNodes: 0 pool still checked",
            raw(
                {
                    cloud: "aws",
                    gpuNodePool: { instanceType: "g5.xlarge", maxNodes: 0, minNodes: "lots" },
                    torchserve: { nGpu: 0 },
                },
                { awsRegion: "us-west-2" },
            ),
            `${P}:gpuNodePool.minNodes`,
            '"lots"',
            "integer",
        ],
        [
            "Kubernetes 1.99 on EKS",
            version(aws, "1.99"),
            `${P}:cluster.kubernetesVersion`,
            '"1.99"',
            "allowUnlistedKubernetesVersion",
        ],
        [
            "Kubernetes 1.31 on EKS (its extended support ended 2026-11-26)",
            version(aws, "1.31"),
            `${P}:cluster.kubernetesVersion`,
            '"1.31"',
            "EKS offers",
        ],
        ["Kubernetes 1.99 on AKS", version(azure, "1.99"), `${P}:cluster.kubernetesVersion`, '"1.99"', "AKS offers"],
        [
            "Kubernetes 1.99 on GKE",
            version(gcp, "1.99"),
            `${P}:cluster.kubernetesVersion`,
            '"1.99"',
            "GKE's Regular channel",
        ],
        [
            "Kubernetes 1.99 on an existing cluster",
            existing({}, { cluster: { kubernetesVersion: "1.99" } }),
            `${P}:cluster.kubernetesVersion`,
            '"1.99"',
            "newest Kubernetes release",
        ],
        ...["/usr", "/bin", "/etc/models", "/lib64", "/home/venv", "/home/model-server", "/var", "/home"].map(
            (path): [string, RawStackConfig, string, string, string] => [
                `modelStorePath on ${path}`,
                store(path),
                `${P}:torchserve.modelStorePath`,
                JSON.stringify(path),
                "would hide the image's",
            ],
        ),
        [
            "credentials inside a model URL",
            existing({ models: [{ name: "m", url: "https://user:pass@example.com/m.mar" }] }),
            `${P}:torchserve.models[0].url`,
            '"https://user:***@example.com/m.mar"',
            "credentials",
        ],
        [
            "a token as user name in a model URL",
            existing({ models: [{ name: "m", url: "https://ghp_token@example.com/m.mar" }] }),
            `${P}:torchserve.models[0].url`,
            '"https://***@example.com/m.mar"',
            "credentials",
        ],
    ];
    for (const [what, config, key, value, word] of refused) {
        it(what, () => {
            const errors = errorsOf(config);
            assert.strictEqual(errors.length, 1, `expected exactly one problem, got:\n${errors.join("\n")}`);
            assert.ok(errors[0].startsWith(`${key}: `), `"${errors[0]}" should start with ${key}:`);
            assert.ok(errors[0].includes(value), `"${errors[0]}" should show the value ${value}`);
            assert.ok(errors[0].includes(word), `"${errors[0]}" should mention ${word}`);
            assert.ok(!errors[0].includes("\n"), "one line");
        });
    }

    it("never repeats a password from a model URL", () => {
        const [line] = errorsOf(existing({ models: [{ name: "m", url: "https://user:s3cret@example.com/m.mar" }] }));
        assert.ok(!line.includes("s3cret"), line);
    });
});

describe("config holes: refused although right → accepted", () => {
    /** [what, config, a check of the resulting settings] */
    const accepted: [string, RawStackConfig, (s: ReturnType<typeof parseStackConfig>["settings"]) => void][] = [
        [
            "image tag with capitals",
            aws({ torchserve: { ...gpuTorchserve, image: "pytorch/torchserve:0.12.0-GPU-RC1" } }),
            (s) => assert.strictEqual(s.torchserve.image, "pytorch/torchserve:0.12.0-GPU-RC1"),
        ],
        [
            "registry host with capitals",
            existing({ image: "Registry.Example.com:5000/team/torchserve:1.2-cpu" }),
            (s) => assert.strictEqual(s.torchserve.image, "Registry.Example.com:5000/team/torchserve:1.2-cpu"),
        ],
        [
            "model URL scheme in capitals (stored lowercase: the fetcher compares it literally)",
            existing({ models: [{ name: "m", url: "HTTPS://example.com/m.mar" }] }),
            (s) => assert.strictEqual(s.torchserve.models[0].url, "https://example.com/m.mar"),
        ],
        [
            "JWKS and Prometheus URL schemes in capitals",
            existing(
                {},
                {
                    grafana: { enabled: true, prometheusUrl: "HTTP://prometheus.example.com:9090" },
                    istio: { enabled: true, jwt: { issuer: "https://issuer", jwksUri: "HTTPS://issuer/jwks.json" } },
                },
            ),
            (s) => {
                assert.strictEqual(s.grafana.prometheusUrl, "http://prometheus.example.com:9090");
                assert.strictEqual(s.istio.jwt?.jwksUri, "https://issuer/jwks.json");
            },
        ],
        [
            "istio.jwt.audiences: a list is kept, [] means any audience on purpose",
            existing(
                {},
                {
                    istio: {
                        enabled: true,
                        jwt: {
                            issuer: "https://i",
                            jwksUri: "https://i/k",
                            audiences: ["api://torchserve", "https://models.example.com"],
                        },
                    },
                },
            ),
            (s) => assert.deepStrictEqual(s.istio.jwt?.audiences, ["api://torchserve", "https://models.example.com"]),
        ],
        [
            "istio.jwt: null means unset",
            existing({}, { istio: { enabled: true, jwt: null } }),
            (s) => assert.strictEqual(s.istio.jwt, undefined),
        ],
        [
            "image: null means the default",
            existing({ image: null }),
            (s) => assert.strictEqual(s.torchserve.image, "pytorch/torchserve:0.12.0-cpu"),
        ],
        [
            "existing GPU pool sized by gpusPerNode alone",
            existing({ image: "pytorch/torchserve:0.12.0-gpu", nGpu: 4 }, { gpuNodePool: { gpusPerNode: 4 } }),
            (s) => assert.strictEqual(s.gpuNodePool?.gpusPerNode, 4),
        ],
        [
            "a disabled pool needs no instance type",
            raw({ cloud: "aws", gpuNodePool: { maxNodes: 0 }, torchserve: { nGpu: 0 } }, { awsRegion: "us-west-2" }),
            (s) => assert.strictEqual(s.gpuNodePool, undefined),
        ],
        [
            "Kubernetes 1.36 on EKS",
            aws({ cluster: { kubernetesVersion: "1.36" } }),
            (s) => assert.strictEqual(s.cluster.kubernetesVersion, "1.36"),
        ],
        [
            "Kubernetes 1.37 on AKS",
            azure({ cluster: { kubernetesVersion: "1.37" } }),
            (s) => assert.strictEqual(s.cluster.kubernetesVersion, "1.37"),
        ],
        [
            "an unlisted version behind the escape hatch",
            aws({ cluster: { kubernetesVersion: "1.38", allowUnlistedKubernetesVersion: true } }),
            (s) => assert.strictEqual(s.cluster.kubernetesVersion, "1.38"),
        ],
        [
            "Envoy's port numbers without the mesh",
            existing({ inferencePort: 15001 }),
            (s) => assert.strictEqual(s.torchserve.inferencePort, 15001),
        ],
        ["nCpu in millicores", existing({ nCpu: 0.25 }), (s) => assert.strictEqual(s.torchserve.nCpu, 0.25)],
        [
            "model store below /var or /mnt",
            existing({ modelStorePath: "/var/models" }),
            (s) => assert.strictEqual(s.torchserve.modelStorePath, "/var/models/"),
        ],
        [
            "provider config such as kubernetes:context",
            raw({ cloud: "existing", torchserve: { nGpu: 0 } }, {}, "t", ["kubernetes:context", "pulumi:template"]),
            (s) => assert.strictEqual(s.cloud, "existing"),
        ],
    ];
    accepted.push(
        [
            "a 4-hour weekly window on AKS (its shortest)",
            azure({ cluster: { maintenanceWindow: { durationHours: 4 } } }),
            (s) => assert.strictEqual(s.cluster.maintenanceWindow!.durationHours, 4),
        ],
        [
            "GKE at its pods' range: 1024 nodes with the surge nodes",
            gcp({
                cluster: { systemNodePool: { maxNodes: 100 } },
                gpuNodePool: { instanceType: "n1-standard-8", gpuType: "nvidia-tesla-t4", maxNodes: 922 },
            }),
            (s) => assert.strictEqual(s.gpuNodePool!.maxNodes, 922),
        ],
        [
            "a 12-hour weekly window on GKE (exactly its 48 hours in 32 days)",
            gcp({ cluster: { maintenanceWindow: { day: "Monday", startHour: 20, durationHours: 12 } } }),
            (s) => assert.strictEqual(s.cluster.maintenanceWindow!.durationHours, 12),
        ],
    );
    for (const [what, config, check] of accepted) {
        it(what, () => {
            assert.deepStrictEqual(errorsOf(config), []);
            check(parseStackConfig(config).settings);
        });
    }
});

describe("config holes: unclear messages → one clear line", () => {
    /** [what, config, key the line starts with, words the line must contain, words it must not] */
    const clearer: [string, RawStackConfig, string, string[], string[]][] = [
        [
            "unquoted kubernetesVersion: 1.30 arrives as 1.3",
            existing({}, { cluster: { kubernetesVersion: 1.3 } }),
            `${P}:cluster.kubernetesVersion`,
            ["1.3 is not allowed", 'kubernetesVersion: "1.30"', "quote"],
            [],
        ],
        [
            'aws:region: ""',
            raw({ cloud: "aws", torchserve: { nGpu: 0 } }, { awsRegion: "" }),
            "aws:region",
            ['"" is not allowed', "empty", "us-west-2"],
            ["did you mean"],
        ],
        [
            'cluster.kubeconfig: ""',
            existing({}, { cluster: { kubeconfig: "" } }),
            `${P}:cluster.kubeconfig`,
            ['"" is not allowed', "empty", "ambient kubeconfig"],
            [],
        ],
        [
            "zero-width space in an instance type",
            aws({ gpuNodePool: { instanceType: "g5.xlarge\u200b" } }),
            `${P}:gpuNodePool.instanceType`,
            ['"g5.xlarge\\u200b"', "invisible"],
            ["\u200b"],
        ],
        [
            "no-break space in a free-text value",
            existing({}, { cluster: { context: "kind\u00a0dev" } }),
            `${P}:cluster.context`,
            ['"kind\\u00a0dev"', "invisible"],
            ["\u00a0"],
        ],
        [
            "zero-width space at the end of a model URL",
            existing({ models: [{ name: "m", url: "https://e.com/m.mar\u200b" }] }),
            `${P}:torchserve.models[0].url`,
            ['"https://e.com/m.mar\\u200b"', "invisible"],
            [],
        ],
        [
            "replicas: 1e309",
            existing({ replicas: JSON.parse("1e309") }),
            `${P}:torchserve.replicas`,
            ["Infinity (too large a number) is not allowed", "from 0 to 1000"],
            ["null"],
        ],
        [
            "chart key torchserve_image",
            raw({ cloud: "existing", torchserve: { nGpu: 0 }, torchserve_image: "pytorch/torchserve:latest-gpu" }),
            `${P}:torchserve_image`,
            ['"pytorch/torchserve:latest-gpu"', "original Helm chart", "torchserve.image"],
            ['did you mean "torchserve"'],
        ],
        [
            "chart key deployment.replicas",
            raw({ cloud: "existing", torchserve: { nGpu: 0 }, deployment: { replicas: 2 } }),
            `${P}:deployment`,
            ['{"replicas":2}', "deployment.replicas is torchserve.replicas"],
            [],
        ],
        [
            "chart key persitant_volume.size",
            raw({ cloud: "existing", torchserve: { nGpu: 0 }, persitant_volume: { size: "1Gi" } }),
            `${P}:persitant_volume`,
            ["persitant_volume.size is torchserve.persistenceSize"],
            [],
        ],
        [
            "chart key persistentVolume.name",
            raw({ cloud: "existing", torchserve: { nGpu: 0 }, persistentVolume: { name: "efs-claim" } }),
            `${P}:persistentVolume`,
            ["persistentVolume.name has no counterpart", "storageClass"],
            [],
        ],
        [
            "chart key namespace at the top level",
            raw({ cloud: "existing", torchserve: { nGpu: 0 }, namespace: "torchserve" }),
            `${P}:namespace`,
            ["namespace is torchserve.namespace"],
            [],
        ],
        [
            "chart key torchserve.pvd_mount",
            existing({ pvd_mount: "/home/model-server/shared/" }),
            `${P}:torchserve.pvd_mount`,
            ['original Helm chart\'s "pvd_mount" is "modelStorePath" here'],
            [],
        ],
        [
            "chart key torchserve.inference_port",
            existing({ inference_port: 8080 }),
            `${P}:torchserve.inference_port`,
            ['"inferencePort"'],
            [],
        ],
    ];
    for (const [what, config, key, words, absent] of clearer) {
        it(what, () => {
            const errors = errorsOf(config);
            assert.strictEqual(errors.length, 1, `expected exactly one problem, got:\n${errors.join("\n")}`);
            assert.ok(errors[0].startsWith(`${key}: `), `"${errors[0]}" should start with ${key}:`);
            for (const w of words) assert.ok(errors[0].includes(w), `"${errors[0]}" should contain ${w}`);
            for (const w of absent) assert.ok(!errors[0].includes(w), `"${errors[0]}" should not contain ${w}`);
        });
    }

    it("warns when replicas share an existing cluster's default StorageClass as ReadWriteMany", () => {
        const { warnings } = parseStackConfig(existing({ replicas: 2 }));
        const line = warnings.find((w) => w.startsWith(`${P}:torchserve.storageClass: `));
        assert.ok(line?.includes("ReadWriteMany") && line.includes("Pending"), warnings.join("\n"));
        for (const quiet of [existing({ replicas: 2, storageClass: "nfs" }), existing({}), aws()])
            assert.ok(!parseStackConfig(quiet).warnings.some((w) => w.includes("torchserve.storageClass")));
    });
});

describe("config: facts kept in step", () => {
    const root = path.join(__dirname, "..");

    it("the configuration reference's table from the original Helm chart lists the chart's values.yaml keys", () => {
        const reference = fs.readFileSync(path.join(root, "docs", "configuration.md"), "utf8");
        const section = reference.split("## From the original Helm chart")[1].split("\n## ")[0];
        const rows = section.split("\n").filter((l) => /^\| `/.test(l));
        const listed = rows.map((l) => /^\| `([^`]+)`/.exec(l)![1]);
        assert.deepStrictEqual(
            listed,
            chartKeys.map((c) => c.chart),
        );
        for (const [row, c] of rows.map((r, i) => [r, chartKeys[i]] as const))
            if (c.key) assert.ok(row.includes(`\`${c.key}\``), `${row} should name ${c.key}`);
    });

    it("each cloud's default Kubernetes version is one the cloud offers", () => {
        assert.ok((eksSupportedMinors as readonly string[]).includes(eksDefaults.kubernetesVersion));
        assert.ok((aksSupportedMinors as readonly string[]).includes(aksDefaultVersion));
        assert.ok((gkeRegularChannelMinors as readonly string[]).includes(gkeDefaultVersion));
    });

    it("the provider namespaces allowed are those of the @pulumi packages the program depends on", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
        const fromPackages = Object.keys(pkg.dependencies)
            .filter((d) => d.startsWith("@pulumi/"))
            .map((d) => d.slice("@pulumi/".length));
        assert.deepStrictEqual([...providerNamespaces].sort(), fromPackages.sort());
    });
});

// Issue 10, workload side: combinations that would leave TorchServe open to unauthenticated
// callers. Each row: one error line naming the key to change.
describe("config: security rules (issue 10) → one line naming the key", () => {
    const jwt = { issuer: "https://issuer.example.com", jwksUri: "https://issuer.example.com/jwks" };
    const claims = { groups: ["ml-admins"] };
    const model = { name: "squeezenet1_1", url: "https://torchserve.pytorch.org/mar_files/squeezenet1_1.mar" };
    const sha256 = "0".repeat(64);
    const rows: [string, RawStackConfig, string, string][] = [
        [
            "istio.exposeManagement without jwt",
            existing({}, { istio: { enabled: true, exposeManagement: true } }),
            `${P}:istio.exposeManagement`,
            "istio.jwt",
        ],
        [
            "istio.exposeMetrics without jwt",
            existing({}, { istio: { enabled: true, exposeMetrics: true } }),
            `${P}:istio.exposeMetrics`,
            "istio.jwt",
        ],
        [
            "istio.exposeManagement with jwt but no claims rule",
            existing({}, { istio: { enabled: true, exposeManagement: true, jwt } }),
            `${P}:istio.jwt.managementClaims`,
            "required",
        ],
        [
            "a public TorchServe Service beside the JWT gateway",
            existing({ serviceType: "LoadBalancer" }, { istio: { enabled: true, jwt } }),
            `${P}:torchserve.serviceType`,
            "bypassing",
        ],
        [
            "a NodePort TorchServe Service with the mesh",
            existing({ serviceType: "NodePort" }, { istio: true }),
            `${P}:torchserve.serviceType`,
            "bypassing",
        ],
        [
            "enableModelApi without the mesh",
            existing({ enableModelApi: true }),
            `${P}:torchserve.enableModelApi`,
            "istio.jwt",
        ],
        [
            "enableModelApi with the mesh but no jwt",
            existing({ enableModelApi: true }, { istio: true }),
            `${P}:torchserve.enableModelApi`,
            "istio.jwt",
        ],
        [
            "a model without sha256 on a cloud stack",
            aws({ torchserve: { ...gpuTorchserve, models: [model] } }),
            `${P}:torchserve.models[0].sha256`,
            "allowUnverifiedModels",
        ],
        [
            "a model without sha256 on a gcp stack",
            gcp({ torchserve: { ...gpuTorchserve, persistenceSize: "1Ti", models: [model] } }),
            `${P}:torchserve.models[0].sha256`,
            "required on gcp",
        ],
        [
            "a model without sha256 on an azure stack",
            azure({ torchserve: { ...gpuTorchserve, models: [model] } }),
            `${P}:torchserve.models[0].sha256`,
            "required on azure",
        ],
        [
            "a source range that is not a CIDR",
            existing({}, { istio: { enabled: true, loadBalancerSourceRanges: ["office"] } }),
            `${P}:istio.loadBalancerSourceRanges[0]`,
            "CIDR",
        ],
        [
            "a source range with host bits set",
            existing({}, { istio: { enabled: true, loadBalancerSourceRanges: ["10.1.2.3/8"] } }),
            `${P}:istio.loadBalancerSourceRanges[0]`,
            "10.0.0.0/8",
        ],
        [
            "a source range that is a bare address",
            existing({}, { istio: { enabled: true, loadBalancerSourceRanges: ["203.0.113.7"] } }),
            `${P}:istio.loadBalancerSourceRanges[0]`,
            "203.0.113.7/32",
        ],
        [
            "a source range with a leading-zero octet",
            existing({}, { istio: { enabled: true, loadBalancerSourceRanges: ["010.0.0.0/8"] } }),
            `${P}:istio.loadBalancerSourceRanges[0]`,
            "CIDR",
        ],
        [
            "an IPv4 prefix beyond 32",
            existing({}, { istio: { enabled: true, loadBalancerSourceRanges: ["10.0.0.0/33"] } }),
            `${P}:istio.loadBalancerSourceRanges[0]`,
            "32",
        ],
        [
            "an empty source-range list",
            existing({ serviceType: "LoadBalancer", loadBalancerSourceRanges: [] }),
            `${P}:torchserve.loadBalancerSourceRanges`,
            "leave the key out",
        ],
        [
            "source ranges on a ClusterIP TorchServe",
            existing({ loadBalancerSourceRanges: ["203.0.113.0/24"] }),
            `${P}:torchserve.loadBalancerSourceRanges`,
            "LoadBalancer",
        ],
        [
            "source ranges on a NodePort Grafana",
            existing(
                {},
                {
                    prometheus: true,
                    grafana: { enabled: true, serviceType: "NodePort", loadBalancerSourceRanges: ["203.0.113.0/24"] },
                },
            ),
            `${P}:grafana.loadBalancerSourceRanges`,
            "NodePort",
        ],
        [
            "a wildcard in a management claim value",
            existing(
                {},
                {
                    istio: {
                        enabled: true,
                        exposeManagement: true,
                        jwt: { ...jwt, managementClaims: { groups: ["*"] } },
                    },
                },
            ),
            `${P}:istio.jwt.managementClaims.groups`,
            "no *",
        ],
        [
            "an inference namespace that is not a namespace name",
            existing({}, { istio: { enabled: true, inferenceFromNamespaces: ["Batch Jobs"] } }),
            `${P}:istio.inferenceFromNamespaces`,
            "namespace",
        ],
    ];
    for (const [what, config, key, word] of rows) {
        it(what, () => {
            const errors = errorsOf(config);
            assert.strictEqual(errors.length, 1, `expected exactly one problem, got:\n${errors.join("\n")}`);
            assert.ok(errors[0].startsWith(`${key}:`), `"${errors[0]}" should start with ${key}:`);
            assert.ok(errors[0].includes(word), `"${errors[0]}" should mention ${word}`);
            assert.ok(!errors[0].includes("\n"), "one line");
        });
    }

    const accepted: [string, RawStackConfig][] = [
        ["a cloud model with sha256", aws({ torchserve: { ...gpuTorchserve, models: [{ ...model, sha256 }] } })],
        [
            "a cloud model without sha256, opted out",
            aws({ torchserve: { ...gpuTorchserve, allowUnverifiedModels: true, models: [model] } }),
        ],
        ["a model without sha256 on an existing cluster", existing({ models: [model] })],
        [
            "management and metrics at the gateway with jwt and a claims rule",
            existing(
                {},
                {
                    istio: {
                        enabled: true,
                        exposeManagement: true,
                        exposeMetrics: true,
                        jwt: { ...jwt, managementClaims: claims },
                    },
                },
            ),
        ],
        [
            "enableModelApi behind the JWT gateway",
            existing({ enableModelApi: true }, { istio: { enabled: true, jwt } }),
        ],
        [
            "IPv4 and IPv6 source ranges",
            existing({}, { istio: { enabled: true, loadBalancerSourceRanges: ["203.0.113.0/24", "2001:db8::/32"] } }),
        ],
        ["a public TorchServe Service without the mesh", existing({ serviceType: "LoadBalancer" })],
    ];
    for (const [what, config] of accepted) it(`accepts ${what}`, () => assert.deepStrictEqual(errorsOf(config), []));

    it("warns, naming the key, for each LoadBalancer without source ranges, and not once they are set", () => {
        const open = parseStackConfig(
            existing(
                { serviceType: "LoadBalancer" },
                { prometheus: true, grafana: { enabled: true, serviceType: "LoadBalancer" } },
            ),
        ).warnings.filter((w) => w.includes("loadBalancerSourceRanges"));
        assert.deepStrictEqual(
            open.map((w) => w.split(":").slice(0, 2).join(":")),
            [`${P}:torchserve.loadBalancerSourceRanges`, `${P}:grafana.loadBalancerSourceRanges`],
        );
        const gateway = parseStackConfig(existing({}, { istio: true })).warnings;
        assert.ok(
            gateway.some((w) => w.startsWith(`${P}:istio.loadBalancerSourceRanges:`)),
            gateway.join("\n"),
        );
        const closed = parseStackConfig(
            existing({}, { istio: { enabled: true, loadBalancerSourceRanges: ["0.0.0.0/0"] } }),
        ).warnings;
        assert.ok(!closed.some((w) => w.includes("loadBalancerSourceRanges")), closed.join("\n"));
        const clusterIp = parseStackConfig(existing({})).warnings;
        assert.ok(!clusterIp.some((w) => w.includes("loadBalancerSourceRanges")), clusterIp.join("\n"));
    });

    it("warns, naming the key, when the gateway's JWT rule lists no audience, and not once it does (or says [])", () => {
        const jwt = { issuer: "https://issuer.example.com", jwksUri: "https://issuer.example.com/jwks" };
        const audienceWarnings = (audiences?: string[]) =>
            parseStackConfig(existing({}, { istio: { enabled: true, jwt: { ...jwt, audiences } } })).warnings.filter(
                (w) => w.startsWith(`${P}:istio.jwt.audiences:`),
            );
        assert.strictEqual(audienceWarnings(undefined).length, 1);
        assert.match(audienceWarnings(undefined)[0], /any audience the issuer signs for/);
        assert.deepStrictEqual(audienceWarnings(["api://torchserve"]), []);
        assert.deepStrictEqual(audienceWarnings([]), []);
    });

    it("every example cloud stack opts out of sha256 explicitly (the archives were not hashed here)", () => {
        for (const stack of ["aks", "eks", "gke"]) {
            const text = fs.readFileSync(path.join(__dirname, "..", `Pulumi.${stack}.yaml`), "utf8");
            assert.match(text, /^\s+allowUnverifiedModels: true$/m, stack);
        }
    });
});

describe("config: parking and scaling to zero", () => {
    it("accepts torchserve.replicas 0 (parked: no pod, no GPU)", () => {
        assert.strictEqual(parseStackConfig(existing({ replicas: 0 })).settings.torchserve.replicas, 0);
    });

    it("accepts autoscaling.minReplicas 0 with the mesh, whose gateway counts requests while no pod runs", () => {
        const { settings } = parseStackConfig(
            existing(
                {},
                { prometheus: true, istio: true, autoscaling: { enabled: true, minReplicas: 0, maxReplicas: 1 } },
            ),
        );
        assert.strictEqual(settings.autoscaling.minReplicas, 0);
        assert.deepStrictEqual(
            errorsOf(existing({}, { prometheus: true, istio: true, autoscaling: { minReplicas: 0, maxReplicas: 1 } })),
            [],
        );
    });
});

describe("config: alertReceivers, the one secret key", () => {
    const hook = "https://hooks.slack.com/services/T000/B000/SECRETVALUE";
    const secret = (values: Record<string, unknown>, secretKeys: string[] = ["alertReceivers"]) => ({
        ...existing({}, { prometheus: true, ...values }),
        secretKeys,
    });

    it("accepts the receivers as a secret, with prometheus", () => {
        const { settings } = parseStackConfig(
            secret({
                alertReceivers: {
                    slackWebhookUrl: hook,
                    slackChannel: "#ml-alerts",
                    pagerDutyRoutingKey: "a".repeat(32),
                },
            }),
        );
        assert.deepStrictEqual(settings.alertReceivers, {
            webhookUrl: undefined,
            slackWebhookUrl: hook,
            slackChannel: "#ml-alerts",
            pagerDutyRoutingKey: "a".repeat(32),
        });
    });

    const rows: [string, RawStackConfig, string, string][] = [
        [
            "receivers in clear text",
            secret({ alertReceivers: { webhookUrl: hook } }, []),
            `${P}:alertReceivers`,
            "--secret",
        ],
        [
            "any other key as a secret",
            secret({ alertReceivers: { webhookUrl: hook } }, ["alertReceivers", "torchserve"]),
            `${P}:torchserve`,
            "is set as a secret",
        ],
        [
            "a receiver URL that is not https",
            secret({ alertReceivers: { webhookUrl: "http://x" } }),
            `${P}:alertReceivers.webhookUrl`,
            "https://",
        ],
        [
            "a malformed PagerDuty key",
            secret({ alertReceivers: { pagerDutyRoutingKey: "short" } }),
            `${P}:alertReceivers.pagerDutyRoutingKey`,
            "32-character",
        ],
        [
            "no receiver named",
            secret({ alertReceivers: { slackChannel: "#x" } }),
            `${P}:alertReceivers`,
            "names no receiver",
        ],
        [
            "receivers without prometheus",
            { ...existing({}, { alertReceivers: { webhookUrl: hook } }), secretKeys: ["alertReceivers"] },
            `${P}:alertReceivers`,
            "enable prometheus",
        ],
    ];
    for (const [what, config, key, text] of rows) {
        it(`refuses ${what}, naming the key and never the value`, () => {
            const errors = errorsOf(config);
            const line = errors.find((e) => e.startsWith(`${key}:`));
            assert.ok(line, errors.join("\n"));
            assert.ok(line.includes(text), line);
            for (const e of errors) assert.ok(!e.includes("SECRETVALUE") && !e.includes("short"), e);
        });
    }
});

describe("config: what the AKS and EKS APIs refuse (cluster.admins, Spot upgrade settings, OS disk) → one line naming the key and value", () => {
    const K = `${P}:cluster.admins`;
    const user = { objectId: "8a1b2c3d-0000-4000-8000-1234567890ab", principalType: "User" };
    const role = "arn:aws:iam::123456789012:role/ops";
    const withAdmins = (make: typeof aws, admins: unknown) =>
        make({ cluster: { apiAllowedCidrs: allowedCidrs, admins } });
    /** [what, config, key the line names, words it holds] */
    const refused: [string, RawStackConfig, string, string[]][] = [
        ["azure without admins", withAdmins(azure, undefined), K, ["required on azure", "signed-in-user"]],
        ["azure, an empty list", withAdmins(azure, []), K, ["[]", "non-empty list"]],
        [
            "azure, a bare GUID",
            withAdmins(azure, [user.objectId]),
            `${K}[0]`,
            [user.objectId, "{objectId, principalType}"],
        ],
        [
            "azure, an object id that is not a GUID",
            withAdmins(azure, [{ ...user, objectId: "alice@example.com" }]),
            `${K}[0].objectId`,
            ["alice@example.com", "GUID"],
        ],
        [
            "azure, no principal type",
            withAdmins(azure, [{ objectId: user.objectId }]),
            `${K}[0].principalType`,
            ["nothing", "User, Group, ServicePrincipal"],
        ],
        [
            "azure, a principal type Azure does not name",
            withAdmins(azure, [{ ...user, principalType: "ManagedIdentity" }]),
            `${K}[0].principalType`,
            ["ManagedIdentity", "ServicePrincipal"],
        ],
        ["azure, an unknown key", withAdmins(azure, [{ ...user, role: "admin" }]), `${K}[0].role`, ["unknown key"]],
        [
            "azure, one principal twice",
            withAdmins(azure, [user, { ...user, objectId: user.objectId.toUpperCase() }]),
            K,
            ["twice", "RoleAssignmentExists"],
        ],
        ["aws, not a list", withAdmins(aws, role), K, [role, "list of IAM role or user ARNs"]],
        ["aws, not an ARN", withAdmins(aws, ["ops"]), `${K}[0]`, ['"ops"', "IAM role or user ARN"]],
        [
            "aws, a group ARN (access entries take roles and users)",
            withAdmins(aws, ["arn:aws:iam::123456789012:group/ops"]),
            `${K}[0]`,
            ["group/ops"],
        ],
        [
            "aws, an account id of 11 digits",
            withAdmins(aws, ["arn:aws:iam::12345678901:role/ops"]),
            `${K}[0]`,
            ["12345678901"],
        ],
        [
            "aws, a role session",
            withAdmins(aws, ["arn:aws:sts::123456789012:assumed-role/ops/alice"]),
            `${K}[0]`,
            ["role session", "arn:aws:iam::123456789012:role/<path/>ops"],
        ],
        ["aws, one ARN twice", withAdmins(aws, [role, role]), K, ["twice"]],
        [
            "an azure OS disk over 2048 GB (AKS's limit; EBS and PD go higher)",
            azure({ gpuNodePool: { instanceType: "Standard_NC4as_T4_v3", diskSizeGb: 4096 } }),
            `${P}:gpuNodePool.diskSizeGb`,
            ["4096", "2048"],
        ],
        [
            "azure Spot pool with upgrade settings (AKS refuses maxSurge and maxUnavailable on Spot)",
            azure({ gpuNodePool: { instanceType: "Standard_NC4as_T4_v3", spot: true, upgrade: { maxSurge: 1 } } }),
            `${P}:gpuNodePool.upgrade`,
            ['{"maxSurge":1}', "Spot pool"],
        ],
        ["gcp", withAdmins(gcp, [user]), K, ["GKE access is project IAM"]],
        ["existing", existing({}, { cluster: { admins: [user] } }), K, ["existing cluster"]],
    ];
    for (const [what, config, key, words] of refused)
        it(`refuses ${what}`, () => {
            const errors = errorsOf(config);
            assert.strictEqual(errors.length, 1, errors.join("\n"));
            assert.ok(errors[0].startsWith(`${key}: `), errors[0]);
            for (const w of words) assert.ok(errors[0].includes(w), `"${errors[0]}" should mention ${w}`);
        });

    const accepted: [string, RawStackConfig, (s: ReturnType<typeof parseStackConfig>["settings"]) => void][] = [
        [
            "azure users, groups and service principals (object ids kept lowercase)",
            withAdmins(azure, [
                { ...user, objectId: user.objectId.toUpperCase() },
                { objectId: "11111111-2222-4333-8444-555555555555", principalType: "Group" },
                { objectId: "66666666-7777-4888-9999-000000000000", principalType: "ServicePrincipal" },
            ]),
            (s) =>
                assert.deepStrictEqual(
                    s.cluster.admins.aks?.map((a) => `${a.principalType}:${a.objectId}`),
                    [
                        `User:${user.objectId}`,
                        "Group:11111111-2222-4333-8444-555555555555",
                        "ServicePrincipal:66666666-7777-4888-9999-000000000000",
                    ],
                ),
        ],
        [
            "aws role and user ARNs, with paths and in other partitions",
            withAdmins(aws, [
                role,
                "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123abcd",
                "arn:aws:iam::123456789012:user/alice@example.com",
                "arn:aws-us-gov:iam::123456789012:role/ci",
            ]),
            (s) => assert.strictEqual(s.cluster.admins.eks?.length, 4),
        ],
        [
            "aws without admins (the creator's own entry)",
            aws(),
            (s) => assert.deepStrictEqual(s.cluster.admins.eks, []),
        ],
        [
            "a Spot pool with upgrade settings on aws (EKS takes them)",
            aws({ gpuNodePool: { instanceType: "g5.xlarge", spot: true, upgrade: { maxUnavailable: 1 } } }),
            (s) => assert.strictEqual(s.gpuNodePool?.upgrade?.maxUnavailable, 1),
        ],
        [
            "an azure OS disk of 2048 GB, and 4096 GB on aws",
            azure({ gpuNodePool: { instanceType: "Standard_NC4as_T4_v3", diskSizeGb: 2048 } }),
            (s) => {
                assert.strictEqual(s.gpuNodePool?.diskSizeGb, 2048);
                const onAws = aws({ gpuNodePool: { instanceType: "g5.xlarge", diskSizeGb: 4096 } });
                assert.deepStrictEqual(errorsOf(onAws), []);
            },
        ],
        [
            "an azure Spot pool without upgrade settings",
            azure({ gpuNodePool: { instanceType: "Standard_NC4as_T4_v3", spot: true } }),
            (s) => assert.strictEqual(s.gpuNodePool?.spot, true),
        ],
    ];
    for (const [what, config, check] of accepted)
        it(`accepts ${what}`, () => {
            assert.deepStrictEqual(errorsOf(config), []);
            check(parseStackConfig(config).settings);
        });

    it("warns about the example's nil GUID placeholder", () => {
        const { warnings } = parseStackConfig(withAdmins(azure, [{ ...user, objectId: nilGuid }]));
        assert.ok(
            warnings.some((w) => w.startsWith(`${K}[0].objectId: ${nilGuid} is a placeholder`)),
            warnings.join("\n"),
        );
    });

    it("azure: preview warns (one line naming the key and the caller's id) when the caller is not listed", () => {
        const admins = [{ objectId: user.objectId, principalType: "User" as const }];
        assert.strictEqual(aksCallerWarning(admins, user.objectId.toUpperCase(), K), undefined);
        const w = aksCallerWarning(admins, "99999999-0000-4000-8000-000000000000", K)!;
        assert.ok(w.startsWith(`${K}: `) && w.includes("99999999-0000-4000-8000-000000000000") && !w.includes("\n"), w);
        assert.ok(!w.includes("group"), w);
        const viaGroup = [
            ...admins,
            { objectId: "11111111-2222-4333-8444-555555555555", principalType: "Group" as const },
        ];
        assert.match(
            aksCallerWarning(viaGroup, "99999999-0000-4000-8000-000000000000", K)!,
            /member of a listed group/,
        );
    });

    it("aws: preview warns when the caller is listed (EKS's creator entry would collide)", () => {
        const session = "arn:aws:sts::123456789012:assumed-role/ops/alice";
        assert.match(eksCallerWarning([role], session, K)!, /ResourceInUseException/);
        assert.match(eksCallerWarning(["arn:aws:iam::123456789012:role/team/ops"], session, K)!, /is the identity/);
        assert.strictEqual(eksCallerWarning(["arn:aws:iam::123456789012:role/ops2"], session, K), undefined);
        assert.strictEqual(eksCallerWarning(["arn:aws:iam::210987654321:role/ops"], session, K), undefined);
        assert.match(
            eksCallerWarning(["arn:aws:iam::123456789012:user/bob"], "arn:aws:iam::123456789012:user/bob", K)!,
            /bob/,
        );
    });
});

// Validation by class: every key of a class goes through the same bad values, and each answer is
// one line naming that key.
describe("config: every key of a class is checked the same way", () => {
    const oneError = (config: RawStackConfig, key: string, hidden?: string) => {
        const errors = errorsOf(config);
        assert.strictEqual(errors.length, 1, `expected one problem, got:\n${errors.join("\n")}`);
        assert.ok(errors[0].startsWith(`${P}:${key}:`), `"${errors[0]}" should name ${key}`);
        if (hidden) assert.ok(!errors[0].includes(hidden), `"${errors[0]}" shows a credential`);
    };

    /** URL keys: [key, config with the key set to `url`, the value is a credential]. */
    const urlKeys: [string, (url: string) => RawStackConfig, boolean][] = [
        [
            "grafana.prometheusUrl",
            (url) => existing({}, { prometheus: true, grafana: { enabled: true, prometheusUrl: url } }),
            false,
        ],
        [
            "istio.jwt.jwksUri",
            (url) =>
                existing(
                    {},
                    { istio: { enabled: true, jwt: { issuer: "https://id.example", jwksUri: url, audiences: [] } } },
                ),
            false,
        ],
        [
            "alertReceivers.webhookUrl",
            (url) => ({
                ...existing(
                    {},
                    { prometheus: true, alertReceivers: { webhookUrl: url, pagerDutyRoutingKey: "a".repeat(32) } },
                ),
                secretKeys: ["alertReceivers"],
            }),
            true,
        ],
        [
            "alertReceivers.slackWebhookUrl",
            (url) => ({
                ...existing(
                    {},
                    { prometheus: true, alertReceivers: { slackWebhookUrl: url, pagerDutyRoutingKey: "a".repeat(32) } },
                ),
                secretKeys: ["alertReceivers"],
            }),
            true,
        ],
        ["torchserve.models[0].url", (url) => existing({ models: [{ name: "m", url }] }), false],
    ];
    const badUrls: [string, string, RegExp][] = [
        ["no host", "https:///x.mar", /has none/],
        ["no host before the port", "https://:8443/x.mar", /has none/],
        ["port 0", "https://h.example:0/x.mar", /port 0 is outside 1-65535/],
        ["port above 65535", "https://h.example:65536/x.mar", /port 65536 is outside 1-65535/],
        ["port far out of range", "https://h.example:99999/x.mar", /port 99999 is outside 1-65535/],
        ["an empty port", "https://h.example:/x.mar", /port "" is not a number/],
        ["an empty DNS label", "https://a..example/x.mar", /not a DNS name/],
        ["a label starting with '-'", "https://-a.example/x.mar", /not a DNS name/],
        ["another scheme", "ftp://h.example/x.mar", /expected an/],
        ["a space", "https://h.example/a b.mar", /space/],
    ];
    for (const [key, config, secret] of urlKeys) {
        for (const [what, url, why] of badUrls)
            it(`${key}: ${what} → refused`, () => {
                oneError(config(url), key, secret ? url : undefined);
                assert.match(errorsOf(config(url))[0], why);
            });
        it(`${key}: https with a host and port 8443 → accepted`, () =>
            assert.deepStrictEqual(errorsOf(config("https://h.example:8443/x.mar")), []));
    }

    /** Instance types, on every pool, against their cloud's naming (types the catalog does not list). */
    const clouds = { aws, azure, gcp } as const;
    const misnamed: Record<keyof typeof clouds, string[]> = {
        aws: ["g5xlarge", "G5.XLARGE", "g5_xlarge"],
        azure: ["NC4as_T4_v3", "standard-nc4as-t4-v3"],
        gcp: ["n1_standard_8", "N1-standard-8", "n1standard8"],
    };
    const poolKeys: [string, (type: string, cloud: keyof typeof clouds) => RawStackConfig][] = [
        [
            "cluster.systemNodePool.instanceType",
            (type, cloud) =>
                clouds[cloud]({ cluster: { apiAllowedCidrs: allowedCidrs, systemNodePool: { instanceType: type } } }),
        ],
        [
            "gpuNodePool.instanceType",
            (type, cloud) =>
                clouds[cloud]({
                    gpuNodePool: { instanceType: type, ...(cloud === "gcp" ? { gpuType: "nvidia-tesla-t4" } : {}) },
                }),
        ],
    ];
    for (const [key, config] of poolKeys)
        for (const cloud of Object.keys(clouds) as (keyof typeof clouds)[])
            for (const type of misnamed[cloud])
                it(`${key} on ${cloud}: ${type} → refused`, () => {
                    oneError(config(type, cloud), key);
                    assert.match(errorsOf(config(type, cloud))[0], new RegExp(`not an? ${cloud} instance type name`));
                });

    /** Size keys, where zero means nothing: [key, config with the key set to `size`]. */
    const sizeKeys: [string, (size: string) => RawStackConfig][] = [
        ["torchserve.memoryRequest", (size) => existing({ memoryRequest: size })],
        ["torchserve.memoryLimit", (size) => existing({ memoryLimit: size })],
        ["torchserve.persistenceSize", (size) => existing({ persistenceSize: size })],
        ["torchserve.ephemeralStorage", (size) => existing({ ephemeralStorage: size })],
        ["prometheus.storageSize", (size) => existing({}, { prometheus: { enabled: true, storageSize: size } })],
        [
            "logging.storageSize",
            (size) => existing({}, { logging: { enabled: true, backend: "loki", storageSize: size } }),
        ],
    ];
    for (const [key, config] of sizeKeys)
        for (const size of ["0", "0Gi", "0.0Mi"])
            it(`${key}: ${size} → refused`, () => {
                oneError(config(size), key);
                assert.match(errorsOf(config(size))[0], /larger than zero/);
            });
});

describe("config: a section given without enabled says what it is", () => {
    const warned = (extra: Record<string, unknown>, key: string) =>
        parseStackConfig(existing({}, extra)).warnings.filter((w) => w.startsWith(`${P}:${key}:`));
    it("logging (on by default): it is on; enabled: false turns it off", () => {
        const w = warned({ logging: { backend: "loki" } }, "logging");
        assert.strictEqual(w.length, 1);
        assert.match(w[0], /it is on \(the default\); add enabled: false to turn it off/);
        assert.strictEqual(
            parseStackConfig(existing({}, { logging: { backend: "loki" } })).settings.logging.enabled,
            true,
        );
    });
    it("prometheus (off by default): it stays off; enabled: true turns it on", () => {
        const w = warned({ prometheus: { retention: "7d" } }, "prometheus");
        assert.strictEqual(w.length, 1);
        assert.match(w[0], /it stays off; add enabled: true to turn it on/);
    });
});

// DNS names by class (stacks/config/dnsNames.ts): every namespace-like key takes an RFC 1123 label,
// every host key an RFC 1123 subdomain (or `*`, or `*.` before one); a list naming one twice is refused.
describe("config: every DNS-name key is checked the same way (RFC 1123)", () => {
    const onlyError = (config: RawStackConfig, key: string) => {
        const errors = errorsOf(config);
        assert.strictEqual(errors.length, 1, `expected one problem, got:\n${errors.join("\n")}`);
        assert.ok(errors[0].startsWith(`${P}:${key}:`), `"${errors[0]}" should name ${key}`);
    };
    const istio = (o: Record<string, unknown>) => existing({}, { istio: { enabled: true, ...o } });
    /** [key, config with the key set to a name] for RFC 1123 labels. */
    const labelKeys: [string, (name: string) => RawStackConfig][] = [
        ["torchserve.namespace", (n) => existing({ namespace: n })],
        ["prometheus.namespace", (n) => existing({}, { prometheus: { enabled: true, namespace: n } })],
        ["istio.tlsCredentialName", (n) => istio({ tlsCredentialName: n })],
        ["istio.inferenceFromNamespaces", (n) => istio({ inferenceFromNamespaces: [n] })],
    ];
    const badLabels = ["", "Models", "-models", "models-", "mo..dels", "mo_dels", "a".repeat(64)];
    for (const [key, make] of labelKeys) {
        for (const bad of badLabels)
            it(`${key}: ${JSON.stringify(bad.length > 20 ? `${bad.slice(0, 5)}…(${bad.length})` : bad)} refused in one line`, () =>
                onlyError(make(bad), key));
        it(`${key}: a 63-character label is accepted`, () =>
            assert.deepStrictEqual(errorsOf(make("a".repeat(63))), []));
    }

    const badHosts = [
        "a..b.example",
        ".example.com",
        "example.com.",
        "-a.example.com",
        "a-.example.com",
        "A.example.com",
        "*a.example.com",
        "a.*.example",
        `${"a".repeat(64)}.example.com`,
        `${"a.".repeat(127)}ab`,
    ];
    for (const bad of badHosts)
        it(`istio.hosts: ${JSON.stringify(bad.length > 30 ? `${bad.slice(0, 8)}…(${bad.length})` : bad)} refused in one line`, () =>
            onlyError(istio({ hosts: [bad] }), "istio.hosts"));
    for (const good of ["*", "models.example.com", "*.example.com", "localhost", `${"a".repeat(63)}.example.com`])
        it(`istio.hosts: ${JSON.stringify(good.length > 30 ? `${good.slice(0, 8)}…` : good)} accepted`, () =>
            assert.deepStrictEqual(errorsOf(istio({ hosts: [good] })), []));

    for (const [key, list] of [
        ["istio.hosts", { hosts: ["models.example.com", "models.example.com"] }],
        ["istio.inferenceFromNamespaces", { inferenceFromNamespaces: ["batch", "batch"] }],
    ] as const)
        it(`${key}: a name listed twice refused in one line naming it`, () => {
            const errors = errorsOf(istio(list));
            assert.strictEqual(errors.length, 1, errors.join("\n"));
            assert.match(errors[0], new RegExp(`^${P}:${key}: .*twice`));
        });
});
