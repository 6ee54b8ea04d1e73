// Cross-check (b): every ServiceMonitor selects an existing Service having the port it scrapes,
// every PodMonitor an existing pod template with that container port, and a Prometheus picks
// up every ServiceMonitor, PodMonitor and PrometheusRule. Selection follows prometheus-operator:
// an absent namespaceSelector means the monitor's own namespace, `any: true` every namespace;
// a Prometheus's absent monitor selector selects nothing, its absent namespace selector only its
// own namespace.
import { describe, K8sObject, Placed } from "../manifest";
import { LabelSelector, selects } from "../selectors";
import { podPlacementOf } from "./scheduling";

const monitoring = "monitoring.coreos.com";
const isKind = (o: K8sObject, kind: string) => o.kind === kind && o.apiVersion.startsWith(`${monitoring}/`);

/** Labels of namespace `name`: those its Namespace object sets plus kubernetes.io/metadata.name. */
function namespaceLabels(objects: K8sObject[], name: string): Record<string, string> {
    const ns = objects.find((o) => o.kind === "Namespace" && o.apiVersion === "v1" && o.metadata.name === name);
    return { ...(ns?.metadata.labels ?? {}), "kubernetes.io/metadata.name": name };
}

/** Whether a monitor's namespaceSelector ({any} | {matchNames}) admits `namespace`. */
function inMonitorNamespaces(monitor: K8sObject, namespace: string | undefined): boolean {
    const sel = monitor.spec?.namespaceSelector ?? {};
    if (sel.any === true) return true;
    const names: string[] = sel.matchNames?.length ? sel.matchNames : [monitor.metadata.namespace];
    return names.includes(namespace ?? "");
}

interface PodTemplate {
    owner: K8sObject;
    namespace?: string;
    labels: Record<string, string>;
    ports: { name?: string; containerPort: number }[];
}

function podTemplates(objects: K8sObject[]): PodTemplate[] {
    const out: PodTemplate[] = [];
    for (const o of objects) {
        if (!podPlacementOf(o) || o.apiVersion.startsWith(`${monitoring}/`)) continue;
        const template =
            o.kind === "CronJob" ? o.spec?.jobTemplate?.spec?.template : o.kind === "Pod" ? o : o.spec?.template;
        const spec = template?.spec ?? {};
        const containers = [
            ...(spec.containers ?? []),
            ...(spec.initContainers ?? []).filter((c: any) => c.restartPolicy === "Always"),
        ];
        out.push({
            owner: o,
            namespace: o.metadata.namespace,
            labels: template?.metadata?.labels ?? {},
            ports: containers.flatMap((c: any) => c.ports ?? []),
        });
    }
    return out;
}

/** Problems of the monitors among `placed`, checked against every object in `placed` plus `clusterObjects`. */
export function monitorProblems(placed: Placed[], clusterObjects: K8sObject[] = []): string[] {
    const objects = [...placed.map((p) => p.object), ...clusterObjects];
    const services = objects.filter((o) => o.kind === "Service" && o.apiVersion === "v1");
    const pods = podTemplates(objects);
    const prometheuses = objects.filter((o) => isKind(o, "Prometheus"));
    const problems: string[] = [];
    const pickedUp = (o: K8sObject, selectorField: string, nsSelectorField: string): boolean =>
        prometheuses.some((p) => {
            const nsSel: LabelSelector | undefined = p.spec?.[nsSelectorField];
            const nsOk = nsSel
                ? selects(nsSel, namespaceLabels(objects, o.metadata.namespace ?? ""))
                : o.metadata.namespace === p.metadata.namespace;
            return nsOk && selects(p.spec?.[selectorField], o.metadata.labels ?? {});
        });

    for (const { object: m, origin } of placed) {
        const what = `${origin}: ${describe(m)}`;
        if (isKind(m, "ServiceMonitor")) {
            const matched = services.filter(
                (s) =>
                    inMonitorNamespaces(m, s.metadata.namespace) &&
                    selects(m.spec?.selector ?? {}, s.metadata.labels ?? {}),
            );
            if (matched.length === 0)
                problems.push(`${what} selects no Service (selector ${JSON.stringify(m.spec?.selector)})`);
            for (const ep of m.spec?.endpoints ?? []) {
                const ports = matched.flatMap((s) => s.spec?.ports ?? []);
                if (ep.port !== undefined && matched.length && !ports.some((p: any) => p.name === ep.port)) {
                    problems.push(
                        `${what} scrapes port "${ep.port}", which no selected Service (${matched.map(describe).join(", ")}) has`,
                    );
                }
                if (
                    ep.targetPort !== undefined &&
                    matched.length &&
                    !ports.some((p: any) => p.targetPort === ep.targetPort || p.port === ep.targetPort)
                ) {
                    problems.push(`${what} scrapes targetPort ${ep.targetPort}, which no selected Service forwards to`);
                }
            }
            if (!pickedUp(m, "serviceMonitorSelector", "serviceMonitorNamespaceSelector"))
                problems.push(`${what} is selected by no Prometheus`);
        } else if (isKind(m, "PodMonitor")) {
            const matched = pods.filter(
                (p) => inMonitorNamespaces(m, p.namespace) && selects(m.spec?.selector ?? {}, p.labels),
            );
            if (matched.length === 0)
                problems.push(`${what} selects no pods (selector ${JSON.stringify(m.spec?.selector)})`);
            for (const ep of m.spec?.podMetricsEndpoints ?? []) {
                const ports = matched.flatMap((p) => p.ports);
                const ok =
                    ep.port !== undefined
                        ? ports.some((p) => p.name === ep.port)
                        : ep.portNumber !== undefined
                          ? ports.some((p) => p.containerPort === ep.portNumber)
                          : true;
                if (matched.length && !ok)
                    problems.push(
                        `${what} scrapes port ${JSON.stringify(ep.port ?? ep.portNumber)}, which no selected pod (${matched.map((p) => describe(p.owner)).join(", ")}) declares`,
                    );
            }
            if (!pickedUp(m, "podMonitorSelector", "podMonitorNamespaceSelector"))
                problems.push(`${what} is selected by no Prometheus`);
        } else if (isKind(m, "PrometheusRule")) {
            if (!pickedUp(m, "ruleSelector", "ruleNamespaceSelector"))
                problems.push(`${what} is selected by no Prometheus`);
        }
    }
    return problems;
}
