import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Placement } from "./kubernetes";
import { BlockVolumeFactory, ModelBucketVolume } from "./storage";

// The shared Kubernetes vocabulary lives in kubernetes.ts; re-exported for existing imports.
export type { Placement, Toleration } from "./kubernetes";

/** The cluster's DNS server: what monitoring scrapes (GKE runs kube-dns, the others CoreDNS). */
export const ClusterDns = { CoreDns: "coredns", KubeDns: "kube-dns" } as const;
export type ClusterDns = (typeof ClusterDns)[keyof typeof ClusterDns];

/**
 * What every cluster component (EKS, AKS, GKE, existing) hands the platform. Platform code reads
 * only this, so it never branches on the cloud.
 */
export interface ClusterTarget {
    /** Cluster name as the cloud knows it. */
    name: pulumi.Output<string>;
    /** kubeconfig for the cluster (a secret). */
    kubeconfig: pulumi.Output<string>;
    /** Provider built from `kubeconfig`; every Kubernetes object uses it. */
    provider: k8s.Provider;
    /** Where GPU pods go (GPU pool labels + its taints). */
    gpuPlacement: Placement;
    /** Where system add-ons go (monitoring, mesh control plane). */
    systemPlacement: Placement;
    /** StorageClass offering ReadWriteMany for the model store; undefined = cluster default class. */
    modelStoreClassName?: pulumi.Input<string>;
    /**
     * The bucket mounted read-only as the model store (`torchserve.modelStore: bucket`); the
     * model server claims this volume instead of one of `modelStoreClassName`.
     */
    modelBucket?: ModelBucketVolume;
    /** Triton's model repository, a bucket directory mounted read-only (`triton.modelRepository`). */
    tritonRepository?: ModelBucketVolume;
    /**
     * ReadWriteOnce block storage class for add-ons' volumes (Prometheus); undefined = the cluster's
     * default class. An output of the class's resource makes its consumers wait for it.
     */
    blockStorageClassName?: pulumi.Input<string>;
    /**
     * Volumes the program owns for add-ons' StatefulSets (a cloud disk and its PersistentVolume),
     * so `pulumi destroy` deletes them; undefined = their claims are provisioned from
     * `blockStorageClassName` and deleted with the cluster (AKS's node resource group) or by hand.
     */
    blockVolume?: BlockVolumeFactory;
    /**
     * Annotations every LoadBalancer Service gets (TorchServe's, the Istio gateway's, Grafana's), for a
     * load balancer that keeps a connection open while no byte moves for `idleTimeoutSeconds` (the
     * longest a response may take). Undefined = the cloud's load balancers need none.
     */
    loadBalancerAnnotations?: (idleTimeoutSeconds: number) => Record<string, string>;
    /**
     * The model store's volume arrives owned by root and its CSI driver does not apply the pod's
     * fsGroup (NFS-backed classes such as Filestore): TorchServe hands it to its user as root first.
     */
    modelStoreNeedsOwnership?: boolean;
    /**
     * Host directory of the NVIDIA driver when the node image keeps it outside the usual library
     * path (GKE: /home/kubernetes/bin/nvidia); GPU-metrics exporters mount it. Undefined = the
     * driver's libraries are where the NVIDIA container runtime finds them.
     */
    nvidiaDriverHostPath?: string;
    /** The cluster's DNS server. @default coredns */
    clusterDns?: ClusterDns;
    /** True when the platform must install the NVIDIA device plugin (the cloud does not). */
    needsDevicePlugin: boolean;
    /** Resources GPU workloads must wait for (the GPU node pool). */
    gpuPoolReady: pulumi.Resource[];
    /**
     * Resources add-ons on the system pool wait for (the system nodes). Monitoring and the mesh wait
     * for these only, so they install while the model store is still being provisioned.
     */
    systemReady: pulumi.Resource[];
    /** Resources TorchServe waits for: the system nodes plus the model store (storage class, CSI driver). */
    clusterReady: pulumi.Resource[];
}
