// Images pinned: what a node pulls must not change under a running stack. An untagged reference
// means `:latest`, and `:latest` (like any reused tag) can be a different image on the next pull.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { containerLabel, containersOf, podSpecOf } from "./kubernetes";
import { helmReleaseType } from "./types";
import { entries, known, unknown } from "./unknowns";

/**
 * Why an image reference is not pinned, or undefined when it is: a digest (`@sha256:…`) or a tag
 * other than `latest`. The tag is what follows the last `:` after the last `/`, so a registry
 * port (`registry:5000/app`) is not mistaken for one.
 */
export function imageProblem(ref: unknown): string | undefined {
    if (typeof ref !== "string" || ref.trim() === "") return "has no image";
    if (/@sha256:[0-9a-f]{64}$/.test(ref)) return undefined;
    const lastSegment = ref.slice(ref.lastIndexOf("/") + 1);
    const colon = lastSegment.lastIndexOf(":");
    if (colon < 0) return `image "${ref}" has no tag (it pulls :latest)`;
    const tag = lastSegment.slice(colon + 1);
    if (tag === "" || tag === "latest") return `image "${ref}" is not pinned (tag "${tag}")`;
    return undefined;
}

/**
 * Image settings in a Helm release's values that are not pinned, as `path: problem`. Charts spell
 * an image as a string under a key ending in `image` (`image: repo:tag`), or as an object there
 * with `repository`/`tag`/`digest`. An object without a tag keeps the chart's default, which the
 * pinned chart version fixes; an explicit `latest` or an empty-tagged string does not.
 */
export function helmImageProblems(values: unknown, path = "values"): string[] {
    const out: string[] = [];
    if (!values || typeof values !== "object") return out;
    // A value a preview does not know yet is skipped: it cannot be judged before it is known.
    for (const [key, v] of entries(values)) {
        if (v === unknown) continue;
        const at = Array.isArray(values) ? `${path}[${key}]` : `${path}.${key}`;
        if (/image$/i.test(key) && typeof v === "string") {
            const problem = imageProblem(v);
            if (problem) out.push(`${at}: ${problem}`);
            continue;
        }
        if (/image$/i.test(key) && v && typeof v === "object" && !Array.isArray(v)) {
            const img = Object.fromEntries(entries(v)) as Record<string, unknown>;
            const pinnedByDigest = ["digest", "sha"].some((k) => typeof img[k] === "string" && img[k] !== "");
            if (!pinnedByDigest && typeof img.tag === "string" && img.tag.trim() === "latest") {
                out.push(`${at}.tag: image tag "latest" is not pinned`);
            }
            if (
                !pinnedByDigest &&
                typeof img.repository === "string" &&
                img.tag === undefined &&
                /:[^/]+$/.test(img.repository)
            ) {
                const problem = imageProblem(img.repository);
                if (problem) out.push(`${at}.repository: ${problem}`);
            }
        }
        out.push(...helmImageProblems(v, at));
    }
    return out;
}

export const imagesPinned: ResourceValidationPolicy = {
    name: "images-pinned",
    description:
        "Every container image (init containers too) and every image set in Helm values is pinned: a digest, or a tag other than latest.",
    remediationSteps: "Set an explicit version tag (pytorch/torchserve:0.12.0-gpu) or a digest (@sha256:...).",
    validateResource: (args, reportViolation) => {
        const pod = podSpecOf(args.type, args.props);
        if (pod) {
            for (const c of containersOf(pod)) {
                const problem = imageProblem(c.container.image);
                if (problem) reportViolation(`${containerLabel(c)} ${problem}.`);
            }
        }
        if (args.type === helmReleaseType) {
            const values = known(() => args.props.values);
            if (values !== unknown) for (const problem of helmImageProblems(values)) reportViolation(`${problem}.`);
        }
    },
};
