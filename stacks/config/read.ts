import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";

/** The SDK's own test behind Config secrets; marked @internal, so absent from its typings. */
const isConfigSecret = (runtimeConfig as unknown as { isConfigSecret: (key: string) => boolean }).isConfigSecret;

/** Config exactly as the stack file holds it, before defaults and validation. */
export interface RawStackConfig {
    project: string;
    stack: string;
    /** Keys in the project's namespace (`torchserve-platform:<key>`), JSON-decoded where possible. */
    values: Record<string, unknown>;
    /** Keys in the project's namespace whose value is a secret (`pulumi config set --secret`). */
    secretKeys: string[];
    /** Every config key of the stack, any namespace (to point out a misspelt provider key). */
    allKeys: string[];
    /** Cloud location keys in their providers' namespaces. */
    location: {
        awsRegion?: string;
        azureLocation?: string;
        gcpProject?: string;
        gcpRegion?: string;
    };
}

/** Pulumi stores structured config as JSON text; scalars may be plain strings. */
function decode(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/** Reads the stack's config from the Pulumi runtime. The only place that touches pulumi.Config. */
export function readRawConfig(): RawStackConfig {
    const project = pulumi.getProject();
    const prefix = `${project}:`;
    const values: Record<string, unknown> = {};
    for (const [key, text] of Object.entries(pulumi.runtime.allConfig())) {
        if (key.startsWith(prefix)) values[key.slice(prefix.length)] = decode(text);
    }
    const get = (ns: string, key: string) => new pulumi.Config(ns).get(key);
    return {
        project,
        stack: pulumi.getStack(),
        values,
        secretKeys: Object.keys(values).filter((k) => isConfigSecret(`${prefix}${k}`)),
        allKeys: Object.keys(pulumi.runtime.allConfig()),
        location: {
            awsRegion: get("aws", "region"),
            azureLocation: get("azure-native", "location"),
            gcpProject: get("gcp", "project"),
            gcpRegion: get("gcp", "region"),
        },
    };
}
