// The newest upstream Kubernetes minor, late 2026: 1.37 (GA end of August 2026; kubernetes.io
// releases, and the AKS release calendar's "upstream release" column). An adopted cluster
// (`cloud: existing`) cannot run a newer one; `cluster.allowUnlistedKubernetesVersion` lifts this
// once a newer minor ships.
export const newestKubernetesMinor = "1.37";
