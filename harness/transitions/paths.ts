// Property paths the way Pulumi spells them in `ignoreChanges` and diffs: `a.b`, `a[0].b`,
// `a["x.y"]`, with `*` matching any key or index. Values are plain JSON (the recorded inputs).

export type Segment = string | number;

/** `scalingConfig.desiredSize`, `agentPoolProfiles[0].count`, `labels["a.b/c"]` → segments. */
export function parsePath(path: string): Segment[] {
    const out: Segment[] = [];
    const re = /([^.[\]]+)|\[(\d+|\*)\]|\["((?:[^"\\]|\\.)*)"\]/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(path)) !== null) {
        if (m[1] !== undefined) out.push(m[1]);
        else if (m[2] !== undefined) out.push(m[2] === "*" ? "*" : Number(m[2]));
        else out.push(m[3].replace(/\\(.)/g, "$1"));
    }
    return out;
}

/** Segments → the path Pulumi would print. */
export function formatPath(segments: Segment[]): string {
    let s = "";
    for (const seg of segments) {
        if (typeof seg === "number" || (seg === "*" && s)) s += `[${seg}]`;
        else if (/^[A-Za-z_$][\w$-]*$/.test(seg) && !seg.includes("-")) s += s ? `.${seg}` : seg;
        else s += `["${seg.replace(/"/g, '\\"')}"]`;
    }
    return s;
}

export function getPath(value: unknown, segments: Segment[]): unknown {
    let v: any = value;
    for (const seg of segments) {
        if (v === undefined || v === null || typeof v !== "object") return undefined;
        v = v[seg as any];
    }
    return v;
}

/** A copy of `value` with `segments` set to `replacement` (removed when undefined). */
export function setPath(value: unknown, segments: Segment[], replacement: unknown): unknown {
    if (segments.length === 0) return replacement;
    const [head, ...rest] = segments;
    const base: any = Array.isArray(value)
        ? [...value]
        : value && typeof value === "object"
          ? { ...value }
          : typeof head === "number"
            ? []
            : {};
    const next = setPath(base[head as any], rest, replacement);
    if (next === undefined && !Array.isArray(base)) delete base[head as any];
    else base[head as any] = next;
    return base;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/** The leaf paths where `a` and `b` differ (a whole subtree when one side lacks it). */
export function diffPaths(a: unknown, b: unknown, prefix: Segment[] = []): Segment[][] {
    if (Array.isArray(a) && Array.isArray(b)) {
        const out: Segment[][] = [];
        for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(...diffPaths(a[i], b[i], [...prefix, i]));
        return out;
    }
    if (isObject(a) && isObject(b)) {
        const out: Segment[][] = [];
        for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort())
            out.push(...diffPaths(a[k], b[k], [...prefix, k]));
        return out;
    }
    return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix];
}

/**
 * Whether a change at `changed` touches the field `pattern` names: the change is inside the field,
 * or replaces a whole object that holds it. `*` in the pattern matches any key or index.
 */
export function touches(changed: Segment[], pattern: Segment[]): boolean {
    const n = Math.min(changed.length, pattern.length);
    for (let i = 0; i < n; i++) {
        if (pattern[i] !== "*" && pattern[i] !== changed[i]) return false;
    }
    return true;
}
