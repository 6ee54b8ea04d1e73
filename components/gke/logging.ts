// Cloud Logging on GKE: which components' logs the cluster sends, and the node service account's
// permission to write them.
import * as projects from "@pulumi/gcp/projects";
import * as pulumi from "@pulumi/pulumi";

/**
 * With backend cloud: system components and every workload's stdout/stderr (TorchServe's access
 * log included). Otherwise system components only, so container logs are not paid for twice.
 * Set explicitly, not left to GKE's default, so a preview shows what is collected.
 */
export function gkeLoggingComponents(cloudLogging: boolean): string[] {
    return cloudLogging ? ["SYSTEM_COMPONENTS", "WORKLOADS"] : ["SYSTEM_COMPONENTS"];
}

/** The role a node's service account needs to write logs (https://cloud.google.com/kubernetes-engine/docs/how-to/service-accounts). */
export const logWriterRole = "roles/logging.logWriter";

/**
 * Lets `serviceAccountEmail` write log entries in `project`. A non-authoritative member binding:
 * it adds this one member to the role and leaves the project's other bindings alone.
 */
export function nodeLogWriter(
    name: string,
    project: string,
    serviceAccountEmail: pulumi.Input<string>,
    parent: pulumi.Resource,
    dependsOn: pulumi.Resource[] = [],
): projects.IAMMember {
    return new projects.IAMMember(
        name,
        { project, role: logWriterRole, member: pulumi.interpolate`serviceAccount:${serviceAccountEmail}` },
        { parent, dependsOn },
    );
}
