// Where a stack's logs go (`logging`): Loki and its shipper in the cluster for backend `loki`; for
// backend `cloud` the cluster components turn on the cloud's own collection (stacks/aws.ts,
// azure.ts, gcp.ts), so nothing is installed here.
import { ClusterTarget } from "../../components/cluster/target";
import { Loki, LoggingBackend } from "../../components/logging";
import { ServingEndpoints } from "../../components/torchserve/endpoints";
import { LoggingSettings } from "../config/settings";

/** Loki when the stack logs to it; its URL is Grafana's second datasource. */
export function createLogging(
    logging: LoggingSettings,
    cluster: Pick<
        ClusterTarget,
        "provider" | "systemPlacement" | "systemReady" | "blockStorageClassName" | "blockVolume"
    >,
    serving: ServingEndpoints,
): Loki | undefined {
    if (!logging.enabled || logging.backend !== LoggingBackend.Loki) return undefined;
    return new Loki(
        "loki",
        {
            loki: logging,
            serving,
            systemPlacement: cluster.systemPlacement,
            storageClassName: cluster.blockStorageClassName,
            volume: cluster.blockVolume?.(`${logging.namespace}-loki`, logging.storageSize),
        },
        { provider: cluster.provider, dependsOn: cluster.systemReady },
    );
}
