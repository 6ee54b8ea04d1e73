// `loadBalancerSourceRanges` keys: lists of CIDRs a LoadBalancer Service accepts connections from
// (Kubernetes ServiceSpec.loadBalancerSourceRanges; the cloud turns them into security-group,
// NSG or firewall rules). Pure.
import { isIPv4, isIPv6 } from "net";
import { isUnset, Problems } from "./problems";

/**
 * Why `text` is not a CIDR this program accepts, or undefined when it is one: an IPv4 or IPv6
 * address, `/`, a prefix length. IPv4 needs the network address itself (`10.0.0.0/8`, not
 * `10.1.2.3/8`): clouds differ on whether they mask host bits or refuse them, and a written
 * `10.1.2.3/8` most likely meant `/32`.
 */
export function cidrProblem(text: string): string | undefined {
    const m = /^([^/\s]+)\/(\d{1,3})$/.exec(text);
    if (!m) {
        return isIPv4(text) || isIPv6(text)
            ? `a single address needs a prefix length: ${text}${isIPv4(text) ? "/32" : "/128"}`
            : 'expected a CIDR such as "203.0.113.0/24" or "2001:db8::/32"';
    }
    const [, address, bitsText] = m;
    const bits = Number(bitsText);
    if (isIPv6(address)) return bits <= 128 ? undefined : "an IPv6 prefix length is at most 128";
    // net.isIPv4 refuses leading zeros (010.0.0.1), which some parsers read as octal.
    if (!isIPv4(address)) return 'expected a CIDR such as "203.0.113.0/24" or "2001:db8::/32"';
    if (bits > 32) return "an IPv4 prefix length is at most 32";
    const value = address.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
    const size = 2 ** (32 - bits);
    const network = value - (value % size);
    if (network !== value) {
        const dotted = [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join(".");
        return `host bits are set: the network is ${dotted}/${bits} (or write ${address}/32 for this one address)`;
    }
    return undefined;
}

/** A `loadBalancerSourceRanges` key: absent = undefined (open to all); else a non-empty list of CIDRs. */
export function readSourceRanges(problems: Problems, key: string, value: unknown): string[] | undefined {
    if (isUnset(value)) return undefined;
    if (!Array.isArray(value) || value.length === 0) {
        problems.error(
            key,
            value,
            'expected a non-empty list of CIDRs such as ["203.0.113.0/24"] (leave the key out to accept every address)',
        );
        return undefined;
    }
    let ok = true;
    value.forEach((entry, i) => {
        const problem = typeof entry === "string" ? cidrProblem(entry) : "expected a CIDR string";
        if (problem) {
            problems.error(`${key}[${i}]`, entry, problem);
            ok = false;
        }
    });
    return ok ? (value as string[]) : undefined;
}
