// The `logging` section: true/false or {enabled, backend, retentionDays, storageSize}. On by
// default: the cloud's own sink on aws/azure/gcp, Loki in the cluster on `existing` (no cloud sink).
import { logAnalyticsRetentionDays } from "../../../components/aks/logging";
import { cloudWatchRetentionDays } from "../../../components/eks/logging";
import { LoggingBackend, loggingNamespace } from "../../../components/logging/spec";
import { SectionReader } from "../fields";
import { isUnset, Problems } from "../problems";
import { Cloud, LoggingSettings } from "../settings";

const backends = Object.values(LoggingBackend);

/** Default retention, valid for every backend (CloudWatch's list, Log Analytics' range, Cloud Logging's default bucket). */
export const defaultRetentionDays = 30;

export function readLogging(
    problems: Problems,
    prefix: string,
    value: unknown,
    cloud: Cloud | undefined,
): LoggingSettings {
    const r = new SectionReader(problems, prefix);
    const { enabled, obj } = r.toggle(value, ["backend", "retentionDays", "storageSize"], true);
    const fallback = cloud === "existing" ? LoggingBackend.Loki : LoggingBackend.Cloud;
    const backend = r.oneOf(obj, "backend", fallback, backends);
    let retentionDays = r.int(obj, "retentionDays", defaultRetentionDays, { min: 1, max: 3653 });
    const given = !isUnset(obj.retentionDays) && retentionDays === obj.retentionDays;
    const refuse = (why: string) => {
        problems.error(r.key("retentionDays"), retentionDays, why);
        retentionDays = defaultRetentionDays;
    };
    if (enabled && given && backend === LoggingBackend.Cloud) {
        if (cloud === "aws" && !(cloudWatchRetentionDays as readonly number[]).includes(retentionDays))
            refuse(`CloudWatch Logs keeps logs for one of ${cloudWatchRetentionDays.join(", ")} days`);
        else if (
            cloud === "azure" &&
            (retentionDays < logAnalyticsRetentionDays.min || retentionDays > logAnalyticsRetentionDays.max)
        )
            refuse(
                `a Log Analytics workspace keeps logs from ${logAnalyticsRetentionDays.min} to ${logAnalyticsRetentionDays.max} days`,
            );
        else if (cloud === "gcp" && retentionDays !== defaultRetentionDays)
            // The _Default log bucket is the project's, shared with everything else in it.
            refuse(
                `Cloud Logging keeps GKE logs in the project's _Default bucket (${defaultRetentionDays} days), which this program does not own; change that bucket's retention, or use backend: loki`,
            );
    }
    if (enabled && backend === LoggingBackend.Cloud && cloud === "existing")
        problems.error(
            r.key("backend"),
            backend,
            "an existing cluster has no cloud log sink this program manages; use loki (the default there)",
        );
    const storageSize = r.quantity(obj, "storageSize", "10Gi", true);
    if (!isUnset(obj.storageSize) && backend !== LoggingBackend.Loki)
        problems.errorText(r.key("storageSize"), "only used with backend: loki (the volume of Loki's chunks)");
    return { enabled, backend, retentionDays, storageSize, namespace: loggingNamespace };
}
