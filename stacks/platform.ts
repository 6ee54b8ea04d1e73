import * as pulumi from "@pulumi/pulumi";
import { ClusterTarget } from "../components/cluster/target";
import { Settings } from "./config/settings";

/** Outputs the cloud-neutral platform adds to the stack. */
export interface PlatformOutputs {
    namespace: pulumi.Output<string>;
    inferenceUrl: pulumi.Output<string>;
    managementUrl: pulumi.Output<string>;
    metricsUrl: pulumi.Output<string>;
    grpcUrl: pulumi.Output<string>;
    grafanaUrl?: pulumi.Output<string>;
    grafanaAdminPassword?: pulumi.Output<string>;
    ingressUrl?: pulumi.Output<string>;
}

/**
 * Installs everything that runs on the cluster. Reads only `settings` and the cluster contract,
 * never the cloud: each add-on gets the target's provider and placement.
 */
export function createPlatform(settings: Settings, cluster: ClusterTarget): PlatformOutputs {
    throw new Error(`platform not built yet for ${settings.stack} on ${cluster.needsDevicePlugin}`);
}
