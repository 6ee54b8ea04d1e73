// Kubernetes minors Amazon EKS offers in standard support, late 2026. Sources: the EKS release
// calendar (awsdocs/amazon-eks-user-guide latest/ug/versioning/kubernetes-versions.adoc;
// https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html): standard support
// lasts 14 months from the EKS release; 1.34 until 2026-12-02, 1.35 until 2027-03-27, and 1.36
// (released on EKS in 2026, listed under "Kubernetes versions standard support",
// https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions-standard.html). Older minors
// are in paid extended support; a newer one needs `cluster.allowUnlistedKubernetesVersion`.
export const eksSupportedMinors = ["1.34", "1.35", "1.36"] as const;
