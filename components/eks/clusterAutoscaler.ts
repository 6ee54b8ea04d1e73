import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { HelmValues } from "../cluster/freeform";
import { Placement } from "../cluster/target";
import { clusterAutoscalerChart } from "./defaults";
import { clusterAutoscalerPolicy, IrsaRole } from "./iam";
import { aliasPreviousType } from "../cluster/typeToken";

/** Namespace and service account cluster-autoscaler runs as; its IAM role trusts exactly this. */
export const clusterAutoscalerNamespace = "kube-system";
export const clusterAutoscalerServiceAccount = "cluster-autoscaler";

export interface ClusterAutoscalerValuesInput {
    clusterName: pulumi.Input<string>;
    region: pulumi.Input<string>;
    roleArn: pulumi.Input<string>;
    /** registry.k8s.io/autoscaling/cluster-autoscaler tag; undefined = the chart's default. */
    imageTag?: string;
    placement: Placement;
}

/** Helm values for the cluster-autoscaler chart (value names from chart 9.59.0's values.yaml). */
export function clusterAutoscalerValues(v: ClusterAutoscalerValuesInput): HelmValues {
    return {
        cloudProvider: "aws",
        awsRegion: v.region,
        // Finds ASGs tagged k8s.io/cluster-autoscaler/enabled and k8s.io/cluster-autoscaler/<clusterName>.
        autoDiscovery: { clusterName: v.clusterName },
        rbac: {
            serviceAccount: {
                create: true,
                name: clusterAutoscalerServiceAccount,
                annotations: { "eks.amazonaws.com/role-arn": v.roleArn },
            },
        },
        ...(v.imageTag ? { image: { tag: v.imageTag } } : {}),
        extraArgs: {
            // Pick the group that leaves least idle CPU/memory: don't add a GPU node for CPU pods.
            expander: "least-waste",
            "balance-similar-node-groups": true,
            // Pods with emptyDir volumes (Istio's injected sidecar on TorchServe pods, Grafana, Alertmanager,
            // Prometheus's config volume) would otherwise keep their node from ever being scaled down;
            // none of them keeps data there that must outlive a drain.
            "skip-nodes-with-local-storage": false,
        },
        nodeSelector: v.placement.nodeSelector,
        tolerations: v.placement.tolerations,
        resources: { requests: { cpu: "100m", memory: "300Mi" }, limits: { memory: "600Mi" } },
    };
}

export interface ClusterAutoscalerArgs {
    /** EKS cluster name (output of the cluster). */
    clusterName: pulumi.Input<string>;
    /** Plain cluster name for the IAM condition on ASG tags. */
    clusterNameForPolicy: string;
    /** AWS region of the cluster. */
    region: pulumi.Input<string>;
    /** Cluster's IAM OIDC provider ARN. */
    oidcProviderArn: pulumi.Input<string>;
    /** OIDC issuer without `https://`. */
    oidcIssuer: pulumi.Input<string>;
    /** Image tag matching the cluster's Kubernetes minor; undefined = chart default. */
    imageTag?: string;
    /** Where the autoscaler runs (the system pool). */
    placement: Placement;
    /** Tags on AWS resources. */
    tags?: Record<string, string>;
}

/** Resource options of ClusterAutoscaler. */
export interface ClusterAutoscalerOptions extends pulumi.ComponentResourceOptions {
    /**
     * Resources the Helm release waits for (the system node group), besides its role's permissions.
     * Unlike `dependsOn`, which would order only the component itself.
     */
    releaseDependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * cluster-autoscaler with ASG auto-discovery, its IAM role bound to its service account through IRSA,
 * installed through the Kubernetes provider given as `opts.provider`.
 */
export class ClusterAutoscaler extends pulumi.ComponentResource {
    /** IAM role of the autoscaler's service account (IRSA). */
    readonly role: aws.iam.Role;
    readonly release: k8s.helm.v3.Release;

    constructor(name: string, args: ClusterAutoscalerArgs, opts?: ClusterAutoscalerOptions) {
        super(
            "torchserve-platform:index:ClusterAutoscaler",
            name,
            {},
            aliasPreviousType(opts, "torchserve-platform:eks:ClusterAutoscaler"),
        );
        const irsa = new IrsaRole(
            name,
            {
                oidcProviderArn: args.oidcProviderArn,
                oidcIssuer: args.oidcIssuer,
                namespace: clusterAutoscalerNamespace,
                serviceAccount: clusterAutoscalerServiceAccount,
                inlinePolicy: clusterAutoscalerPolicy(args.clusterNameForPolicy),
                tags: args.tags,
            },
            { parent: this },
        );
        this.role = irsa.role;

        this.release = new k8s.helm.v3.Release(
            name,
            {
                chart: clusterAutoscalerChart.name,
                version: clusterAutoscalerChart.version,
                repositoryOpts: { repo: clusterAutoscalerChart.repo },
                namespace: clusterAutoscalerNamespace,
                values: clusterAutoscalerValues({
                    clusterName: args.clusterName,
                    region: args.region,
                    roleArn: irsa.arn,
                    imageTag: args.imageTag,
                    placement: args.placement,
                }),
            },
            {
                parent: this,
                dependsOn: [...(opts?.releaseDependsOn ?? []), ...irsa.permissions()],
            },
        );
        this.registerOutputs({ roleArn: this.role.arn });
    }
}
