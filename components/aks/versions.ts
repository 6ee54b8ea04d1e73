// Kubernetes minors AKS supports (community support, N-2 plus the newest GA), late 2026. Source:
// the AKS Kubernetes release calendar (MicrosoftDocs/azure-aks-docs
// articles/aks/supported-kubernetes-versions.md; https://learn.microsoft.com/azure/aks/supported-kubernetes-versions):
// 1.34 until Nov 2026, 1.35 until Mar 2027, 1.36 (GA Jun 2026) until Jun 2027, 1.37 (GA Oct 2026)
// until Oct 2027. Older minors need LTS (Premium tier); a newer one needs
// `cluster.allowUnlistedKubernetesVersion`.
export const aksSupportedMinors = ["1.34", "1.35", "1.36", "1.37"] as const;
