// Kubernetes minors Amazon EKS offers in standard support, late 2026. Sources: the EKS release
// calendar (awsdocs/amazon-eks-user-guide latest/ug/versioning/kubernetes-versions.adoc;
// https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html): standard support
// lasts 14 months from the EKS release; 1.34 until 2026-12-02, 1.35 until 2027-03-27, and 1.36
// (released on EKS in 2026, listed under "Kubernetes versions standard support",
// https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions-standard.html). Older minors
// are in paid extended support; a newer one needs `cluster.allowUnlistedKubernetesVersion`.
export const eksSupportedMinors = ["1.34", "1.35", "1.36"] as const;

/** The EKS add-ons whose versions the program pins (EKS add-on names in comments). */
export interface EksAddonVersions {
    /** `vpc-cni` (installed by pulumi-eks). */
    vpcCni: string;
    /** `kube-proxy` (installed by pulumi-eks); versioned with Kubernetes itself. */
    kubeProxy: string;
    /** `coredns` (a managed add-on replacing the self-managed copy EKS starts with). */
    coredns: string;
    /** `aws-efs-csi-driver`. */
    efsCsiDriver: string;
    /** `aws-ebs-csi-driver`. */
    ebsCsiDriver: string;
    /** `eks-pod-identity-agent` (serves the VPC CNI's credentials, components/eks/cni.ts). */
    podIdentityAgent: string;
    /** `aws-mountpoint-s3-csi-driver` (the bucket model store, components/eks/modelBucket.ts). */
    mountpointS3CsiDriver: string;
    /** `amazon-cloudwatch-observability` (logging.backend: cloud, components/eks/cloudWatchLogging.ts). */
    cloudWatchObservability: string;
}

/**
 * Add-on versions per Kubernetes minor: pinned, so a routine `pulumi up` never rolls the data plane,
 * and a `cluster.kubernetesVersion` change moves every add-on to its row (shown in the plan).
 * `cluster.addonVersions` overrides any of them. EKS publishes each build for a range of cluster
 * versions; `aws eks describe-addon-versions --addon-name <name> --kubernetes-version <minor>` lists
 * what a region offers (the authority: re-run it before raising a row). Sources, per add-on:
 * - kube-proxy: "kube-proxy versions" table, EKS User Guide managing-kube-proxy
 *   (https://docs.aws.amazon.com/ja_jp/eks/latest/userguide/managing-kube-proxy.md: 1.36
 *   v1.36.0-eksbuild.14, 1.35 v1.35.3-eksbuild.13, 1.34 v1.34.6-eksbuild.13).
 * - coredns: "CoreDNS versions" table, EKS User Guide managing-coredns
 *   (https://docs.amazonaws.cn/en_us/eks/latest/userguide/managing-coredns.md: 1.35
 *   v1.14.2-eksbuild.4, 1.34 v1.13.2-eksbuild.7; both builds also seen pinned with clusters of
 *   those minors). That table has no 1.36 row: 1.36 takes v1.14.3-eksbuild.3, which public 1.36
 *   (and 1.35) stacks pin, found by exact-string search; the 1.35 build was never shown to be
 *   offered for 1.36. Unverified for 1.36 against an AWS document.
 * - vpc-cni, aws-ebs-csi-driver, eks-pod-identity-agent for 1.34 and 1.35: the first (newest)
 *   build `describe-addon-versions --kubernetes-version <minor>` returned, as recorded by
 *   devopscoop/aws-eks-template cluster/update_eks_addons.sh in cluster/terraform.tfvars
 *   (1.34 at commit d72b85eb3086f4154a39913b8247f02062eeb9f6, 1.35 at dcce80c64dae12af5f8a88a6c78453a5579cdb3e):
 *   vpc-cni v1.21.1-eksbuild.7, aws-ebs-csi-driver v1.58.0-eksbuild.1, eks-pod-identity-agent
 *   v1.3.10-eksbuild.3. The previous pins (vpc-cni v1.20.1-eksbuild.3, EBS v1.44.0, Pod Identity
 *   v1.3.4) predate 1.34 and were never shown to be offered for it.
 * - 1.36's vpc-cni v1.22.4-eksbuild.3, aws-ebs-csi-driver v1.63.1-eksbuild.1 and
 *   eks-pod-identity-agent v1.3.10-eksbuild.3: builds public 1.36 stacks pin or report EKS
 *   resolved (found by exact-string search of public repositories); not in an AWS document.
 *   Unverified for 1.36 beyond that.
 * - aws-efs-csi-driver v3.4.1-eksbuild.1: the driver's 3.4.1 (kubernetes-sigs/aws-efs-csi-driver
 *   CHANGELOG-3.x.md at 370e7a94075441d38de3bef3ad049553e45d2b59; 3.x deprecates the `path` volume
 *   attribute, which the model store's volume does not use: it names file system and access point
 *   in its handle), pinned with 1.31 and 1.35 clusters in public stacks (exact-string search); EKS
 *   lists compatibility as ranges of minors, so 1.34 is inferred. Unverified for 1.36. (The previous
 *   v2.0.8-eksbuild.1 dates from 2024 and was never shown to be offered for 1.34+.)
 * - aws-mountpoint-s3-csi-driver v2.5.0-eksbuild.1: before v2.5.0 the driver's Mountpoint pods
 *   block cluster-autoscaler's scale-down and are killed mid-drain (awslabs/mountpoint-s3-csi-driver
 *   CHANGELOG.md v2.5.0, issue #675). The build is pinned by public stacks with EKS Pod Identity
 *   (eks-pod-identity-agent v1.3.10-eksbuild.3 beside it; exact-string search). Before it,
 *   v2.3.0-eksbuild.1: a v2 build (the major whose pod-level credentials
 *   work with EKS Pod Identity and which applies the pod's fsGroup: awslabs/mountpoint-s3-csi-driver
 *   docs/CONFIGURATION.md "Pod-Level Credentials", docs/UPGRADING_TO_V2.md). v2.3.0 fixes workloads
 *   waiting forever on a shared Mountpoint pod whose first workload ended before attaching (upstream
 *   #652), which a rolling update does. The build name is pinned in a public Terraform stack with Pod
 *   Identity (exact-string search; v2.2.0-eksbuild.1, the earlier pin, is jenkins-infra/terraform-aws-
 *   sponsorship's for 1.33). Not tied to a minor, so the same build for every row; unverified for 1.34+
 *   against an AWS document.
 * - amazon-cloudwatch-observability v6.4.0-eksbuild.1 (components/eks/logging.ts
 *   `cloudWatchObservabilityAddon` has its sources): the same build for every row, pinned here like
 *   the others so `cluster.addonVersions.cloudWatchObservability` overrides it.
 * Every change above raised the previous pin, and no row has an older build than the row for the
 * minor before it: a Kubernetes upgrade never moves an add-on backwards (test/eks.test.ts).
 */
export const eksAddonVersions: Record<(typeof eksSupportedMinors)[number], EksAddonVersions> = {
    "1.34": {
        vpcCni: "v1.21.1-eksbuild.7",
        kubeProxy: "v1.34.6-eksbuild.13",
        coredns: "v1.13.2-eksbuild.7",
        efsCsiDriver: "v3.4.1-eksbuild.1",
        ebsCsiDriver: "v1.58.0-eksbuild.1",
        podIdentityAgent: "v1.3.10-eksbuild.3",
        mountpointS3CsiDriver: "v2.5.0-eksbuild.1",
        cloudWatchObservability: "v6.4.0-eksbuild.1",
    },
    "1.35": {
        vpcCni: "v1.21.1-eksbuild.7",
        kubeProxy: "v1.35.3-eksbuild.13",
        coredns: "v1.14.2-eksbuild.4",
        efsCsiDriver: "v3.4.1-eksbuild.1",
        ebsCsiDriver: "v1.58.0-eksbuild.1",
        podIdentityAgent: "v1.3.10-eksbuild.3",
        mountpointS3CsiDriver: "v2.5.0-eksbuild.1",
        cloudWatchObservability: "v6.4.0-eksbuild.1",
    },
    "1.36": {
        vpcCni: "v1.22.4-eksbuild.3",
        kubeProxy: "v1.36.0-eksbuild.14",
        coredns: "v1.14.3-eksbuild.3",
        efsCsiDriver: "v3.4.1-eksbuild.1",
        ebsCsiDriver: "v1.63.1-eksbuild.1",
        podIdentityAgent: "v1.3.10-eksbuild.3",
        mountpointS3CsiDriver: "v2.5.0-eksbuild.1",
        cloudWatchObservability: "v6.4.0-eksbuild.1",
    },
};

/** Add-on versions for a Kubernetes minor, with `overrides` applied; undefined entries have no pin known. */
export function addonVersionsFor(
    kubernetesVersion: string,
    overrides: Partial<EksAddonVersions> = {},
): Partial<EksAddonVersions> {
    const minor = /^(\d+\.\d+)/.exec(kubernetesVersion)?.[1] ?? kubernetesVersion;
    const row: Partial<EksAddonVersions> = (eksAddonVersions as Record<string, EksAddonVersions>)[minor] ?? {};
    return { ...row, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) };
}

/** `v1.21.1-eksbuild.7` as [1, 21, 1, 7]; undefined for anything else. */
function buildOrder(version: string): number[] | undefined {
    const m = /^v(\d+)\.(\d+)\.(\d+)-eksbuild\.(\d+)$/.exec(version);
    return m ? m.slice(1).map(Number) : undefined;
}

/**
 * What is wrong with a table of add-on pins: a version that is not `vX.Y.Z-eksbuild.N`, or a row
 * with an older build of an add-on than the row for the minor before it (a Kubernetes upgrade would
 * move that add-on backwards). Minors are compared in the table's order.
 */
export function addonTableProblems(table: Record<string, EksAddonVersions>): string[] {
    const problems: string[] = [];
    const minors = Object.keys(table);
    minors.forEach((minor, i) => {
        for (const [addon, version] of Object.entries(table[minor])) {
            const order = buildOrder(version);
            if (!order) {
                problems.push(`${minor} ${addon}: ${version} is not an EKS add-on version (vX.Y.Z-eksbuild.N)`);
                continue;
            }
            const before = i > 0 ? (table[minors[i - 1]] as unknown as Record<string, string>)[addon] : undefined;
            const prior = before ? buildOrder(before) : undefined;
            if (!prior) continue;
            const cmp = order.map((n, k) => n - prior[k]).find((d) => d !== 0) ?? 0;
            if (cmp < 0) problems.push(`${minor} ${addon}: ${version} is older than ${minors[i - 1]}'s ${before}`);
        }
    });
    return problems;
}

/**
 * Minors in EKS extended support late 2026, with the date it ends: EKS still creates clusters on
 * them ("You can create new Amazon EKS clusters on any version offered in standard or extended
 * support", https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html; extended
 * support lasts 12 months after the 14 of standard support: 1.32 until 2027-03-23, 1.33 until
 * 2027-07-29; 1.31's ended 2026-11-26), at a higher price per cluster-hour.
 */
export const eksExtendedSupportMinors: Record<string, string> = { "1.32": "2027-03-23", "1.33": "2027-07-29" };

/**
 * The EKS control plane's price per cluster-hour in standard and in extended support (Amazon EKS
 * pricing, https://aws.amazon.com/eks/pricing/: $0.10 standard, $0.60 extended).
 */
export const eksClusterHourPrice = { standard: "$0.10", extended: "$0.60" } as const;
