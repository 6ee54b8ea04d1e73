// Whether the stack gets the Istio mesh, and TorchServe's routes through it.
import * as pulumi from "@pulumi/pulumi";
import { ClusterTarget } from "../../components/cluster/target";
import { InferenceRoutes, IstioMesh } from "../../components/mesh";
import { ServingEndpoints } from "../../components/torchserve/endpoints";
import { IstioSettings } from "../config/settings";

/** The mesh when `istio.enabled`, else undefined (and nothing is registered). */
export function createMesh(
    istio: IstioSettings,
    cluster: Pick<ClusterTarget, "provider" | "systemPlacement" | "systemReady">,
    loadBalancerAnnotations?: Record<string, string>,
): IstioMesh | undefined {
    if (!istio.enabled) return undefined;
    return new IstioMesh(
        "istio",
        { istio, systemPlacement: cluster.systemPlacement, loadBalancerAnnotations },
        { provider: cluster.provider, dependsOn: cluster.systemReady },
    );
}

/**
 * TorchServe's routes when there is a mesh, else undefined. `torchServeReady` must include the
 * TorchServe namespace (the DestinationRule and policies live in it).
 */
export function createInferenceRoutes(
    istio: IstioSettings,
    mesh: IstioMesh | undefined,
    serving: ServingEndpoints,
    cluster: Pick<ClusterTarget, "provider"> & { torchServeReady: pulumi.Input<pulumi.Resource>[] },
): InferenceRoutes | undefined {
    if (!mesh) return undefined;
    return new InferenceRoutes(
        "torchserve-routes",
        {
            istio,
            serving,
            gatewayNamespace: mesh.gatewayNamespace,
            gatewaySelector: mesh.gatewaySelector,
            gatewayServiceAccount: mesh.gatewayServiceAccount,
        },
        { provider: cluster.provider, dependsOn: [...mesh.ready(), ...cluster.torchServeReady] },
    );
}
