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
}

/**
 * Add-on versions per Kubernetes minor: pinned, so a routine `pulumi up` never rolls the data plane,
 * and a `cluster.kubernetesVersion` change moves every add-on to its row (shown in the plan).
 * `cluster.addonVersions` overrides any of them. EKS publishes each build for a range of cluster
 * versions; `aws eks describe-addon-versions --addon-name <name> --kubernetes-version <minor>` lists
 * what a region offers. Sources:
 * - kube-proxy: "kube-proxy versions" table, EKS User Guide managing-kube-proxy
 *   (https://docs.aws.amazon.com/ja_jp/eks/latest/userguide/managing-kube-proxy.md: 1.36
 *   v1.36.0-eksbuild.14, 1.35 v1.35.3-eksbuild.13, 1.34 v1.34.6-eksbuild.13).
 * - coredns: "CoreDNS versions" table, EKS User Guide managing-coredns
 *   (https://docs.amazonaws.cn/en_us/eks/latest/userguide/managing-coredns.md: 1.35
 *   v1.14.2-eksbuild.4, 1.34 v1.13.2-eksbuild.7). No 1.36 row was published there: 1.36 takes the
 *   1.35 build until one is (unverified; confirm with describe-addon-versions).
 * - vpc-cni: "Amazon VPC CNI versions" table, EKS User Guide managing-vpc-cni
 *   (https://docs.aws.amazon.com/ja_jp/eks/latest/userguide/managing-vpc-cni.html lists
 *   v1.20.1-eksbuild.3 for every minor it covers, 1.27-1.33); unverified for 1.34+.
 * - aws-ebs-csi-driver v1.44.0-eksbuild.1 and aws-efs-csi-driver v2.0.8-eksbuild.1: builds
 *   published as EKS add-ons (seen in describe-addon-versions / describe-addon-configuration
 *   output); the CSI drivers are not tied to a Kubernetes minor. Unverified for 1.34+.
 * - eks-pod-identity-agent v1.3.4-eksbuild.1: a published build (create-addon examples; the EKS
 *   User Guide's pod-id-agent-setup shows v1.0.0-eksbuild.1); not tied to a minor. Unverified for 1.34+.
 */
export const eksAddonVersions: Record<(typeof eksSupportedMinors)[number], EksAddonVersions> = {
    "1.34": {
        vpcCni: "v1.20.1-eksbuild.3",
        kubeProxy: "v1.34.6-eksbuild.13",
        coredns: "v1.13.2-eksbuild.7",
        efsCsiDriver: "v2.0.8-eksbuild.1",
        ebsCsiDriver: "v1.44.0-eksbuild.1",
        podIdentityAgent: "v1.3.4-eksbuild.1",
    },
    "1.35": {
        vpcCni: "v1.20.1-eksbuild.3",
        kubeProxy: "v1.35.3-eksbuild.13",
        coredns: "v1.14.2-eksbuild.4",
        efsCsiDriver: "v2.0.8-eksbuild.1",
        ebsCsiDriver: "v1.44.0-eksbuild.1",
        podIdentityAgent: "v1.3.4-eksbuild.1",
    },
    "1.36": {
        vpcCni: "v1.20.1-eksbuild.3",
        kubeProxy: "v1.36.0-eksbuild.14",
        coredns: "v1.14.2-eksbuild.4",
        efsCsiDriver: "v2.0.8-eksbuild.1",
        ebsCsiDriver: "v1.44.0-eksbuild.1",
        podIdentityAgent: "v1.3.4-eksbuild.1",
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
