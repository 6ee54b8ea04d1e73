// TorchServe's access log line, parsed into fields. TorchServe 0.12's frontend logs one line per
// request through the ACCESS_LOG logger (pytorch/serve v0.12.0, commit 6bdb1baf7254c2bfc40a6669b0d922c08ba5f37a):
//   frontend/server/src/main/java/org/pytorch/serve/http/Session.java toString():
//       remoteIp + " \"" + method + " " + uri + ' ' + protocol + "\" " + code + ' ' + duration
//   (duration in ms; gRPC calls: method "gRPC", uri the gRPC method, protocol HTTP/2.0, code the gRPC status)
//   frontend/server/src/main/resources/log4j2.xml: ACCESS_LOG is additive, so besides access_log.log
//   ("%d{ISO8601} - %m%n") each line reaches the root STDOUT appender ("%d{ISO8601} [%-5p] %t %c - %m%n").
// Both layouts put " - " before the message, so the pattern starts there and ends at the line's end.
//
// The pattern is written once in RE2 syntax ((?P<name>…) groups), the syntax of the shipper's
// stage.regex (Grafana Alloy loki.process) and of Cloud Logging; JavaScript reads the same text.

/** Fields of an access log line: who, what, how it went, how long it took. */
export const accessLogPattern =
    ' - (?P<remote>[^\\s"]+) "(?P<method>[A-Za-z]+) (?P<uri>[^\\s"]+) (?P<protocol>[^\\s"]+)" (?P<status>\\d+) (?P<latency_ms>\\d+)\\s*$';

/**
 * The model a request URI addresses: inference (/predictions/<m>[/<version>]), explanations,
 * management (/models/<m>…), and the KServe v1/v2 protocols (/v1/models/<m>:predict, /v2/models/<m>/infer).
 */
export const modelUriPattern = "^/(?:predictions|explanations|models|v1/models|v2/models)/(?P<model>[^/?:]+)";

/** An RE2 pattern with (?P<name>…) groups as a JavaScript RegExp. */
export function jsRegExp(re2: string): RegExp {
    return new RegExp(re2.replace(/\(\?P</g, "(?<"));
}

export interface AccessLogEntry {
    remote: string;
    method: string;
    uri: string;
    protocol: string;
    /** HTTP status, or the gRPC status code when `method` is `gRPC`. */
    status: number;
    latencyMs: number;
    /** Model the URI addresses; absent for gRPC and for URIs without one (/ping, /models?url=…). */
    model?: string;
}
