import * as pulumi from "@pulumi/pulumi";
import { ClusterTarget } from "../components/cluster/target";
import { WorkloadIdentity } from "../components/torchserve";
import type { TritonIdentity } from "../components/triton/triton";
import { ConfigError, parseStackConfig } from "./config/parse";
import { readRawConfig } from "./config/read";
import { Cloud, Settings } from "./config/settings";
import { createPlatform, PlatformOutputs } from "./platform";

/** Stack outputs; names are part of the contract (docs/architecture.md, Stack outputs). */
export interface StackOutputs extends PlatformOutputs {
    cloud: string;
    clusterName: pulumi.Output<string>;
    kubeconfig: pulumi.Output<string>;
}

/**
 * A cluster and, when models come from the cloud's object store, the identity that reads them
 * (TorchServe's models; Triton's repository).
 */
export type CloudCluster = ClusterTarget & { modelIdentity?: WorkloadIdentity; tritonIdentity?: TritonIdentity };

/** Each cloud module exports one function that builds (or adopts) the cluster. */
export type CreateCluster = (settings: Settings) => CloudCluster;

/**
 * Loads only the selected cloud's module, so an aws stack never loads @pulumi/azure-native or
 * @pulumi/gcp (each SDK costs seconds and hundreds of MB to load).
 */
export function loadCloud(cloud: Cloud): CreateCluster {
    switch (cloud) {
        // Lazy on purpose (see above): a static import would load every cloud SDK.
        /* eslint-disable @typescript-eslint/no-require-imports */
        case "existing":
            return (require("./existing") as typeof import("./existing")).createCluster;
        case "aws":
            return (require("./aws") as typeof import("./aws")).createCluster;
        case "azure":
            return (require("./azure") as typeof import("./azure")).createCluster;
        case "gcp":
            return (require("./gcp") as typeof import("./gcp")).createCluster;
        /* eslint-enable @typescript-eslint/no-require-imports */
    }
}

/** Validated settings → cluster → provider → platform; returns the stack outputs. */
export function deploy(settings: Settings): StackOutputs {
    const cluster = loadCloud(settings.cloud)(settings);
    const platform = createPlatform(settings, cluster, cluster.modelIdentity, cluster.tritonIdentity);
    return {
        cloud: settings.cloud,
        clusterName: cluster.name,
        kubeconfig: pulumi.secret(cluster.kubeconfig),
        ...platform,
    };
}

/**
 * The program. Config mistakes end the run with one line per problem and no stack trace
 * (pulumi.RunError), before any resource is registered.
 */
export async function main(): Promise<StackOutputs> {
    let settings: Settings;
    try {
        const parsed = parseStackConfig(readRawConfig());
        parsed.warnings.forEach((w) => pulumi.log.warn(w));
        settings = parsed.settings;
    } catch (e) {
        if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
        throw e;
    }
    return deploy(settings);
}
