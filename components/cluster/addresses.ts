// How clients address a Kubernetes Service: its in-cluster DNS name, and the host its cloud load
// balancer publishes. One place, so TorchServe, Grafana and the Istio gateway agree.

/** In-cluster DNS name of a Service: `<service>.<namespace>.svc.cluster.local` (the default cluster domain). */
export function serviceDnsName(service: string, namespace: string): string {
    return `${service}.${namespace}.svc.cluster.local`;
}

/** The part of a Service's status that carries its load balancer's addresses. */
export interface LoadBalancerStatus {
    loadBalancer?: { ingress?: { hostname?: string; ip?: string }[] };
}

/**
 * Host of the first load-balancer ingress that has one: a hostname (AWS) or an IP (Azure, GCP);
 * undefined while the cloud has assigned none (or the Service has no load balancer).
 */
export function loadBalancerHost(status: LoadBalancerStatus | undefined): string | undefined {
    const ingress = status?.loadBalancer?.ingress?.find((i) => i.hostname || i.ip);
    return ingress ? ingress.hostname || ingress.ip : undefined;
}
