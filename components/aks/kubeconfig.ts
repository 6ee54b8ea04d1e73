// kubeconfig for an AKS cluster with Entra ID (local accounts disabled). It holds no credential: kubectl
// (and the Pulumi Kubernetes provider) run kubelogin, which gets an Entra ID token for the AKS server
// application from the user's Azure CLI login (`az login`; in CI, azure/login).

/**
 * Application ID of the AKS Entra ID server every managed-AAD cluster accepts tokens for (the
 * `--server-id` `kubelogin convert-kubeconfig` writes; learn.microsoft.com/azure/aks/kubelogin-authentication).
 */
export const aksEntraServerId = "6dae42f8-4368-4678-94ff-3960e28e3630";

/** API server address and CA of a cluster, as its kubeconfig states them. */
export interface AksEndpoint {
    /** `https://<fqdn>:443`. */
    server: string;
    /** Base64 PEM of the cluster CA. */
    caData: string;
}

/**
 * The server and CA of the first cluster entry of a kubeconfig AKS returns (`listClusterUserCredential`,
 * YAML text). Copied verbatim: the Kubernetes provider replaces every object it manages when the
 * kubeconfig's active cluster (server, CA) changes, so these must stay what they were.
 */
export function aksEndpoint(kubeconfigYaml: string): AksEndpoint {
    const server = /^\s*server:\s*["']?([^"'\s]+)["']?\s*$/m.exec(kubeconfigYaml)?.[1];
    const caData = /^\s*certificate-authority-data:\s*["']?([A-Za-z0-9+/=]+)["']?\s*$/m.exec(kubeconfigYaml)?.[1];
    if (!server || !caData) throw new Error("the kubeconfig AKS returned has no cluster server or CA");
    return { server, caData };
}

/** kubeconfig (JSON, which is YAML) using kubelogin with the Azure CLI's login. */
export function aksKubeconfig(clusterName: string, endpoint: AksEndpoint): string {
    const user = `${clusterName}-entra`;
    return JSON.stringify(
        {
            apiVersion: "v1",
            kind: "Config",
            clusters: [
                {
                    name: clusterName,
                    cluster: { server: endpoint.server, "certificate-authority-data": endpoint.caData },
                },
            ],
            contexts: [{ name: clusterName, context: { cluster: clusterName, user } }],
            "current-context": clusterName,
            preferences: {},
            users: [
                {
                    name: user,
                    user: {
                        exec: {
                            apiVersion: "client.authentication.k8s.io/v1beta1",
                            command: "kubelogin",
                            args: ["get-token", "--login", "azurecli", "--server-id", aksEntraServerId],
                            installHint:
                                "Install kubelogin: az aks install-cli (or see https://azure.github.io/kubelogin/install.html), then az login",
                            interactiveMode: "Never",
                        },
                    },
                },
            ],
        },
        null,
        2,
    );
}

/** A kubeconfig AKS returns (list…Credential) is base64 text; the first entry is the cluster's. */
export function decodeKubeconfig(kubeconfigs: { name?: string; value: string }[]): string {
    if (kubeconfigs.length === 0) throw new Error("AKS returned no kubeconfig for the cluster");
    return Buffer.from(kubeconfigs[0].value, "base64").toString("utf8");
}

/**
 * How kubelogin signs in without an interactive Azure CLI login (CI): AAD_LOGIN_METHOD overrides the
 * kubeconfig's `--login azurecli`, and each mode reads these variables (Azure/kubelogin
 * pkg/internal/token/options.go UpdateFromEnv; AZURE_* take precedence over AAD_SERVICE_PRINCIPAL_*).
 * The `ARM_*` variables the azure-native provider reads are not among them (kubelogin reads
 * ARM_CLIENT_ID… only with `--use-azurerm-env-vars`, which the kubeconfig does not pass).
 */
export const kubeloginCiModes = {
    /** A service principal's secret or certificate: no expiry during a long `up`. */
    spn: ["AAD_LOGIN_METHOD", "AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET"],
    /**
     * A federated token in a file (on GitHub Actions the OIDC token for api://AzureADTokenExchange,
     * which lives 5 minutes: it must be rewritten while the run lasts).
     */
    workloadidentity: [
        "AAD_LOGIN_METHOD",
        "AZURE_CLIENT_ID",
        "AZURE_TENANT_ID",
        "AZURE_FEDERATED_TOKEN_FILE",
        "AZURE_AUTHORITY_HOST",
    ],
} as const;
