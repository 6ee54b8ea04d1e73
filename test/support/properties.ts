// Reads TorchServe's config.properties as the pod gets it (components/torchserve/config.ts writes it).
// Enough for that file: `key=value` lines, `#` comments, blank lines; no escapes or continuations,
// which configProperties never writes.

/** `key=value` lines → key → value (the value is everything after the first `=`). */
export function parseProperties(text: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const line of text.split("\n")) {
        if (line.trim() === "" || line.startsWith("#")) continue;
        const i = line.indexOf("=");
        out[line.slice(0, i)] = line.slice(i + 1);
    }
    return out;
}
