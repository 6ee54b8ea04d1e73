// Outputs a cloud computes during an update that the program reads back (kubeconfigs, endpoints,
// auto-generated names). Placeholders that read as such; tests assert only what the program
// derives from them (hence the exported constants), never these values for their own sake.
import * as yaml from "js-yaml";
import { MockResourceArgs } from "@pulumi/pulumi/runtime/mocks";
import { fakeAwsAccountId, fakeKubeconfig } from "./cloudMocks";

/** The issuer of the EKS cluster's OIDC provider (without https://) and that provider's ARN. */
export const fakeOidcIssuer = "oidc.eks.mock.invalid/id/MOCK";
export const fakeOidcProviderArn = `arn:aws:iam::${fakeAwsAccountId}:oidc-provider/${fakeOidcIssuer}`;
/** The security group EKS creates for the cluster and puts on managed nodes. */
export const fakeEksClusterSecurityGroupId = "sg-eks-cluster-mock";
/** The GKE control plane's address (RFC 5737 documentation range) and CA certificate (base64). */
/** AKS's OIDC issuer URL (https://<region>.oic.prod-aks.azure.com/<tenant>/<guid>/). */
export const fakeAksOidcIssuer = "https://eastus.oic.prod-aks.azure.com/00000000-0000-0000-0000-000000000001/mock/";
/** Client and principal (object) IDs Entra gives a user-assigned identity. */
export const fakeIdentityClientId = "00000000-0000-0000-0000-0000000000c1";
export const fakeIdentityPrincipalId = "00000000-0000-0000-0000-0000000000f1";
export const fakeGkeEndpoint = "203.0.113.10";
/** The control plane's private (PSC) endpoint, an address of the nodes' subnetwork 10.0.0.0/20. */
export const fakeGkePrivateEndpoint = "10.0.0.2";
export const fakeGkeCaCertificate = Buffer.from("mock-ca").toString("base64");
/** The address of the model store's Filestore share (RFC 5737 documentation range). */
export const fakeFilestoreIp = "192.0.2.2";

/**
 * The name a cloud resource gets when the program sets none: Pulumi auto-names it after the
 * logical name plus a random suffix, so a test can tell the two apart.
 */
export function autoName(logicalName: string): string {
    return `${logicalName}-mock`;
}

export function cloudComputed(args: MockResourceArgs): Record<string, any> | undefined {
    const i = args.inputs ?? {};
    switch (args.type) {
        case "eks:index:Cluster": {
            const name = i.name ?? args.name;
            return {
                // eks.Cluster's kubeconfig output is an object; kubeconfigJson is the same as text.
                kubeconfig: yaml.load(fakeKubeconfig(name)),
                kubeconfigJson: JSON.stringify(yaml.load(fakeKubeconfig(name))),
                eksCluster: {
                    name,
                    arn: `arn:aws:eks:us-west-2:${fakeAwsAccountId}:cluster/${name}`,
                    vpcConfig: { clusterSecurityGroupId: fakeEksClusterSecurityGroupId },
                },
                oidcProviderArn: fakeOidcProviderArn,
                oidcIssuer: fakeOidcIssuer,
                oidcProviderUrl: `https://${fakeOidcIssuer}`,
            };
        }
        case "aws:iam/role:Role": {
            const name = i.name ?? autoName(args.name);
            return { arn: `arn:aws:iam::${fakeAwsAccountId}:role/${name}`, name };
        }
        case "aws:ec2/launchTemplate:LaunchTemplate":
            return { latestVersion: 1 };
        case "aws:eks/nodeGroup:NodeGroup":
            return { resources: [{ autoscalingGroups: [{ name: `${args.name}-asg-mock` }] }] };
        case "azure-native:resources:ResourceGroup":
            return { name: i.resourceGroupName ?? args.name };
        case "azure-native:containerservice:ManagedCluster":
            return {
                name: i.resourceName ?? args.name,
                ...(i.oidcIssuerProfile?.enabled
                    ? { oidcIssuerProfile: { enabled: true, issuerURL: fakeAksOidcIssuer } }
                    : {}),
            };
        case "azure-native:managedidentity:UserAssignedIdentity":
            return {
                name: i.resourceName ?? autoName(args.name),
                clientId: fakeIdentityClientId,
                principalId: fakeIdentityPrincipalId,
            };
        case "gcp:serviceaccount/account:Account": {
            // https://cloud.google.com/iam/docs/service-account-overview: <id>@<project>.iam.gserviceaccount.com
            const email = `${i.accountId}@${i.project}.iam.gserviceaccount.com`;
            return { email, name: `projects/${i.project}/serviceAccounts/${email}` };
        }
        case "gcp:compute/network:Network":
        case "gcp:compute/router:Router":
            return { name: i.name ?? autoName(args.name) };
        case "gcp:filestore/instance:Instance":
            return {
                name: i.name ?? autoName(args.name),
                // RFC 5737 documentation address: the share's export as the cluster would mount it.
                networks: (i.networks ?? []).map((n: object) => ({ ...n, ipAddresses: [fakeFilestoreIp] })),
            };
        case "gcp:container/nodePool:NodePool":
            // A regional pool spans the region's default zones (GKE picks three) unless told otherwise.
            return {
                nodeLocations: i.nodeLocations ?? ["a", "b", "c"].map((z) => `${i.location ?? "us-central1"}-${z}`),
            };
        case "gcp:container/cluster:Cluster":
            return {
                endpoint: fakeGkeEndpoint,
                masterAuth: { clusterCaCertificate: fakeGkeCaCertificate },
                // A cluster created without masterIpv4CidrBlock reaches its nodes through a Private
                // Service Connect endpoint in the nodes' subnetwork (components/gke/defaults.ts addressPlan.nodes).
                privateClusterConfig: { ...i.privateClusterConfig, privateEndpoint: fakeGkePrivateEndpoint },
            };
        default:
            return undefined;
    }
}
