// What the clouds answer in a mock run: results of the provider functions (invokes) the cloud
// modules call, so a stack evaluates without credentials or network. Every value is a placeholder
// that reads as one (account 123456789012, zones "<region>a/b/c", versions "v0.0.0-mock"): a plan
// must never pass a guess off as what the cloud would say. Shared by the tests, `npm run plan` and
// `npm run bench`.
//
// Invoked during a preview (their arguments are known before anything exists):
//   aws:index/getAvailabilityZones:getAvailabilityZones  (components/eks/network.ts)
//   aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings (components/eks/network.ts: zones offering the GPU type)
//   aws:autoscaling/getAmiIds:getAmiIds                  (components/eks/nodeGroup.ts: the node groups'
//                                                         Auto Scaling groups; none in a fresh account)
//   aws:autoscaling/getGroup:getGroup                    (their current desired size, when there are any)
//   gcp:compute/getZones:getZones                        (components/gke: the Filestore instance's zone)
// Invoked during an update only (arguments are outputs of resources that must exist first):
//   azure-native:containerservice:listManagedClusterUserCredentials (components/aks)
// The rest are answered because the cloud SDKs commonly ask them; unknown tokens get {} and are
// reported by the plan as unmocked.
import { MockCallArgs } from "@pulumi/pulumi/runtime/mocks";

export const fakeAwsAccountId = "123456789012";
export const fakeAzureSubscriptionId = "00000000-0000-0000-0000-000000000000";
export const fakeAzureTenantId = "00000000-0000-0000-0000-000000000001";
/** An obviously fake version for "the default version of this add-on" lookups. */
export const fakeVersion = "v0.0.0-mock";

/** A kubeconfig that points nowhere (RFC 2606 .invalid host); only its shape is real. */
export function fakeKubeconfig(clusterName: string): string {
    return [
        "apiVersion: v1",
        "kind: Config",
        `clusters: [{name: ${clusterName}, cluster: {server: "https://${clusterName}.mock.invalid"}}]`,
        `contexts: [{name: ${clusterName}, context: {cluster: ${clusterName}, user: mock}}]`,
        `current-context: ${clusterName}`,
        "users: [{name: mock, user: {token: mock-token}}]",
        "",
    ].join("\n");
}

/** The CA a mock AKS kubeconfig carries: base64 of "mock-ca" (a placeholder, not a PEM). */
export const fakeAksCaData = Buffer.from("mock-ca").toString("base64");

/**
 * What AKS's listClusterUserCredential returns for an Entra ID cluster with `format: exec`: block-style
 * YAML like the real one (the CA, the server, a kubelogin user), pointing nowhere (.invalid host).
 */
export function fakeAksUserKubeconfig(clusterName: string): string {
    return [
        "apiVersion: v1",
        "clusters:",
        "- cluster:",
        `    certificate-authority-data: ${fakeAksCaData}`,
        `    server: https://${clusterName}.mock.invalid:443`,
        `  name: ${clusterName}`,
        "contexts:",
        "- context:",
        `    cluster: ${clusterName}`,
        `    user: clusterUser_${clusterName}`,
        `  name: ${clusterName}`,
        `current-context: ${clusterName}`,
        "kind: Config",
        "preferences: {}",
        "users:",
        `- name: clusterUser_${clusterName}`,
        "  user:",
        "    exec:",
        "      apiVersion: client.authentication.k8s.io/v1beta1",
        "      args: [get-token, --login, devicecode, --server-id, 6dae42f8-4368-4678-94ff-3960e28e3630]",
        "      command: kubelogin",
        "",
    ].join("\n");
}

/** Tokens `cloudCall` answers with something other than `{}`. */
export const mockedInvokes = [
    "aws:index/getAvailabilityZones:getAvailabilityZones",
    "aws:index/getCallerIdentity:getCallerIdentity",
    "aws:index/getPartition:getPartition",
    "aws:index/getRegion:getRegion",
    "aws:eks/getAddonVersion:getAddonVersion",
    "aws:autoscaling/getAmiIds:getAmiIds",
    "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings",
    "azure-native:authorization:getClientConfig",
    "azure-native:containerservice:listManagedClusterUserCredentials",
    "gcp:compute/getZones:getZones",
    "gcp:organizations/getClientConfig:getClientConfig",
    "gcp:organizations/getProject:getProject",
] as const;

/**
 * The invoke handler for a stack whose flat config (`namespace:key` → value) is `config`: regions,
 * locations and projects come from the stack's own config so the plan shows the stack's values.
 */
export function cloudCall(config: Record<string, unknown>): (args: MockCallArgs) => Record<string, any> {
    const awsRegion = String(config["aws:region"] ?? "us-east-1");
    const gcpProject = String(config["gcp:project"] ?? "mock-project");
    const gcpRegion = String(config["gcp:region"] ?? "us-central1");
    return (args) => {
        const inputs = args.inputs ?? {};
        switch (args.token) {
            case "aws:index/getAvailabilityZones:getAvailabilityZones": {
                const names = ["a", "b", "c"].map((z) => `${awsRegion}${z}`);
                return {
                    id: awsRegion,
                    names,
                    zoneIds: names.map((_, i) => `mock-az${i + 1}`),
                    groupNames: [awsRegion],
                };
            }
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return {
                    id: fakeAwsAccountId,
                    accountId: fakeAwsAccountId,
                    arn: `arn:aws:iam::${fakeAwsAccountId}:user/mock`,
                    userId: "AIDAMOCKMOCKMOCKMOCK",
                };
            case "aws:index/getPartition:getPartition":
                return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
            case "aws:index/getRegion:getRegion":
                return {
                    id: awsRegion,
                    name: awsRegion,
                    region: awsRegion,
                    endpoint: `ec2.${awsRegion}.amazonaws.com`,
                    description: "mock",
                };
            case "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings": {
                // Every mock zone offers every type.
                const ids = ["a", "b", "c"].map((_, i) => `mock-az${i + 1}`);
                const type = inputs.filters?.[0]?.values?.[0] ?? "mock";
                return {
                    id: awsRegion,
                    locations: ids,
                    locationTypes: ids.map(() => "availability-zone-id"),
                    instanceTypes: ids.map(() => type),
                };
            }
            case "aws:autoscaling/getAmiIds:getAmiIds":
                // A stack's first deployment: no Auto Scaling groups yet.
                return { id: awsRegion, names: [], arns: [] };
            case "aws:eks/getAddonVersion:getAddonVersion":
                return {
                    id: inputs.addonName,
                    addonName: inputs.addonName,
                    kubernetesVersion: inputs.kubernetesVersion,
                    version: fakeVersion,
                };
            case "azure-native:authorization:getClientConfig":
                return {
                    clientId: "00000000-0000-0000-0000-000000000002",
                    objectId: "00000000-0000-0000-0000-000000000003",
                    subscriptionId: fakeAzureSubscriptionId,
                    tenantId: fakeAzureTenantId,
                };
            case "azure-native:containerservice:listManagedClusterUserCredentials":
                return {
                    kubeconfigs: [
                        {
                            name: "clusterUser",
                            value: Buffer.from(fakeAksUserKubeconfig(String(inputs.resourceName ?? "aks"))).toString(
                                "base64",
                            ),
                        },
                    ],
                };
            case "gcp:compute/getZones:getZones": {
                const region = String(inputs.region ?? gcpRegion);
                return { id: region, names: ["a", "b", "c"].map((z) => `${region}-${z}`), project: gcpProject, region };
            }
            case "gcp:organizations/getClientConfig:getClientConfig":
                return {
                    id: "mock",
                    accessToken: "mock-access-token",
                    project: gcpProject,
                    region: gcpRegion,
                    zone: `${gcpRegion}-a`,
                };
            case "gcp:organizations/getProject:getProject":
                return {
                    id: `projects/${gcpProject}`,
                    projectId: gcpProject,
                    number: "000000000000",
                    name: gcpProject,
                };
            default:
                return {};
        }
    };
}

/** Whether `cloudCall` has an answer for `token` (the rest return `{}`). */
export function isMockedInvoke(token: string): boolean {
    return (mockedInvokes as readonly string[]).includes(token);
}
