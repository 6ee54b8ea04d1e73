// What `pulumi destroy` from a state does and leaves behind: protected resources stop it, and
// volumes a CSI driver provisioned outside Pulumi either outlive the destroy (Retain: billed until
// someone deletes them) or are deleted by the driver while Pulumi goes on deleting what they block
// (an EFS file system with access points, a network peered with a Filestore instance).
import type { Evaluation, RegisteredResource } from "../evaluate";
import { getPath, parsePath } from "./paths";
import { blocksDeletionOf, bucketMountDrivers, chartClaimTemplates, dynamicVolumes } from "./rules";

export interface Teardown {
    /** Why the destroy fails or leaves the cloud in a state it cannot clean up. */
    violations: string[];
    /** What stays behind (and is billed) after a successful destroy. */
    leftovers: string[];
}

const at = (r: RegisteredResource, path: string) => getPath(r.inputs, parsePath(path));

/** Whether a helm values tree asks for a StatefulSet claim template (volumes Helm never deletes). */
function claimTemplates(values: unknown, path: string[] = []): string[] {
    if (!values || typeof values !== "object") return [];
    return Object.entries(values).flatMap(([k, v]) =>
        k === "volumeClaimTemplate" ? [[...path, k].join(".")] : claimTemplates(v, [...path, k]),
    );
}

/**
 * Retained resources that exist only as part of another the destroy deletes: a tag on an Auto
 * Scaling group goes with the group, which EKS deletes with its managed node group.
 */
const retainedWith: Record<string, string> = { "aws:autoscaling/tag:Tag": "aws:eks/nodeGroup:NodeGroup" };

export function checkTeardown(ev: Evaluation): Teardown {
    const violations: string[] = [];
    const leftovers: string[] = [];
    const byType = (t: string) => ev.resources.filter((r) => r.type === t);
    for (const r of ev.resources) {
        if (r.options.protect) violations.push(`${r.type} ${r.name} is protected: pulumi destroy refuses to delete it`);
        const holder = retainedWith[r.type];
        if (r.options.retainOnDelete && !(holder && ev.resources.some((x) => x.type === holder)))
            leftovers.push(`${r.type} ${r.name} (retainOnDelete)`);
    }
    const classes = byType("kubernetes:storage.k8s.io/v1:StorageClass");
    const volumes = byType("kubernetes:core/v1:PersistentVolume");
    for (const claim of byType("kubernetes:core/v1:PersistentVolumeClaim")) {
        const ns = at(claim, "metadata.namespace");
        const name = at(claim, "metadata.name");
        const pv = volumes.find((v) => at(v, "spec.claimRef.name") === name && at(v, "spec.claimRef.namespace") === ns);
        if (pv) {
            // A bucket the user owns, mounted as it is: nothing was provisioned, nothing is left.
            const driver = String(at(pv, "spec.csi.driver"));
            if (Object.hasOwn(bucketMountDrivers, driver) && at(pv, "spec.persistentVolumeReclaimPolicy") === "Retain")
                continue;
            // A volume Pulumi created: what backs it must be Pulumi's too, so the destroy deletes it.
            const owned = pv.dependencies.some((d) =>
                ev.resources.some((x) => x.urn === d && x.custom && !x.type.startsWith("kubernetes:")),
            );
            if (!owned)
                violations.push(`PersistentVolume ${pv.name} for claim ${ns}/${name} is backed by nothing Pulumi owns`);
            continue;
        }
        const className = at(claim, "spec.storageClassName");
        const sc = classes.find((c) => at(c, "metadata.name") === className);
        if (!sc) {
            leftovers.push(
                `claim ${ns}/${name}: a volume of class ${className ?? "(default)"}, provisioned outside this program`,
            );
            continue;
        }
        const provisioner = String(at(sc, "provisioner"));
        const facts = dynamicVolumes[provisioner];
        const what = facts?.backing ?? `a ${provisioner} volume`;
        const owner = facts?.deletedWith && ev.resources.some((x) => x.type === facts.deletedWith);
        if (owner) continue;
        if (at(sc, "reclaimPolicy") === "Retain") {
            violations.push(
                `claim ${ns}/${name} (class ${className}, reclaimPolicy Retain) leaves ${what} behind after the destroy`,
            );
            continue;
        }
        if (facts?.blocks && ev.resources.some((x) => x.type === facts.blocks)) {
            violations.push(
                `claim ${ns}/${name}: ${what} is deleted by the ${provisioner} driver after the claim, while Pulumi goes on to delete the ${facts.blocks} it blocks (${facts.source})`,
            );
        }
    }
    // Deletion order: what blocks a resource's deletion must depend on it (so it goes first).
    const byUrn = new Map(ev.resources.map((r) => [r.urn, r]));
    const reaches = (from: RegisteredResource, target: string, seen = new Set<string>()): boolean =>
        from.dependencies.some((d) => {
            if (d === target) return true;
            if (seen.has(d)) return false;
            seen.add(d);
            const next = byUrn.get(d);
            return next !== undefined && reaches(next, target, seen);
        });
    for (const r of ev.resources) {
        const rule = blocksDeletionOf[r.type];
        if (!rule) continue;
        for (const blocked of byType(rule.blocks)) {
            if (!reaches(r, blocked.urn))
                violations.push(
                    `${r.type} ${r.name} does not depend on ${blocked.type} ${blocked.name}: a destroy may delete that first, which fails while ${r.name} exists (${rule.source})`,
                );
        }
    }
    // Cloud load balancers: the service controller deletes a LoadBalancer Service's balancer before it
    // lets the Service go (finalizer service.kubernetes.io/load-balancer-cleanup, Kubernetes "Garbage
    // collecting load balancers"). Pulumi waits for that unless told not to: a Release's uninstall
    // runs with Helm's wait unless `skipAwait` (pulumi-kubernetes provider/pkg/provider/helm_release.go,
    // #1742), a typed object's delete unless annotated `pulumi.com/skipAwait`. Without the wait the
    // cluster can go first and leave the balancer billed (on EKS also blocking its subnets).
    for (const rel of byType("kubernetes:helm.sh/v3:Release")) {
        if (rel.inputs.skipAwait === true && !rel.inputs.atomic)
            violations.push(
                `${rel.name}: skipAwait, so its uninstall does not wait for its Services' cloud load balancers to be deleted`,
            );
    }
    for (const svc of byType("kubernetes:core/v1:Service")) {
        if (
            at(svc, "spec.type") === "LoadBalancer" &&
            at(svc, 'metadata.annotations["pulumi.com/skipAwait"]') === "true"
        )
            violations.push(
                `Service ${svc.name}: a LoadBalancer whose deletion Pulumi does not await, so its cloud load balancer may outlive the cluster`,
            );
    }
    // StatefulSets' claims outlive the release unless their retention policy deletes them; even then
    // the driver deletes a provisioned volume later, while Pulumi goes on deleting the driver and the
    // cluster. Only a volume Pulumi owns (a disk and a Retain PersistentVolume the claim selects, which
    // the release waits for) is deleted in order. AKS's disks go with the cluster's node resource group.
    const diskFacts = dynamicVolumes["disk.csi.azure.com"];
    const disksDeletedWithCluster = ev.resources.some((x) => x.type === diskFacts.deletedWith);
    for (const rel of byType("kubernetes:helm.sh/v3:Release")) {
        if (disksDeletedWithCluster) continue;
        const values = rel.inputs.values;
        const known = (chartClaimTemplates[String(rel.inputs.chart)] ?? []).filter(
            (t) => getPath(values, parsePath(`${t.path}.enabled`)) === true,
        );
        const templates = [
            ...claimTemplates(values).map((p) => ({
                path: p,
                selector: getPath(values, parsePath(`${p}.spec.selector.matchLabels`)),
                // prometheus-operator's CRDs (Prometheus, Alertmanager, ThanosRuler) hold
                // persistentVolumeClaimRetentionPolicy beside storageSpec.
                deleted:
                    p.endsWith(".storageSpec.volumeClaimTemplate") &&
                    getPath(
                        values,
                        parsePath(
                            `${p.slice(0, -".storageSpec.volumeClaimTemplate".length)}.persistentVolumeClaimRetentionPolicy.whenDeleted`,
                        ),
                    ) === "Delete",
            })),
            ...known.map((t) => ({
                path: t.path,
                selector: getPath(values, parsePath(`${t.path}.selector.matchLabels`)),
                deleted:
                    t.autoDelete !== undefined &&
                    getPath(values, parsePath(t.autoDelete)) === true &&
                    getPath(values, parsePath(`${t.path}.whenDeleted`)) !== "Retain",
            })),
        ];
        for (const t of templates) {
            const selector = (t.selector ?? {}) as Record<string, string>;
            const pv = Object.keys(selector).length
                ? volumes.find((v) =>
                      Object.entries(selector).every(([k, val]) => at(v, `metadata.labels["${k}"]`) === val),
                  )
                : undefined;
            if (!pv) {
                leftovers.push(
                    t.deleted
                        ? `${rel.name}: the volumes of its StatefulSet claim template (${t.path}), deleted by the CSI driver after their claims while Pulumi goes on to delete the driver and the cluster`
                        : `${rel.name}: the volumes of its StatefulSet claim template (${t.path}), which neither Helm nor Pulumi deletes`,
                );
                continue;
            }
            const owned = pv.dependencies.some((d) =>
                ev.resources.some((x) => x.urn === d && x.custom && !x.type.startsWith("kubernetes:")),
            );
            if (!owned)
                violations.push(
                    `PersistentVolume ${pv.name} for ${rel.name} (${t.path}) is backed by nothing Pulumi owns`,
                );
            if (!t.deleted)
                violations.push(
                    `PersistentVolume ${pv.name}: the claim of ${rel.name} (${t.path}) outlives the StatefulSet, so deleting the volume waits for it until Pulumi gives up`,
                );
            if (!reaches(rel, pv.urn))
                violations.push(
                    `${rel.name} does not depend on PersistentVolume ${pv.name}: a destroy may delete the volume while its StatefulSet still uses it`,
                );
        }
    }
    return { violations, leftovers };
}
