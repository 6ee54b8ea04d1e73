// Objects a cluster has that no release renders, which monitors and addresses may rely on.
import { K8sObject } from "./manifest";

/**
 * The API server's Service `default/kubernetes` (labels component=apiserver, provider=kubernetes;
 * port 443 "https"), and the kubelet Service prometheus-operator maintains when started with
 * `--kubelet-service=<namespace>/<name>` (labels and ports as pkg/kubelet/controller.go of
 * prometheus-operator/prometheus-operator sets them, commit 42a4b72faed85f8eea0e26e00a23955a1c49f039).
 */
export function clusterProvidedObjects(rendered: K8sObject[]): K8sObject[] {
    const out: K8sObject[] = [
        {
            apiVersion: "v1",
            kind: "Service",
            metadata: {
                name: "kubernetes",
                namespace: "default",
                labels: { component: "apiserver", provider: "kubernetes" },
            },
            spec: { ports: [{ name: "https", port: 443 }] },
        },
    ];
    for (const o of rendered) {
        if (o.kind !== "Deployment") continue;
        for (const c of o.spec?.template?.spec?.containers ?? []) {
            for (const arg of c.args ?? []) {
                const m = /^--kubelet-service=([^/]+)\/(.+)$/.exec(String(arg));
                if (!m) continue;
                out.push({
                    apiVersion: "v1",
                    kind: "Service",
                    metadata: {
                        name: m[2],
                        namespace: m[1],
                        labels: {
                            "k8s-app": "kubelet",
                            "app.kubernetes.io/name": "kubelet",
                            "app.kubernetes.io/managed-by": "prometheus-operator",
                        },
                    },
                    spec: {
                        clusterIP: "None",
                        ports: [
                            { name: "https-metrics", port: 10250 },
                            { name: "http-metrics", port: 10255 },
                            { name: "cadvisor", port: 4194 },
                        ],
                    },
                });
            }
        }
    }
    return out;
}
