// Kubernetes minors GKE's Regular release channel (components/gke/defaults.ts: releaseChannel)
// offers new clusters, late 2026. Sources: GKE release schedule
// (https://cloud.google.com/kubernetes-engine/docs/release-schedule) and Regular-channel release
// notes (https://cloud.google.com/kubernetes-engine/docs/release-notes-regular): 1.35 default
// since 2026 (1.35.8 on 2026-09-17), 1.36 available; 1.34 leaves standard support in autumn 2026
// (maintenance until 2026-10). A newer minor needs `cluster.allowUnlistedKubernetesVersion`.
export const gkeRegularChannelMinors = ["1.35", "1.36"] as const;
