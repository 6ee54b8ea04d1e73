// Field paths as a reviewer reads them: `spec.template.spec.containers[torchserve].resources.limits.memory`
// — dotted keys, array elements by their `name` where they have one, `["…"]` for keys that are not
// plain words (`labels["torchserve.pytorch.org/pool"]`), `[0]` for unnamed elements.

export type Segment = { key: string } | { index: number } | { named: string };

// Plain words, and the `(protect)`-style names the diff gives resource options.
const word = /^(?:[A-Za-z_][A-Za-z0-9_-]*|\([A-Za-z]+\))$/;

export function formatPath(segments: readonly Segment[]): string {
    let out = "";
    for (const s of segments) {
        if ("key" in s) out += word.test(s.key) ? (out ? "." : "") + s.key : `[${JSON.stringify(s.key)}]`;
        else if ("index" in s) out += `[${s.index}]`;
        else
            out +=
                /^[^\]["\s]+$/.test(s.named) && !/^\d+$/.test(s.named)
                    ? `[${s.named}]`
                    : `[${JSON.stringify(s.named)}]`;
    }
    return out;
}

/** A rule's path: keys, and `*` for "any element of this array". */
export type RulePath = (string | typeof ANY)[];
export const ANY = Symbol("any element");

/**
 * `spec.template.spec.containers[*].image` → ["spec", "template", "spec", "containers", ANY, "image"];
 * keys that are not plain words in brackets as JSON strings (`annotations["example.com/key"]`).
 */
export function parseRulePath(text: string): RulePath {
    const out: RulePath = [];
    const token = /\[\*\]|\[("(?:[^"\\]|\\.)*")\]|\.?([^.[\]]+)/y;
    while (token.lastIndex < text.length) {
        const at = token.lastIndex;
        const m = token.exec(text);
        if (!m || (at === 0 && m[0].startsWith("."))) throw new Error(`bad path ${JSON.stringify(text)} at ${at}`);
        out.push(m[1] !== undefined ? (JSON.parse(m[1]) as string) : m[2] !== undefined ? m[2] : ANY);
    }
    if (!out.length) throw new Error("empty path");
    return out;
}

/**
 * Whether a change at `segments` touches the field `rule` names: the change is inside the field, or
 * the field is inside what changed (a whole `spec` added or removed contains `spec.selector`).
 */
export function touches(rule: RulePath, segments: readonly Segment[]): boolean {
    const n = Math.min(rule.length, segments.length);
    for (let i = 0; i < n; i++) {
        const r = rule[i];
        const s = segments[i];
        if (r === ANY ? "key" in s : !("key" in s) || s.key !== r) return false;
    }
    return true;
}
