// Java properties text (TorchServe's config.properties) as key → value, the way
// java.util.Properties#load(Reader) reads it
// (https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/util/Properties.html#load(java.io.Reader)):
// comment lines start with `#` or `!`; a line ending in an odd number of backslashes continues on the
// next, whose leading whitespace is dropped; the key ends at the first unescaped `=`, `:` or
// whitespace; escapes \t \n \r \f \uXXXX, any other escaped character stands for itself; a repeated
// key keeps its last value.

export function parseProperties(text: string): Map<string, string> {
    const out = new Map<string, string>();
    const lines = text.split(/\r\n|\r|\n/);
    for (let i = 0; i < lines.length; i++) {
        let line = lines[i].replace(/^[ \t\f]+/, "");
        if (line === "" || line[0] === "#" || line[0] === "!") continue;
        while (/(^|[^\\])(\\\\)*\\$/.test(line) && i + 1 < lines.length) {
            line = line.slice(0, -1) + lines[++i].replace(/^[ \t\f]+/, "");
        }
        if (/(^|[^\\])(\\\\)*\\$/.test(line)) line = line.slice(0, -1); // a continuation at the end of the text
        let k = 0;
        while (k < line.length && !"=: \t\f".includes(line[k])) k += line[k] === "\\" ? 2 : 1;
        const key = line.slice(0, Math.min(k, line.length));
        let v = k;
        while (v < line.length && " \t\f".includes(line[v])) v++;
        if (v < line.length && "=:".includes(line[v])) v++;
        while (v < line.length && " \t\f".includes(line[v])) v++;
        out.set(unescape(key), unescape(line.slice(v)));
    }
    return out;
}

function unescape(s: string): string {
    return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, c: string) => {
        if (c.length === 5) return String.fromCharCode(parseInt(c.slice(1), 16));
        return { t: "\t", n: "\n", r: "\r", f: "\f" }[c] ?? c;
    });
}
