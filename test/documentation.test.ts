// The documentation is the README (the entry point) and docs/ by topic. Two things keep it honest as
// the program grows: every relative link and anchor resolves, and every config key the program reads
// is in the configuration reference (docs/configuration.md).
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { SectionReader } from "../stacks/config/fields";
import { parseStackConfig, topLevelKeys } from "../stacks/config/parse";

const root = path.join(__dirname, "..");

/** README.md and every Markdown file under docs/, as repository-relative paths. */
function documents(): string[] {
    const out = ["README.md"];
    const walk = (dir: string) => {
        for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
            const rel = path.join(dir, e.name);
            if (e.isDirectory()) walk(rel);
            else if (e.name.endsWith(".md")) out.push(rel);
        }
    };
    if (fs.existsSync(path.join(root, "docs"))) walk("docs");
    return out;
}

/** Markdown text outside fenced code blocks (a `#` comment in a shell block is no heading). */
export function prose(text: string): string {
    let fenced = false;
    return text
        .split("\n")
        .map((line) => {
            if (/^\s*```/.test(line)) {
                fenced = !fenced;
                return "";
            }
            return fenced ? "" : line;
        })
        .join("\n");
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes, repeats numbered. */
export function anchors(text: string): Set<string> {
    const seen = new Map<string, number>();
    const out = new Set<string>();
    for (const m of prose(text).matchAll(/^#{1,6} +(.+?) *#*$/gm)) {
        const base = m[1]
            .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
            .toLowerCase()
            .replace(/[^\p{L}\p{N}\- _]/gu, "")
            .replace(/ /g, "-");
        const n = seen.get(base) ?? 0;
        seen.set(base, n + 1);
        out.add(n === 0 ? base : `${base}-${n}`);
    }
    return out;
}

/** Every inline link target in a document's prose, code spans left out. */
export function linkTargets(text: string): string[] {
    const noCode = prose(text).replace(/`[^`\n]*`/g, "");
    return [...noCode.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]);
}

/** Broken relative links of one document: a missing file or an anchor its target lacks. */
export function brokenLinks(file: string, text: string, read: (rel: string) => string | undefined): string[] {
    const broken: string[] = [];
    for (const target of linkTargets(text)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
        const [p, anchor] = target.split("#", 2);
        const rel = p === "" ? file : path.normalize(path.join(path.dirname(file), decodeURIComponent(p)));
        const content = read(rel);
        if (content === undefined) {
            broken.push(`${file}: ${target} (no file ${rel})`);
            continue;
        }
        if (anchor !== undefined && rel.endsWith(".md") && !anchors(content).has(anchor))
            broken.push(`${file}: ${target} (no heading #${anchor} in ${rel})`);
    }
    return broken;
}

const readRepo = (rel: string): string | undefined => {
    const p = path.join(root, rel);
    if (!fs.existsSync(p)) return undefined;
    return fs.statSync(p).isDirectory() ? "" : fs.readFileSync(p, "utf8");
};

describe("documentation: links", () => {
    it("every relative link and anchor in README.md and docs/ resolves", () => {
        const broken = documents().flatMap((f) =>
            brokenLinks(f, fs.readFileSync(path.join(root, f), "utf8"), readRepo),
        );
        assert.deepStrictEqual(broken, []);
    });

    it("the link check finds a missing file, a missing anchor and a repeated heading's anchor", () => {
        const docs: Record<string, string> = {
            "docs/a.md": "# A\n\n## Same\n\n## Same\n\n```sh\n# not a heading\n```\n",
        };
        const read = (rel: string) => docs[rel];
        const text =
            "[ok](a.md#same-1) [gone](b.md) [anchor](a.md#nope) [code](a.md#not-a-heading) `[x](c.md)` [web](https://x.y)";
        assert.deepStrictEqual(brokenLinks("docs/x.md", text, read), [
            "docs/x.md: b.md (no file docs/b.md)",
            "docs/x.md: a.md#nope (no heading #nope in docs/a.md)",
            "docs/x.md: a.md#not-a-heading (no heading #not-a-heading in docs/a.md)",
        ]);
    });
});

/**
 * Every key path the config reader accepts, found by running it with each known key set to an object
 * and to a list of one object (so nested sections and list entries are read too) until no new key
 * appears. Each `SectionReader.object` call names a section and the keys it allows.
 */
export function configKeyPaths(cloud: string): string[] {
    const found = new Set<string>(topLevelKeys.map((k) => k));
    const original = SectionReader.object;
    const prefix = "torchserve-platform:";
    let calls: Array<[string, readonly string[]]> = [];
    SectionReader.object = function (problems, key, value, allowed, aliases) {
        calls.push([key, allowed]);
        return original.call(this, problems, key, value, allowed, aliases);
    };
    try {
        for (let round = 0; round < 8; round++) {
            const before = found.size;
            for (const shape of [{}, [{}]] as unknown[]) {
                const values: Record<string, unknown> = { cloud };
                const keys = [...found];
                for (const key of keys) {
                    // A section with known keys of its own stays an object: its keys get the shape.
                    if (key === "cloud" || keys.some((k) => k.startsWith(`${key}.`))) continue;
                    setPath(values, key.split("."), shape);
                }
                calls = [];
                try {
                    parseStackConfig({
                        project: "torchserve-platform",
                        stack: "keys",
                        values,
                        secretKeys: [],
                        allKeys: [],
                        location: {},
                    });
                } catch {
                    // Most of these values are wrong on purpose; only the keys each section allows matter.
                }
                for (const [key, allowed] of calls) {
                    const section = key.startsWith(prefix) ? key.slice(prefix.length) : key;
                    const base = section.replace(/\[\d+\]/g, "");
                    for (const k of allowed) found.add(`${base}.${k}`);
                }
            }
            if (found.size === before) break;
        }
    } finally {
        SectionReader.object = original;
    }
    return [...found].sort();
}

/** Sets `keys` in nested objects, keeping what is there; a list on the way gets the rest in its first entry. */
function setPath(obj: Record<string, unknown>, keys: string[], leaf: unknown): void {
    let cur: Record<string, unknown> = obj;
    for (const [i, k] of keys.entries()) {
        if (i === keys.length - 1) {
            if (cur[k] === undefined) cur[k] = structuredClone(leaf);
            return;
        }
        let next = cur[k];
        if (Array.isArray(next)) next = next[0];
        if (typeof next !== "object" || next === null) {
            next = {};
            cur[k] = next;
        }
        cur = next as Record<string, unknown>;
    }
}

describe("documentation: the configuration reference", () => {
    const reference = fs.existsSync(path.join(root, "docs/configuration.md"))
        ? fs.readFileSync(path.join(root, "docs/configuration.md"), "utf8")
        : "";

    it("finds nested keys and list entries' keys (the reader's own sections)", () => {
        const keys = configKeyPaths("aws");
        for (const k of ["torchserve.canary.weight", "torchserve.models.sha256", "cluster.systemNodePool.minNodes"])
            assert.ok(keys.includes(k), `${k} not found among ${keys.length} keys`);
    });

    for (const cloud of ["existing", "aws", "azure", "gcp"]) {
        it(`every key the program reads on ${cloud} is in docs/configuration.md`, () => {
            const missing = configKeyPaths(cloud).filter((k) => {
                const leaf = k.split(".").pop() ?? k;
                return (
                    !reference.includes(`\`${k}\``) &&
                    !reference.includes(`\`${leaf}\``) &&
                    !reference.includes(`${leaf}:`)
                );
            });
            assert.deepStrictEqual(missing, []);
        });
    }
});
