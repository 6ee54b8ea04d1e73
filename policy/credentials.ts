// No credentials in ConfigMaps or Helm values. A ConfigMap is readable by anyone who may read
// configuration in its namespace, and Helm keeps a release's values in its release Secret, where
// `helm get values` prints them. Credentials belong in a Kubernetes Secret the chart or pod
// references (existingSecret, secretKeyRef, envFrom).
//
// Policies see secret values unwrapped (@pulumi/policy deserializes with secrets revealed), so a
// Pulumi secret in Helm values is reported like a literal: it ends up in the release Secret all the same.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { configMapType, helmReleaseType } from "./types";
import { entries, known, unknown } from "./unknowns";

/**
 * Key endings (lower case, separators removed) that name a credential. Keys that say where one is
 * end otherwise (secretName, passwordKey, tokenFile, secretKeyRef) and do not match.
 */
const credentialEnding =
    /(password|passwd|passphrase|secret|secretkey|token|apikey|accesskey|privatekey|credentials?)$/;

/** Whether a key names a credential (apiKey, API_TOKEN, db-password; not existingSecret or passwordKey). */
export function isCredentialKey(key: string): boolean {
    const k = key.toLowerCase().replace(/[^a-z0-9]/g, "");
    // existingSecret and the like name a Secret the chart reads the credential from.
    return credentialEnding.test(k) && !k.startsWith("existing");
}

/** A non-empty string, or a value the preview computes later (a generated password, say). */
function isCredentialValue(v: unknown): boolean {
    return v === unknown || (typeof v === "string" && v.trim() !== "");
}

/**
 * Credential-looking settings in Helm values, as paths: a key naming a credential with a
 * non-empty string, or an `{name, value}` pair (container env) whose name does.
 */
export function helmCredentialPaths(values: unknown, path = "values"): string[] {
    const out: string[] = [];
    if (!values || typeof values !== "object") return out;
    const obj = Object.fromEntries(entries(values));
    if (typeof obj.name === "string" && isCredentialKey(obj.name) && isCredentialValue(obj.value))
        out.push(`${path} (${obj.name})`);
    for (const [key, v] of Object.entries(obj)) {
        const at = Array.isArray(values) ? `${path}[${key}]` : `${path}.${key}`;
        if (isCredentialKey(key) && isCredentialValue(v)) out.push(at);
        else if (v !== unknown) out.push(...helmCredentialPaths(v, at));
    }
    return out;
}

/** Files in a ConfigMap read as key=value / key: value lines (properties, env, ini, YAML). */
const lineFile = /\.(properties|env|ini|conf|cfg|ya?ml)$/i;

/** Credential-looking entries of a ConfigMap's data, as `key` or `file: key`. */
export function configMapCredentialKeys(data: Record<string, unknown> | undefined): string[] {
    const out: string[] = [];
    for (const [key, v] of entries(data ?? {})) {
        if (isCredentialKey(key) && isCredentialValue(v)) out.push(key);
        if (typeof v === "string" && lineFile.test(key)) {
            for (const line of v.split("\n")) {
                const m = /^\s*(?:export\s+)?([A-Za-z0-9_.-]+)\s*[=:]\s*(.*?)\s*$/.exec(line);
                if (
                    m &&
                    !line.trimStart().startsWith("#") &&
                    isCredentialKey(m[1].split(".").pop()!) &&
                    isCredentialValue(m[2].replace(/^["']|["']$/g, ""))
                ) {
                    out.push(`${key}: ${m[1]}`);
                }
            }
        }
    }
    return out;
}

export const noCredentialsInConfig: ResourceValidationPolicy = {
    name: "no-credentials-in-config",
    description:
        "No ConfigMap entry or Helm value named like a credential (password, token, secret, apiKey, …) holds a value.",
    remediationSteps:
        "Put the credential in a Kubernetes Secret and reference it (the chart's existingSecret setting, or env valueFrom.secretKeyRef).",
    validateResource: (args, reportViolation) => {
        if (args.type === configMapType) {
            const data = known(() => args.props.data);
            if (data !== unknown)
                for (const key of configMapCredentialKeys(data))
                    reportViolation(
                        `ConfigMap ${args.props.metadata?.name ?? args.name} holds a credential at ${key}.`,
                    );
        }
        if (args.type === helmReleaseType) {
            const values = known(() => args.props.values);
            if (values !== unknown)
                for (const path of helmCredentialPaths(values))
                    reportViolation(`Helm release ${args.props.name ?? args.name} holds a credential at ${path}.`);
        }
    },
};
