// Chart versions pinned: without a version a Helm release installs whatever the repository
// serves as latest at that moment, and a range (^1.2, ~1, >=1) moves with the repository too. The
// program's values are checked against the chart at its pinned version; another version may not
// have those keys.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { helmReleaseType } from "./types";

/** An exact SemVer 2 version (what `helm install --version` resolves to a single chart), optional `v`. */
export const exactVersion = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** Why a release's chart version is not pinned, or undefined. */
export function chartVersionProblem(props: Record<string, any>): string | undefined {
    const version = props.version;
    // A chart given as a local path or archive is the version it contains.
    if (typeof props.chart === "string" && /^(\.{0,2}\/|.*\.tgz$)/.test(props.chart) && version === undefined)
        return undefined;
    if (version === undefined || version === null || version === "")
        return "sets no chart version (it installs the repository's latest)";
    if (!exactVersion.test(String(version))) return `chart version "${version}" is not an exact version`;
    return undefined;
}

export const chartVersionsPinned: ResourceValidationPolicy = {
    name: "chart-versions-pinned",
    description: "Every Helm release names an exact chart version (x.y.z), not a range or nothing.",
    validateResource: (args, reportViolation) => {
        if (args.type !== helmReleaseType) return;
        const problem = chartVersionProblem(args.props);
        if (problem)
            reportViolation(`Helm release ${args.props.name ?? args.name} (chart ${args.props.chart}) ${problem}.`);
    },
};
