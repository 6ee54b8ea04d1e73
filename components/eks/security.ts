// The EKS control plane's security settings, as a pure function so tests read exactly what the
// cluster gets. Each one changes in place on an existing cluster: endpoint access and logging through
// UpdateClusterConfig (awsdocs/amazon-eks-user-guide latest/ug/clusters/cluster-endpoint.adoc,
// observability/control-plane-logs.adoc), the network-policy switch as an update of the vpc-cni
// add-on's configuration values.

/**
 * Control-plane logs sent to CloudWatch Logs (log group `/aws/eks/<cluster>/cluster`, created by EKS
 * with no expiry): who called the API (api, audit) and how they authenticated (authenticator).
 */
export const controlPlaneLogTypes = ["api", "audit", "authenticator"];

/**
 * pulumi-eks Cluster arguments that lock the control plane down:
 * - the private endpoint on, so nodes (and anything in the VPC) reach the API server without leaving
 *   it, and the public endpoint open only to `apiAllowedCidrs`;
 * - control-plane logs (`controlPlaneLogTypes`);
 * - NetworkPolicy enforced by the VPC CNI (its network policy agent; "network policies are not
 *   enabled by default"). pulumi-eks installs the CNI as the `vpc-cni` EKS add-on unless
 *   `useDefaultVpcCni` (pulumi-eks 4.3.0 nodejs/eks/cluster/cluster.ts: the add-on exists by default,
 *   so stacks created earlier already have it); stated false here because only the add-on carries
 *   the setting.
 */
export function controlPlaneSecurity(apiAllowedCidrs: string[]) {
    return {
        endpointPrivateAccess: true,
        endpointPublicAccess: true,
        publicAccessCidrs: apiAllowedCidrs,
        enabledClusterLogTypes: controlPlaneLogTypes,
        useDefaultVpcCni: false,
        vpcCniOptions: { enableNetworkPolicy: true },
    };
}
