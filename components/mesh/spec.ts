// What the Istio mesh is asked for: the ingress gateway's Service and hosts, TLS, session
// affinity, what the edge exposes, and the mTLS / JWT policies. The stack's `istio` config section
// is this plus whether to install the mesh at all (stacks/config).
import { ServiceType } from "../cluster/kubernetes";

/** The cookie the DestinationRule hashes on for session affinity. */
export interface SessionCookieSpec {
    /** Cookie name. */
    name: string;
    /** Cookie lifetime as an Istio duration, e.g. `60s`. */
    ttl: string;
}

/** The issuer whose JWTs the edge requires. */
export interface JwtSpec {
    /** Issuer (`iss` claim). */
    issuer: string;
    /** URL of the issuer's JSON Web Key Set. */
    jwksUri: string;
    /**
     * Audiences (`aud` claim) a token must carry one of. Absent or empty: any audience, so any token
     * the issuer signs passes (with a shared issuer such as an Entra ID tenant: a token for any of its
     * apps), because Envoy's jwt_authn checks no audience when none is listed.
     */
    audiences?: string[];
    /**
     * Claims a token must carry to reach the management API through the gateway: claim name →
     * accepted values (one of them must match; every listed claim must). Required with
     * `exposeManagement`: a valid token from the issuer alone does not make its holder an operator.
     */
    managementClaims?: Record<string, string[]>;
}

/** The mesh's gateway, routes and policies. */
export interface IstioSpec {
    /** Type of the ingress gateway's Service. */
    gatewayServiceType: ServiceType;
    /** Hosts the Gateway accepts. */
    hosts: string[];
    /** Name of a TLS secret in the gateway namespace; enables HTTPS on 443. */
    tlsCredentialName?: string;
    /** Session-affinity cookie. */
    sessionCookie: SessionCookieSpec;
    /** Expose the metrics port through the public gateway (off by default). */
    exposeMetrics: boolean;
    /** Expose the management port through the public gateway (off by default). */
    exposeManagement: boolean;
    /** PeerAuthentication STRICT in the TorchServe namespace. */
    strictMtls: boolean;
    /** Require a JWT at the edge for every route. */
    jwt?: JwtSpec;
    /**
     * Namespaces whose pods may call TorchServe's inference ports directly (in-mesh clients); the
     * ingress gateway always may.
     * @default []
     */
    inferenceFromNamespaces?: string[];
    /**
     * Source CIDRs the gateway's LoadBalancer Service accepts (`loadBalancerSourceRanges`).
     * Absent = open to all.
     */
    loadBalancerSourceRanges?: string[];
}
