// Every value the mesh sets on Istio's charts is a key those charts read. Helm ignores unknown
// keys silently, so a typo would otherwise ship as a default. The key lists in
// test/data/chart-values/istio-*.json come from the charts' own values.yaml / values.schema.json
// (see each file's _comment for source and commit).
import * as assert from "assert";
import { baseValues, gatewayValues, istiodValues } from "../components/mesh/charts";
import { Placement } from "../components/cluster/target";
import baseKeys from "./data/chart-values/istio-base.json";
import istiodKeys from "./data/chart-values/istio-istiod.json";
import gatewayKeys from "./data/chart-values/istio-gateway.json";

interface ChartKeys {
    paths: string[];
    openMaps: string[];
}

/** Leaf key paths (as segment lists) of a values object; arrays and scalars are leaves. */
function leafPaths(values: unknown, prefix: string[] = []): string[][] {
    if (values === null || typeof values !== "object" || Array.isArray(values)) return [prefix];
    const entries = Object.entries(values as Record<string, unknown>);
    if (entries.length === 0) return [prefix];
    return entries.flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
}

/**
 * Key paths in `values` the chart does not know: neither listed in `paths` nor below one of the
 * `openMaps` (maps whose keys are the user's, e.g. nodeSelector labels, which may contain dots).
 */
export function unknownKeyPaths(values: Record<string, unknown>, keys: ChartKeys): string[] {
    const known = new Set(keys.paths);
    const open = new Set(keys.openMaps);
    return leafPaths(values)
        .filter((segments) => {
            for (let i = 1; i < segments.length; i++) {
                if (open.has(segments.slice(0, i).join("."))) return false;
            }
            return !known.has(segments.join("."));
        })
        .map((segments) => segments.join("."));
}

const systemPlacement: Placement = {
    nodeSelector: { "kubernetes.io/os": "linux", "node.kubernetes.io/pool": "system" },
    tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }],
};

describe("Istio chart values use keys the charts define", () => {
    it("base", () => {
        assert.deepStrictEqual(unknownKeyPaths(baseValues(), baseKeys), []);
    });

    it("istiod (incl. meshConfig fields from MeshConfig)", () => {
        const values = istiodValues(systemPlacement);
        assert.deepStrictEqual(unknownKeyPaths(values, istiodKeys), []);
        // The checker really descends into what we set (not just top-level keys).
        assert.ok(leafPaths(values).some((p) => p.join(".") === "meshConfig.accessLogFile"));
    });

    it("gateway, for every service type", () => {
        for (const gatewayServiceType of ["LoadBalancer", "ClusterIP", "NodePort"] as const) {
            assert.deepStrictEqual(unknownKeyPaths(gatewayValues({ gatewayServiceType }, systemPlacement), gatewayKeys), []);
        }
    });

    it("rejects misspelt keys, at any depth", () => {
        assert.deepStrictEqual(unknownKeyPaths({ meshConfig: { accesLogFile: "/dev/stdout" } }, istiodKeys), ["meshConfig.accesLogFile"]);
        assert.deepStrictEqual(unknownKeyPaths({ service: { tpye: "LoadBalancer" } }, gatewayKeys), ["service.tpye"]);
        assert.deepStrictEqual(unknownKeyPaths({ sidecarInjectorWebhook: { rewriteAppHTTPProbers: true } }, istiodKeys),
            ["sidecarInjectorWebhook.rewriteAppHTTPProbers"]);
        assert.deepStrictEqual(unknownKeyPaths({ global: { istioNamespaces: "istio-system" } }, baseKeys), ["global.istioNamespaces"]);
        // The defaults' wrapper is not a key users set.
        assert.deepStrictEqual(unknownKeyPaths({ _internal_defaults_do_not_set: { env: {} } }, istiodKeys),
            ["_internal_defaults_do_not_set.env"]);
    });

    it("accepts user-defined keys only inside open maps", () => {
        assert.deepStrictEqual(unknownKeyPaths({ nodeSelector: { "topology.kubernetes.io/zone": "a" } }, gatewayKeys), []);
        assert.deepStrictEqual(unknownKeyPaths({ env: { ANY_VARIABLE: "1" } }, istiodKeys), []);
        assert.deepStrictEqual(unknownKeyPaths({ autoscaling: { anything: 1 } }, gatewayKeys), ["autoscaling.anything"]);
    });
});
