// `npx ts-node --transpile-only tools/compare-plans.ts <git-rev>`
//
// Shows that plans/*.json differ from those committed at <git-rev> only by component type tokens:
// the old plan, with every previous token (test/data/pre-index-urns.json `previousTypes`) renamed to
// `torchserve-platform:index:<ClassName>`, must equal the new one exactly — resource ids, names,
// parents, providers, dependencies, options (protect, ignoreChanges), inputs, outputs, counts.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../harness/stackFiles";

/** Old token → new token. */
export type TokenRenames = Record<string, string>;

/** The renames for components that moved to the `index` module (`previousTypes`: class name → old token). */
export function indexTokenRenames(previousTypes: Record<string, string>): TokenRenames {
    return Object.fromEntries(
        Object.entries(previousTypes).map(([className, old]) => [old, `torchserve-platform:index:${className}`]),
    );
}

/** `value` with every token in `renames` replaced, in strings and object keys (whole tokens only). */
export function renameTokens(value: unknown, renames: TokenRenames): unknown {
    const olds = Object.keys(renames).sort((a, b) => b.length - a.length);
    if (olds.length === 0) return value;
    const escaped = olds.map((t) => t.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"));
    const pattern = new RegExp(`(${escaped.join("|")})(?![A-Za-z0-9_])`, "g");
    const rename = (s: string) => s.replace(pattern, (t) => renames[t]);
    const walk = (v: unknown): unknown => {
        if (typeof v === "string") return rename(v);
        if (Array.isArray(v)) return v.map(walk);
        if (v && typeof v === "object")
            return Object.fromEntries(Object.entries(v).map(([k, x]) => [rename(k), walk(x)]));
        return v;
    };
    return walk(value);
}

/** JSON paths where `a` and `b` differ (object key order ignored). */
export function differences(a: unknown, b: unknown, at = "$"): string[] {
    if (Array.isArray(a) && Array.isArray(b)) {
        const out = a.length === b.length ? [] : [`${at}.length: ${a.length} != ${b.length}`];
        for (let i = 0; i < Math.min(a.length, b.length); i++) out.push(...differences(a[i], b[i], `${at}[${i}]`));
        return out;
    }
    const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
    if (isObject(a) && isObject(b)) {
        const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
        return keys.flatMap((k) =>
            !(k in a)
                ? [`${at}.${k}: only after`]
                : !(k in b)
                  ? [`${at}.${k}: only before`]
                  : differences(a[k], b[k], `${at}.${k}`),
        );
    }
    return a === b ? [] : [`${at}: ${JSON.stringify(a)} != ${JSON.stringify(b)}`];
}

type PlanLike = { resources?: { id: string; dependencies?: string[] }[] };

/** The plan's sorted lists sorted again (renamed ids sort differently): resources by id, dependencies. */
function resorted(plan: unknown): unknown {
    const p = plan as PlanLike;
    if (!Array.isArray(p?.resources)) return plan;
    const resources = p.resources
        .map((r) => (Array.isArray(r.dependencies) ? { ...r, dependencies: [...r.dependencies].sort() } : r))
        .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    return { ...p, resources };
}

/** How plan `after` differs from plan `before` once the tokens are renamed; [] = only the tokens changed. */
export function tokenOnlyDifferences(before: unknown, after: unknown, renames: TokenRenames): string[] {
    return differences(resorted(renameTokens(before, renames)), resorted(after));
}

function main(rev: string): number {
    const data = JSON.parse(fs.readFileSync(path.join(projectRoot, "test/data/pre-index-urns.json"), "utf8"));
    const renames = indexTokenRenames(data.previousTypes);
    const plans = fs
        .readdirSync(path.join(projectRoot, "plans"))
        .filter((f) => f.endsWith(".json"))
        .sort();
    let failed = 0;
    for (const file of plans) {
        const before = JSON.parse(
            execFileSync("git", ["show", `${rev}:plans/${file}`], { cwd: projectRoot, encoding: "utf8" }),
        );
        const after = JSON.parse(fs.readFileSync(path.join(projectRoot, "plans", file), "utf8"));
        const diff = tokenOnlyDifferences(before, after, renames);
        const renamedIds = before.resources.filter((r: { id: string }) => renameTokens(r.id, renames) !== r.id).length;
        console.log(
            `${file}: ${after.resources.length} resources, ${renamedIds} ids renamed; ` +
                (diff.length ? `${diff.length} other differences:` : "no other difference"),
        );
        for (const d of diff) console.log(`  ${d}`);
        if (diff.length) failed++;
    }
    return failed ? 1 : 0;
}

if (require.main === module) {
    const rev = process.argv[2];
    if (!rev) {
        console.error("usage: ts-node tools/compare-plans.ts <git-rev of the plans before>");
        process.exit(2);
    }
    process.exit(main(rev));
}
