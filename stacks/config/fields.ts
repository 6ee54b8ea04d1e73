// Typed readers for raw config values. Each records a problem (and returns the default) instead of
// throwing, so every mistake in a stack file is reported at once.
import { parseQuantity } from "../../components/cluster/quantity";
import { hasInvisible, isUnset, Problems, unknownKeyText } from "./problems";
import { urlProblem } from "./urls";

export type Raw = Record<string, unknown>;

export { parseQuantity };

export interface NumberRule {
    min?: number;
    max?: number;
    /** Strictly greater than this. */
    above?: number;
    integer?: boolean;
    /** A multiple of this (CPU in millicores: 0.001). */
    step?: number;
    /** Said after the rule in an error, e.g. what the unit is. */
    note?: string;
}

/** A pod's CPU request in cores (TorchServe's and Triton's `nCpu`). */
export const cpuCoresRule: NumberRule = {
    above: 0,
    max: 512,
    step: 0.001,
    note: "Kubernetes counts CPU in millicores, 0.001 = 1m",
};

function isMultiple(v: number, step: number): boolean {
    const n = v / step;
    return Math.abs(n - Math.round(n)) <= 1e-9 * Math.max(1, Math.abs(n));
}

function describe(rule: NumberRule): string {
    const parts = [rule.integer ? "an integer" : "a number"];
    if (rule.above !== undefined) parts.push(`> ${rule.above}`);
    if (rule.min !== undefined && rule.max !== undefined) parts.push(`from ${rule.min} to ${rule.max}`);
    else if (rule.min !== undefined) parts.push(`>= ${rule.min}`);
    else if (rule.max !== undefined) parts.push(`<= ${rule.max}`);
    if (rule.step !== undefined) parts.push(`in steps of ${rule.step}`);
    return "expected " + parts.join(" ") + (rule.note ? ` (${rule.note})` : "");
}

/** Reads one config section; `prefix` is the key path users see (`torchserve-platform:torchserve`). */
export class SectionReader {
    constructor(
        readonly problems: Problems,
        readonly prefix: string,
    ) {}

    key(name: string): string {
        return `${this.prefix}.${name}`;
    }

    /** A nested section reader (`torchserve.canary`). */
    child(name: string): SectionReader {
        return new SectionReader(this.problems, this.key(name));
    }

    /**
     * Checks `value` is an object with only `allowed` keys; returns it ({} when absent, undefined
     * when not an object). Unknown keys get a did-you-mean hint, from `aliases` first.
     */
    static object(
        problems: Problems,
        key: string,
        value: unknown,
        allowed: readonly string[],
        aliases: Record<string, string> = {},
    ): Raw | undefined {
        if (isUnset(value)) return {};
        if (typeof value !== "object" || Array.isArray(value)) {
            problems.error(key, value, `expected an object with keys ${allowed.join(", ")}`);
            return undefined;
        }
        for (const k of Object.keys(value)) {
            if (!allowed.includes(k)) problems.errorText(`${key}.${k}`, unknownKeyText(k, allowed, aliases));
        }
        return value as Raw;
    }

    number(obj: Raw, name: string, fallback: number, rule: NumberRule): number {
        const v = obj[name];
        if (v === undefined || v === null) return fallback;
        const ok =
            typeof v === "number" &&
            Number.isFinite(v) &&
            (!rule.integer || Number.isInteger(v)) &&
            (rule.min === undefined || v >= rule.min) &&
            (rule.max === undefined || v <= rule.max) &&
            (rule.above === undefined || v > rule.above) &&
            (rule.step === undefined || isMultiple(v, rule.step));
        if (!ok) {
            this.problems.error(this.key(name), v, describe(rule));
            return fallback;
        }
        return v as number;
    }

    int(obj: Raw, name: string, fallback: number, rule: Omit<NumberRule, "integer"> = {}): number {
        return this.number(obj, name, fallback, { ...rule, integer: true });
    }

    bool(obj: Raw, name: string, fallback: boolean): boolean {
        const v = obj[name];
        if (v === undefined || v === null) return fallback;
        if (typeof v !== "boolean") {
            this.problems.error(this.key(name), v, "expected true or false");
            return fallback;
        }
        return v;
    }

    optionalString(obj: Raw, name: string, pattern?: RegExp, allowed = "expected a string"): string | undefined {
        const v = obj[name];
        if (isUnset(v)) return undefined;
        if (v === "") {
            // An empty value is easy to leave behind (`pulumi config set --path x ""`): say so.
            this.problems.error(this.key(name), v, `it is empty: ${allowed}, or remove the key for the default`);
            return undefined;
        }
        if (typeof v === "string" && hasInvisible(v)) {
            // A pasted zero-width or no-break space: free-text values would otherwise carry it along.
            this.problems.error(this.key(name), v, `retype it without the invisible characters; ${allowed}`);
            return undefined;
        }
        if (typeof v !== "string" || (pattern && !pattern.test(v))) {
            this.problems.error(this.key(name), v, allowed);
            return undefined;
        }
        return v;
    }

    string(obj: Raw, name: string, fallback: string, pattern?: RegExp, allowed?: string): string {
        return this.optionalString(obj, name, pattern, allowed) ?? fallback;
    }

    oneOf<T extends string>(obj: Raw, name: string, fallback: T, options: readonly T[]): T {
        const v = obj[name];
        if (v === undefined || v === null) return fallback;
        if (typeof v !== "string" || !options.includes(v as T)) {
            this.problems.error(this.key(name), v, `expected one of ${options.join(", ")}`);
            return fallback;
        }
        return v as T;
    }

    /**
     * A URL of one of `schemes` (stacks/config/urls.ts), the scheme lowercased (RFC 3986 3.1:
     * case-insensitive; consumers compare it lowercase). `secret`: the value is not echoed.
     */
    url(obj: Raw, name: string, schemes: readonly string[], secret = false): string | undefined {
        const v = obj[name];
        if (isUnset(v)) return undefined;
        const problem =
            typeof v !== "string"
                ? `expected an ${schemes.map((s) => `${s}://`).join(" or ")} URL`
                : hasInvisible(v)
                  ? "retype it without the invisible characters"
                  : urlProblem(v, schemes);
        if (problem) {
            if (secret) this.problems.errorText(this.key(name), `${problem} (value not shown: it is a credential)`);
            else this.problems.error(this.key(name), v, problem);
            return undefined;
        }
        return (v as string).replace(/^[a-z][a-z0-9+.-]*:/i, (scheme) => scheme.toLowerCase());
    }

    /** A quantity of bytes (memory, volume sizes): zero is refused unless `positive` is false. */
    quantity(obj: Raw, name: string, fallback: string, positive = true): string {
        const v = obj[name];
        if (isUnset(v)) return fallback;
        const bytes = typeof v === "string" ? parseQuantity(v) : undefined;
        const milli = typeof v === "string" ? /^(.*\d)m$/.exec(v) : null;
        if (typeof v === "string" && bytes !== undefined && (milli || !Number.isInteger(bytes))) {
            // Kubernetes takes `512m` (milli) for memory: 0.512 bytes, rounded up to 1. Never what was meant.
            this.problems.error(
                this.key(name),
                v,
                milli
                    ? `"m" means milli: that is ${bytes} bytes; did you mean ${milli[1]}Mi (mebibytes) or ${milli[1]}M (megabytes)?`
                    : `that is ${bytes} bytes, not a whole number; use a suffix such as Mi or Gi`,
            );
            return fallback;
        }
        if (positive && bytes === 0) {
            this.problems.error(this.key(name), v, "must be larger than zero");
            return fallback;
        }
        if (typeof v !== "string" || parseQuantity(v) === undefined) {
            this.problems.error(
                this.key(name),
                v,
                "expected a Kubernetes quantity such as 512Mi, 4Gi or 1Ti (binary suffixes Ki/Mi/Gi/Ti, decimal k/M/G/T)",
            );
            return fallback;
        }
        return v;
    }

    stringList(obj: Raw, name: string, fallback: string[], pattern: RegExp, allowed: string): string[] {
        const v = obj[name];
        if (v === undefined || v === null) return fallback;
        if (!Array.isArray(v) || v.length === 0 || !v.every((s) => typeof s === "string" && pattern.test(s))) {
            this.problems.error(this.key(name), v, allowed);
            return fallback;
        }
        return v as string[];
    }

    /** A section given as `true`/`false` or `{enabled, ...}`; returns the object and the flag. */
    toggle(value: unknown, allowed: readonly string[], fallback: boolean): { enabled: boolean; obj: Raw } {
        if (typeof value === "boolean") return { enabled: value, obj: {} };
        const obj = SectionReader.object(this.problems, this.prefix, value, ["enabled", ...allowed]) ?? {};
        const enabled = this.bool(obj, "enabled", fallback);
        if (obj.enabled === undefined && Object.keys(obj).length > 0) {
            this.problems.warn(
                this.prefix,
                fallback
                    ? `settings given but no "enabled": it is on (the default); add enabled: false to turn it off`
                    : `settings given but no "enabled": it stays off; add enabled: true to turn it on`,
            );
        }
        return { enabled, obj };
    }
}
