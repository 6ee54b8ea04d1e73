// Outputs a cloud computes during an update that the program reads back (kubeconfigs, endpoints,
// auto-generated names). Placeholders that read as such; no test asserts these values themselves,
// only what the program derives from them.
import { MockResourceArgs } from "@pulumi/pulumi/runtime/mocks";
import { fakeKubeconfig } from "../../tools/cloudMocks";

export function cloudComputed(args: MockResourceArgs): Record<string, any> | undefined {
    const i = args.inputs ?? {};
    switch (args.type) {
        case "eks:index:Cluster":
            return {
                kubeconfig: fakeKubeconfig(i.name ?? args.name),
                kubeconfigJson: fakeKubeconfig(i.name ?? args.name),
                eksCluster: { name: i.name ?? args.name, arn: `arn:aws:eks:us-west-2:123456789012:cluster/${i.name ?? args.name}` },
                oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.mock.invalid/id/MOCK",
                oidcIssuer: "oidc.eks.mock.invalid/id/MOCK",
                oidcProviderUrl: "https://oidc.eks.mock.invalid/id/MOCK",
            };
        case "aws:iam/role:Role":
            return { arn: `arn:aws:iam::123456789012:role/${args.name}`, name: args.name };
        case "aws:eks/nodeGroup:NodeGroup":
            return { resources: [{ autoscalingGroups: [{ name: `${args.name}-asg-mock` }] }] };
        case "azure-native:resources:ResourceGroup":
            return { name: i.resourceGroupName ?? args.name };
        case "azure-native:containerservice:ManagedCluster":
            return { name: i.resourceName ?? args.name };
        case "gcp:compute/network:Network":
            return { name: i.name ?? `${args.name}-mock` };
        case "gcp:container/cluster:Cluster":
            return { endpoint: "203.0.113.10", masterAuth: { clusterCaCertificate: Buffer.from("mock-ca").toString("base64") } };
        default:
            return undefined;
    }
}
