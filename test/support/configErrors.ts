// What the config parser answers for a stack config, for the config tests' tables.
import { ConfigError, parseStackConfig } from "../../stacks/config/parse";
import { RawStackConfig } from "../../stacks/config/read";

/** The one-line problems a stack config is refused with ([] when it is accepted). */
export function errorsOf(r: RawStackConfig): string[] {
    try {
        parseStackConfig(r);
    } catch (e) {
        if (e instanceof ConfigError) return e.problems;
        throw e;
    }
    return [];
}
