// Finding resources in what a test evaluated, one way for every test. `what` is either
//  - a Pulumi type token ("kubernetes:apps/v1:Deployment", "aws:iam/role:Role"): `name` is then the
//    resource's Pulumi (logical) name, what a URN and `pulumi preview` show; or
//  - a Kubernetes kind ("Deployment", no colon): it matches Kubernetes objects of any group and
//    version, and `name` is then the object's metadata.name, what kubectl shows.
// Sources: an evaluation, its resources, or plain Kubernetes objects (built by a pure function).
import * as assert from "assert";
import { Evaluation, RegisteredResource } from "../../harness/evaluate";

/** A Kubernetes object as pure builders return it. */
export interface KubernetesObject {
    kind: string;
    metadata?: { name?: string };
}

/** `kubernetes:apps/v1:Deployment` → "Deployment"; undefined for anything not a Kubernetes type. */
export function kindOf(type: string): string | undefined {
    return /^kubernetes:[^:]+:([A-Za-z0-9]+)$/.exec(type)?.[1];
}

const isTypeToken = (what: string) => what.includes(":");
const isResource = (x: RegisteredResource | KubernetesObject): x is RegisteredResource => "urn" in x;

function resourceMatches(r: RegisteredResource, what: string, name: string | undefined): boolean {
    if (isTypeToken(what)) return r.type === what && (name === undefined || r.name === name);
    return r.custom && kindOf(r.type) === what && (name === undefined || r.inputs.metadata?.name === name);
}

function objectMatches(o: KubernetesObject, what: string, name: string | undefined): boolean {
    if (isTypeToken(what)) throw new Error(`plain Kubernetes objects are matched by kind, not by type token ${what}`);
    return o.kind === what && (name === undefined || o.metadata?.name === name);
}

/** Every resource (or object) of `what`, named `name` when given, in registration order. */
export function all(
    source: Evaluation | readonly RegisteredResource[],
    what: string,
    name?: string,
): RegisteredResource[];
export function all<T extends KubernetesObject>(source: readonly T[], kind: string, name?: string): T[];
export function all(
    source: Evaluation | readonly (RegisteredResource | KubernetesObject)[],
    what: string,
    name?: string,
): (RegisteredResource | KubernetesObject)[] {
    const items = "resources" in source ? source.resources : source;
    return items.filter((x) => (isResource(x) ? resourceMatches(x, what, name) : objectMatches(x, what, name)));
}

/** The one resource (or object) of `what`, named `name` when given; fails if there are none or several. */
export function one(
    source: Evaluation | readonly RegisteredResource[],
    what: string,
    name?: string,
): RegisteredResource;
export function one<T extends KubernetesObject>(source: readonly T[], kind: string, name?: string): T;
export function one(
    source: Evaluation | readonly (RegisteredResource | KubernetesObject)[],
    what: string,
    name?: string,
): RegisteredResource | KubernetesObject {
    const found = all(source as readonly KubernetesObject[], what, name);
    const names = found.map((x) => (isResource(x) ? x.name : x.metadata?.name));
    assert.strictEqual(
        found.length,
        1,
        `expected one ${what}${name === undefined ? "" : ` ${name}`}, found ${found.length ? names.join(", ") : "none"}`,
    );
    return found[0];
}
