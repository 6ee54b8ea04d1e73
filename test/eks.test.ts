// EKS cluster (`cloud: aws`) under Pulumi mocks: what it asks AWS for, and what it hands the platform.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createCluster } from "../stacks/aws";
import { Settings } from "../stacks/config/settings";
import { cloudCall, fakeAwsAccountId } from "../harness/cloudMocks";
import { Evaluation, UNKNOWN } from "../harness/evaluate";
import {
    autoName,
    cloudComputed,
    fakeEksClusterSecurityGroupId,
    fakeOidcIssuer,
    fakeOidcProviderArn,
} from "../harness/cloudComputed";
import { configFor, runProgram } from "../harness/program";
import { ClusterRun, runCluster } from "../harness/cluster";
import { all, one } from "./support/match";
import { idOf } from "./support/resources";
import { kubernetesObjects, validateKubernetesObject } from "./support/schema";
import { gpuSettings, testSettings } from "./support/settings";
import { awsInstances } from "../stacks/config/gpuCatalog";
import {
    acceleratorFor,
    autoscalerTags,
    clusterAutoscalerChart,
    clusterAutoscalerImageTag,
    clusterAutoscalerPolicy,
    clusterAutoscalerValues,
    efsStorageClass,
    gp3StorageClass,
    gpuNodeGroupSpec,
    irsaTrustPolicy,
    kubeconfigText,
    nodeGroupArgs,
    subnetCidrs,
    subnetTags,
    systemNodeGroupSpec,
    systemPlacement,
    zoneAt,
} from "../components/eks";
import { devicePluginValues } from "../components/devicePlugin";
import { modelServerUid } from "../components/torchserve/conventions";
import { classicLoadBalancerAnnotations, eksNodeGroupLabel } from "../components/eks/cluster";
import { loadBalancerIdleSeconds } from "../components/torchserve/drain";
import { eksAddonVersions } from "../components/eks/versions";
import { eksUnsupportedZoneIds, eksZones, gpuZoneProblems } from "../components/eks/network";
import { assertKnownValueKeys, loadChartKeys, unknownValueKeys } from "./support/chartValues";

const caKeys = loadChartKeys("cluster-autoscaler-9.59.0.json");
const clusterName = "torchserve-eks";

function eksSettings(gpu: { spot?: boolean; minNodes?: number } | false = {}, deletionProtection = true): Settings {
    const cluster = {
        name: clusterName,
        deletionProtection,
        systemNodePool: { minNodes: 1, maxNodes: 3 },
        apiAllowedCidrs: ["203.0.113.0/24", "198.51.100.7/32"],
    };
    const location = { awsRegion: "us-west-2" };
    if (gpu === false) return testSettings({ cloud: "aws", location, cluster });
    // The default GPU stack logs to CloudWatch; the spot one to Loki (nothing on AWS's side).
    const logging = { enabled: true, backend: gpu.spot ? "loki" : "cloud", retentionDays: 14 } as const;
    return gpuSettings({
        cloud: "aws",
        location,
        cluster,
        logging,
        gpuNodePool: {
            instanceType: "g5.xlarge",
            gpusPerNode: 1,
            minNodes: gpu.minNodes ?? 1,
            maxNodes: 2,
            spot: gpu.spot ?? false,
            diskSizeGb: 150,
        },
    });
}

const config = { "aws:region": "us-west-2" };
// A region with more zones than the cluster uses (the rest of the answers: harness/cloudMocks.ts).
const zones = ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"];
const awsCall = cloudCall(config);

function run(settings: Settings, preview: boolean): Promise<ClusterRun> {
    return runCluster(createCluster, settings, {
        stack: "eks",
        config,
        preview,
        call: (args) =>
            args.token === "aws:index/getAvailabilityZones:getAvailabilityZones"
                ? {
                      id: "us-west-2",
                      names: zones,
                      zoneIds: ["usw2-az1", "usw2-az2", "usw2-az3", "usw2-az4"],
                      groupNames: ["us-west-2"],
                  }
                : args.token === "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings"
                  ? { id: "us-west-2", locations: ["usw2-az1", "usw2-az2", "usw2-az3", "usw2-az4"] }
                  : awsCall(args),
    });
}

describe("EKS building blocks", () => {
    // Prometheus's gp3 volume is zonal: the system group keeps a node in every zone the VPC spans.
    const systemFloor: [string, { minNodes: number; maxNodes: number }, number, [number, number]][] = [
        ["min 1 of 3 zones: raised to 3", { minNodes: 1, maxNodes: 3 }, 3, [3, 3]],
        ["max below the zones: raised too", { minNodes: 1, maxNodes: 2 }, 3, [3, 3]],
        ["min 4 of 3 zones: kept", { minNodes: 4, maxNodes: 6 }, 3, [4, 6]],
        ["two zones", { minNodes: 1, maxNodes: 5 }, 2, [2, 5]],
    ];
    for (const [name, pool, zones, [min, max]] of systemFloor)
        it(`system node group has a node per zone: ${name}`, () => {
            const s = systemNodeGroupSpec(pool, zones);
            assert.deepStrictEqual([s.minNodes, s.maxNodes], [min, max]);
        });

    // gpuNodePool.upgrade on EKS: no GPU node beyond the group's size, ever (MINIMAL); maxUnavailable as
    // given, at least the API's minimum of 1 (NodegroupUpdateConfig: "Valid Range: Minimum value of 1").
    const upgrades: [string, { maxSurge: number; maxUnavailable: number } | undefined, number][] = [
        ["default (surge 1, unavailable 0)", undefined, 1],
        ["surge 1, unavailable 0", { maxSurge: 1, maxUnavailable: 0 }, 1],
        ["surge 0, unavailable 1", { maxSurge: 0, maxUnavailable: 1 }, 1],
        ["surge 0, unavailable 2", { maxSurge: 0, maxUnavailable: 2 }, 2],
    ];
    it("README and Pulumi.eks.yaml ask for the same GPU quota: 4 vCPUs × maxNodes, no surge node", () => {
        const root = path.join(__dirname, "..");
        const yaml = fs.readFileSync(path.join(root, "Pulumi.eks.yaml"), "utf8");
        const maxNodes = Number(/gpuNodePool:[\s\S]*?maxNodes: (\d+)/.exec(yaml)![1]);
        const perNode = awsInstances["g5.xlarge"].vcpu;
        const eks = fs.readFileSync(path.join(root, "docs", "clouds", "eks.md"), "utf8");
        const quota = eks.split("**GPU quota.**")[1].split("\n- ")[0];
        assert.strictEqual(Number(/\((\d+) for the example\)/.exec(quota)![1]), perNode * maxNodes);
        assert.strictEqual(Number(/\((\d+) for maxNodes (\d+)/.exec(yaml)![1]), perNode * maxNodes);
        assert.match(quota, /--desired-value (\d+)/);
        assert.strictEqual(Number(/--desired-value (\d+)/.exec(quota)![1]), perNode * maxNodes);
    });

    for (const [name, upgrade, unavailable] of upgrades)
        it(`GPU node group upgrades terminate before they launch: ${name}`, () => {
            const spec = gpuNodeGroupSpec({
                instanceType: "g5.xlarge",
                gpusPerNode: 1,
                minNodes: 1,
                maxNodes: 2,
                spot: false,
                diskSizeGb: 100,
                ...(upgrade ? { upgrade } : {}),
            });
            assert.deepStrictEqual(nodeGroupArgs(spec, clusterName, {}).updateConfig, {
                maxUnavailable: unavailable,
                updateStrategy: "MINIMAL",
            });
        });

    it("carves private /19s and public /22s in distinct blocks of the VPC", () => {
        const c = subnetCidrs("10.0.0.0/16", 3);
        assert.deepStrictEqual(c.private, ["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"]);
        assert.deepStrictEqual(c.public, ["10.0.128.0/22", "10.0.132.0/22", "10.0.136.0/22"]);
        assert.throws(() => subnetCidrs("10.0.0.0/8", 3), /\/16/);
        assert.throws(() => subnetCidrs("10.0.0.0/16", 1), /2-4/);
    });

    it("tags subnets for public and internal load balancers of this cluster", () => {
        assert.deepStrictEqual(subnetTags("c1", "public"), {
            "kubernetes.io/cluster/c1": "shared",
            "kubernetes.io/role/elb": "1",
        });
        assert.deepStrictEqual(subnetTags("c1", "private"), {
            "kubernetes.io/cluster/c1": "shared",
            "kubernetes.io/role/internal-elb": "1",
        });
    });

    it("uses distinct zones and says so when the region has too few", () => {
        assert.strictEqual(zoneAt(["a", "b", "c"], 2), "c");
        assert.throws(() => zoneAt(["us-west-1a", "us-west-1c"], 2), /offers 2.*at least 3/);
    });

    it("names the GPU model for cluster-autoscaler from the instance family", () => {
        assert.strictEqual(acceleratorFor("g5.xlarge"), "nvidia-a10g");
        assert.strictEqual(acceleratorFor("g4dn.2xlarge"), "nvidia-tesla-t4");
        assert.strictEqual(acceleratorFor("g6.xlarge", "nvidia-l4"), "nvidia-l4");
    });

    it("tags the ASG so cluster-autoscaler discovers it and can scale the GPU pool from zero", () => {
        const spec = gpuNodeGroupSpec({
            instanceType: "g5.xlarge",
            gpusPerNode: 1,
            minNodes: 0,
            maxNodes: 2,
            spot: true,
            diskSizeGb: 100,
        });
        const tags = autoscalerTags("c1", spec);
        assert.strictEqual(tags["k8s.io/cluster-autoscaler/enabled"], "true");
        assert.strictEqual(tags["k8s.io/cluster-autoscaler/c1"], "owned");
        assert.strictEqual(tags["k8s.io/cluster-autoscaler/node-template/label/torchserve.pytorch.org/pool"], "gpu");
        assert.strictEqual(
            tags["k8s.io/cluster-autoscaler/node-template/label/k8s.amazonaws.com/accelerator"],
            "nvidia-a10g",
        );
        assert.strictEqual(tags["k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu"], "true:NoSchedule");
        const args = nodeGroupArgs(spec, "c1", {});
        assert.deepStrictEqual(args.scalingConfig, { minSize: 0, maxSize: 2, desiredSize: 0 });
        assert.strictEqual(args.capacityType, "SPOT");
    });

    it("IRSA trust: only the named service account, through the cluster's OIDC provider", () => {
        const doc = JSON.parse(
            irsaTrustPolicy(
                "arn:p",
                "https://oidc.example/id/X",
                "system:serviceaccount:kube-system:cluster-autoscaler",
            ),
        );
        const s = doc.Statement[0];
        assert.deepStrictEqual(s.Principal, { Federated: "arn:p" });
        assert.strictEqual(s.Action, "sts:AssumeRoleWithWebIdentity");
        assert.deepStrictEqual(s.Condition.StringEquals, {
            "oidc.example/id/X:aud": "sts.amazonaws.com",
            "oidc.example/id/X:sub": "system:serviceaccount:kube-system:cluster-autoscaler",
        });
        const wildcard = JSON.parse(
            irsaTrustPolicy("arn:p", "oidc.example/id/X", "system:serviceaccount:kube-system:efs-csi-*"),
        );
        assert.deepStrictEqual(wildcard.Statement[0].Condition, {
            StringEquals: { "oidc.example/id/X:aud": "sts.amazonaws.com" },
            StringLike: { "oidc.example/id/X:sub": "system:serviceaccount:kube-system:efs-csi-*" },
        });
    });

    it("cluster-autoscaler may resize only this cluster's groups", () => {
        const doc = JSON.parse(clusterAutoscalerPolicy("c1"));
        const scale = doc.Statement.find((s: any) => s.Action.includes("autoscaling:SetDesiredCapacity"));
        assert.deepStrictEqual(scale.Condition, {
            StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/c1": "owned" },
        });
        const read = doc.Statement.find((s: any) => s.Action.includes("autoscaling:DescribeAutoScalingGroups"));
        for (const a of ["eks:DescribeNodegroup", "ec2:DescribeLaunchTemplateVersions", "ec2:DescribeInstanceTypes"])
            assert.ok(read.Action.includes(a), a);
    });

    it("matches cluster-autoscaler to the Kubernetes minor", () => {
        assert.strictEqual(clusterAutoscalerImageTag("1.35"), "v1.35.2");
        assert.strictEqual(clusterAutoscalerImageTag("1.34.2"), "v1.34.5");
        assert.strictEqual(clusterAutoscalerImageTag("1.20"), undefined);
    });

    it("sets only cluster-autoscaler value keys chart 9.59.0 defines", () => {
        assert.strictEqual(caKeys.version, clusterAutoscalerChart.version);
        const values = clusterAutoscalerValues({
            clusterName: "c1",
            region: "us-west-2",
            roleArn: "arn:r",
            imageTag: "v1.35.2",
            placement: systemPlacement,
        });
        assertKnownValueKeys(values, caKeys);
        // The checker does catch a misspelling.
        assert.deepStrictEqual(unknownValueKeys({ autoDiscovery: { clustername: "c1" } }, caKeys), [
            "autoDiscovery.clustername",
        ]);
    });

    it("EFS StorageClass: access points owned by the given user and group, retained when protected", () => {
        const owner = { uid: 1000, gid: 2000 };
        const sc = efsStorageClass("fs-1", true, owner);
        assert.strictEqual(sc.provisioner, "efs.csi.aws.com");
        assert.deepStrictEqual(sc.parameters, {
            provisioningMode: "efs-ap",
            fileSystemId: "fs-1",
            directoryPerms: "700",
            uid: "1000",
            gid: "2000",
        });
        assert.strictEqual(sc.reclaimPolicy, "Retain");
        assert.strictEqual(efsStorageClass("fs-1", false, owner).reclaimPolicy, "Delete");
        assert.strictEqual(sc.allowVolumeExpansion, true, "a larger persistenceSize must not be rejected");
    });

    it("gp3 StorageClass: the cluster's default, encrypted gp3 EBS volumes in the pod's zone, expandable", () => {
        const sc = gp3StorageClass();
        assert.strictEqual(sc.metadata.name, "gp3");
        assert.strictEqual(sc.metadata.annotations["storageclass.kubernetes.io/is-default-class"], "true");
        assert.strictEqual(sc.provisioner, "ebs.csi.aws.com");
        assert.deepStrictEqual(sc.parameters, { type: "gp3", encrypted: "true" });
        assert.strictEqual(sc.volumeBindingMode, "WaitForFirstConsumer");
        assert.strictEqual(sc.allowVolumeExpansion, true);
    });

    it("turns eks.Cluster's kubeconfig object into text", () => {
        assert.deepStrictEqual(JSON.parse(kubeconfigText({ apiVersion: "v1" })), { apiVersion: "v1" });
        assert.strictEqual(kubeconfigText("apiVersion: v1\n"), "apiVersion: v1\n");
    });
});

describe("EKS zone choice: zones EKS accepts, offering the GPU type", function () {
    this.timeout(60000);
    // us-east-1 with use1-az3 (where EKS refuses subnets: UnsupportedAvailabilityZoneException) third.
    const names = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e"];
    const ids = ["use1-az1", "use1-az2", "use1-az3", "use1-az4", "use1-az5"];

    it("skips the zone IDs EKS does not support, keeping the region's order", () => {
        assert.ok(eksUnsupportedZoneIds.includes("use1-az3"));
        assert.deepStrictEqual(eksZones(names, ids), ["us-east-1a", "us-east-1b", "us-east-1d", "us-east-1e"]);
        assert.deepStrictEqual(eksZones(zones, ["usw2-az1", "usw2-az2", "usw2-az3", "usw2-az4"]), zones);
    });

    const chosen = ["us-east-1a", "us-east-1b", "us-east-1d"];
    const offered: [string, string[], { error?: RegExp; warning?: RegExp }][] = [
        ["offered in every zone", ["use1-az1", "use1-az2", "use1-az4"], {}],
        [
            "offered in two of three",
            ["use1-az1", "use1-az4"],
            { warning: /not offered in us-east-1b; GPU nodes start only in us-east-1a, us-east-1d/ },
        ],
        [
            "offered only outside the chosen zones",
            ["use1-az3", "use1-az5"],
            { error: /offered in none of the zones the cluster uses/ },
        ],
    ];
    for (const [name, offeredIds, want] of offered)
        it(`GPU type ${name}`, () => {
            const p = gpuZoneProblems(chosen, names, ids, "p5.48xlarge", offeredIds);
            assert.strictEqual(p.error === undefined, want.error === undefined, JSON.stringify(p));
            assert.strictEqual(p.warning === undefined, want.warning === undefined, JSON.stringify(p));
            if (want.error) assert.match(p.error!, want.error);
            if (want.warning) assert.match(p.warning!, want.warning);
        });

    const eastCall = (gpuOffered: string[]) => (args: Parameters<typeof awsCall>[0]) =>
        args.token === "aws:index/getAvailabilityZones:getAvailabilityZones"
            ? { id: "us-east-1", names, zoneIds: ids, groupNames: ["us-east-1"] }
            : args.token === "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings"
              ? { id: "us-east-1", locations: gpuOffered }
              : cloudCall({ "aws:region": "us-east-1" })(args);
    const eastSettings = () => ({ ...eksSettings(), location: { awsRegion: "us-east-1" } });

    it("the cluster's subnets avoid use1-az3", async () => {
        const r = await runCluster(createCluster, eastSettings(), {
            stack: "eks",
            config: { "aws:region": "us-east-1" },
            preview: false,
            call: eastCall(ids),
        });
        for (const tier of ["public", "private"])
            assert.deepStrictEqual(
                all(r.ev, "aws:ec2/subnet:Subnet")
                    .filter((s) => s.name.includes(tier))
                    .map((s) => s.inputs.availabilityZone),
                chosen,
            );
    });

    it("a GPU type offered in none of those zones stops the run", async () => {
        await assert.rejects(
            runCluster(createCluster, eastSettings(), {
                stack: "eks",
                config: { "aws:region": "us-east-1" },
                preview: false,
                call: eastCall(["use1-az3"]),
            }),
            /g5\.xlarge is offered in none of the zones the cluster uses \(us-east-1a, us-east-1b, us-east-1d\)/,
        );
    });
});

describe("EKS cluster under mocks (update)", function () {
    this.timeout(60000);
    let gpu: ClusterRun;
    let spot: ClusterRun;
    let cpuOnly: ClusterRun;
    before(async () => {
        gpu = await run(eksSettings(), false);
        spot = await run(eksSettings({ spot: true, minNodes: 0 }, false), false);
        cpuOnly = await run(eksSettings(false), false);
    });

    it("CloudWatch logging (backend cloud): pinned add-on with its IRSA role, log groups with retention, control-plane logs", () => {
        const logged = gpu; // eksSettings() logs to CloudWatch, 14 days
        const c = one(logged.ev, "eks:index:Cluster");
        assert.deepStrictEqual(c.inputs.enabledClusterLogTypes, ["api", "audit", "authenticator"]);
        const groups = all(logged.ev, "aws:cloudwatch/logGroup:LogGroup");
        assert.deepStrictEqual(
            groups.map((g) => [g.inputs.name, g.inputs.retentionInDays]).sort(),
            [
                [`/aws/containerinsights/${clusterName}/application`, 14],
                [`/aws/containerinsights/${clusterName}/dataplane`, 14],
                [`/aws/containerinsights/${clusterName}/host`, 14],
                [`/aws/containerinsights/${clusterName}/performance`, 14],
                [`/aws/eks/${clusterName}/cluster`, 14],
            ].sort(),
        );
        // Created first, so they are the program's (with retention), not Fluent Bit's or EKS's.
        assert.ok(c.dependencies.includes(one(logged.ev, "aws:cloudwatch/logGroup:LogGroup", "eks-control-plane").urn));
        const addon = one(logged.ev, "aws:eks/addon:Addon", "eks-logs");
        assert.deepStrictEqual(
            [addon.inputs.addonName, addon.inputs.addonVersion, addon.inputs.clusterName],
            ["amazon-cloudwatch-observability", "v6.4.0-eksbuild.1", clusterName],
        );
        for (const g of groups.filter((g) => g.inputs.name.startsWith("/aws/containerinsights/")))
            assert.ok(addon.dependencies.includes(g.urn), g.inputs.name);
        assert.strictEqual(
            addon.inputs.serviceAccountRoleArn,
            `arn:aws:iam::${fakeAwsAccountId}:role/${autoName("eks-logs-agent")}`,
        );
        const trust = JSON.parse(one(logged.ev, "aws:iam/role:Role", "eks-logs-agent").inputs.assumeRolePolicy)
            .Statement[0];
        assert.strictEqual(
            trust.Condition.StringEquals?.[`${fakeOidcIssuer}:sub`] ??
                trust.Condition.StringLike?.[`${fakeOidcIssuer}:sub`],
            "system:serviceaccount:amazon-cloudwatch:cloudwatch-agent",
        );
        assert.deepStrictEqual(
            all(logged.ev, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                .filter((a) => a.inputs.role === autoName("eks-logs-agent"))
                .map((a) => a.inputs.policyArn),
            ["arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"],
        );
        assert.ok(addon.dependencies.includes(one(logged.ev, "aws:eks/nodeGroup:NodeGroup", "eks-system").urn));
    });

    it("logging off or on Loki: no CloudWatch add-on; the control plane's group is still the program's, expiring, made first", () => {
        for (const r of [spot, cpuOnly]) {
            // Not EKS's (never expiring, left by a destroy, in the way of a later switch to `cloud`).
            const groups = all(r.ev, "aws:cloudwatch/logGroup:LogGroup");
            assert.deepStrictEqual(
                groups.map((g) => [g.inputs.name, g.inputs.retentionInDays]),
                [[`/aws/eks/${clusterName}/cluster`, 30]],
            );
            assert.ok(one(r.ev, "eks:index:Cluster").dependencies.includes(groups[0].urn));
            assert.ok(
                !all(r.ev, "aws:eks/addon:Addon").some((a) => a.inputs.addonName === "amazon-cloudwatch-observability"),
            );
        }
    });

    it("creates the control plane with access entries, an OIDC provider, no default node group, private nodes", () => {
        const c = one(gpu.ev, "eks:index:Cluster");
        assert.strictEqual(c.inputs.name, clusterName);
        assert.strictEqual(c.inputs.version, "1.35");
        assert.strictEqual(c.inputs.authenticationMode, "API");
        assert.strictEqual(c.inputs.skipDefaultNodeGroup, true);
        assert.strictEqual(c.inputs.createOidcProvider, true);
        assert.strictEqual(c.inputs.nodeAssociatePublicIpAddress, false);
        assert.strictEqual(c.inputs.deletionProtection, true);
        assert.strictEqual(one(spot.ev, "eks:index:Cluster").inputs.deletionProtection, false);
        const privateIds = all(gpu.ev, "aws:ec2/subnet:Subnet")
            .filter((s) => s.name.includes("private"))
            .map(idOf);
        const publicIds = all(gpu.ev, "aws:ec2/subnet:Subnet")
            .filter((s) => s.name.includes("public"))
            .map(idOf);
        assert.deepStrictEqual(c.inputs.privateSubnetIds, privateIds);
        assert.deepStrictEqual(c.inputs.publicSubnetIds, publicIds);
        assert.strictEqual(c.inputs.vpcId, idOf(one(gpu.ev, "aws:ec2/vpc:Vpc")));
        // Standard support only: never billed $0.60/h of extended support without a decision.
        assert.deepStrictEqual(c.inputs.upgradePolicy, { supportType: "STANDARD" });
    });

    it("S3 gateway endpoint on the private route table: model and image layer reads skip the NAT gateway", () => {
        const endpoint = one(gpu.ev, "aws:ec2/vpcEndpoint:VpcEndpoint");
        assert.strictEqual(endpoint.inputs.serviceName, "com.amazonaws.us-west-2.s3");
        assert.strictEqual(endpoint.inputs.vpcEndpointType, "Gateway");
        assert.deepStrictEqual(endpoint.inputs.routeTableIds, [
            idOf(one(gpu.ev, "aws:ec2/routeTable:RouteTable", "eks-private")),
        ]);
    });

    it("the API server: private endpoint for nodes, public endpoint only for apiAllowedCidrs", () => {
        const c = one(gpu.ev, "eks:index:Cluster");
        assert.strictEqual(c.inputs.endpointPrivateAccess, true);
        assert.strictEqual(c.inputs.endpointPublicAccess, true);
        assert.deepStrictEqual(c.inputs.publicAccessCidrs, ["203.0.113.0/24", "198.51.100.7/32"]);
    });

    it("logs API calls, audit events and authentication to CloudWatch", () => {
        const c = one(gpu.ev, "eks:index:Cluster");
        assert.deepStrictEqual([...c.inputs.enabledClusterLogTypes].sort(), ["api", "audit", "authenticator"]);
    });

    it("the EKS cluster enforces NetworkPolicy: its vpc-cni add-on runs the network policy agent", () => {
        // pulumi-eks turns these into the vpc-cni add-on's configuration value enableNetworkPolicy "true"
        // (nodejs/eks/addons/cni-addon.ts); the policy pack reads the same inputs.
        const c = one(gpu.ev, "eks:index:Cluster");
        assert.strictEqual(c.inputs.useDefaultVpcCni, false);
        assert.strictEqual(c.inputs.vpcCniOptions.enableNetworkPolicy, true);
    });

    it("spreads subnets over distinct zones, tagged for load balancers; nodes egress through NAT", () => {
        const subnets = all(gpu.ev, "aws:ec2/subnet:Subnet");
        assert.strictEqual(subnets.length, 6);
        for (const tier of ["public", "private"]) {
            const s = subnets.filter((r) => r.name.includes(tier));
            assert.deepStrictEqual(
                s.map((r) => r.inputs.availabilityZone),
                zones.slice(0, 3),
            );
            for (const r of s) assert.strictEqual(r.inputs.tags[`kubernetes.io/cluster/${clusterName}`], "shared");
            for (const r of s)
                assert.strictEqual(
                    r.inputs.tags[tier === "public" ? "kubernetes.io/role/elb" : "kubernetes.io/role/internal-elb"],
                    "1",
                );
        }
        const nat = one(gpu.ev, "aws:ec2/natGateway:NatGateway");
        assert.ok(nat.inputs.subnetId.includes("public"));
        const privateRoutes = one(gpu.ev, "aws:ec2/routeTable:RouteTable", "eks-private");
        assert.deepStrictEqual(
            privateRoutes.inputs.routes.map((r: any) => [r.cidrBlock, r.natGatewayId]),
            [["0.0.0.0/0", idOf(nat)]],
        );
    });

    it("GPU node group: NVIDIA AL2023 AMI, instance type, scaling, taint, label, disk, private subnets", () => {
        const ng = one(gpu.ev, "aws:eks/nodeGroup:NodeGroup", "eks-gpu");
        assert.strictEqual(ng.inputs.clusterName, clusterName);
        assert.strictEqual(ng.inputs.amiType, "AL2023_x86_64_NVIDIA");
        assert.deepStrictEqual(ng.inputs.instanceTypes, ["g5.xlarge"]);
        assert.deepStrictEqual(ng.inputs.scalingConfig, { minSize: 1, maxSize: 2, desiredSize: 1 });
        assert.strictEqual(ng.inputs.capacityType, "ON_DEMAND");
        // The disk is the launch template's (a node group with one may not set diskSize).
        assert.strictEqual(ng.inputs.diskSize, undefined);
        const lt = one(gpu.ev, "aws:ec2/launchTemplate:LaunchTemplate", "eks-gpu");
        assert.strictEqual(lt.inputs.blockDeviceMappings[0].ebs.volumeSize, 150);
        assert.deepStrictEqual(ng.inputs.taints, [{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }]);
        assert.strictEqual(ng.inputs.labels["torchserve.pytorch.org/pool"], "gpu");
        const privateIds = all(gpu.ev, "aws:ec2/subnet:Subnet")
            .filter((s) => s.name.includes("private"))
            .map(idOf);
        assert.deepStrictEqual(ng.inputs.subnetIds, privateIds);
        // Node upgrades never launch GPU nodes beyond the group's size: MINIMAL terminates first (EKS's
        // DEFAULT would surge by up to twice the zones: 6 g5.xlarge, beyond the quota the README asks for).
        assert.deepStrictEqual(ng.inputs.updateConfig, { maxUnavailable: 1, updateStrategy: "MINIMAL" });
        // The system pool keeps EKS's surge (cheap nodes; system pods keep their capacity).
        assert.strictEqual(
            one(gpu.ev, "aws:eks/nodeGroup:NodeGroup", "eks-system").inputs.updateConfig.updateStrategy,
            "DEFAULT",
        );
        assert.strictEqual(ng.inputs.nodeRoleArn, `arn:aws:iam::${fakeAwsAccountId}:role/${autoName("eks-node")}`);
        // Nodes boot only after their role has its policies.
        for (const a of all(gpu.ev, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((r) =>
            r.name.startsWith("eks-node-"),
        )) {
            assert.ok(ng.dependencies.includes(a.urn), `GPU group waits for ${a.name}`);
        }
        const policies = all(gpu.ev, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
            .filter((r) => r.name.startsWith("eks-node-"))
            .map((r) => r.inputs.policyArn);
        assert.deepStrictEqual(policies.sort(), [
            "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
            "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
        ]);
    });

    it("the node role's attachments keep the names they had when the CNI policy was the second of three", () => {
        // Renumbering would replace one attachment with a copy of another, then delete the original
        // and with it the (shared) policy attachment.
        const names = all(gpu.ev, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
            .filter((r) => r.name.startsWith("eks-node-"))
            .map((r) => [r.name, r.inputs.policyArn]);
        assert.deepStrictEqual(names.sort(), [
            ["eks-node-0", "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"],
            ["eks-node-2", "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"],
        ]);
    });

    it("EKS nodes require IMDSv2 with hop limit 1 and boot from encrypted gp3 root volumes", () => {
        for (const [pool, size] of [
            ["eks-system", 50],
            ["eks-gpu", 150],
        ] as const) {
            const lt = one(gpu.ev, "aws:ec2/launchTemplate:LaunchTemplate", pool);
            assert.deepStrictEqual(lt.inputs.metadataOptions, {
                httpEndpoint: "enabled",
                httpTokens: "required",
                httpPutResponseHopLimit: 1,
            });
            assert.deepStrictEqual(lt.inputs.blockDeviceMappings, [
                {
                    deviceName: "/dev/xvda",
                    ebs: { volumeSize: size, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
                },
            ]);
            const ng = one(gpu.ev, "aws:eks/nodeGroup:NodeGroup", pool);
            assert.deepStrictEqual(ng.inputs.launchTemplate, { id: idOf(lt), version: "1" });
        }
    });

    it("the VPC CNI's permissions are on its own role, given to aws-node through EKS Pod Identity; nodes wait for it", () => {
        const role = one(gpu.ev, "aws:iam/role:Role", "eks-vpc-cni");
        const trust = JSON.parse(role.inputs.assumeRolePolicy).Statement;
        assert.deepStrictEqual(trust, [
            {
                Effect: "Allow",
                Principal: { Service: "pods.eks.amazonaws.com" },
                Action: ["sts:AssumeRole", "sts:TagSession"],
                // kube-system/aws-node of this cluster only (EKS user guide pod-id-role.html).
                Condition: {
                    StringEquals: {
                        "aws:SourceAccount": fakeAwsAccountId,
                        "aws:RequestTag/eks-cluster-arn": `arn:aws:eks:us-west-2:${fakeAwsAccountId}:cluster/${clusterName}`,
                        "aws:RequestTag/kubernetes-namespace": "kube-system",
                        "aws:RequestTag/kubernetes-service-account": "aws-node",
                    },
                },
            },
        ]);
        const attached = all(gpu.ev, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter(
            (a) => a.inputs.role === autoName("eks-vpc-cni"),
        );
        assert.deepStrictEqual(
            attached.map((a) => a.inputs.policyArn),
            ["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"],
        );
        const assoc = one(gpu.ev, "aws:eks/podIdentityAssociation:PodIdentityAssociation");
        assert.deepStrictEqual(
            [assoc.inputs.clusterName, assoc.inputs.namespace, assoc.inputs.serviceAccount, assoc.inputs.roleArn],
            [
                clusterName,
                "kube-system",
                "aws-node",
                `arn:aws:iam::${fakeAwsAccountId}:role/${autoName("eks-vpc-cni")}`,
            ],
        );
        const agent = one(gpu.ev, "aws:eks/addon:Addon", "eks-vpc-cni-agent");
        assert.strictEqual(agent.inputs.addonName, "eks-pod-identity-agent");
        assert.ok(assoc.dependencies.includes(agent.urn));
        for (const ng of all(gpu.ev, "aws:eks/nodeGroup:NodeGroup"))
            assert.ok(ng.dependencies.includes(assoc.urn), `${ng.name} waits for aws-node's identity`);
    });

    it("GPU node group on spot scales from zero", () => {
        const ng = one(spot.ev, "aws:eks/nodeGroup:NodeGroup", "eks-gpu");
        assert.strictEqual(ng.inputs.capacityType, "SPOT");
        assert.deepStrictEqual(ng.inputs.scalingConfig, { minSize: 0, maxSize: 2, desiredSize: 0 });
    });

    it("GPU placement selects the GPU nodes' label and tolerates their taint", () => {
        const ng = one(gpu.ev, "aws:eks/nodeGroup:NodeGroup", "eks-gpu");
        // Our pool label, and the label EKS gives every node of a group: the group's name.
        for (const [k, v] of Object.entries(gpu.target.gpuPlacement.nodeSelector))
            assert.strictEqual(k === eksNodeGroupLabel ? ng.inputs.nodeGroupName : ng.inputs.labels[k], v);
        assert.ok(eksNodeGroupLabel in gpu.target.gpuPlacement.nodeSelector);
        for (const taint of ng.inputs.taints) {
            assert.ok(
                gpu.target.gpuPlacement.tolerations.some(
                    (t) => t.key === taint.key && t.operator === "Exists" && t.effect === "NoSchedule",
                ),
            );
        }
        // The device plugin, given this placement, lands on the same nodes.
        assert.deepStrictEqual(devicePluginValues(gpu.target.gpuPlacement).nodeSelector, {
            "torchserve.pytorch.org/pool": "gpu",
            [eksNodeGroupLabel]: ng.inputs.nodeGroupName,
        });
        assert.strictEqual(gpu.target.needsDevicePlugin, true);
        assert.deepStrictEqual(
            gpu.target.gpuPoolReady.map((r) => r.constructor.name),
            ["NodeGroup"],
        );
    });

    it("system node group: standard AL2023, default m6i.large, one node per zone at least, no taint", () => {
        const ng = one(gpu.ev, "aws:eks/nodeGroup:NodeGroup", "eks-system");
        assert.strictEqual(ng.inputs.amiType, "AL2023_x86_64_STANDARD");
        assert.deepStrictEqual(ng.inputs.instanceTypes, ["m6i.large"]);
        // Settings say min 1: raised to the three zones so Prometheus's zonal volume always has a node.
        assert.deepStrictEqual(ng.inputs.scalingConfig, { minSize: 3, maxSize: 3, desiredSize: 3 });
        assert.deepStrictEqual(ng.inputs.taints ?? [], []);
        assert.deepStrictEqual(ng.inputs.labels, gpu.target.systemPlacement.nodeSelector);
    });

    it("tags each node group's ASG for cluster-autoscaler auto-discovery and scale-from-zero", () => {
        const ng = one(gpu.ev, "aws:eks/nodeGroup:NodeGroup", "eks-gpu");
        const tags = all(gpu.ev, "aws:autoscaling/tag:Tag").filter((t) => t.name.startsWith("eks-gpu-"));
        const byKey = Object.fromEntries(tags.map((t) => [t.inputs.tag.key, t.inputs.tag.value]));
        assert.strictEqual(byKey["k8s.io/cluster-autoscaler/enabled"], "true");
        assert.strictEqual(byKey[`k8s.io/cluster-autoscaler/${clusterName}`], "owned");
        assert.strictEqual(byKey["k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu"], "true:NoSchedule");
        assert.strictEqual(byKey["k8s.io/cluster-autoscaler/node-template/label/torchserve.pytorch.org/pool"], "gpu");
        for (const t of tags) {
            assert.strictEqual(t.inputs.autoscalingGroupName, "eks-gpu-asg-mock");
            assert.strictEqual(t.inputs.tag.propagateAtLaunch, false);
            assert.ok(t.dependencies.includes(ng.urn));
            // The two EKS puts on the group itself are never deleted (that would strip EKS's).
            const eksOwn = ["k8s.io/cluster-autoscaler/enabled", `k8s.io/cluster-autoscaler/${clusterName}`];
            assert.strictEqual(t.options.retainOnDelete === true, eksOwn.includes(t.inputs.tag.key), t.inputs.tag.key);
        }
    });

    it("cluster-autoscaler: pinned chart, this cluster and region, on the system pool", () => {
        const rel = one(gpu.ev, "kubernetes:helm.sh/v3:Release", "eks-autoscaler");
        assert.strictEqual(rel.inputs.chart, "cluster-autoscaler");
        assert.strictEqual(rel.inputs.version, "9.59.0");
        assert.strictEqual(rel.inputs.repositoryOpts.repo, "https://kubernetes.github.io/autoscaler");
        assert.strictEqual(rel.inputs.namespace, "kube-system");
        const v = rel.inputs.values;
        assert.strictEqual(v.autoDiscovery.clusterName, clusterName);
        assert.strictEqual(v.awsRegion, "us-west-2");
        assert.strictEqual(v.cloudProvider, "aws");
        assert.strictEqual(v.image.tag, "v1.35.2");
        assert.deepStrictEqual(v.nodeSelector, { "torchserve.pytorch.org/pool": "system" });
        assertKnownValueKeys(v, caKeys);
        assert.ok(rel.dependencies.includes(one(gpu.ev, "aws:eks/nodeGroup:NodeGroup", "eks-system").urn));
    });

    it("cluster-autoscaler's IAM role trusts exactly its service account and is annotated on it", () => {
        const rel = one(gpu.ev, "kubernetes:helm.sh/v3:Release", "eks-autoscaler");
        const role = one(gpu.ev, "aws:iam/role:Role", "eks-autoscaler");
        const sa = rel.inputs.values.rbac.serviceAccount;
        assert.strictEqual(sa.create, true);
        assert.strictEqual(
            sa.annotations["eks.amazonaws.com/role-arn"],
            `arn:aws:iam::${fakeAwsAccountId}:role/${autoName("eks-autoscaler")}`,
        );
        const trust = JSON.parse(role.inputs.assumeRolePolicy).Statement[0];
        assert.deepStrictEqual(trust.Principal, { Federated: fakeOidcProviderArn });
        assert.strictEqual(
            trust.Condition.StringEquals[`${fakeOidcIssuer}:sub`],
            `system:serviceaccount:${rel.inputs.namespace}:${sa.name}`,
        );
        const policy = one(gpu.ev, "aws:iam/rolePolicy:RolePolicy", "eks-autoscaler");
        assert.strictEqual(policy.inputs.role, idOf(role));
        assert.ok(policy.inputs.policy.includes("autoscaling:SetDesiredCapacity"));
        assert.ok(rel.dependencies.includes(policy.urn), "the release waits for the role's permissions");
    });

    it("EFS model store: encrypted, protected, NFS 2049 from the cluster's nodes only, a mount target per private subnet", () => {
        const fs = one(gpu.ev, "aws:efs/fileSystem:FileSystem");
        assert.strictEqual(fs.inputs.encrypted, true);
        assert.ok(gpu.protectedTypes.includes("aws:efs/fileSystem:FileSystem"));
        assert.ok(
            !spot.protectedTypes.includes("aws:efs/fileSystem:FileSystem"),
            "deletionProtection false leaves it unprotected",
        );
        const sg = one(gpu.ev, "aws:ec2/securityGroup:SecurityGroup", "eks-models-nfs");
        const rule = one(gpu.ev, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        assert.strictEqual(rule.inputs.securityGroupId, idOf(sg));
        assert.deepStrictEqual([rule.inputs.ipProtocol, rule.inputs.fromPort, rule.inputs.toPort], ["tcp", 2049, 2049]);
        // The security group EKS puts on managed nodes (their launch template names none), not the VPC.
        assert.strictEqual(rule.inputs.referencedSecurityGroupId, fakeEksClusterSecurityGroupId);
        assert.strictEqual(rule.inputs.cidrIpv4, undefined);
        const mounts = all(gpu.ev, "aws:efs/mountTarget:MountTarget");
        const privateIds = all(gpu.ev, "aws:ec2/subnet:Subnet")
            .filter((s) => s.name.includes("private"))
            .map(idOf);
        assert.deepStrictEqual(
            mounts.map((m) => m.inputs.subnetId),
            privateIds,
        );
        for (const m of mounts) {
            assert.strictEqual(m.inputs.fileSystemId, idOf(fs));
            assert.deepStrictEqual(m.inputs.securityGroups, [idOf(sg)]);
        }
    });

    it("EFS CSI driver add-on at the version pinned for the cluster's minor, with its IRSA role and policy", () => {
        const addon = one(gpu.ev, "aws:eks/addon:Addon", "eks-models-efs-csi");
        assert.strictEqual(addon.inputs.addonName, "aws-efs-csi-driver");
        assert.strictEqual(addon.inputs.clusterName, clusterName);
        // Pinned, never looked up at run time (AWS's default changes between two runs).
        assert.strictEqual(addon.inputs.addonVersion, eksAddonVersions["1.35"].efsCsiDriver);
        assert.ok(!gpu.invokes.some((i) => i.token === "aws:eks/getAddonVersion:getAddonVersion"));
        const role = one(gpu.ev, "aws:iam/role:Role", "eks-models-efs-csi");
        assert.strictEqual(
            addon.inputs.serviceAccountRoleArn,
            `arn:aws:iam::${fakeAwsAccountId}:role/${autoName("eks-models-efs-csi")}`,
        );
        const trust = JSON.parse(role.inputs.assumeRolePolicy).Statement[0];
        assert.strictEqual(
            trust.Condition.StringLike[`${fakeOidcIssuer}:sub`],
            "system:serviceaccount:kube-system:efs-csi-*",
        );
        const attach = all(gpu.ev, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter(
            (a) => a.inputs.role === autoName("eks-models-efs-csi"),
        );
        assert.deepStrictEqual(
            attach.map((a) => a.inputs.policyArn),
            ["arn:aws:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy"],
        );
        // Its pods need nodes to run on before the add-on turns ACTIVE.
        assert.ok(addon.dependencies.includes(one(gpu.ev, "aws:eks/nodeGroup:NodeGroup", "eks-system").urn));
    });

    it("StorageClass efs-sc: RWX-capable EFS provisioner pointing at the file system", async () => {
        const sc = one(gpu.ev, "kubernetes:storage.k8s.io/v1:StorageClass", "eks-models-efs-sc");
        assert.strictEqual(sc.inputs.metadata.name, "efs-sc");
        assert.strictEqual(sc.inputs.provisioner, "efs.csi.aws.com");
        assert.strictEqual(sc.inputs.parameters.provisioningMode, "efs-ap");
        // The stack hands the access points to the user TorchServe runs as.
        assert.deepStrictEqual(
            [sc.inputs.parameters.uid, sc.inputs.parameters.gid],
            [String(modelServerUid), String(modelServerUid)],
        );
        assert.strictEqual(sc.inputs.parameters.fileSystemId, idOf(one(gpu.ev, "aws:efs/fileSystem:FileSystem")));
        assert.strictEqual(sc.inputs.reclaimPolicy, "Retain");
        assert.strictEqual(
            one(spot.ev, "kubernetes:storage.k8s.io/v1:StorageClass", "eks-models-efs-sc").inputs.reclaimPolicy,
            "Delete",
        );
        assert.strictEqual(await (pulumi.output(gpu.target.modelStoreClassName) as any).promise(), "efs-sc");
        await validateKubernetesObject(sc);
        for (const m of all(gpu.ev, "aws:efs/mountTarget:MountTarget")) assert.ok(sc.dependencies.includes(m.urn));
    });

    it("EBS CSI driver add-on at the version pinned for the cluster's minor, its controller's IRSA role with the EBS policy", () => {
        const addon = one(gpu.ev, "aws:eks/addon:Addon", "eks-block-ebs-csi");
        assert.strictEqual(addon.inputs.addonName, "aws-ebs-csi-driver");
        assert.strictEqual(addon.inputs.clusterName, clusterName);
        assert.strictEqual(addon.inputs.addonVersion, eksAddonVersions["1.35"].ebsCsiDriver);
        const role = one(gpu.ev, "aws:iam/role:Role", "eks-block-ebs-csi");
        assert.strictEqual(
            addon.inputs.serviceAccountRoleArn,
            `arn:aws:iam::${fakeAwsAccountId}:role/${autoName("eks-block-ebs-csi")}`,
        );
        const trust = JSON.parse(role.inputs.assumeRolePolicy).Statement[0];
        assert.deepStrictEqual(trust.Principal, { Federated: fakeOidcProviderArn });
        assert.strictEqual(
            trust.Condition.StringEquals[`${fakeOidcIssuer}:sub`],
            "system:serviceaccount:kube-system:ebs-csi-controller-sa",
        );
        const attach = all(gpu.ev, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter(
            (a) => a.inputs.role === autoName("eks-block-ebs-csi"),
        );
        assert.deepStrictEqual(
            attach.map((a) => a.inputs.policyArn),
            ["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"],
        );
        for (const a of attach) assert.ok(addon.dependencies.includes(a.urn), "the add-on waits for its role's policy");
        assert.ok(addon.dependencies.includes(one(gpu.ev, "aws:eks/nodeGroup:NodeGroup", "eks-system").urn));
    });

    it("StorageClass gp3: the only default class, encrypted, after its CSI add-on; the target's block storage class", async () => {
        const classes = all(gpu.ev, "kubernetes:storage.k8s.io/v1:StorageClass");
        const defaults = classes.filter(
            (c) => c.inputs.metadata.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true",
        );
        assert.deepStrictEqual(
            defaults.map((c) => c.name),
            ["eks-block-gp3"],
        );
        const sc = defaults[0];
        assert.strictEqual(sc.inputs.metadata.name, "gp3");
        assert.strictEqual(sc.inputs.provisioner, "ebs.csi.aws.com");
        assert.strictEqual(sc.inputs.parameters.encrypted, "true");
        assert.strictEqual(sc.inputs.parameters.type, "gp3");
        await validateKubernetesObject(sc);
        assert.ok(sc.dependencies.includes(one(gpu.ev, "aws:eks/addon:Addon", "eks-block-ebs-csi").urn));
        for (const r of [gpu, cpuOnly]) {
            const name = pulumi.output(r.target.blockStorageClassName!);
            assert.strictEqual(await (name as any).promise(), "gp3");
            // Whatever takes the name as an input (Prometheus) waits for the class, and so for the driver.
            const deps = (await (name as any).allResources()) as Set<pulumi.Resource>;
            assert.ok(
                [...deps].some((d) => d instanceof k8s.storage.v1.StorageClass),
                "the name carries the class as a dependency",
            );
        }
    });

    it("every Kubernetes object and Helm release goes through the cluster's provider", () => {
        for (const r of [gpu, cpuOnly]) {
            const provider = one(r.ev, "pulumi:providers:kubernetes");
            const objects = r.ev.resources.filter((x) => x.type.startsWith("kubernetes:"));
            assert.ok(objects.length >= 2);
            for (const o of objects)
                assert.ok(o.provider.startsWith(provider.urn + "::"), `${o.type} ${o.name} uses ${o.provider}`);
            assert.strictEqual(provider.inputs.enableServerSideApply, "true");
        }
    });

    it("kubeconfig is secret text for the provider and the stack", async () => {
        assert.ok(gpu.ev.secretOutputs.includes("kubeconfig"));
        const text = gpu.ev.outputs.kubeconfig;
        assert.strictEqual(typeof text, "string");
        assert.strictEqual(JSON.parse(text).clusters[0].name, clusterName);
        const provider = one(gpu.ev, "pulumi:providers:kubernetes");
        assert.deepStrictEqual(provider.inputs.kubeconfig, {
            [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
            value: text,
        });
        assert.strictEqual(gpu.ev.outputs.clusterName, clusterName);
    });

    it("without a GPU pool: no GPU node group, nothing for GPU pods to wait for", () => {
        assert.deepStrictEqual(
            all(cpuOnly.ev, "aws:eks/nodeGroup:NodeGroup").map((r) => r.name),
            ["eks-system"],
        );
        assert.deepStrictEqual(cpuOnly.target.gpuPoolReady, []);
        // System nodes, the class, its driver, and the model server's volume.
        assert.strictEqual(cpuOnly.target.clusterReady.length, 4);
    });

    it("every resource sits under a torchserve-platform component", () => {
        const comps = new Set(
            gpu.ev.resources.filter((r) => r.type.startsWith("torchserve-platform:")).map((r) => r.urn),
        );
        for (const r of gpu.ev.resources.filter(
            (x) => x.type !== "pulumi:pulumi:Stack" && x.type !== "torchserve-platform:index:EksCluster",
        )) {
            assert.ok(comps.has(r.parent), `${r.type} ${r.name} has parent ${r.parent}`);
        }
    });
});

describe("EKS cluster under mocks (preview)", function () {
    this.timeout(60000);
    let r: ClusterRun;
    before(async () => {
        r = await run(eksSettings(), true);
    });

    it("registers the same cluster with unknown ids, kubeconfig still secret", async () => {
        for (const t of ["eks:index:Cluster", "aws:efs/fileSystem:FileSystem", "kubernetes:helm.sh/v3:Release"])
            one(r.ev, t);
        assert.deepStrictEqual(
            all(r.ev, "kubernetes:storage.k8s.io/v1:StorageClass")
                .map((c) => c.inputs.metadata.name)
                .sort(),
            ["efs-sc", "gp3"],
        );
        assert.strictEqual(all(r.ev, "aws:eks/nodeGroup:NodeGroup").length, 2);
        assert.strictEqual(r.ev.outputs.kubeconfig, UNKNOWN);
        assert.ok(r.ev.secretOutputs.includes("kubeconfig"));
        const provider = one(r.ev, "pulumi:providers:kubernetes");
        for (const o of kubernetesObjects(r.ev.resources)) assert.ok(o.provider.startsWith(provider.urn + "::"));
    });

    it("shows what a reviewer needs in a preview: node group shapes and chart values known", () => {
        const ng = one(r.ev, "aws:eks/nodeGroup:NodeGroup", "eks-gpu");
        assert.strictEqual(ng.inputs.amiType, "AL2023_x86_64_NVIDIA");
        assert.deepStrictEqual(ng.inputs.instanceTypes, ["g5.xlarge"]);
        const rel = one(r.ev, "kubernetes:helm.sh/v3:Release", "eks-autoscaler");
        assert.strictEqual(rel.inputs.version, "9.59.0");
        assert.strictEqual(rel.inputs.values.awsRegion, "us-west-2");
        assert.strictEqual(rel.inputs.values.rbac.serviceAccount.name, "cluster-autoscaler");
    });
});

// test/clouds.test.ts checks what holds on every cloud (GPU taints tolerated, one provider for every
// object, RWX model store, secret kubeconfig); this adds what is particular to EKS.
describe("the example stack Pulumi.eks.yaml, whole program under mocks", function () {
    this.timeout(60000);
    for (const preview of [true, false]) {
        it(`${preview ? "preview" : "update"}: TorchServe's model store is the models' S3 directory, the device plugin waits for the EKS GPU node group`, async () => {
            const ev = await runProgram({
                stack: "eks",
                preview,
                computed: cloudComputed,
                call: cloudCall(configFor("eks")),
            });
            one(ev, "eks:index:Cluster");
            // The example mounts its bucket (README "Model store"); test/modelBucket.test.ts has the details.
            // Pulumi's name (the Kubernetes name follows the bucket directory: modelBucketClaimName).
            const claim = one(ev, "kubernetes:core/v1:PersistentVolumeClaim", "torchserve-model-bucket").inputs.spec;
            assert.deepStrictEqual([claim.storageClassName, claim.accessModes], ["", ["ReadOnlyMany"]]);
            assert.strictEqual(
                one(ev, "kubernetes:core/v1:PersistentVolume", "eks-model-bucket-pv").inputs.spec.csi.driver,
                "s3.csi.aws.com",
            );
            assert.deepStrictEqual(all(ev, "aws:efs/fileSystem:FileSystem"), []);
            const plugin = ev.resources.find(
                (r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "nvidia-device-plugin",
            )!;
            assert.ok(plugin, "the device plugin is installed on EKS");
            const gpuGroup = one(ev, "aws:eks/nodeGroup:NodeGroup", "eks-gpu");
            assert.deepStrictEqual(plugin.inputs.values.nodeSelector, {
                "torchserve.pytorch.org/pool": "gpu",
                [eksNodeGroupLabel]: gpuGroup.inputs.nodeGroupName,
            });
            assert.ok(plugin.dependencies.includes(gpuGroup.urn));
            assert.deepStrictEqual(gpuGroup.inputs.instanceTypes, ["g5.xlarge"]);
            if (!preview) assert.strictEqual(ev.outputs.clusterName, "torchserve-eks");
        });

        it(`${preview ? "preview" : "update"}: with Prometheus on, its volume is the program's EBS volume, deleted after the release and before the EBS driver`, async () => {
            const ev = await runProgram({
                stack: "eks",
                override: { prometheus: { enabled: true } },
                preview,
                computed: cloudComputed,
                call: cloudCall(configFor("eks")),
            });
            const kps = ev.resources.find(
                (r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "kube-prometheus-stack",
            )!;
            assert.ok(kps, "Prometheus is installed");
            const spec = kps.inputs.values.prometheus.prometheusSpec;
            // No class: the claim binds the program's volume by label, and goes with the StatefulSet.
            assert.strictEqual(spec.storageSpec.volumeClaimTemplate.spec.storageClassName, "");
            assert.deepStrictEqual(spec.persistentVolumeClaimRetentionPolicy.whenDeleted, "Delete");
            const pv = one(ev, "kubernetes:core/v1:PersistentVolume", "monitoring-prometheus");
            assert.deepStrictEqual(spec.storageSpec.volumeClaimTemplate.spec.selector.matchLabels, {
                "torchserve.pytorch.org/volume": "monitoring-prometheus",
            });
            assert.strictEqual(pv.inputs.metadata.labels["torchserve.pytorch.org/volume"], "monitoring-prometheus");
            assert.strictEqual(pv.inputs.spec.persistentVolumeReclaimPolicy, "Retain");
            assert.strictEqual(pv.inputs.spec.csi.driver, "ebs.csi.aws.com");
            assert.strictEqual(pv.inputs.spec.capacity.storage, "50Gi");
            const disk = one(ev, "aws:ebs/volume:Volume", "monitoring-prometheus");
            assert.deepStrictEqual([disk.inputs.type, disk.inputs.encrypted, disk.inputs.size], ["gp3", true, 50]);
            // Order of a destroy: the release, then the volume (after the driver detached the disk), then
            // the disk and the driver.
            assert.ok(kps.dependencies.includes(pv.urn), "the release waits for the volume");
            assert.ok(pv.dependencies.includes(disk.urn));
            assert.ok(pv.dependencies.includes(one(ev, "aws:eks/addon:Addon", "eks-block-ebs-csi").urn));
            if (!preview) {
                assert.strictEqual(pv.inputs.spec.csi.volumeHandle, idOf(disk));
                // In the zone where the disk is, which always has a system node.
                assert.deepStrictEqual(
                    pv.inputs.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values,
                    [disk.inputs.availabilityZone],
                );
            }
        });
    }
});

describe("EKS load balancers outlast the longest response", function () {
    this.timeout(60000);
    const idle = "service.beta.kubernetes.io/aws-load-balancer-connection-idle-timeout";
    it("TorchServe's, the Istio gateway's and Grafana's LoadBalancer Services keep a silent connection longer than any model may take", async () => {
        const example = configFor("eks")["torchserve-platform:torchserve"] as { models: object[] };
        // One model answering within 300 s: a Classic Load Balancer's default 60 s would cut it.
        const models = example.models.map((m) => ({ ...m, responseTimeout: 300 }));
        // TorchServe's own LoadBalancer, or the gateway's with the mesh on (the config allows one of them).
        // (One program at a time: the SDK's mock runtime is global.)
        const evaluate = (torchserve: object, istio?: object) =>
            runProgram({
                stack: "eks",
                override: {
                    torchserve: { ...example, models, ...torchserve },
                    ...(istio ? { istio } : {}),
                    grafana: { enabled: true, serviceType: "LoadBalancer" },
                },
                preview: true,
                computed: cloudComputed,
                call: cloudCall(configFor("eks")),
            });
        const direct = await evaluate({ serviceType: "LoadBalancer" });
        const meshed = await evaluate({}, { enabled: true, gatewayServiceType: "LoadBalancer" });
        const release = (ev: Evaluation, chart: string) =>
            ev.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === chart)!;
        const seconds = [
            one(direct, "kubernetes:core/v1:Service", "torchserve-public-service").inputs.metadata.annotations[idle],
            release(meshed, "gateway").inputs.values.service.annotations[idle],
            release(direct, "grafana").inputs.values.service.annotations[idle],
        ].map(Number);
        for (const s of seconds) assert.ok(s > 300 && s <= 4000, `idle timeout ${s} s`);
    });

    it("the idle timeout follows the longest response, within what a Classic Load Balancer accepts", () => {
        assert.strictEqual(loadBalancerIdleSeconds([]), 60);
        assert.strictEqual(loadBalancerIdleSeconds([{ responseTimeout: 120, maxBatchDelay: 100 }]), 151);
        assert.deepStrictEqual(classicLoadBalancerAnnotations(5000), { [idle]: "4000" });
    });
});

describe("EKS add-on versions on the example stack with a private S3 model", function () {
    this.timeout(60000);
    it("every EKS add-on, Pod Identity Agent included, is the row pinned for 1.35; one agent serves the CNI and the model reader", async () => {
        const ev = await runProgram({
            stack: "eks",
            override: {
                logging: { enabled: true, backend: "cloud" },
                torchserve: {
                    models: [
                        {
                            name: "resnet-18",
                            url: "s3://my-models/resnet-18/v1/resnet-18.mar",
                            sha256: "a".repeat(64),
                        },
                    ],
                },
            },
            preview: false,
            computed: cloudComputed,
            call: cloudCall(configFor("eks")),
        });
        const pins = eksAddonVersions["1.35"];
        const addons = all(ev, "aws:eks/addon:Addon");
        const byName = new Map(addons.map((a) => [a.inputs.addonName, a]));
        assert.strictEqual(addons.length, byName.size, "one add-on of each name");
        assert.deepStrictEqual(
            [...byName.entries()].map(([n, a]) => [n, a.inputs.addonVersion]).sort(),
            [
                // Pinned per minor like the others (cluster.addonVersions overrides it).
                ["amazon-cloudwatch-observability", pins.cloudWatchObservability],
                ["aws-ebs-csi-driver", pins.ebsCsiDriver],
                // One s3:// model in one directory: the store defaults to its bucket (Mountpoint, no EFS).
                ["aws-mountpoint-s3-csi-driver", pins.mountpointS3CsiDriver],
                ["coredns", pins.coredns],
                ["eks-pod-identity-agent", pins.podIdentityAgent],
            ].sort(),
        );
        // vpc-cni and kube-proxy are created by pulumi-eks from the cluster's inputs.
        // Mountpoint from v2.5.0: before, its pods block cluster-autoscaler's scale-down and die mid-drain
        // (awslabs/mountpoint-s3-csi-driver CHANGELOG v2.5.0, #675).
        for (const row of Object.values(eksAddonVersions)) {
            const [major, minor] = /^v(\d+)\.(\d+)\./.exec(row.mountpointS3CsiDriver)!.slice(1).map(Number);
            assert.ok(major > 2 || (major === 2 && minor >= 5), row.mountpointS3CsiDriver);
        }
        const cluster = one(ev, "eks:index:Cluster").inputs;
        assert.strictEqual(cluster.vpcCniOptions.addonVersion, pins.vpcCni);
        assert.strictEqual(cluster.kubeProxyAddonOptions.version, pins.kubeProxy);
        const agent = byName.get("eks-pod-identity-agent")!;
        const associations = all(ev, "aws:eks/podIdentityAssociation:PodIdentityAssociation");
        assert.strictEqual(associations.length, 2, "aws-node's and the model reader's");
        for (const a of associations) assert.ok(a.dependencies.includes(agent.urn), `${a.name} waits for the agent`);
    });
});
