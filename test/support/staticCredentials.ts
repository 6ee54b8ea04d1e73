// Issue 13's "no static keys anywhere": what in an evaluated program would hand TorchServe's pods (or
// a storage driver mounting for them) a long-lived credential instead of a workload identity. One line
// per finding; an empty list means the models are read with identities only.
import { Evaluation, RegisteredResource } from "../../harness/evaluate";

/** Resources that mint a key which lives until someone deletes it. */
const keyResourceTypes = new Set([
    "aws:iam/accessKey:AccessKey", // an IAM user's access key id and secret
    "gcp:serviceaccount/key:Key", // a service account's JSON key
    "gcp:storage/hmacKey:HmacKey", // Cloud Storage's S3-style key
]);

/** Invokes that read a storage account's keys or sign a SAS with them (azure-native, azure classic). */
const keyInvoke =
    /(listStorageAccountKeys|listStorageAccountSAS|listStorageAccountServiceSAS|getAccountSAS|getAccountBlobContainerSAS)$/;

/** Environment variables through which the cloud SDKs and CLIs take a static credential. */
const keyEnv = new Set([
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AZURE_STORAGE_KEY",
    "AZURE_STORAGE_ACCOUNT_KEY",
    "AZURE_STORAGE_SAS_TOKEN",
    "AZURE_STORAGE_CONNECTION_STRING",
    "AZURE_CLIENT_SECRET",
    "GOOGLE_APPLICATION_CREDENTIALS",
]);

/**
 * CSI volume attributes that point a driver at a key: the Blob driver's `secretName`/`secretNamespace`
 * and `storageaccountkey`-style attributes (kubernetes-sigs/blob-csi-driver docs/driver-parameters.md).
 */
const keyAttribute = /^(secretname|secretnamespace|storageaccountkey|accountkey|sastoken|azurestorageaccountkey)$/i;

/** Secret keys that carry a storage or cloud credential. */
const keySecretField = /(access.?key|secret.?access|account.?key|sas.?token|key\.json|credentials)/i;

/** Pod specs of every workload object, at any depth of the usual templates. */
function podSpecs(r: RegisteredResource): any[] {
    const spec = r.inputs?.spec;
    return [
        spec?.template?.spec,
        spec?.jobTemplate?.spec?.template?.spec,
        r.type === "kubernetes:core/v1:Pod" ? spec : undefined,
    ].filter((s) => s && typeof s === "object");
}

export function staticCredentials(ev: Pick<Evaluation, "resources" | "calls">): string[] {
    const found: string[] = [];
    for (const call of ev.calls) if (keyInvoke.test(call)) found.push(`invoke ${call} reads a storage account key`);
    for (const r of ev.resources) {
        if (keyResourceTypes.has(r.type)) found.push(`${r.type} ${r.name} mints a long-lived key`);
        if (r.type === "kubernetes:core/v1:Secret") {
            const fields = [...Object.keys(r.inputs?.data ?? {}), ...Object.keys(r.inputs?.stringData ?? {})];
            for (const f of fields.filter((k) => keySecretField.test(k)))
                found.push(`Secret ${r.inputs?.metadata?.name ?? r.name} carries ${f}`);
        }
        const csi = r.type === "kubernetes:core/v1:PersistentVolume" ? r.inputs?.spec?.csi : undefined;
        if (csi) {
            for (const ref of ["nodePublishSecretRef", "nodeStageSecretRef"] as const)
                if (csi[ref]) found.push(`PersistentVolume ${r.inputs?.metadata?.name ?? r.name}: ${ref}`);
            for (const a of Object.keys(csi.volumeAttributes ?? {}).filter((k) => keyAttribute.test(k)))
                found.push(`PersistentVolume ${r.inputs?.metadata?.name ?? r.name}: volume attribute ${a}`);
        }
        for (const pod of podSpecs(r)) {
            for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
                for (const e of c.env ?? [])
                    if (keyEnv.has(e.name))
                        found.push(`${r.inputs?.metadata?.name ?? r.name}/${c.name}: env ${e.name}`);
            }
        }
    }
    return found;
}
