import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { gpuTaintKey } from "../components/cluster/nodePool";
import { Settings } from "./config/settings";
import type { CloudCluster } from "./program";

/** Text that is a kubeconfig itself rather than a path to one. */
function isInlineKubeconfig(value: string): boolean {
    return /\n|^\s*[{]|apiVersion:/.test(value);
}

/**
 * The kubeconfig `cluster.kubeconfig` names: inline text as is, a path read from disk. Throws a
 * one-line RunError naming the key when the path is not a readable file: falling back to the
 * ambient kubeconfig could deploy to whatever cluster happens to be current.
 */
export function readConfiguredKubeconfig(value: string, key: string): string {
    if (isInlineKubeconfig(value)) return value;
    const file = value.startsWith("~/") ? path.join(os.homedir(), value.slice(2)) : value;
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
        throw new pulumi.RunError(
            `${key}: ${JSON.stringify(value)} is not a kubeconfig file (give a path to one, or its contents)`,
        );
    }
    return fs.readFileSync(file, "utf8");
}

/**
 * `cloud: existing` adopts a cluster through a kubeconfig (or the ambient one) and creates none.
 * GPU pods are expected to land on nodes carrying the usual NVIDIA taint; the device plugin is
 * assumed installed (GPU operators and managed clusters ship one).
 */
export function createCluster(settings: Settings): CloudCluster {
    const { cluster } = settings;
    const configured =
        cluster.kubeconfig === undefined
            ? undefined
            : pulumi.secret(readConfiguredKubeconfig(cluster.kubeconfig, `${settings.project}:cluster.kubeconfig`));
    const provider = new k8s.Provider("existing", {
        // Absent kubeconfig = the provider's own ambient resolution ($KUBECONFIG, ~/.kube/config), so
        // a refreshed token in that file is not a provider change.
        kubeconfig: configured,
        context: cluster.context,
        enableServerSideApply: true,
    });
    return {
        name: pulumi.output(cluster.name),
        // The ambient kubeconfig is the user's own (every context and credential): not exported.
        kubeconfig: configured ?? pulumi.secret(""),
        provider,
        gpuPlacement: {
            nodeSelector: {},
            tolerations: [{ key: gpuTaintKey, operator: "Exists", effect: "NoSchedule" }],
        },
        systemPlacement: { nodeSelector: {}, tolerations: [] },
        modelStoreClassName: settings.torchserve.storageClass,
        needsDevicePlugin: false,
        gpuPoolReady: [],
        systemReady: [],
        clusterReady: [],
        // An identity the user set up (torchserve.serviceAccount): its annotations and pod labels.
        modelIdentity: settings.torchserve.serviceAccount,
    };
}
