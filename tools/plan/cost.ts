// What a plan costs per hour and what GPU quota it needs, read from the resources the program
// registers (the plan), not from config: any change to the node pools, disks, load balancers or NAT
// of the program flows through, and a plan committed at another commit is estimated the same way
// (`npm run plan -- --diff` compares the two). Prices come from the table in prices.ts only.
//
// Quota per cloud, as each cloud counts it:
// - AWS: vCPUs of running instances per family group: G and VT (L-DB2E81BA), P (L-417A185B); spot
//   requests separately (L-3819A6DF, L-7212CCBC).
//   https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-instance-quotas.html
// - Azure: vCPUs per VM family ("Standard NCASv3_T4 Family vCPUs") and in total per region ("Total
//   Regional vCPUs"); Spot VMs count against "Total Regional Spot vCPUs" instead.
//   https://learn.microsoft.com/azure/virtual-machines/quotas
// - GCP: GPUs per model and region (NVIDIA_T4_GPUS, PREEMPTIBLE_… for spot) and GPUS_ALL_REGIONS.
//   https://cloud.google.com/compute/resource-usage#gpu_quota
//
// Surge while a pool's nodes are replaced (version or image upgrades) — nodes added on top of the pool:
// - EKS managed node groups (default strategy): "the larger of: up to twice the number of
//   Availability Zones … the maximum unavailable"; the MINIMAL strategy "terminates the old instances
//   before launching the new instances" (https://docs.aws.amazon.com/eks/latest/userguide/managed-node-update-behavior.html,
//   https://docs.aws.amazon.com/eks/latest/APIReference/API_NodegroupUpdateConfig.html).
// - AKS agent pools: upgradeSettings.maxSurge, a count or a percentage of the pool (rounded up).
// - GKE node pools: upgradeSettings.maxSurge (SURGE), or the whole pool again (BLUE_GREEN).
import { parseQuantity } from "../../components/cluster/quantity";
import { awsInstances, azureInstances, gcpMachines, InstanceShape } from "../../stacks/config/gpuCatalog";
import { rulesFor } from "../../harness/transitions/rules";
import { Plan, PlanResource } from "./model";
import { HOURS_PER_MONTH, priceOf, PriceRow, prices } from "./prices";
import { COMPUTED } from "./wire";

export type Cloud = "aws" | "azure" | "gcp";

/** A node pool as cost and quota see it. */
export interface PoolView {
    /** Plan id of the resource that declares it (with `#name` for an AKS cluster's inline pool). */
    id: string;
    name: string;
    role: "gpu" | "system";
    instanceType: string;
    spot: boolean;
    minNodes: number;
    maxNodes: number;
    /** Nodes added on top of the pool while the cloud replaces its nodes (upgrades). */
    surge: number;
    surgeWhy: string;
    vcpu?: number;
    gpusPerNode: number;
    /** GCP accelerator type, or the catalog's GPU model. */
    gpuModel?: string;
    diskGb: number;
    /** Price table item of the node disk (`disk:gp3`…), or undefined when it is free (ephemeral). */
    diskItem?: string;
}

export interface CostLine {
    item: string;
    /** $/hour at minimum and maximum scale; undefined where the table has no price. */
    min?: number;
    max?: number;
    rows: PriceRow[];
    /** Price table items this line needed but the table lacks (in the plan's region). */
    missing: string[];
}

export interface UsageLine {
    item: string;
    row?: PriceRow;
    missing?: string;
}

export interface QuotaLine {
    /** The quota as the cloud's console names it. */
    quota: string;
    unit: "vCPUs" | "GPUs";
    scope: string;
    /** Needed with every pool at maxNodes. */
    atMax: number;
    /** Needed while the pool with the largest surge is upgraded. */
    duringUpgrade: number;
    /** Needed while every GPU pool is swapped for a new one of the same size (a GPU type change). */
    duringSwap: number;
}

export interface CostEstimate {
    cloud?: Cloud;
    region?: string;
    pools: PoolView[];
    lines: CostLine[];
    usage: UsageLine[];
    quota: QuotaLine[];
    /** Sums of the lines with a price. */
    min: number;
    max: number;
    /** Whether some line lacks a price (the sums are then lower bounds). */
    incomplete: boolean;
    notes: string[];
}

// ---- reading the plan -----------------------------------------------------------------------

const num = (v: unknown): number | undefined =>
    typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" && !isNaN(Number(v)) ? Number(v) : undefined;
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== COMPUTED ? v : undefined);

/** The cloud a plan creates resources in; undefined for a plan that creates no cloud resources. */
export function cloudOf(plan: Plan): Cloud | undefined {
    for (const r of plan.resources) {
        if (!r.custom && !r.type.startsWith("eks:")) continue;
        const pkg = r.type.split(":")[0];
        if (pkg === "aws" || pkg === "eks") return "aws";
        if (pkg === "azure-native") return "azure";
        if (pkg === "gcp") return "gcp";
    }
    return undefined;
}

/** The region the plan's cloud resources are in. */
export function regionOf(plan: Plan, cloud: Cloud | undefined): string | undefined {
    for (const r of plan.resources) {
        const i = r.inputs;
        if (cloud === "aws" && r.type === "aws:ec2/subnet:Subnet") {
            const az = str(i.availabilityZone);
            if (az) return az.replace(/[a-z]$/, "");
        }
        if (cloud === "aws" && r.type === "pulumi:providers:aws" && str(i.region)) return str(i.region);
        if (cloud === "azure" && r.type.startsWith("azure-native:") && str(i.location)) return str(i.location);
        if (cloud === "gcp" && r.type === "gcp:container/cluster:Cluster" && str(i.location))
            return str(i.location)!.replace(/-[a-z]$/, "");
        if (cloud === "gcp" && r.type === "gcp:compute/routerNat:RouterNat" && str(i.region)) return str(i.region);
    }
    return undefined;
}

function shapeOf(cloud: Cloud, instanceType: string): InstanceShape | undefined {
    return (cloud === "aws" ? awsInstances : cloud === "azure" ? azureInstances : gcpMachines)[instanceType];
}

const roleOfResource = (r: PlanResource): "gpu" | "system" | undefined => rulesFor(r.type)?.nodePool?.(r.inputs)?.role;

/** `"33%"` of `nodes` rounded up, or a plain count. */
function surgeCount(value: unknown, nodes: number, fallback: number): number {
    if (typeof value === "string" && value.endsWith("%")) return Math.ceil((Number(value.slice(0, -1)) / 100) * nodes);
    return num(value) ?? fallback;
}

function eksPool(plan: Plan, r: PlanResource): PoolView {
    const i = r.inputs;
    const type = str((i.instanceTypes as unknown[] | undefined)?.[0]) ?? "(unknown)";
    const shape = shapeOf("aws", type);
    const scaling = (i.scalingConfig ?? {}) as Record<string, unknown>;
    const maxNodes = num(scaling.maxSize) ?? 0;
    const update = (i.updateConfig ?? {}) as Record<string, unknown>;
    const zones = Array.isArray(i.subnetIds) ? i.subnetIds.length : 1;
    const maxUnavailable =
        num(update.maxUnavailable) ??
        (num(update.maxUnavailablePercentage) !== undefined
            ? Math.ceil(((num(update.maxUnavailablePercentage) as number) / 100) * maxNodes)
            : 1);
    const minimal = update.updateStrategy === "MINIMAL";
    const surge = minimal ? 0 : Math.max(2 * zones, maxUnavailable);
    // The launch template the group waits for holds the root volume.
    const template = plan.resources.find(
        (t) => t.type === "aws:ec2/launchTemplate:LaunchTemplate" && r.dependencies.includes(t.id),
    );
    const ebs = ((template?.inputs.blockDeviceMappings as any[] | undefined)?.[0]?.ebs ?? {}) as Record<
        string,
        unknown
    >;
    return {
        id: r.id,
        name: r.name,
        role: roleOfResource(r) ?? "system",
        instanceType: type,
        spot: i.capacityType === "SPOT",
        minNodes: num(scaling.minSize) ?? 0,
        maxNodes,
        surge,
        surgeWhy: minimal
            ? "updateStrategy MINIMAL: old nodes go before new ones start"
            : `EKS default update strategy: up to 2 nodes per availability zone (${zones}) or maxUnavailable (${maxUnavailable}), whichever is larger`,
        vcpu: shape?.vcpu,
        gpusPerNode: shape?.gpus ?? 0,
        gpuModel: shape?.gpuModel,
        diskGb: num(ebs.volumeSize) ?? num(i.diskSize) ?? 20,
        diskItem: `disk:${str(ebs.volumeType) ?? "gp3"}`,
    };
}

function aksPool(id: string, name: string, p: Record<string, unknown>, role: "gpu" | "system"): PoolView {
    const type = str(p.vmSize) ?? "(unknown)";
    const shape = shapeOf("azure", type);
    const maxNodes = num(p.maxCount) ?? num(p.count) ?? 0;
    const upgrade = (p.upgradeSettings ?? {}) as Record<string, unknown>;
    const surge = surgeCount(upgrade.maxSurge, maxNodes, 1);
    return {
        id,
        name,
        role,
        instanceType: type,
        spot: p.scaleSetPriority === "Spot",
        minNodes: num(p.minCount) ?? num(p.count) ?? 0,
        maxNodes,
        surge,
        surgeWhy: `upgradeSettings.maxSurge ${upgrade.maxSurge === undefined ? "(AKS default, 1)" : JSON.stringify(upgrade.maxSurge)}`,
        vcpu: shape?.vcpu,
        gpusPerNode: shape?.gpus ?? 0,
        gpuModel: shape?.gpuModel,
        diskGb: num(p.osDiskSizeGB) ?? 128,
        diskItem: p.osDiskType === "Ephemeral" ? undefined : "disk:managed",
    };
}

function gkePool(r: PlanResource): PoolView {
    const i = r.inputs;
    const node = (i.nodeConfig ?? {}) as Record<string, unknown>;
    const type = str(node.machineType) ?? "e2-medium";
    const shape = shapeOf("gcp", type);
    const accelerators = (node.guestAccelerators as Record<string, unknown>[] | undefined) ?? [];
    const attached = accelerators.reduce((n, a) => n + (num(a.count) ?? 0), 0);
    const zones = Array.isArray(i.nodeLocations) ? i.nodeLocations.length : 3;
    const auto = (i.autoscaling ?? {}) as Record<string, unknown>;
    const fixed = num(i.nodeCount);
    const minNodes = num(auto.totalMinNodeCount) ?? (num(auto.minNodeCount) ?? fixed ?? 0) * zones;
    const maxNodes = num(auto.totalMaxNodeCount) ?? (num(auto.maxNodeCount) ?? fixed ?? 0) * zones;
    const upgrade = (i.upgradeSettings ?? {}) as Record<string, unknown>;
    const blueGreen = upgrade.strategy === "BLUE_GREEN";
    const surge = blueGreen ? maxNodes : (num(upgrade.maxSurge) ?? 1);
    return {
        id: r.id,
        name: r.name,
        role: roleOfResource(r) ?? "system",
        instanceType: type,
        spot: node.spot === true || node.preemptible === true,
        minNodes,
        maxNodes,
        surge,
        surgeWhy: blueGreen
            ? "BLUE_GREEN upgrade: a second pool as large as this one"
            : `upgradeSettings.maxSurge ${upgrade.maxSurge === undefined ? "(GKE default, 1)" : upgrade.maxSurge}`,
        vcpu: shape?.vcpu,
        gpusPerNode: attached || shape?.gpus || 0,
        gpuModel: str(accelerators[0]?.type) ?? shape?.gpuModel,
        diskGb: num(node.diskSizeGb) ?? 100,
        diskItem: `disk:${str(node.diskType) ?? "pd-balanced"}`,
    };
}

/** Every node pool the plan declares, whatever component declares it. */
export function poolsOf(plan: Plan): PoolView[] {
    const out: PoolView[] = [];
    for (const r of plan.resources) {
        if (r.type === "aws:eks/nodeGroup:NodeGroup") out.push(eksPool(plan, r));
        else if (r.type === "azure-native:containerservice:AgentPool")
            out.push(aksPool(r.id, r.name, r.inputs, roleOfResource(r) ?? "system"));
        else if (r.type === "azure-native:containerservice:ManagedCluster") {
            for (const p of (r.inputs.agentPoolProfiles as Record<string, unknown>[] | undefined) ?? []) {
                const name = str(p.name) ?? "inline";
                const labels = (p.nodeLabels ?? {}) as Record<string, unknown>;
                const gpu = Object.values(labels).includes("gpu") || p.mode === "User";
                out.push(aksPool(`${r.id}#${name}`, `${r.name}/${name}`, p, gpu ? "gpu" : "system"));
            }
        } else if (r.type === "gcp:container/nodePool:NodePool") out.push(gkePool(r));
    }
    return out;
}

// ---- cost ------------------------------------------------------------------------------------

/** Values found anywhere in `v` that are objects with `key` equal to `value`. */
function countMatches(v: unknown, key: string, value: string): number {
    if (Array.isArray(v)) return v.reduce((n: number, x) => n + countMatches(x, key, value), 0);
    if (!v || typeof v !== "object") return 0;
    const o = v as Record<string, unknown>;
    return (o[key] === value ? 1 : 0) + Object.values(o).reduce((n: number, x) => n + countMatches(x, key, value), 0);
}

/** Kubernetes quantity → GiB (decimal suffixes converted). */
export function gib(q: unknown): number | undefined {
    if (typeof q === "number") return q / 2 ** 30;
    if (typeof q !== "string") return undefined;
    const bytes = parseQuantity(q.trim());
    return bytes === undefined ? undefined : bytes / 2 ** 30;
}

/** Volume claims anywhere in `v` (claim specs, claim templates in Helm values): [size, class?]. */
function claimsIn(v: unknown, out: [number, string | undefined][] = []): [number, string | undefined][] {
    if (Array.isArray(v)) v.forEach((x) => claimsIn(x, out));
    else if (v && typeof v === "object") {
        const o = v as Record<string, any>;
        const size = gib(o.resources?.requests?.storage);
        if (size !== undefined && (o.accessModes !== undefined || o.storageClassName !== undefined))
            out.push([size, typeof o.storageClassName === "string" ? o.storageClassName : undefined]);
        else Object.values(o).forEach((x) => claimsIn(x, out));
    }
    return out;
}

const provisionerItem: Record<string, string> = {
    "ebs.csi.aws.com": "disk:gp3",
    "efs.csi.aws.com": "file-share:efs",
    "disk.csi.azure.com": "disk:managed",
    "file.csi.azure.com": "file-share:azure-files",
    "pd.csi.storage.gke.io": "disk:pd-balanced",
    "filestore.csi.storage.gke.io": "file-share:filestore-basic-hdd",
};
/** What a claim without a class gets when the program marks no class default. */
const defaultDisk: Record<Cloud, string> = { aws: "disk:gp3", azure: "disk:managed", gcp: "disk:pd-balanced" };

function storageClassItem(plan: Plan, cloud: Cloud, name: string | undefined): string | undefined {
    const classes = plan.resources.filter((r) => r.type === "kubernetes:storage.k8s.io/v1:StorageClass");
    const sc =
        name === undefined
            ? classes.find(
                  (c) =>
                      (c.inputs.metadata as any)?.annotations?.["storageclass.kubernetes.io/is-default-class"] ===
                      "true",
              )
            : classes.find((c) => (c.inputs.metadata as any)?.name === name);
    if (!sc) return name === undefined ? defaultDisk[cloud] : defaultDisk[cloud];
    const p = str(sc.inputs.provisioner) ?? "";
    const type = str((sc.inputs.parameters as any)?.type);
    if (p === "pd.csi.storage.gke.io" && type) return `disk:${type}`;
    if (p === "ebs.csi.aws.com" && type) return `disk:${type}`;
    return provisionerItem[p];
}

const money = (n: number) => Math.round(n * 10000) / 10000;

/** The plan's hourly cost at minimum and maximum scale and the GPU quota it needs. */
export function estimateCost(plan: Plan, table: PriceRow[] = prices): CostEstimate {
    const cloud = cloudOf(plan);
    const region = regionOf(plan, cloud);
    const pools = cloud ? poolsOf(plan) : [];
    const est: CostEstimate = {
        cloud,
        region,
        pools,
        lines: [],
        usage: [],
        quota: [],
        min: 0,
        max: 0,
        incomplete: false,
        notes: [],
    };
    if (!cloud) {
        est.notes.push(
            "This stack creates no cloud resources: it adds nothing billable beyond the cluster it uses (its volumes and load balancers, if that cluster's cloud bills them, are that cluster's).",
        );
        return est;
    }
    const where = region ?? "(unknown region)";
    const price = (item: string) => priceOf(cloud, where, item, table);
    const line = (item: string, parts: [string, number, number][]) => {
        const l: CostLine = { item, rows: [], missing: [], min: 0, max: 0 };
        for (const [key, atMin, atMax] of parts) {
            const row = price(key);
            if (!row) {
                if (atMax > 0 && !l.missing.includes(key)) l.missing.push(key);
                continue;
            }
            if (!l.rows.includes(row)) l.rows.push(row);
            const perHour = row.unit === "GB-month" ? row.usd / HOURS_PER_MONTH : row.usd;
            l.min! += perHour * atMin;
            l.max! += perHour * atMax;
        }
        if (l.missing.length && l.rows.length === 0) {
            delete l.min;
            delete l.max;
        }
        est.lines.push(l);
    };
    const count = (type: string) => plan.resources.filter((r) => r.type === type).length;

    // Control plane.
    if (cloud === "aws") {
        const n = count("aws:eks/cluster:Cluster") || count("eks:index:Cluster");
        if (n) line(`EKS control plane${n > 1 ? ` × ${n}` : ""} (standard support)`, [["eks-control-plane", n, n]]);
    } else if (cloud === "azure") {
        for (const r of plan.resources.filter((x) => x.type === "azure-native:containerservice:ManagedCluster")) {
            const tier = (str((r.inputs.sku as any)?.tier) ?? "Free").toLowerCase();
            line(`AKS control plane (${tier} tier)`, [[`aks-control-plane:${tier}`, 1, 1]]);
        }
    } else {
        const n = count("gcp:container/cluster:Cluster");
        if (n) line(`GKE cluster management fee${n > 1 ? ` × ${n}` : ""}`, [["gke-control-plane", n, n]]);
    }

    // Nodes, pool by pool, and their disks.
    for (const p of pools) {
        const parts: [string, number, number][] = [[`instance:${p.instanceType}`, p.minNodes, p.maxNodes]];
        if (cloud === "gcp" && p.gpuModel && !shapeOf("gcp", p.instanceType)?.gpus)
            parts.push([`gpu:${p.gpuModel}`, p.minNodes * p.gpusPerNode, p.maxNodes * p.gpusPerNode]);
        const gpus = p.gpusPerNode ? `, ${p.gpusPerNode} × ${p.gpuModel ?? "GPU"} each` : "";
        line(
            `pool ${p.name} (${p.role}): ${p.minNodes}–${p.maxNodes} × ${p.instanceType}${gpus}${p.spot ? ", spot: priced on-demand (an upper bound)" : ""}`,
            parts,
        );
    }
    const disks = pools.filter((p) => p.diskItem);
    if (disks.length) {
        const byItem = new Map<string, [number, number]>();
        for (const p of disks) {
            const [a, b] = byItem.get(p.diskItem!) ?? [0, 0];
            byItem.set(p.diskItem!, [a + p.diskGb * p.minNodes, b + p.diskGb * p.maxNodes]);
        }
        line(
            `node disks (${disks.map((p) => `${p.name} ${p.diskGb} GB`).join(", ")})`,
            [...byItem].map(([k, [a, b]]) => [k, a, b]),
        );
    }

    // NAT.
    const nodes = (f: (p: PoolView) => number) => pools.reduce((n, p) => n + f(p), 0);
    if (cloud === "aws") {
        const n = count("aws:ec2/natGateway:NatGateway");
        if (n)
            line(`NAT gateway${n > 1 ? ` × ${n}` : ""} and its public IPv4 address`, [
                ["nat-gateway", n, n],
                ["public-ipv4", n, n],
            ]);
    } else if (cloud === "gcp") {
        const n = count("gcp:compute/routerNat:RouterNat");
        if (n) {
            const vms = (k: number) => Math.min(k, 32);
            line(`Cloud NAT (per VM using it, at most 32) and one NAT IP address`, [
                ["nat-gateway-per-vm", vms(nodes((p) => p.minNodes)), vms(nodes((p) => p.maxNodes))],
                ["public-ipv4", n, n],
            ]);
        }
    }

    // Load balancers: every Service of type LoadBalancer, in objects and in Helm values.
    const lbServices = plan.resources.reduce(
        (n, r) =>
            n +
            (r.type === "kubernetes:core/v1:Service"
                ? (r.inputs.spec as any)?.type === "LoadBalancer"
                    ? 1
                    : 0
                : r.type.startsWith("kubernetes:helm.sh/")
                  ? countMatches(r.inputs.values, "type", "LoadBalancer") +
                    countMatches(r.inputs.values, "serviceType", "LoadBalancer")
                  : 0),
        0,
    );
    if (cloud === "azure") {
        const outbound = plan.resources.some(
            (r) =>
                r.type === "azure-native:containerservice:ManagedCluster" &&
                ((r.inputs.networkProfile as any)?.outboundType ?? "loadBalancer") === "loadBalancer",
        );
        if (outbound || lbServices)
            line(
                `standard load balancer (cluster egress${lbServices ? ` and ${lbServices} LoadBalancer service${lbServices > 1 ? "s" : ""}` : ""}; rules beyond five are extra) and ${(outbound ? 1 : 0) + lbServices} public IP address${(outbound ? 1 : 0) + lbServices > 1 ? "es" : ""}`,
                [
                    ["load-balancer", 1, 1],
                    ["public-ipv4", (outbound ? 1 : 0) + lbServices, (outbound ? 1 : 0) + lbServices],
                ],
            );
    } else if (lbServices) {
        line(
            `${lbServices} LoadBalancer service${lbServices > 1 ? "s" : ""} (${cloud === "aws" ? "a Classic Load Balancer each" : "a forwarding rule each"})`,
            [["load-balancer", lbServices, lbServices]],
        );
    }

    // Disks and file shares the workloads claim, and file systems the program creates.
    const byItem = new Map<string, number>();
    for (const r of plan.resources) {
        const claims =
            r.type === "kubernetes:core/v1:PersistentVolumeClaim"
                ? claimsIn(r.inputs.spec)
                : r.type.startsWith("kubernetes:helm.sh/")
                  ? claimsIn(r.inputs.values)
                  : [];
        for (const [size, cls] of claims) {
            // A claim bound to a volume the program declares (storageClassName ""): priced by that volume's kind below.
            if (cls === "") continue;
            const item = storageClassItem(plan, cloud, cls);
            if (item?.startsWith("file-share:efs")) continue; // EFS bills bytes stored, not the claim's size
            if (item) byItem.set(item, (byItem.get(item) ?? 0) + size);
        }
        if (r.type === "gcp:filestore/instance:Instance") {
            const gb = ((r.inputs.fileShares as any)?.capacityGb as number | undefined) ?? 1024;
            byItem.set("file-share:filestore-basic-hdd", (byItem.get("file-share:filestore-basic-hdd") ?? 0) + gb);
        }
    }
    if (byItem.size)
        line(
            `volumes and file shares (${[...byItem].map(([k, gb]) => `${k.split(":")[1]} ${Math.round(gb)} GiB`).join(", ")})`,
            [...byItem].map(([k, gb]) => [k, gb, gb]),
        );

    // Usage-priced: not in the hourly total.
    const usage = (item: string, key: string) => {
        const row = price(key);
        est.usage.push(row ? { item, row } : { item, missing: key });
    };
    if (count("aws:ec2/natGateway:NatGateway") || count("gcp:compute/routerNat:RouterNat"))
        usage("data through the NAT gateway", "nat-gateway-data");
    if (count("aws:efs/fileSystem:FileSystem")) usage("EFS: bytes stored", "file-share:efs");
    const logs =
        count("aws:cloudwatch/logGroup:LogGroup") +
        count("azure-native:operationalinsights:Workspace") +
        plan.resources.filter((r) => r.type === "gcp:container/cluster:Cluster" && r.inputs.loggingConfig).length;
    if (logs)
        usage(
            cloud === "aws"
                ? `log ingestion into CloudWatch Logs (${count("aws:cloudwatch/logGroup:LogGroup")} log groups)`
                : cloud === "azure"
                  ? "log ingestion into the Log Analytics workspace"
                  : "log ingestion into Cloud Logging (beyond the free allotment)",
            "log-ingestion",
        );

    for (const l of est.lines) {
        est.min += l.min ?? 0;
        est.max += l.max ?? 0;
        if (l.missing.length) est.incomplete = true;
    }
    est.min = money(est.min);
    est.max = money(est.max);
    est.quota = quotaOf(cloud, where, pools);
    return est;
}

// ---- quota -----------------------------------------------------------------------------------

/** The quota a GPU pool's nodes count against, and what one node uses of it. */
export function poolQuotas(
    cloud: Cloud,
    region: string,
    p: PoolView,
): { quota: string; unit: QuotaLine["unit"]; scope: string; perNode: number }[] {
    if (p.gpusPerNode === 0) return [];
    if (cloud === "aws") {
        const family = /^p\d/.test(p.instanceType) ? "P" : "G and VT";
        const code: Record<string, [string, string]> = {
            "G and VT": ["L-DB2E81BA", "L-3819A6DF"],
            P: ["L-417A185B", "L-7212CCBC"],
        };
        const quota = p.spot
            ? `All ${family} Spot Instance Requests (${code[family][1]})`
            : `Running On-Demand ${family} instances (${code[family][0]})`;
        return [{ quota, unit: "vCPUs", scope: region, perNode: p.vcpu ?? 0 }];
    }
    if (cloud === "azure") {
        const family = azureFamily(p.instanceType);
        return p.spot
            ? [{ quota: "Total Regional Spot vCPUs", unit: "vCPUs", scope: region, perNode: p.vcpu ?? 0 }]
            : [{ quota: family, unit: "vCPUs", scope: region, perNode: p.vcpu ?? 0 }];
    }
    const metric = gcpGpuMetric(p.gpuModel ?? "");
    return [
        { quota: `${p.spot ? "PREEMPTIBLE_" : ""}${metric}`, unit: "GPUs", scope: region, perNode: p.gpusPerNode },
        { quota: "GPUS_ALL_REGIONS", unit: "GPUs", scope: "global", perNode: p.gpusPerNode },
    ];
}

/** Azure's quota name for a VM size's family (learn.microsoft.com/azure/virtual-machines/sizes). */
export function azureFamily(vmSize: string): string {
    const families: [RegExp, string][] = [
        [/^Standard_NC\d+as_T4_v3$/, "Standard NCASv3_T4 Family vCPUs"],
        [/^Standard_NC\d+s_v3$/, "Standard NCSv3 Family vCPUs"],
        [/^Standard_NC\d+ads_A100_v4$/, "Standard NCADS_A100_v4 Family vCPUs"],
        [/^Standard_NV\d+ads_A10_v5$/, "Standard NVADSA10v5 Family vCPUs"],
        [/^Standard_NC\d+ads_H100_v5$/, "Standard NCadsH100v5 Family vCPUs"],
    ];
    return families.find(([re]) => re.test(vmSize))?.[1] ?? `the VM family of ${vmSize} (vCPUs)`;
}

/** GCP's regional quota metric for an accelerator type. */
export function gcpGpuMetric(accelerator: string): string {
    const known: Record<string, string> = {
        "nvidia-tesla-t4": "NVIDIA_T4_GPUS",
        "nvidia-l4": "NVIDIA_L4_GPUS",
        "nvidia-tesla-a100": "NVIDIA_A100_GPUS",
        "nvidia-a100-80gb": "NVIDIA_A100_80GB_GPUS",
        "nvidia-h100-80gb": "NVIDIA_H100_GPUS",
        "nvidia-tesla-v100": "NVIDIA_V100_GPUS",
        "nvidia-tesla-p100": "NVIDIA_P100_GPUS",
        "nvidia-tesla-p4": "NVIDIA_P4_GPUS",
    };
    return known[accelerator] ?? `${accelerator.toUpperCase().replace(/-/g, "_")}_GPUS`;
}

function quotaOf(cloud: Cloud, region: string, pools: PoolView[]): QuotaLine[] {
    const lines = new Map<string, QuotaLine>();
    const surges = new Map<string, number>();
    for (const p of pools) {
        for (const q of poolQuotas(cloud, region, p)) {
            const key = `${q.quota} ${q.scope}`;
            const l = lines.get(key) ?? { ...q, atMax: 0, duringUpgrade: 0, duringSwap: 0 };
            l.atMax += q.perNode * p.maxNodes;
            l.duringSwap += 2 * q.perNode * p.maxNodes;
            surges.set(key, Math.max(surges.get(key) ?? 0, q.perNode * p.surge));
            lines.set(key, l);
        }
    }
    for (const [key, l] of lines) l.duringUpgrade = l.atMax + (surges.get(key) ?? 0);
    return [...lines.values()].map(({ quota, unit, scope, atMax, duringUpgrade, duringSwap }) => ({
        quota,
        unit,
        scope,
        atMax,
        duringUpgrade,
        duringSwap,
    }));
}

/**
 * Quota needed while `before` turns into `after`: pools kept count once (the larger of their two
 * shapes), pools replaced, removed or added count on both sides (the new pool is created before the
 * old one is deleted). `replaced`: ids of pool resources the change replaces.
 */
export function quotaDuringChange(
    before: CostEstimate,
    after: CostEstimate,
    replaced: Set<string>,
): { quota: string; unit: string; scope: string; before: number; after: number; peak: number }[] {
    const cloud = after.cloud ?? before.cloud;
    if (!cloud) return [];
    const region = after.region ?? before.region ?? "(unknown region)";
    const use = (p: PoolView) =>
        poolQuotas(cloud, region, p).map((q) => [`${q.quota}|${q.unit}|${q.scope}`, q.perNode * p.maxNodes] as const);
    const sum = (pools: PoolView[]) => {
        const m = new Map<string, number>();
        for (const p of pools) for (const [k, n] of use(p)) m.set(k, (m.get(k) ?? 0) + n);
        return m;
    };
    const b = sum(before.pools);
    const a = sum(after.pools);
    const peak = new Map<string, number>();
    const add = (k: string, n: number) => peak.set(k, (peak.get(k) ?? 0) + n);
    const afterIds = new Map(after.pools.map((p) => [p.id, p]));
    const beforeIds = new Set(before.pools.map((p) => p.id));
    for (const p of before.pools) {
        const next = afterIds.get(p.id);
        const swapped = !next || replaced.has(p.id.split("#")[0]);
        if (swapped) for (const [k, n] of use(p)) add(k, n);
        else {
            const was = new Map(use(p));
            const now = new Map(use(next));
            for (const k of new Set([...was.keys(), ...now.keys()])) add(k, Math.max(was.get(k) ?? 0, now.get(k) ?? 0));
        }
    }
    for (const p of after.pools) {
        if (!beforeIds.has(p.id) || replaced.has(p.id.split("#")[0])) for (const [k, n] of use(p)) add(k, n);
    }
    return [...new Set([...b.keys(), ...a.keys()])].sort().map((k) => {
        const [quota, unit, scope] = k.split("|");
        return { quota, unit, scope, before: b.get(k) ?? 0, after: a.get(k) ?? 0, peak: peak.get(k) ?? 0 };
    });
}
