// Requests and limits on every container the program runs: requests are what the scheduler and
// the cluster autoscaler size nodes by (a pod without them packs onto a full GPU node), and a
// memory limit bounds what a leaking container takes from its neighbours before it is OOM-killed.
// A CPU limit is not required: it only throttles (CFS quota) a container the request already
// guarantees its share to.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { containerLabel, containersOf, podSpecOf } from "./kubernetes";

/** Quantities every container must set. */
export const requiredQuantities = { requests: ["cpu", "memory"], limits: ["memory"] } as const;

/** The quantities a container leaves unset, as `requests.cpu`. */
export function missingQuantities(container: Record<string, any>): string[] {
    const missing: string[] = [];
    for (const [kind, names] of Object.entries(requiredQuantities)) {
        const set = container.resources?.[kind] ?? {};
        for (const n of names)
            if (set[n] === undefined || set[n] === null || String(set[n]) === "") missing.push(`${kind}.${n}`);
    }
    return missing;
}

export const requestsAndLimits: ResourceValidationPolicy = {
    name: "containers-have-requests-and-limits",
    description:
        "Every container of the program's own workloads (init containers too) sets CPU and memory requests and a memory limit.",
    validateResource: (args, reportViolation) => {
        const pod = podSpecOf(args.type, args.props);
        if (!pod) return;
        for (const c of containersOf(pod)) {
            // Ephemeral (debug) containers may not set resources at all.
            if (c.list === "ephemeralContainers") continue;
            const missing = missingQuantities(c.container);
            if (missing.length > 0) reportViolation(`${containerLabel(c)} sets no ${missing.join(", ")}.`);
        }
    },
};
