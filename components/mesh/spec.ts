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
    /** Require a JWT at the edge for inference. */
    jwt?: JwtSpec;
}
