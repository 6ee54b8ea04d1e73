// kubeconfig for a GKE cluster. It holds no credential: kubectl (and the Pulumi Kubernetes provider)
// run gke-gcloud-auth-plugin, which mints short-lived tokens from the user's gcloud login.

export interface GkeKubeconfigArgs {
    project: string;
    location: string;
    clusterName: string;
    /** API server address (`cluster.endpoint`), an IP without scheme. */
    endpoint: string;
    /** Base64 PEM of the cluster CA (`cluster.masterAuth.clusterCaCertificate`). */
    caCertificate: string;
}

/** The same context name `gcloud container clusters get-credentials` writes. */
export function gkeContextName(a: Pick<GkeKubeconfigArgs, "project" | "location" | "clusterName">): string {
    return `gke_${a.project}_${a.location}_${a.clusterName}`;
}

/** kubeconfig (JSON, which is YAML) using the exec credential plugin. */
export function gkeKubeconfig(a: GkeKubeconfigArgs): string {
    const name = gkeContextName(a);
    return JSON.stringify(
        {
            apiVersion: "v1",
            kind: "Config",
            clusters: [
                { name, cluster: { server: `https://${a.endpoint}`, "certificate-authority-data": a.caCertificate } },
            ],
            contexts: [{ name, context: { cluster: name, user: name } }],
            "current-context": name,
            preferences: {},
            users: [
                {
                    name,
                    user: {
                        exec: {
                            apiVersion: "client.authentication.k8s.io/v1beta1",
                            command: "gke-gcloud-auth-plugin",
                            installHint:
                                "Install gke-gcloud-auth-plugin: gcloud components install gke-gcloud-auth-plugin " +
                                "(see https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin)",
                            provideClusterInfo: true,
                        },
                    },
                },
            ],
        },
        null,
        2,
    );
}
