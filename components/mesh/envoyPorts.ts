// Ports the Istio sidecar (Envoy and the Istio agent) listens on inside every meshed pod. An
// application port among them collides with the sidecar in the shared network namespace.
// Source: istio.io "Application Requirements" → "Ports used by Istio" ("applications should not use
// any of the ports used by Envoy"): istio/istio.io content/en/docs/ops/deployment/
// application-requirements/index.md at 110ebf69; 15009 (HBONE for secure networks) from an
// earlier revision of the same table. https://istio.io/latest/docs/ops/deployment/application-requirements/#ports-used-by-istio

/** Port → what the sidecar uses it for. */
export const envoyReservedPorts: Readonly<Record<number, string>> = {
    15000: "Envoy admin",
    15001: "Envoy outbound",
    15002: "failure detection",
    15004: "debug",
    15006: "Envoy inbound",
    15008: "HBONE mTLS tunnel",
    15009: "HBONE for secure networks",
    15020: "merged Prometheus telemetry",
    15021: "health checks",
    15053: "DNS proxy",
    15090: "Envoy Prometheus telemetry",
};
