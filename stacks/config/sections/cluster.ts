// `cloud`, the provider location keys, `cluster` and `gpuNodePool`.
import { aksSupportedMinors } from "../../../components/aks/versions";
import { newestKubernetesMinor } from "../../../components/cluster/kubernetesReleases";
import type { MaintenanceWindowSpec, NodePoolUpgradeSpec } from "../../../components/cluster/nodePool";
import { eksDefaults } from "../../../components/eks/defaults";
import { zonesOffering } from "../../../components/gke/acceleratorZones";
import { instanceTypeNameProblem } from "../instanceTypes";
import {
    addonVersionsFor,
    eksClusterHourPrice,
    EksAddonVersions,
    eksExtendedSupportMinors,
    eksSupportedMinors,
} from "../../../components/eks/versions";
import { gkeRegularChannelMinors } from "../../../components/gke/versions";
import { defaultGkeMaintenanceWindow, gkeMaintenanceWindowProblem } from "../../../components/gke/maintenance";
import { Raw, SectionReader } from "../fields";
import { readAksNetworkDataplane } from "./aksNetwork";
import { readApiAllowedCidrs } from "./apiAccess";
import { readClusterAdmins } from "./admins";
import { catalogs, cloudOfInstanceType } from "../gpuCatalog";
import { didYouMean, isUnset, Problems } from "../problems";
import { RawStackConfig } from "../read";
import { Cloud, clouds, ClusterSettings, GpuNodePoolSettings, Location, Settings } from "../settings";

/** Largest OS disk AKS gives a node (GB). */
const aksMaxOsDiskGb = 2048;
const clusterNamePattern = /^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/;
/** Managed clouds take a minor version (patches are theirs); none still offers anything older than 1.30. */
const versionPattern = /^1\.(3\d|[4-9]\d)$/;
const instanceTypePattern = /^[A-Za-z0-9_.-]+$/;
const systemPoolExamples: Record<Exclude<Cloud, "existing">, string> = {
    aws: "m6i.large",
    azure: "Standard_D4s_v5",
    gcp: "e2-standard-4",
};

export function readCloud(problems: Problems, key: string, value: unknown): Cloud | undefined {
    if (isUnset(value)) {
        problems.errorText(key, `required; set it to one of ${clouds.join(", ")} (pulumi config set cloud <value>)`);
        return undefined;
    }
    if (typeof value !== "string" || !clouds.includes(value as Cloud)) {
        problems.error(key, value, `expected one of ${clouds.join(", ")}`);
        return undefined;
    }
    return value as Cloud;
}

/** Shapes of each provider's location names (existence is the cloud's to check). */
const locationRules: Record<string, { pattern: RegExp; allowed: string }> = {
    "aws:region": {
        pattern: /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/,
        allowed: "expected an AWS region such as us-west-2 or eu-central-1 (not an availability zone)",
    },
    "azure-native:location": {
        pattern: /^[a-z]+[a-z0-9]*$/,
        allowed: "expected an Azure location name such as eastus or westeurope (lowercase, no spaces)",
    },
    "gcp:project": {
        pattern: /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
        allowed: "expected a Google Cloud project ID (6-30 lowercase letters, digits, '-')",
    },
    "gcp:region": {
        pattern: /^[a-z]+-[a-z]+\d+$/,
        allowed: "expected a Google Cloud region such as us-central1 (not a zone like us-central1-a)",
    },
};

/**
 * Each cloud reads its location from its own provider's config keys: required, well-formed, and
 * a misspelt key (`aws:regoin`) or another cloud's key pointed out.
 */
export function readLocation(
    problems: Problems,
    cloud: Cloud | undefined,
    location: RawStackConfig["location"],
    allKeys: string[] = [],
): Location {
    const check = (key: string, value: string | undefined, example: string) => {
        const rule = locationRules[key];
        if (value === "") {
            problems.error(
                key,
                value,
                `it is set but empty: ${rule.allowed}; e.g. pulumi config set ${key} ${example}`,
            );
            return;
        }
        if (value !== undefined) {
            if (!rule.pattern.test(value)) problems.error(key, value, rule.allowed);
            return;
        }
        const [ns, name] = key.split(":");
        const near = allKeys
            .filter((k) => k.startsWith(`${ns}:`) && k !== key)
            .find((k) => didYouMean(k.slice(ns.length + 1), [name]) === name);
        problems.errorText(
            key,
            `required when cloud is ${cloud}; e.g. pulumi config set ${key} ${example}${near ? ` (found "${near}": did you mean ${key}?)` : ""}`,
        );
    };
    if (cloud === "aws") check("aws:region", location.awsRegion, "us-west-2");
    if (cloud === "azure") check("azure-native:location", location.azureLocation, "eastus");
    if (cloud === "gcp") {
        check("gcp:project", location.gcpProject, "my-project");
        check("gcp:region", location.gcpRegion, "us-central1");
    }
    return { ...location };
}

/** Kubernetes minors each cloud offers new clusters (components/<cloud>/versions.ts). */
const supportedMinors: Record<Exclude<Cloud, "existing">, { service: string; minors: readonly string[] }> = {
    aws: { service: "EKS", minors: eksSupportedMinors },
    azure: { service: "AKS", minors: aksSupportedMinors },
    gcp: { service: "GKE's Regular channel", minors: gkeRegularChannelMinors },
};

function minorOf(version: string): number {
    return Number(version.split(".")[1]);
}

/**
 * `cluster.kubernetesVersion`: a quoted minor the cloud offers (or, on `existing`, one that has
 * been released). `allowUnlisted` is the escape hatch for a minor newer than these lists.
 */
function readKubernetesVersion(
    r: SectionReader,
    obj: Raw,
    cloud: Cloud | undefined,
    allowUnlisted: boolean,
): string | undefined {
    const v = obj.kubernetesVersion;
    if (typeof v === "number") {
        // YAML reads `kubernetesVersion: 1.30` as the number 1.3.
        const meant = /^1\.\d$/.test(String(v)) ? `${v}0` : String(v);
        r.problems.error(
            r.key("kubernetesVersion"),
            v,
            `YAML read an unquoted version as a number (1.30 becomes 1.3): quote it, e.g. kubernetesVersion: "${meant}"`,
        );
        return undefined;
    }
    const version = r.optionalString(
        obj,
        "kubernetesVersion",
        versionPattern,
        'expected a supported Kubernetes minor version, 1.30 or newer, such as "1.35" (no patch number)',
    );
    if (!version || allowUnlisted || !cloud) return version;
    const hatch = "set cluster.allowUnlistedKubernetesVersion: true for a version released since";
    if (cloud === "existing") {
        if (minorOf(version) <= minorOf(newestKubernetesMinor)) return version;
        r.problems.error(
            r.key("kubernetesVersion"),
            version,
            `the newest Kubernetes release this program knows is ${newestKubernetesMinor}; ${hatch}`,
        );
        return undefined;
    }
    const { service, minors } = supportedMinors[cloud];
    const extendedUntil = cloud === "aws" ? eksExtendedSupportMinors[version] : undefined;
    if (extendedUntil) {
        r.problems.warn(
            r.key("kubernetesVersion"),
            `${version} is in EKS extended support until ${extendedUntil}: the control plane costs ${eksClusterHourPrice.extended} per cluster-hour instead of ${eksClusterHourPrice.standard} (https://aws.amazon.com/eks/pricing/); standard support: ${minors.join(", ")}`,
        );
        return version;
    }
    if (!minors.includes(version)) {
        r.problems.error(
            r.key("kubernetesVersion"),
            version,
            `${service} offers new clusters ${minors.join(", ")} (late 2026); ${hatch}`,
        );
        return undefined;
    }
    return version;
}

export function readCluster(
    problems: Problems,
    prefix: string,
    value: unknown,
    stack: string,
    cloud: Cloud | undefined,
): ClusterSettings {
    const allowed = [
        "name",
        "kubernetesVersion",
        "allowUnlistedKubernetesVersion",
        "systemNodePool",
        "kubeconfig",
        "context",
        "deletionProtection",
        "apiAllowedCidrs",
        "addonVersions",
        "maintenanceWindow",
        "aksNetworkDataplane",
        "admins",
    ];
    const obj = SectionReader.object(problems, prefix, value, allowed) ?? {};
    const r = new SectionReader(problems, prefix);
    const defaultName = `torchserve-${stack}`
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, "-")
        .slice(0, 40)
        .replace(/-+$/, "");
    const name = r.string(
        obj,
        "name",
        defaultName,
        clusterNamePattern,
        "expected lowercase letters, digits and '-', starting with a letter, at most 40 characters",
    );
    const kubernetesVersion = readKubernetesVersion(
        r,
        obj,
        cloud,
        r.bool(obj, "allowUnlistedKubernetesVersion", false),
    );

    const poolKey = `${prefix}.systemNodePool`;
    const pool =
        SectionReader.object(problems, poolKey, obj.systemNodePool, ["instanceType", "minNodes", "maxNodes"]) ?? {};
    const p = new SectionReader(problems, poolKey);
    const minNodes = p.int(pool, "minNodes", 1, { min: 1, max: 100 });
    const maxNodes = p.int(pool, "maxNodes", Math.max(3, minNodes), { min: 1, max: 100 });
    if (maxNodes < minNodes) problems.error(`${poolKey}.maxNodes`, maxNodes, `must be >= minNodes (${minNodes})`);
    // EKS keeps a system node in each zone (Prometheus's EBS volume is zonal; systemNodeGroupSpec).
    if (cloud === "aws" && minNodes < eksDefaults.zoneCount)
        problems.warn(
            `${poolKey}.minNodes`,
            `${minNodes} is raised to ${eksDefaults.zoneCount} on aws: one system node per availability zone, so a zonal EBS volume (Prometheus) always has a node in its zone`,
        );
    const instanceType = p.optionalString(
        pool,
        "instanceType",
        instanceTypePattern,
        "expected an instance type such as m6i.large, Standard_D4s_v5 or e2-standard-4",
    );
    const owner = instanceType ? cloudOfInstanceType(instanceType) : undefined;
    if (instanceType && owner && cloud && cloud !== "existing" && owner !== cloud)
        problems.error(
            `${poolKey}.instanceType`,
            instanceType,
            `this is ${owner === "gcp" ? "a" : "an"} ${owner} instance type but cloud is ${cloud}; e.g. ${systemPoolExamples[cloud]}`,
        );
    else if (instanceType && !owner && instanceTypeNameProblem(cloud, instanceType))
        problems.error(`${poolKey}.instanceType`, instanceType, instanceTypeNameProblem(cloud, instanceType)!);

    const kubeconfig = r.optionalString(
        obj,
        "kubeconfig",
        undefined,
        "expected the path of a kubeconfig file or its contents (absent: the ambient kubeconfig)",
    );
    const context = r.optionalString(obj, "context", undefined, "expected a kubeconfig context name");
    if (cloud && cloud !== "existing") {
        for (const k of ["kubeconfig", "context"] as const) {
            if (!isUnset(obj[k]))
                problems.errorText(
                    `${prefix}.${k}`,
                    `only used with cloud: existing (this stack creates its own ${cloud} cluster)`,
                );
        }
    }
    return {
        name,
        kubernetesVersion,
        systemNodePool: { instanceType, minNodes, maxNodes },
        kubeconfig,
        context,
        deletionProtection: r.bool(obj, "deletionProtection", true),
        apiAllowedCidrs: readApiAllowedCidrs(problems, prefix, obj, cloud),
        admins: readClusterAdmins(problems, prefix, obj.admins, cloud),
        addonVersions: readAddonVersions(
            problems,
            `${prefix}.addonVersions`,
            obj.addonVersions,
            cloud,
            kubernetesVersion,
        ),
        maintenanceWindow: readMaintenanceWindow(problems, `${prefix}.maintenanceWindow`, obj.maintenanceWindow, cloud),
        aksNetworkDataplane: readAksNetworkDataplane(problems, prefix, obj, cloud),
    };
}

/** EKS add-on names, by `cluster.addonVersions` key. */
export const eksAddonNames: Record<keyof EksAddonVersions, string> = {
    vpcCni: "vpc-cni",
    kubeProxy: "kube-proxy",
    coredns: "coredns",
    efsCsiDriver: "aws-efs-csi-driver",
    mountpointS3CsiDriver: "aws-mountpoint-s3-csi-driver",
    ebsCsiDriver: "aws-ebs-csi-driver",
    podIdentityAgent: "eks-pod-identity-agent",
    cloudWatchObservability: "amazon-cloudwatch-observability",
};

/**
 * `cluster.addonVersions`: pins over the table's row for the cluster's minor (aws only). An add-on
 * left unpinned (a minor the table does not know) is a warning; kube-proxy must be built for the
 * cluster's own minor.
 */
function readAddonVersions(
    problems: Problems,
    key: string,
    value: unknown,
    cloud: Cloud | undefined,
    kubernetesVersion: string | undefined,
): Partial<EksAddonVersions> {
    const keys = Object.keys(eksAddonNames) as (keyof EksAddonVersions)[];
    const obj = SectionReader.object(problems, key, value, keys) ?? {};
    if (cloud !== "aws") {
        if (!isUnset(value) && cloud) problems.errorText(key, `only used with cloud: aws (EKS add-ons)`);
        return {};
    }
    const r = new SectionReader(problems, key);
    const overrides: Partial<EksAddonVersions> = {};
    for (const k of keys) {
        const v = r.optionalString(
            obj,
            k,
            /^v\d+\.\d+\.\d+-eksbuild\.\d+$/,
            "expected an EKS add-on version such as v1.35.3-eksbuild.13",
        );
        if (v) overrides[k] = v;
    }
    const version = kubernetesVersion ?? eksDefaults.kubernetesVersion;
    const pinned = addonVersionsFor(version, overrides);
    // A minor newer than the table (allowUnlistedKubernetesVersion): AWS's default until pinned.
    for (const k of keys) {
        if (pinned[k] === undefined)
            problems.warn(
                `${key}.${k}`,
                `no pinned ${eksAddonNames[k]} version is known for Kubernetes ${version}: EKS installs its default and may move it; pin one (aws eks describe-addon-versions --addon-name ${eksAddonNames[k]} --kubernetes-version ${version})`,
            );
    }
    const proxyMinor = /^v(\d+\.\d+)\./.exec(pinned.kubeProxy ?? "")?.[1];
    if (overrides.kubeProxy && proxyMinor !== version)
        problems.error(
            `${key}.kubeProxy`,
            overrides.kubeProxy,
            `kube-proxy must be built for the cluster's Kubernetes ${version} (v${version}.x-eksbuild.N)`,
        );
    return pinned;
}

const weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

/**
 * `cluster.maintenanceWindow`: when AKS and GKE may upgrade on their own (patch versions, node
 * images). Default Saturday 03:00 UTC, for 4 hours on AKS (its shortest window) and 12 on GKE
 * (components/gke/maintenance.ts: GKE needs 48 hours in every 32 days, and refuses a shorter weekly window).
 */
function readMaintenanceWindow(
    problems: Problems,
    key: string,
    value: unknown,
    cloud: Cloud | undefined,
): MaintenanceWindowSpec {
    const obj = SectionReader.object(problems, key, value, ["day", "startHour", "durationHours"]) ?? {};
    const r = new SectionReader(problems, key);
    const fallback = cloud === "gcp" ? defaultGkeMaintenanceWindow.durationHours : 4;
    const window = {
        day: r.oneOf(obj, "day", "Saturday", weekdays),
        startHour: r.int(obj, "startHour", 3, { min: 0, max: 23, note: "UTC" }),
        durationHours: r.int(obj, "durationHours", fallback, {
            min: 4,
            max: 24,
            note: "AKS and GKE need at least 4 hours",
        }),
    };
    const gke = cloud === "gcp" ? gkeMaintenanceWindowProblem(window) : undefined;
    if (gke) problems.error(key, window, gke);
    return window;
}

/**
 * Returns undefined when the stack has no GPU pool (absent, or `maxNodes: 0`). Every key is
 * checked either way, so a disabled pool keeps a valid shape for the day it is turned on.
 */
export function readGpuNodePool(
    problems: Problems,
    prefix: string,
    value: unknown,
    cloud: Cloud | undefined,
): GpuNodePoolSettings | undefined {
    if (isUnset(value)) return undefined;
    const allowed = [
        "instanceType",
        "gpuType",
        "gpusPerNode",
        "minNodes",
        "maxNodes",
        "spot",
        "diskSizeGb",
        "upgrade",
        "zones",
    ];
    const obj: Raw | undefined = SectionReader.object(problems, prefix, value, allowed);
    if (!obj) return undefined;
    const r = new SectionReader(problems, prefix);
    const maxNodes = r.int(obj, "maxNodes", 2, { min: 0, max: 1000 });
    const instanceType = r.optionalString(
        obj,
        "instanceType",
        instanceTypePattern,
        "expected an instance type such as g5.xlarge",
    );
    // The program creates the pool on a cloud; on `existing` it only sizes the capacity checks.
    if (isUnset(obj.instanceType) && maxNodes > 0 && cloud && cloud !== "existing")
        problems.errorText(
            `${prefix}.instanceType`,
            "required for a GPU node pool, e.g. g5.xlarge, Standard_NC4as_T4_v3 or n1-standard-8",
        );
    const minNodes = r.int(obj, "minNodes", Math.min(1, maxNodes), { min: 0, max: 1000 });
    if (minNodes > maxNodes) problems.error(`${prefix}.minNodes`, minNodes, `must be <= maxNodes (${maxNodes})`);
    // Fixed-GPU instance types imply gpusPerNode; capacity.ts rejects a contradicting explicit value.
    const shape = cloud && cloud !== "existing" && instanceType ? catalogs[cloud][instanceType] : undefined;
    const pool: GpuNodePoolSettings = {
        instanceType: instanceType ?? "",
        gpuType: r.optionalString(
            obj,
            "gpuType",
            /^nvidia-[a-z0-9-]+$/,
            "expected a GKE accelerator type such as nvidia-tesla-t4 or nvidia-l4",
        ),
        gpusPerNode: r.int(obj, "gpusPerNode", shape && shape.gpus > 0 ? shape.gpus : 1, { min: 1, max: 16 }),
        minNodes,
        maxNodes,
        spot: r.bool(obj, "spot", false),
        diskSizeGb: r.int(obj, "diskSizeGb", 100, { min: 50, max: 16384 }),
        upgrade: readPoolUpgrade(problems, `${prefix}.upgrade`, obj.upgrade),
        zones: readGpuZones(r, obj, cloud),
    };
    // AKS: "The OSDiskSize for Agent pool … cannot be less than 30GB or larger than 2048GB"
    // (pulumi/pulumi-azure-native#663, Azure/azure-rest-api-specs#13413); EBS and PD go higher.
    if (cloud === "azure" && pool.diskSizeGb > aksMaxOsDiskGb)
        problems.error(
            `${prefix}.diskSizeGb`,
            pool.diskSizeGb,
            `AKS takes an OS disk of at most ${aksMaxOsDiskGb} GB per node`,
        );
    // AKS refuses upgrade settings on a Spot pool ("Spot pools can't set max surge", and maxUnavailable
    // likewise: hashicorp/terraform-provider-azurerm#19355, #31129); the program sends none there.
    if (cloud === "azure" && pool.spot && !isUnset(obj.upgrade))
        problems.error(
            `${prefix}.upgrade`,
            obj.upgrade,
            "AKS takes no upgrade settings on a Spot pool (spot: true): it upgrades Spot nodes by evicting them, with no surge node; remove gpuNodePool.upgrade",
        );
    return maxNodes === 0 ? undefined : pool;
}

/** `gpuNodePool.zones` (gcp): zones such as us-central1-a; the region is checked with the location. */
function readGpuZones(r: SectionReader, obj: Raw, cloud: Cloud | undefined): string[] | undefined {
    if (isUnset(obj.zones)) return undefined;
    if (cloud && cloud !== "gcp") {
        r.problems.errorText(
            r.key("zones"),
            `only used on gcp (the GPU pool's node locations); on ${cloud} the cluster's zones are used`,
        );
        return undefined;
    }
    const zones = r.stringList(
        obj,
        "zones",
        [],
        /^[a-z]+-[a-z]+\d+-[a-z]$/,
        "expected a list of zones such as [us-central1-a, us-central1-b]",
    );
    // The pool's node locations are a set to the provider: a repeated zone is a typo, not a weight.
    if (new Set(zones).size !== zones.length) r.problems.error(r.key("zones"), obj.zones, "lists a zone twice");
    return zones.length ? zones : undefined;
}

/**
 * The GPU pool's zones on gcp: in the cluster's region, and known (set, or from the built-in table
 * of where the accelerator is offered, components/gke/acceleratorZones.ts). Unknown is a warning (GKE
 * then uses every cluster zone, and creating the pool fails in one that lacks the accelerator); so is
 * a set zone the table says lacks it (the table may be behind Google, so not an error).
 */
export function checkGpuZones(s: Settings, problems: Problems, project: string): void {
    const pool = s.gpuNodePool;
    if (s.cloud !== "gcp" || !pool || !s.location.gcpRegion) return;
    const key = `${project}:gpuNodePool.zones`;
    const region = s.location.gcpRegion;
    const outside = (pool.zones ?? []).filter((z) => !z.startsWith(`${region}-`));
    if (outside.length) problems.error(key, pool.zones, `zones must be in gcp:region ${region}`);
    const known = pool.gpuType ? zonesOffering(pool.gpuType, region) : undefined;
    if (!pool.zones && pool.gpuType && !known)
        problems.warn(
            key,
            `where ${pool.gpuType} is offered in ${region} is not known to this program: set the zones (gcloud compute accelerator-types list --filter="name=${pool.gpuType} AND zone~${region}")`,
        );
    const lacking = known ? (pool.zones ?? []).filter((z) => z.startsWith(`${region}-`) && !known.includes(z)) : [];
    if (lacking.length)
        problems.warn(
            key,
            `${lacking.join(", ")}: not listed as offering ${pool.gpuType} (known: ${known!.join(", ")}); creating the pool fails there unless Google added it since (gcloud compute accelerator-types list --filter="name=${pool.gpuType} AND zone~${region}")`,
        );
}

/**
 * `gpuNodePool.upgrade`: nodes added (maxSurge, each needing a spare GPU of quota) and taken down
 * (maxUnavailable) while the cloud replaces nodes for a version or image upgrade. Default one surge
 * node and none down: the quota recipe in the README counts that node.
 */
function readPoolUpgrade(problems: Problems, key: string, value: unknown): NodePoolUpgradeSpec {
    const obj = SectionReader.object(problems, key, value, ["maxSurge", "maxUnavailable"]) ?? {};
    const r = new SectionReader(problems, key);
    const upgrade = {
        maxSurge: r.int(obj, "maxSurge", 1, { min: 0, max: 10 }),
        maxUnavailable: r.int(obj, "maxUnavailable", 0, { min: 0, max: 10 }),
    };
    if (upgrade.maxSurge === 0 && upgrade.maxUnavailable === 0)
        problems.errorText(
            key,
            "maxSurge and maxUnavailable are both 0: an upgrade could never replace a node; allow one of them",
        );
    return upgrade;
}
