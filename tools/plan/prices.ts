// The price table the plans' cost estimates use (cost.ts). List prices in US dollars, on-demand /
// pay-as-you-go, Linux, before discounts, taxes and credits. Nothing is fetched at run time: a plan is
// a pure function of the program and this table, so the same commit gives the same figures anywhere.
//
// One row per price: cloud, region ("*" where the vendor charges the same everywhere), what is
// priced, the unit, the price, the day it was looked up and where. `checked` says how far the row
// was verified when it was written: "quoted" = the source quotes this price (for `quotedRegion` when
// that differs from `region`: the row assumes the same list price there); "list" = the vendor's
// pricing page as remembered, not confirmed by a lookup when the row was written — check such rows
// against the source before relying on them. To update a price: change `usd`, `date` and `source`.
export type Unit = "hour" | "GB-month" | "GB";

export interface PriceRow {
    cloud: "aws" | "azure" | "gcp";
    /** Region the price holds for; "*" for every region. */
    region: string;
    /** What is priced: `instance:<type>`, `gpu:<accelerator>`, `disk:<kind>`, or a service item. */
    item: string;
    unit: Unit;
    usd: number;
    /** YYYY-MM-DD the price was looked up. */
    date: string;
    source: string;
    checked: "quoted" | "list";
    /** The region the source quotes, where it is not `region`. */
    quotedRegion?: string;
}

const day = "2026-12-07";
const awsEc2 = "https://aws.amazon.com/ec2/pricing/on-demand/";
const azureVm = "https://azure.microsoft.com/pricing/details/virtual-machines/linux/";
const gceVm = "https://cloud.google.com/compute/vm-instance-pricing";
const gceGpu = "https://cloud.google.com/compute/gpus-pricing";

export const prices: PriceRow[] = [
    // ---- AWS, us-west-2 ---------------------------------------------------------------------------
    // Olshansk/free-tier-gke README: "$0.10/hr per EKS cluster" (standard support; vendor page https://aws.amazon.com/eks/pricing/).
    {
        cloud: "aws",
        region: "*",
        item: "eks-control-plane",
        unit: "hour",
        usd: 0.1,
        date: day,
        source: "https://github.com/Olshansk/free-tier-gke",
        checked: "quoted",
    },
    // factualminds.com "Amazon EC2 On-Demand Pricing … (2026)": "a GPU g5.xlarge is $1.006/hr" (us-east-1, June 2026).
    {
        cloud: "aws",
        region: "us-west-2",
        item: "instance:g5.xlarge",
        unit: "hour",
        usd: 1.006,
        date: day,
        source: "https://www.factualminds.com/blog/amazon-ec2-on-demand-pricing-instance-families-2026/",
        checked: "quoted",
        quotedRegion: "us-east-1",
    },
    {
        cloud: "aws",
        region: "us-west-2",
        item: "instance:g5.2xlarge",
        unit: "hour",
        usd: 1.212,
        date: day,
        source: awsEc2,
        checked: "list",
    },
    {
        cloud: "aws",
        region: "us-west-2",
        item: "instance:g4dn.xlarge",
        unit: "hour",
        usd: 0.526,
        date: day,
        source: awsEc2,
        checked: "list",
    },
    {
        cloud: "aws",
        region: "us-west-2",
        item: "instance:g6.xlarge",
        unit: "hour",
        usd: 0.8048,
        date: day,
        source: awsEc2,
        checked: "list",
    },
    // datareceipts/data-receipts 109-gpu-pricing/hyperscalers.json (retrieved 2026-11-09, us-east-1).
    {
        cloud: "aws",
        region: "us-west-2",
        item: "instance:p4d.24xlarge",
        unit: "hour",
        usd: 21.957642,
        date: day,
        source: "https://raw.githubusercontent.com/datareceipts/data-receipts/main/109-gpu-pricing/hyperscalers.json",
        checked: "quoted",
        quotedRegion: "us-east-1",
    },
    {
        cloud: "aws",
        region: "us-west-2",
        item: "instance:p5.48xlarge",
        unit: "hour",
        usd: 55.04,
        date: day,
        source: "https://raw.githubusercontent.com/datareceipts/data-receipts/main/109-gpu-pricing/hyperscalers.json",
        checked: "quoted",
        quotedRegion: "us-east-1",
    },
    {
        cloud: "aws",
        region: "us-west-2",
        item: "instance:m6i.large",
        unit: "hour",
        usd: 0.096,
        date: day,
        source: awsEc2,
        checked: "list",
    },
    {
        cloud: "aws",
        region: "us-west-2",
        item: "instance:m6i.xlarge",
        unit: "hour",
        usd: 0.192,
        date: day,
        source: awsEc2,
        checked: "list",
    },
    {
        cloud: "aws",
        region: "us-west-2",
        item: "instance:m5.large",
        unit: "hour",
        usd: 0.096,
        date: day,
        source: awsEc2,
        checked: "list",
    },
    // cloudpipelines.pages.dev "AWS NAT Gateway pricing (2026)": US West (Oregon) ~$0.045/h and ~$0.045/GB.
    {
        cloud: "aws",
        region: "us-west-2",
        item: "nat-gateway",
        unit: "hour",
        usd: 0.045,
        date: day,
        source: "https://cloudpipelines.pages.dev/guides/aws-nat-gateway-pricing-2026/",
        checked: "quoted",
    },
    {
        cloud: "aws",
        region: "us-west-2",
        item: "nat-gateway-data",
        unit: "GB",
        usd: 0.045,
        date: day,
        source: "https://cloudpipelines.pages.dev/guides/aws-nat-gateway-pricing-2026/",
        checked: "quoted",
    },
    // cloudburn.io "AWS NAT Gateway Pricing" (2026-02-24): "Public IPv4 address costs ($0.005/hour per IP)".
    {
        cloud: "aws",
        region: "*",
        item: "public-ipv4",
        unit: "hour",
        usd: 0.005,
        date: day,
        source: "https://cloudburn.io/blog/aws-nat-gateway-pricing",
        checked: "quoted",
    },
    {
        cloud: "aws",
        region: "us-west-2",
        item: "disk:gp3",
        unit: "GB-month",
        usd: 0.08,
        date: day,
        source: "https://aws.amazon.com/ebs/pricing/",
        checked: "list",
    },
    {
        cloud: "aws",
        region: "us-west-2",
        item: "load-balancer",
        unit: "hour",
        usd: 0.025,
        date: day,
        source: "https://aws.amazon.com/elasticloadbalancing/pricing/",
        checked: "list",
    },
    {
        cloud: "aws",
        region: "us-west-2",
        item: "file-share:efs",
        unit: "GB-month",
        usd: 0.3,
        date: day,
        source: "https://aws.amazon.com/efs/pricing/",
        checked: "list",
    },
    // c3x.dev "CloudWatch Logs cost optimization": "Ingestion: $0.50 per GB" (us-east-1, June 2026).
    {
        cloud: "aws",
        region: "us-west-2",
        item: "log-ingestion",
        unit: "GB",
        usd: 0.5,
        date: day,
        source: "https://c3x.dev/blog/cloudwatch-logs-cost-optimization",
        checked: "quoted",
        quotedRegion: "us-east-1",
    },

    // ---- Azure, eastus ----------------------------------------------------------------------------
    {
        cloud: "azure",
        region: "*",
        item: "aks-control-plane:free",
        unit: "hour",
        usd: 0,
        date: day,
        source: "https://azure.microsoft.com/pricing/details/kubernetes-service/",
        checked: "list",
    },
    {
        cloud: "azure",
        region: "*",
        item: "aks-control-plane:standard",
        unit: "hour",
        usd: 0.1,
        date: day,
        source: "https://azure.microsoft.com/pricing/details/kubernetes-service/",
        checked: "list",
    },
    {
        cloud: "azure",
        region: "*",
        item: "aks-control-plane:premium",
        unit: "hour",
        usd: 0.6,
        date: day,
        source: "https://azure.microsoft.com/pricing/details/kubernetes-service/",
        checked: "list",
    },
    {
        cloud: "azure",
        region: "eastus",
        item: "instance:Standard_NC4as_T4_v3",
        unit: "hour",
        usd: 0.526,
        date: day,
        source: azureVm,
        checked: "list",
    },
    {
        cloud: "azure",
        region: "eastus",
        item: "instance:Standard_NC8as_T4_v3",
        unit: "hour",
        usd: 0.752,
        date: day,
        source: azureVm,
        checked: "list",
    },
    // datareceipts/data-receipts 109-gpu-pricing/hyperscalers.json (retrieved 2026-11-09, eastus).
    {
        cloud: "azure",
        region: "eastus",
        item: "instance:Standard_NC24ads_A100_v4",
        unit: "hour",
        usd: 3.673,
        date: day,
        source: "https://raw.githubusercontent.com/datareceipts/data-receipts/main/109-gpu-pricing/hyperscalers.json",
        checked: "quoted",
    },
    {
        cloud: "azure",
        region: "eastus",
        item: "instance:Standard_NC48ads_A100_v4",
        unit: "hour",
        usd: 9.554,
        date: day,
        source: "https://raw.githubusercontent.com/datareceipts/data-receipts/main/109-gpu-pricing/hyperscalers.json",
        checked: "quoted",
    },
    // learningbro.com "Azure pricing: pay-as-you-go, reserved, spot VMs": Standard_D4s_v5 Linux ~$0.19/h.
    {
        cloud: "azure",
        region: "eastus",
        item: "instance:Standard_D4s_v5",
        unit: "hour",
        usd: 0.192,
        date: day,
        source: "https://learningbro.com/courses/azure-vms-and-compute/lessons/azure-pricing-pay-as-you-go-reserved-spot-vms",
        checked: "quoted",
        quotedRegion: "not stated",
    },
    {
        cloud: "azure",
        region: "eastus",
        item: "instance:Standard_D2s_v5",
        unit: "hour",
        usd: 0.096,
        date: day,
        source: azureVm,
        checked: "list",
    },
    // Managed OS disks: Premium SSD P10 (128 GiB, $19.71/month) per GiB; AKS picks an ephemeral OS disk
    // (no charge) where the VM's cache fits it, so this is an upper bound.
    {
        cloud: "azure",
        region: "eastus",
        item: "disk:managed",
        unit: "GB-month",
        usd: 0.154,
        date: day,
        source: "https://azure.microsoft.com/pricing/details/managed-disks/",
        checked: "list",
    },
    // c3x.dev "azurerm_lb cost estimation": "Standard SKU at $0.025/hour … First 5 rules included".
    {
        cloud: "azure",
        region: "eastus",
        item: "load-balancer",
        unit: "hour",
        usd: 0.025,
        date: day,
        source: "https://c3x.dev/resources/azure/azurerm_lb",
        checked: "quoted",
        quotedRegion: "not stated",
    },
    {
        cloud: "azure",
        region: "*",
        item: "public-ipv4",
        unit: "hour",
        usd: 0.005,
        date: day,
        source: "https://azure.microsoft.com/pricing/details/ip-addresses/",
        checked: "list",
    },
    {
        cloud: "azure",
        region: "eastus",
        item: "file-share:azure-files",
        unit: "GB-month",
        usd: 0.06,
        date: day,
        source: "https://azure.microsoft.com/pricing/details/storage/files/",
        checked: "list",
    },
    {
        cloud: "azure",
        region: "eastus",
        item: "log-ingestion",
        unit: "GB",
        usd: 2.3,
        date: day,
        source: "https://azure.microsoft.com/pricing/details/monitor/",
        checked: "list",
    },

    // ---- Google Cloud, us-central1 ----------------------------------------------------------------
    // murphye/cheap-gke-cluster README: "$74.40 per month for each control plane" (= $0.10/h × 744 h).
    {
        cloud: "gcp",
        region: "*",
        item: "gke-control-plane",
        unit: "hour",
        usd: 0.1,
        date: day,
        source: "https://github.com/murphye/cheap-gke-cluster",
        checked: "quoted",
    },
    {
        cloud: "gcp",
        region: "us-central1",
        item: "instance:n1-standard-8",
        unit: "hour",
        usd: 0.379998,
        date: day,
        source: gceVm,
        checked: "list",
    },
    {
        cloud: "gcp",
        region: "us-central1",
        item: "instance:n1-standard-4",
        unit: "hour",
        usd: 0.189999,
        date: day,
        source: gceVm,
        checked: "list",
    },
    {
        cloud: "gcp",
        region: "us-central1",
        item: "instance:e2-standard-4",
        unit: "hour",
        usd: 0.134012,
        date: day,
        source: gceVm,
        checked: "list",
    },
    {
        cloud: "gcp",
        region: "us-central1",
        item: "instance:g2-standard-4",
        unit: "hour",
        usd: 0.70683,
        date: day,
        source: gceVm,
        checked: "list",
    },
    {
        cloud: "gcp",
        region: "us-central1",
        item: "gpu:nvidia-tesla-t4",
        unit: "hour",
        usd: 0.35,
        date: day,
        source: gceGpu,
        checked: "list",
    },
    // developmentseed/bioacoustics-api Google Cloud pricing calculator export (Iowa): "Zonal balanced PD: 30 GiB USD 3.00".
    {
        cloud: "gcp",
        region: "us-central1",
        item: "disk:pd-balanced",
        unit: "GB-month",
        usd: 0.1,
        date: day,
        source: "https://github.com/developmentseed/bioacoustics-api/files/11512854/google_cloud_pricing_calculator.pdf",
        checked: "quoted",
    },
    {
        cloud: "gcp",
        region: "us-central1",
        item: "disk:pd-standard",
        unit: "GB-month",
        usd: 0.04,
        date: day,
        source: "https://cloud.google.com/compute/disks-image-pricing",
        checked: "list",
    },
    // cloud.google.com/nat/pricing: $0.0014 per VM-hour up to 32 VMs ($0.044 above), $0.045 per GiB
    // processed (same in every region), $0.005 per hour for each NAT IP address.
    {
        cloud: "gcp",
        region: "*",
        item: "nat-gateway-per-vm",
        unit: "hour",
        usd: 0.0014,
        date: day,
        source: "https://cloud.google.com/nat/pricing",
        checked: "quoted",
    },
    {
        cloud: "gcp",
        region: "*",
        item: "nat-gateway-data",
        unit: "GB",
        usd: 0.045,
        date: day,
        source: "https://cloud.google.com/nat/pricing",
        checked: "quoted",
    },
    {
        cloud: "gcp",
        region: "*",
        item: "public-ipv4",
        unit: "hour",
        usd: 0.005,
        date: day,
        source: "https://cloud.google.com/nat/pricing",
        checked: "quoted",
    },
    {
        cloud: "gcp",
        region: "us-central1",
        item: "load-balancer",
        unit: "hour",
        usd: 0.025,
        date: day,
        source: "https://cloud.google.com/vpc/network-pricing",
        checked: "list",
    },
    {
        cloud: "gcp",
        region: "us-central1",
        item: "file-share:filestore-basic-hdd",
        unit: "GB-month",
        usd: 0.16,
        date: day,
        source: "https://cloud.google.com/filestore/pricing",
        checked: "list",
    },
    {
        cloud: "gcp",
        region: "*",
        item: "log-ingestion",
        unit: "GB",
        usd: 0.5,
        date: day,
        source: "https://cloud.google.com/stackdriver/pricing",
        checked: "list",
    },
];

/** Hours in a month, as the clouds' calculators count them (730 = 8760 / 12). */
export const HOURS_PER_MONTH = 730;

/** The row for `item` in `region` of `cloud` (a region's own row before a "*" row), if any. */
export function priceOf(
    cloud: PriceRow["cloud"],
    region: string,
    item: string,
    table: PriceRow[] = prices,
): PriceRow | undefined {
    return (
        table.find((p) => p.cloud === cloud && p.region === region && p.item === item) ??
        table.find((p) => p.cloud === cloud && p.region === "*" && p.item === item)
    );
}
