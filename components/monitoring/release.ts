// The one way the monitoring components install third-party software: a pinned chart from its
// repository, atomically. Shared by Monitoring, Grafana and Autoscaling.
import { HelmValues } from "../cluster/freeform";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PinnedChart } from "./charts";

/** A Helm release of a pinned chart, in `namespace` (created if missing). */
export function pinnedRelease(
    name: string,
    pin: PinnedChart,
    namespace: string,
    values: pulumi.Input<HelmValues>,
    opts: pulumi.CustomResourceOptions,
): k8s.helm.v3.Release {
    return new k8s.helm.v3.Release(
        name,
        {
            name,
            chart: pin.chart,
            version: pin.version,
            repositoryOpts: { repo: pin.repo },
            namespace,
            createNamespace: true,
            values,
            // A failed install rolls back instead of leaving a half-installed release behind.
            atomic: true,
            timeout: 900,
        },
        opts,
    );
}
