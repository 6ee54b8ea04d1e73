// No public management or metrics port: TorchServe's management API registers and deletes models
// (the program turns its token authorization off inside the cluster), and its metrics and gRPC
// management ports are no more meant for the internet. A LoadBalancer Service publishes its ports
// outside the cluster, and a NodePort one on every node's address.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { asArray } from "./kubernetes";
import { serviceType } from "./types";

/**
 * Port names of TorchServe's non-inference endpoints (components/torchserve/conventions.ts
 * portNames: http-management, http-metrics, grpc-management), and any other port named so.
 */
export const privatePortName = /management|metrics/i;
/** TorchServe's default management, metrics and gRPC management ports (stacks/config/sections/torchserve.ts). */
export const privatePortNumbers: readonly number[] = [8081, 8082, 7071];

const exposingTypes = ["LoadBalancer", "NodePort"];

/** The ports of a Service spec that a LoadBalancer/NodePort Service must not publish. */
export function exposedPrivatePorts(spec: Record<string, any> | undefined): string[] {
    if (!spec || !exposingTypes.includes(spec.type)) return [];
    const out: string[] = [];
    for (const p of asArray(spec.ports)) {
        const named = [p.name, typeof p.targetPort === "string" ? p.targetPort : undefined].filter(
            (n) => typeof n === "string" && privatePortName.test(n),
        );
        const numbered = [p.port, p.targetPort].filter((n) => privatePortNumbers.includes(Number(n)));
        if (named.length > 0 || numbered.length > 0)
            out.push(`${p.name ?? "(unnamed)"} (port ${p.port}, targetPort ${p.targetPort ?? p.port})`);
    }
    return out;
}

export const noPublicManagementPorts: ResourceValidationPolicy = {
    name: "no-public-management-ports",
    description:
        "No LoadBalancer or NodePort Service publishes a management or metrics port (TorchServe's 8081, 8082, 7071, or a port named *management* or *metrics*).",
    remediationSteps:
        "Publish the inference ports only (the program's torchserve-public Service); reach management through kubectl port-forward or the ClusterIP Service.",
    validateResource: (args, reportViolation) => {
        if (args.type !== serviceType) return;
        for (const port of exposedPrivatePorts(args.props.spec)) {
            reportViolation(`${args.props.spec.type} Service publishes ${port}.`);
        }
    },
};
