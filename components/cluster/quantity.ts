// Kubernetes resource quantities as numbers, for components that size things from them (TorchServe's
// JVM heap from its memory limit) and for the config checks.

/** Kubernetes resource quantity (the API server's own grammar, minus signs). */
const quantityPattern = /^(\d+(\.\d+)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|m|[eE]\d+)?$/;
const quantityFactors: Record<string, number> = {
    "": 1,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    E: 1e18,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50,
    Ei: 2 ** 60,
};

/** Value of a Kubernetes quantity in base units (bytes for memory), or undefined if malformed. */
export function parseQuantity(q: string): number | undefined {
    const m = quantityPattern.exec(q);
    if (!m) return undefined;
    const suffix = m[3] ?? "";
    const factor = /^[eE]\d+$/.test(suffix) ? 10 ** Number(suffix.slice(1)) : quantityFactors[suffix];
    return Number(m[1]) * factor;
}
