// Who may reach a created cluster's Kubernetes API server from outside its network: one list of IPv4
// CIDR blocks, applied by each cloud in its own terms (EKS public access CIDRs, AKS authorized IP
// ranges, GKE master authorized networks). Nodes always reach the API server privately.

/** The block that allows every address: accepted, but only when a stack says so (it warns). */
export const anyAddress = "0.0.0.0/0";

/**
 * Most blocks each cloud accepts: EKS publicAccessCidrs 40 (EKS API UpdateClusterConfig,
 * VpcConfigRequest.publicAccessCidrs), AKS authorizedIPRanges 200 (learn.microsoft.com/azure/aks/
 * api-server-authorized-ip-ranges, "Limitations"), GKE master authorized networks 50 for a cluster
 * with a public endpoint (cloud.google.com/kubernetes-engine/docs/how-to/authorized-networks).
 */
export const maxApiAllowedCidrs = { aws: 40, azure: 200, gcp: 50 } as const;

const cidrPattern = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * Why `cidr` is not a canonical IPv4 CIDR block, or undefined when it is. Canonical = no host bits
 * set: the clouds reject (or silently widen) `203.0.113.7/24`, so the fix is named.
 */
export function cidrProblem(cidr: string): string | undefined {
    const m = cidrPattern.exec(cidr);
    const octets = m ? m.slice(1, 5).map(Number) : [];
    const prefix = m ? Number(m[5]) : NaN;
    if (!m || octets.some((o) => o > 255) || prefix > 32) {
        return `${JSON.stringify(cidr)} is not an IPv4 CIDR block such as 203.0.113.0/24 (a single address: 203.0.113.7/32)`;
    }
    const address = octets.reduce((acc, o) => acc * 256 + o, 0);
    const size = 2 ** (32 - prefix);
    const network = address - (address % size);
    if (network !== address) {
        const n = [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join(".");
        return `${JSON.stringify(cidr)} has host bits set; the block is ${n}/${prefix}`;
    }
    return undefined;
}
