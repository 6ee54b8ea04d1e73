// Reading what an evaluation produced: mock ids, outputs, tolerations, settings through the real
// config path, and what loading a module costs. Matching resources: match.ts; running a cloud's
// createCluster: harness/cluster.ts.
import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig } from "../../stacks/config/parse";
import { readRawConfig } from "../../stacks/config/read";
import { Settings } from "../../stacks/config/settings";
import { mockId, RegisteredResource, UNKNOWN } from "../../harness/evaluate";
import type { Toleration } from "../../components/cluster/target";

/** The id the update mocks give a resource (harness/evaluate.ts), i.e. what references to it resolve to. */
export const idOf = (r: RegisteredResource): string => mockId(r.name);

/** An output's value (UNKNOWN where a preview cannot know it) and whether it is a secret. */
export async function inspect<T>(o: pulumi.Output<T>): Promise<{ value: T | typeof UNKNOWN; secret: boolean }> {
    const value = await (o as any).promise(true);
    return { value: pulumi.isUnknown(value) ? UNKNOWN : value, secret: await pulumi.isSecret(o) };
}

/** A node taint in Kubernetes terms (effect spelt NoSchedule, not NO_SCHEDULE). */
export interface Taint {
    key: string;
    value: string;
    effect: string;
}

/** Whether pod toleration `t` tolerates `taint`: same key and effect, and Exists or the same value. */
export function tolerates(t: Toleration, taint: Taint): boolean {
    if (t.key !== taint.key || t.effect !== taint.effect) return false;
    return t.operator === "Exists" || t.value === taint.value;
}

/** Settings through the real config path: pulumi.Config → parser (defaults, validation). Call inside a run. */
export function fromStackFile(): Settings {
    return parseStackConfig(readRawConfig()).settings;
}
