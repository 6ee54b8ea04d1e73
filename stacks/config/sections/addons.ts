// The optional add-ons: `prometheus`, `grafana`, `autoscaling`, `istio`. Each accepts true/false
// or an object with `enabled`.
import type { AlertReceiversSpec } from "../../../components/monitoring/alerting";
import { SectionReader } from "../fields";
import { hasInvisible, isUnset, Problems } from "../problems";
import { AutoscalingSettings, GrafanaSettings, IstioSettings, PrometheusSettings, serviceTypes } from "../settings";
import { readSourceRanges } from "../sourceRanges";
import { dnsLabel, hostName, repeated } from "../dnsNames";

const promDuration = /^\d+(ms|s|m|h|d|w|y)$/;

export function readPrometheus(problems: Problems, prefix: string, value: unknown): PrometheusSettings {
    const r = new SectionReader(problems, prefix);
    const { enabled, obj } = r.toggle(value, ["retention", "storageSize", "namespace"], false);
    return {
        enabled,
        retention: r.string(obj, "retention", "15d", promDuration, "expected a Prometheus duration such as 15d or 48h"),
        storageSize: r.quantity(obj, "storageSize", "50Gi"),
        namespace: r.string(obj, "namespace", "monitoring", dnsLabel, "expected a Kubernetes namespace name"),
        // (checked against reserved names and TorchServe's namespace in checkCombinations)
    };
}

export function readGrafana(problems: Problems, prefix: string, value: unknown): GrafanaSettings {
    const r = new SectionReader(problems, prefix);
    const { enabled, obj } = r.toggle(value, ["serviceType", "prometheusUrl", "loadBalancerSourceRanges"], false);
    return {
        enabled,
        serviceType: r.oneOf(obj, "serviceType", "ClusterIP", serviceTypes),
        loadBalancerSourceRanges: readSourceRanges(
            problems,
            r.key("loadBalancerSourceRanges"),
            obj.loadBalancerSourceRanges,
        ),
        prometheusUrl: r.url(obj, "prometheusUrl", ["http", "https"]),
    };
}

export function readAutoscaling(problems: Problems, prefix: string, value: unknown): AutoscalingSettings {
    const r = new SectionReader(problems, prefix);
    const { enabled, obj } = r.toggle(
        value,
        [
            "minReplicas",
            "maxReplicas",
            "targetRequestsPerSecond",
            "targetQueueLatencyMs",
            "scaleDownStabilizationSeconds",
        ],
        false,
    );
    if (!isUnset(obj.targetQueueLatencyMs))
        problems.errorText(
            r.key("targetQueueLatencyMs"),
            "replaced by targetRequestsPerSecond: TorchServe records queue latency for REST requests only, so gRPC load never scaled",
        );
    // 0 = scale to zero; allowed only with a wake-up signal (checkCombinations).
    const minReplicas = r.int(obj, "minReplicas", 1, { min: 0, max: 1000 });
    const maxReplicas = r.int(obj, "maxReplicas", Math.max(2, minReplicas), { min: 1, max: 1000 });
    if (maxReplicas < minReplicas)
        problems.error(r.key("maxReplicas"), maxReplicas, `must be >= minReplicas (${minReplicas})`);
    return {
        enabled,
        minReplicas,
        maxReplicas,
        targetRequestsPerSecond: r.number(obj, "targetRequestsPerSecond", 5, { above: 0, max: 100000 }),
        scaleDownStabilizationSeconds: r.int(obj, "scaleDownStabilizationSeconds", 300, { min: 0, max: 3600 }),
    };
}

export function readIstio(problems: Problems, prefix: string, value: unknown): IstioSettings {
    const r = new SectionReader(problems, prefix);
    const { enabled, obj } = r.toggle(
        value,
        [
            "gatewayServiceType",
            "hosts",
            "tlsCredentialName",
            "sessionCookie",
            "exposeMetrics",
            "exposeManagement",
            "strictMtls",
            "jwt",
            "inferenceFromNamespaces",
            "loadBalancerSourceRanges",
        ],
        false,
    );

    const cookieKey = r.key("sessionCookie");
    const cookie = SectionReader.object(problems, cookieKey, obj.sessionCookie, ["name", "ttl"]) ?? {};
    const c = new SectionReader(problems, cookieKey);

    let jwt: IstioSettings["jwt"];
    if (!isUnset(obj.jwt)) {
        const jwtKey = r.key("jwt");
        const j =
            SectionReader.object(problems, jwtKey, obj.jwt, ["issuer", "jwksUri", "audiences", "managementClaims"]) ??
            {};
        const jr = new SectionReader(problems, jwtKey);
        const issuer = jr.optionalString(j, "issuer");
        const jwksUri = jr.url(j, "jwksUri", ["https"]);
        if (isUnset(j.issuer)) problems.errorText(`${jwtKey}.issuer`, "required when jwt is set");
        if (isUnset(j.jwksUri)) problems.errorText(`${jwtKey}.jwksUri`, "required when jwt is set");
        const managementClaims = readClaims(problems, `${jwtKey}.managementClaims`, j.managementClaims);
        const audiences = readAudiences(problems, `${jwtKey}.audiences`, j.audiences);
        if (issuer && jwksUri)
            jwt = {
                issuer,
                jwksUri,
                ...(audiences ? { audiences } : {}),
                ...(managementClaims ? { managementClaims } : {}),
            };
    }
    const istio: IstioSettings = {
        enabled,
        gatewayServiceType: r.oneOf(obj, "gatewayServiceType", "LoadBalancer", serviceTypes),
        hosts: r.stringList(
            obj,
            "hosts",
            ["*"],
            hostName,
            'expected a list of host names such as ["models.example.com"] or ["*"]',
        ),
        tlsCredentialName: r.optionalString(
            obj,
            "tlsCredentialName",
            dnsLabel,
            "expected the name of a TLS Secret in the gateway namespace",
        ),
        sessionCookie: {
            name: c.string(
                cookie,
                "name",
                "session_id",
                /^[A-Za-z0-9_-]+$/,
                "expected a cookie name (letters, digits, '_', '-')",
            ),
            ttl: c.string(cookie, "ttl", "60s", /^\d+(ms|s|m|h)$/, "expected a duration such as 60s or 1h"),
        },
        exposeMetrics: r.bool(obj, "exposeMetrics", false),
        exposeManagement: r.bool(obj, "exposeManagement", false),
        strictMtls: r.bool(obj, "strictMtls", false),
        jwt,
        inferenceFromNamespaces: r.stringList(
            obj,
            "inferenceFromNamespaces",
            [],
            dnsLabel,
            'expected a non-empty list of namespace names such as ["batch-jobs"]',
        ),
        loadBalancerSourceRanges: readSourceRanges(
            problems,
            r.key("loadBalancerSourceRanges"),
            obj.loadBalancerSourceRanges,
        ),
    };
    // A name listed twice is a mistake Istio would merge silently (RFC 1123 names compare exactly here).
    for (const [name, list] of [
        ["hosts", istio.hosts],
        ["inferenceFromNamespaces", istio.inferenceFromNamespaces ?? []],
    ] as const)
        for (const twice of repeated(list)) problems.error(r.key(name), list, `lists "${twice}" twice`);
    return istio;
}

const claimName = /^[A-Za-z0-9_][A-Za-z0-9_.:/-]{0,127}$/;

/**
 * `istio.jwt.audiences`: the `aud` values a token may carry. Absent warns: Envoy then checks no
 * audience, so every token the issuer signs passes (Azure/osdu-infrastructure#156: "allows all the
 * tokens generated by any AAD app under a tenant"); `[]` accepts any audience on purpose, silently.
 */
function readAudiences(problems: Problems, key: string, value: unknown): string[] | undefined {
    if (isUnset(value)) {
        problems.warn(
            key,
            "not set: the gateway accepts a token for any audience the issuer signs for (with a shared issuer such as an Entra ID tenant, a token for any of its apps); list your API's audiences, or [] to accept any on purpose",
        );
        return undefined;
    }
    if (!Array.isArray(value) || !value.every((a) => typeof a === "string" && a.trim() !== "" && a === a.trim())) {
        problems.error(
            key,
            value,
            'expected a list of audiences (the tokens\' "aud" values), e.g. ["api://torchserve"]',
        );
        return undefined;
    }
    return value as string[];
}

/**
 * `istio.jwt.managementClaims`: claim name → the values it may have, e.g. `{groups: [ml-admins]}`.
 * Values are exact: `*` (an Istio wildcard in condition values) is refused so a value cannot widen
 * the rule by accident.
 */
function readClaims(problems: Problems, key: string, value: unknown): Record<string, string[]> | undefined {
    if (isUnset(value)) return undefined;
    const expected = 'expected claim name → list of accepted values, e.g. {groups: ["ml-admins"]}';
    if (typeof value !== "object" || Array.isArray(value) || Object.keys(value).length === 0) {
        problems.error(key, value, expected);
        return {};
    }
    const claims: Record<string, string[]> = {};
    for (const [name, values] of Object.entries(value as Record<string, unknown>)) {
        if (!claimName.test(name)) {
            problems.error(key, name, "claim names are letters, digits and _ . : / - (no brackets)");
            continue;
        }
        const list = typeof values === "string" ? [values] : values;
        if (
            !Array.isArray(list) ||
            list.length === 0 ||
            !list.every((v) => typeof v === "string" && v.length > 0 && !v.includes("*") && !hasInvisible(v))
        ) {
            problems.error(`${key}.${name}`, values, "expected a non-empty list of exact values (no *)");
            continue;
        }
        claims[name] = list as string[];
    }
    // Given but partly wrong: the error is reported; returning what is valid keeps a second
    // "required" line away. (Any error stops the program before a resource is registered.)
    return claims;
}

/** `alertReceivers`: where Alertmanager sends alerts. Every value is a credential (secret config). */
export function readAlertReceivers(problems: Problems, prefix: string, value: unknown): AlertReceiversSpec | undefined {
    if (isUnset(value)) return undefined;
    const obj = SectionReader.object(problems, prefix, value, [
        "webhookUrl",
        "slackWebhookUrl",
        "slackChannel",
        "pagerDutyRoutingKey",
    ]);
    if (!obj) return undefined; // reported
    const r = new SectionReader(problems, prefix);
    // Values are not echoed in errors: they are credentials.
    const url = (name: string): string | undefined => r.url(obj, name, ["https"], true);
    const receivers: AlertReceiversSpec = {
        webhookUrl: url("webhookUrl"),
        slackWebhookUrl: url("slackWebhookUrl"),
        slackChannel: r.optionalString(
            obj,
            "slackChannel",
            /^[#@]?[\w.-]{1,80}$/,
            "expected a Slack channel such as #ml-alerts",
        ),
        pagerDutyRoutingKey: undefined,
    };
    const key = obj.pagerDutyRoutingKey;
    if (!isUnset(key)) {
        if (typeof key === "string" && /^[A-Za-z0-9]{32}$/.test(key)) receivers.pagerDutyRoutingKey = key;
        else
            problems.errorText(
                r.key("pagerDutyRoutingKey"),
                "expected a 32-character PagerDuty routing key (value not shown: it is a credential)",
            );
    }
    if (!receivers.webhookUrl && !receivers.slackWebhookUrl && !receivers.pagerDutyRoutingKey)
        problems.errorText(prefix, "names no receiver: set webhookUrl, slackWebhookUrl or pagerDutyRoutingKey");
    if (receivers.slackChannel && !receivers.slackWebhookUrl)
        problems.errorText(r.key("slackChannel"), "needs slackWebhookUrl");
    return receivers;
}
