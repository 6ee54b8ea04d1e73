import * as k8s from "@pulumi/kubernetes";

// A cluster component's Kubernetes provider, kept off the instance: the component package serves
// every property of a component (private ones included) as an output, and a provider reference
// does not bind in a package schema. clusterTarget() reads it from here.
const providers = new WeakMap<object, k8s.Provider>();

/** Records `provider` as the Kubernetes provider of `cluster`; returns it. */
export function keepProvider(cluster: object, provider: k8s.Provider): k8s.Provider {
    providers.set(cluster, provider);
    return provider;
}

/** The Kubernetes provider recorded for `cluster`. */
export function providerOf(cluster: object): k8s.Provider {
    const provider = providers.get(cluster);
    if (!provider) throw new Error("no Kubernetes provider recorded for this cluster component");
    return provider;
}
