// Test-only readers of TorchServe's access log (kept out of components/, which ships in bin/): a
// parser for the lines the pattern the program ships matches, and the model-folded pattern and
// 5xx filter the README's CloudWatch Logs Insights / Cloud Logging queries use.
import { AccessLogEntry, accessLogPattern, jsRegExp, modelUriPattern } from "../../components/logging";

const line = jsRegExp(accessLogPattern);
const modelUri = jsRegExp(modelUriPattern);

/** Parses one log line; undefined when it is not an access log line. */
export function parseAccessLog(text: string): AccessLogEntry | undefined {
    const m = line.exec(text);
    if (!m?.groups) return undefined;
    const g = m.groups;
    const model = g.method === "gRPC" ? undefined : modelUri.exec(g.uri)?.groups?.model;
    return {
        remote: g.remote,
        method: g.method,
        uri: g.uri,
        protocol: g.protocol,
        status: Number(g.status),
        latencyMs: Number(g.latency_ms),
        ...(model !== undefined ? { model } : {}),
    };
}

/**
 * The access log pattern with the model's URI folded in: model, status and latency from one match,
 * for sinks that parse a line once (CloudWatch Logs Insights `parse`, KQL `extract`). Lines without
 * a model in the URI do not match.
 */
export const modelAccessLogPattern =
    ' - [^\\s"]+ "[A-Za-z]+ /(?:predictions|explanations|models|v1/models|v2/models)/(?P<model>[^/?:\\s"]+)[^\\s"]* [^\\s"]+" (?P<status>\\d+) (?P<latency_ms>\\d+)\\s*$';

/**
 * A Cloud Logging filter regex (RE2, no backslashes or quotes, so it needs no escaping inside the
 * query's double-quoted string) for `model`'s requests that ended with a 5xx status.
 */
export function serverErrorLineRegex(model: string): string {
    if (!/^[A-Za-z0-9_.-]+$/.test(model)) throw new Error(`model name ${model} would need escaping`);
    return ` - [^ ]+ .[A-Za-z]+ /(predictions|explanations|v1/models|v2/models)/${model.replace(/\./g, "[.]")}([/:?][^ ]*)? [^ ]+. 5[0-9][0-9] [0-9]+$`;
}
