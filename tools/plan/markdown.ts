// Values in Markdown as the summaries and diffs show them: in code spans, compact, one line.

/** `text` as a Markdown code span (longer fences where the text holds backticks). */
export function code(text: string): string {
    const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
    const fence = "`".repeat(longest + 1);
    const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
    return `${fence}${pad}${text}${pad}${fence}`;
}

/** Longest value shown inline before it is cut with an ellipsis. */
export const INLINE_LIMIT = 160;

function cut(text: string, limit: number): string {
    return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

/** A value as one line: strings as they are, everything else as JSON. */
export function valueText(value: unknown, limit = INLINE_LIMIT): string {
    if (typeof value === "string") {
        const lines = value.split("\n").length;
        return lines > 1 ? `(${lines} lines)` : cut(value, limit);
    }
    return cut(JSON.stringify(value) ?? "undefined", limit);
}

/** A value inline in Markdown: a code span, or `(N lines)` for a multi-line string. */
export function inline(value: unknown, limit = INLINE_LIMIT): string {
    const t = valueText(value, limit);
    return typeof value === "string" && value.includes("\n") ? t : code(t);
}

/**
 * A value as a reviewer skims it: scalars as they are, lists comma-separated, objects as
 * `key=value` pairs with nested keys dotted.
 */
export function skim(value: unknown, limit = INLINE_LIMIT): string {
    const flat = (v: unknown, prefix: string, out: string[]) => {
        if (v && typeof v === "object" && !Array.isArray(v)) {
            const entries = Object.entries(v as Record<string, unknown>);
            if (!entries.length) out.push(prefix ? `${prefix}={}` : "{}");
            for (const [k, x] of entries) flat(x, prefix ? `${prefix}.${k}` : k, out);
        } else if (Array.isArray(v) && v.every((e) => !e || typeof e !== "object")) {
            out.push(`${prefix ? `${prefix}=` : ""}${v.map((e) => valueText(e)).join(", ") || "[]"}`);
        } else if (Array.isArray(v)) {
            out.push(`${prefix ? `${prefix}=` : ""}[${v.map((e) => skim(e, limit)).join("; ")}]`);
        } else out.push(`${prefix ? `${prefix}=` : ""}${valueText(v)}`);
    };
    const out: string[] = [];
    flat(value, "", out);
    return cut(out.join(", "), limit);
}
