// The shipper's pipeline, in Alloy's configuration syntax: every container's log files on the node
// (kubelet's /var/log/pods layout), labelled by namespace, pod and container, CRI framing removed,
// and TorchServe's access-log lines parsed into `model` and `status` labels and `latency_ms`
// structured metadata (accessLog.ts holds the patterns), then pushed to Loki.
// Components and arguments: Alloy 1.x reference (discovery.kubernetes, discovery.relabel,
// local.file_match, loki.source.file, loki.process stage.cri/match/regex/labels/structured_metadata,
// loki.write), https://grafana.com/docs/alloy/latest/reference/components/.
import { accessLogPattern, modelUriPattern } from "./accessLog";

export interface AlloyPipelineArgs {
    /** Loki's push endpoint, e.g. http://loki.logging.svc.cluster.local:3100/loki/api/v1/push. */
    pushUrl: string;
    /** Namespace whose containers' lines are parsed as TorchServe access logs. */
    torchServeNamespace: string;
}

/** A raw string literal (backticks: no escapes), refusing text that would end it early. */
export function alloyRawString(text: string): string {
    if (text.includes("`")) throw new Error(`a backtick in ${text}`);
    return "`" + text + "`";
}

/** A double-quoted string literal. */
function quoted(text: string): string {
    return JSON.stringify(text);
}

/** The Alloy configuration file the DaemonSet runs. */
export function alloyPipeline(a: AlloyPipelineArgs): string {
    const selector = `{namespace=${quoted(a.torchServeNamespace)}}`;
    return `// Pods on this node only (the chart sets HOSTNAME to the node name).
discovery.kubernetes "pods" {
  role = "pod"
  selectors {
    role  = "pod"
    field = "spec.nodeName=" + sys.env("HOSTNAME")
  }
}

discovery.relabel "pods" {
  targets = discovery.kubernetes.pods.targets
  rule {
    source_labels = ["__meta_kubernetes_namespace"]
    target_label  = "namespace"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_name"]
    target_label  = "pod"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_container_name"]
    target_label  = "container"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_node_name"]
    target_label  = "node"
  }
  // kubelet writes /var/log/pods/<namespace>_<pod>_<uid>/<container>/<restart>.log
  rule {
    source_labels = ["__meta_kubernetes_pod_uid", "__meta_kubernetes_pod_container_name"]
    separator     = "/"
    target_label  = "__path__"
    replacement   = "/var/log/pods/*$1/*.log"
  }
}

local.file_match "pods" {
  path_targets = discovery.relabel.pods.output
}

loki.source.file "pods" {
  targets    = local.file_match.pods.targets
  forward_to = [loki.process.pods.receiver]
}

loki.process "pods" {
  forward_to = [loki.write.loki.receiver]

  stage.cri {}

  // TorchServe's access log: one line per request (components/logging/accessLog.ts).
  stage.match {
    selector = ${quoted(selector)}
    stage.regex {
      expression = ${alloyRawString(accessLogPattern)}
    }
    stage.regex {
      source     = "uri"
      expression = ${alloyRawString(modelUriPattern)}
    }
    stage.labels {
      values = { model = "", status = "" }
    }
    stage.structured_metadata {
      values = { latency_ms = "" }
    }
  }
}

loki.write "loki" {
  endpoint {
    url = ${quoted(a.pushUrl)}
  }
}
`;
}
