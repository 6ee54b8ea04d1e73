// How config mistakes are reported: one line per problem, naming the key, the bad value and what
// is allowed. Collected across the whole config so a user fixes everything in one round.

/** Thrown by parseStackConfig; `message` is the problems, one per line, no stack trace wanted. */
export class ConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(problems.join("\n"));
        this.name = "ConfigError";
    }
}

/** Shows a config value as the user wrote it. */
export function show(value: unknown): string {
    if (value === undefined) return "nothing";
    const text = JSON.stringify(value);
    return text.length > 80 ? text.slice(0, 77) + "..." : text;
}

export class Problems {
    readonly errors: string[] = [];
    readonly warnings: string[] = [];

    /** `key` is the full key a user types, e.g. `torchserve-platform:torchserve.replicas`. */
    error(key: string, value: unknown, allowed: string): void {
        this.errors.push(`${key}: ${show(value)} is not allowed; ${allowed}`);
    }

    /** A problem whose wording does not fit "value is not allowed" (missing keys, combinations). */
    errorText(key: string, text: string): void {
        this.errors.push(`${key}: ${text}`);
    }

    warn(key: string, text: string): void {
        this.warnings.push(`${key}: ${text}`);
    }
}

function normalise(s: string): string {
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
    const alias = aliases[normalise(key)];
    if (alias) return alias;
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const candidate of allowed) {
        const d = editDistance(normalise(key), normalise(candidate));
        if (d < bestDistance) {
            best = candidate;
            bestDistance = d;
        }
    }
    const limit = Math.max(2, Math.floor(normalise(key).length / 3));
    return bestDistance <= limit ? best : undefined;
}
