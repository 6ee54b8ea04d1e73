// URLs in the config, all parsed one way: a scheme the key allows, `//`, a non-empty host (a DNS
// name of non-empty labels, an IPv4 address or a bracketed IPv6 one), an optional port in
// 1-65535, and nothing the WHATWG URL parser (what Node and the consumers read them with) refuses.
// Pure; one reason per problem.

const dnsName = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;
const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Why `url` is not a URL of one of `schemes` (lowercase), or undefined when it is one. */
export function urlProblem(url: string, schemes: readonly string[]): string | undefined {
    const expected = `expected an ${schemes.map((s) => `${s}://`).join(" or ")} URL`;
    if (/\s/.test(url)) return `${expected} (it contains a space)`;
    const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)/i.exec(url);
    if (!m || !schemes.includes(m[1].toLowerCase())) return expected;
    const authority = m[2].slice(m[2].lastIndexOf("@") + 1);
    const hp = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(authority)!;
    const [host, port] = [hp[1], hp[2]];
    if (host === "") return `${expected} with a host (it has none)`;
    if (!host.startsWith("[") && !ipv4.test(host) && !dnsName.test(host))
        return `host "${host}" is not a DNS name (labels of letters, digits and '-', none empty, at most 63 characters)`;
    if (port !== undefined) {
        if (!/^\d+$/.test(port)) return `port "${port}" is not a number`;
        const n = Number(port);
        if (n < 1 || n > 65535) return `port ${n} is outside 1-65535`;
    }
    try {
        new URL(url);
    } catch {
        return `${expected} (not a valid URL)`;
    }
    return undefined;
}
