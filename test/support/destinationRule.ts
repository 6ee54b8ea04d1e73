// Which consistent-hash key a DestinationRule applies to a subset, as Istio resolves it: a subset's
// own trafficPolicy replaces the top-level one, else the subset inherits it (istio.io
// docs/reference/config/networking/destination-rule, Subset: "Traffic policies that apply to this
// subset. Subsets inherit the traffic policies specified at the DestinationRule level"). Implements
// only consistentHash by httpCookie / httpHeaderName and throws on anything else.
import { FreeForm } from "../../components/cluster/freeform";

export type HashKey = { cookie: string } | { header: string };

function hashOf(policy: FreeForm | undefined): HashKey | undefined {
    if (policy === undefined) return undefined;
    for (const key of Object.keys(policy))
        if (key !== "loadBalancer") throw new Error(`unsupported trafficPolicy field ${key}`);
    const ch = policy.loadBalancer?.consistentHash;
    if (ch === undefined) throw new Error(`unsupported loadBalancer ${JSON.stringify(policy.loadBalancer)}`);
    const keys = Object.keys(ch);
    if (keys.length !== 1) throw new Error(`consistentHash must have exactly one key: ${JSON.stringify(ch)}`);
    if (ch.httpCookie !== undefined) return { cookie: ch.httpCookie.name };
    if (ch.httpHeaderName !== undefined) return { header: ch.httpHeaderName };
    throw new Error(`unsupported consistentHash ${JSON.stringify(ch)}`);
}

/** The hash key for traffic to `subset` (undefined = the whole host); throws if the subset is not declared. */
export function hashKeyFor(
    spec: { trafficPolicy?: FreeForm; subsets?: FreeForm[] },
    subset?: string,
): HashKey | undefined {
    const top = hashOf(spec.trafficPolicy);
    if (subset === undefined) return top;
    const s = (spec.subsets ?? []).find((x) => x.name === subset);
    if (s === undefined) throw new Error(`subset ${subset} is not declared`);
    return hashOf(s.trafficPolicy) ?? top;
}

/** The labels a subset selects; throws if the subset is not declared. */
export function subsetLabels(spec: { subsets?: FreeForm[] }, subset: string): Record<string, string> {
    const s = (spec.subsets ?? []).find((x) => x.name === subset);
    if (s === undefined) throw new Error(`subset ${subset} is not declared`);
    return s.labels;
}
