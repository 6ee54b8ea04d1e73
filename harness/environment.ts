// Keeps this machine's cluster and cloud credentials out of a mock run, so the same commit gives the
// same plan anywhere (and a plan can never show, or be shaped by, a developer's real account).
import * as path from "path";

/**
 * Environment variables through which a program or provider SDK would read this machine's
 * credentials or cluster (the Kubernetes provider defaults `kubeconfig` to $KUBECONFIG; the
 * existing-cluster module reads ~/.kube/config, hence HOME too).
 */
export const machineEnv = /^(KUBECONFIG|KUBE_|AWS_|ARM_|AZURE_|GOOGLE_|GCLOUD_|CLOUDSDK_|PULUMI_K8S_)/;

/** A HOME with nothing in it: no ~/.kube/config, ~/.aws, ~/.azure or gcloud config. */
export function emptyHome(label: string): string {
    return path.join(path.sep, "nonexistent", label);
}

/** Runs `fn` with the machine's credentials and kubeconfig out of the program's sight. */
export async function withoutMachineCredentials<T>(fn: () => Promise<T>): Promise<T> {
    const saved: Record<string, string | undefined> = {};
    for (const k of Object.keys(process.env)) {
        if (machineEnv.test(k)) {
            saved[k] = process.env[k];
            delete process.env[k];
        }
    }
    saved.HOME = process.env.HOME;
    process.env.HOME = emptyHome("plan-home");
    try {
        return await fn();
    } finally {
        for (const [k, v] of Object.entries(saved)) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
    }
}
