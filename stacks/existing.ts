import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ClusterTarget } from "../components/cluster/target";
import { Settings } from "./config/settings";

/** A kubeconfig given as a path is read; one given inline (YAML/JSON text) is used as is. */
export function resolveKubeconfig(value: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
    if (value !== undefined && /\n|^\s*[{]|apiVersion:/.test(value)) return value;
    const file = value ?? env.KUBECONFIG?.split(path.delimiter)[0] ?? path.join(os.homedir(), ".kube", "config");
    const expanded = file.startsWith("~/") ? path.join(os.homedir(), file.slice(2)) : file;
    return fs.existsSync(expanded) ? fs.readFileSync(expanded, "utf8") : undefined;
}

/**
 * `cloud: existing` adopts a cluster through a kubeconfig (or the ambient one) and creates none.
 * GPU pods are expected to land on nodes carrying the usual NVIDIA taint; the device plugin is
 * assumed installed (GPU operators and managed clusters ship one).
 */
export function createCluster(settings: Settings): ClusterTarget {
    const { cluster } = settings;
    const kubeconfig = resolveKubeconfig(cluster.kubeconfig);
    const provider = new k8s.Provider("existing", {
        // Absent kubeconfig = the provider's own ambient resolution ($KUBECONFIG, ~/.kube/config), so
        // a refreshed token in that file is not a provider change.
        kubeconfig: cluster.kubeconfig === undefined ? undefined : kubeconfig,
        context: cluster.context,
        enableServerSideApply: true,
    });
    return {
        name: pulumi.output(cluster.name),
        kubeconfig: pulumi.secret(kubeconfig ?? ""),
        provider,
        gpuPlacement: {
            nodeSelector: {},
            tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
        },
        systemPlacement: { nodeSelector: {}, tolerations: [] },
        modelStoreClassName: settings.torchserve.storageClass,
        needsDevicePlugin: false,
        gpuPoolReady: [],
        systemReady: [],
        clusterReady: [],
    };
}
