// How config mistakes are reported: one line per problem, naming the key, the bad value and what
// is allowed. Collected across the whole config so a user fixes everything in one round.

/** Thrown by parseStackConfig; `message` is the problems, one per line, no stack trace wanted. */
export class ConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(problems.join("\n"));
        this.name = "ConfigError";
    }
}

/** YAML `~`/`null` and an absent key mean the same: use the default. */
export function isUnset(value: unknown): value is undefined | null {
    return value === undefined || value === null;
}

/**
 * Characters that do not show in a terminal or editor: format characters (zero-width spaces and
 * joiners, BOM, soft hyphen, bidi marks), spaces other than U+0020 (no-break, thin, ideographic…),
 * line/paragraph separators and control characters other than tab and newlines (a kubeconfig's
 * contents has those).
 */
const invisible = /[\p{Cf}\p{Zl}\p{Zp}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]|(?![\t\n\r])\p{Cc}/u;
const invisibleGlobal = new RegExp(invisible.source, "gu");

/** Whether a string holds characters `show` has to escape to make visible. */
export function hasInvisible(text: string): boolean {
    return invisible.test(text);
}

/** Numbers JSON cannot write (1e309 parses as Infinity), shown as themselves instead of "null". */
function jsonSafe(_key: string, v: unknown): unknown {
    return typeof v === "number" && !Number.isFinite(v) ? `${v} (too large a number)` : v;
}

/** Shows a config value as the user wrote it, invisible characters escaped (`\u200b`). */
export function show(value: unknown): string {
    if (value === undefined) return "nothing";
    if (typeof value === "number" && !Number.isFinite(value)) return `${value} (too large a number)`;
    const text = JSON.stringify(value, jsonSafe).replace(
        invisibleGlobal,
        (c) => "\\u" + c.codePointAt(0)!.toString(16).padStart(4, "0"),
    );
    return text.length > 80 ? text.slice(0, 77) + "..." : text;
}

/** Whether `value` (or a string inside it) holds invisible characters. */
function containsInvisible(value: unknown): boolean {
    if (typeof value === "string") return hasInvisible(value);
    if (value && typeof value === "object") return Object.values(value).some(containsInvisible);
    return false;
}

export class Problems {
    readonly errors: string[] = [];
    readonly warnings: string[] = [];

    /** `key` is the full key a user types, e.g. `torchserve-platform:torchserve.replicas`. */
    error(key: string, value: unknown, allowed: string): void {
        const note = containsInvisible(value) ? " (it holds invisible characters, shown as \\u escapes)" : "";
        this.errors.push(`${key}: ${show(value)}${note} is not allowed; ${allowed}`);
    }

    /** A problem whose wording does not fit "value is not allowed" (missing keys, combinations). */
    errorText(key: string, text: string): void {
        this.errors.push(`${key}: ${text}`);
    }

    warn(key: string, text: string): void {
        this.warnings.push(`${key}: ${text}`);
    }
}

/** Lowercase, separators dropped: `persitant_volume` and `persitantVolume` compare alike. */
export function normaliseKey(s: string): string {
    return s.toLowerCase().replace(/[^a-z0-9]/g, "");
}

function editDistance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        let prev = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const cur = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
            prev = cur;
        }
    }
    return row[b.length];
}

/**
 * The allowed key a mistyped one most likely meant: the original Helm chart's names first
 * (`aliases`), then the closest allowed key ignoring case and separators.
 */
export function didYouMean(
    key: string,
    allowed: readonly string[],
    aliases: Record<string, string> = {},
): string | undefined {
    const alias = aliases[normaliseKey(key)];
    if (alias) return alias;
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const candidate of allowed) {
        const d = editDistance(normaliseKey(key), normaliseKey(candidate));
        if (d < bestDistance) {
            best = candidate;
            bestDistance = d;
        }
    }
    const limit = Math.max(2, Math.floor(normaliseKey(key).length / 3));
    return bestDistance <= limit ? best : undefined;
}

/**
 * "unknown key" with the best hint: a name from the original Helm chart (`aliases`) gets where
 * it lives here, a typo the closest allowed key.
 */
export function unknownKeyText(key: string, allowed: readonly string[], aliases: Record<string, string> = {}): string {
    const alias = aliases[normaliseKey(key)];
    const near = alias ? undefined : didYouMean(key, allowed);
    const hint = alias
        ? `; the original Helm chart's "${key}" is "${alias}" here`
        : near
          ? `; did you mean "${near}"?`
          : "";
    return `unknown key${hint} (allowed: ${allowed.join(", ")})`;
}
