// The vendored chart packages (test/data/charts, provenance in its SOURCES.json).
import * as fs from "fs";
import * as path from "path";

export const chartsDir = path.resolve(__dirname, "..", "..", "data", "charts");

export interface SourceRef {
    repository: string;
    path: string;
    commit: string;
    tag?: string;
    note?: string;
}

export interface VendoredChart {
    chart: string;
    version: string;
    /** Helm repository the program installs the chart from. */
    helmRepository: string;
    source: SourceRef;
    sha256: string;
    dependencies?: { name: string; version: string; condition?: string; source?: SourceRef; note: string }[];
}

/** SOURCES.json: package file name → provenance. */
export function vendoredCharts(): Record<string, VendoredChart> {
    return JSON.parse(fs.readFileSync(path.join(chartsDir, "SOURCES.json"), "utf8"));
}

/** Path of the package for `chart` at `version`; fails when it is not vendored or comes from another repository. */
export function chartPackage(chart: string, version: string, repo: string | undefined): string {
    const file = `${chart}-${version}.tgz`;
    const entry = vendoredCharts()[file];
    if (!entry) throw new Error(`${chart} ${version} is not vendored in test/data/charts (see its README.md)`);
    if (repo !== undefined && repo !== entry.helmRepository) {
        throw new Error(
            `${chart} ${version} is installed from ${repo}, but the vendored package is ${entry.helmRepository}'s`,
        );
    }
    return path.join(chartsDir, file);
}
