// Every value the mesh sets on Istio's charts is a key those charts read. Helm ignores unknown
// keys silently, so a typo would otherwise ship as a default. The key lists in
// test/data/chart-values/istio-*-1.31.1.json come from the charts' own values.yaml / values.schema.json
// and Istio's MeshConfig (see each file's `source` for repository and commit).
import * as assert from "assert";
import { baseValues, chartNames, gatewayValues, istiodValues, istioVersion } from "../components/mesh/charts";
import { Placement } from "../components/cluster/target";
import { assertKnownValueKeys, leafKeyPaths, loadChartKeys, unknownValueKeys } from "./support/chartValues";

const baseKeys = loadChartKeys(`istio-${chartNames.base}-${istioVersion}.json`);
const istiodKeys = loadChartKeys(`istio-${chartNames.istiod}-${istioVersion}.json`);
const gatewayKeys = loadChartKeys(`istio-${chartNames.gateway}-${istioVersion}.json`);

const systemPlacement: Placement = {
    nodeSelector: { "kubernetes.io/os": "linux", "node.kubernetes.io/pool": "system" },
    tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }],
};

describe("Istio chart values use keys the charts define", () => {
    it("base", () => {
        assertKnownValueKeys(baseValues(), baseKeys);
    });

    it("istiod (incl. meshConfig fields from MeshConfig)", () => {
        const values = istiodValues(systemPlacement);
        assertKnownValueKeys(values, istiodKeys);
        // The checker really descends into what we set (not just top-level keys).
        assert.ok(leafKeyPaths(values).includes("meshConfig.accessLogFile"));
    });

    it("gateway, for every service type", () => {
        for (const gatewayServiceType of ["LoadBalancer", "ClusterIP", "NodePort"] as const) {
            assertKnownValueKeys(gatewayValues({ gatewayServiceType }, systemPlacement), gatewayKeys);
        }
    });

    it("rejects misspelt keys, at any depth", () => {
        assert.deepStrictEqual(unknownValueKeys({ meshConfig: { accesLogFile: "/dev/stdout" } }, istiodKeys), [
            "meshConfig.accesLogFile",
        ]);
        assert.deepStrictEqual(unknownValueKeys({ service: { tpye: "LoadBalancer" } }, gatewayKeys), ["service.tpye"]);
        assert.deepStrictEqual(
            unknownValueKeys({ sidecarInjectorWebhook: { rewriteAppHTTPProbers: true } }, istiodKeys),
            ["sidecarInjectorWebhook.rewriteAppHTTPProbers"],
        );
        assert.deepStrictEqual(unknownValueKeys({ global: { istioNamespaces: "istio-system" } }, baseKeys), [
            "global.istioNamespaces",
        ]);
        // The defaults' wrapper is not a key users set.
        assert.deepStrictEqual(unknownValueKeys({ _internal_defaults_do_not_set: { env: {} } }, istiodKeys), [
            "_internal_defaults_do_not_set.env",
        ]);
    });

    it("accepts user-defined keys only inside open maps", () => {
        assert.deepStrictEqual(
            unknownValueKeys({ nodeSelector: { "topology.kubernetes.io/zone": "a" } }, gatewayKeys),
            [],
        );
        assert.deepStrictEqual(unknownValueKeys({ env: { ANY_VARIABLE: "1" } }, istiodKeys), []);
        assert.deepStrictEqual(unknownValueKeys({ autoscaling: { anything: 1 } }, gatewayKeys), [
            "autoscaling.anything",
        ]);
    });
});
