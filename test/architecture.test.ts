// The dependency direction, checked on the sources: components/ is library code and never imports
// the application in stacks/ (its config, its composition); and other components know TorchServe
// only through its contract (types such as ServingEndpoints), never through its code or naming
// conventions (the cluster components get what they need of it, e.g. its uid, as arguments).
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const root = path.join(__dirname, "..");

/** One module a file refers to: `import`, `export … from`, `require(…)` or `import(…)`. */
interface ModuleReference {
    specifier: string;
    /** `import type` / `export type` (erased at run time: no code dependency). */
    typeOnly: boolean;
}

/** The modules `source` refers to, parsed as TypeScript (comments and other strings are not references). */
export function moduleReferences(fileName: string, source: string): ModuleReference[] {
    const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
    const refs: ModuleReference[] = [];
    const visit = (node: ts.Node): void => {
        if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
            const clause = node.importClause;
            const bindings = clause?.namedBindings;
            const allNamedTypeOnly =
                !!clause &&
                !clause.name &&
                !!bindings &&
                ts.isNamedImports(bindings) &&
                bindings.elements.length > 0 &&
                bindings.elements.every((e) => e.isTypeOnly);
            refs.push({ specifier: node.moduleSpecifier.text, typeOnly: !!clause?.isTypeOnly || allNamedTypeOnly });
        } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
            refs.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
        } else if (
            ts.isCallExpression(node) &&
            (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
                (ts.isIdentifier(node.expression) && node.expression.text === "require")) &&
            node.arguments.length === 1 &&
            ts.isStringLiteralLike(node.arguments[0])
        ) {
            refs.push({ specifier: node.arguments[0].text, typeOnly: false });
        } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
            const literal = node.argument.literal;
            if (ts.isStringLiteral(literal)) refs.push({ specifier: literal.text, typeOnly: true });
        }
        ts.forEachChild(node, visit);
    };
    visit(file);
    return refs;
}

/** Project-relative path (posix) a relative specifier of `file` points to; undefined for packages. */
function target(file: string, specifier: string): string | undefined {
    if (!specifier.startsWith(".")) return undefined;
    return path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
}

const isUnder = (p: string, dir: string) => p === dir || p.startsWith(dir + "/");

/** Dependency-direction violations of one file (`file` is project-relative, posix). */
export function violations(file: string, source: string): string[] {
    if (!isUnder(file, "components")) return [];
    const out: string[] = [];
    for (const ref of moduleReferences(file, source)) {
        const to = target(file, ref.specifier);
        if (to === undefined) continue;
        if (isUnder(to, "stacks")) out.push(`${file} imports ${ref.specifier} (components/ must not import stacks/)`);
        // components/index.ts is the component package's entry point, not a component: it re-exports all.
        const outsideTorchServe = !isUnder(file, "components/torchserve") && file !== "components/index.ts";
        if (outsideTorchServe && isUnder(to, "components/torchserve") && !ref.typeOnly)
            out.push(`${file} imports ${ref.specifier} (other components use TorchServe's contract types only)`);
    }
    return out;
}

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
        const rel = `${dir}/${e.name}`;
        if (e.isDirectory()) return sourceFiles(rel);
        return e.name.endsWith(".ts") ? [rel] : [];
    });
}

describe("dependency direction", () => {
    const cases: { name: string; file: string; source: string; bad: number }[] = [
        {
            name: "a value import from stacks/",
            file: "components/mesh/index.ts",
            source: 'import { Settings } from "../../stacks/config/settings";',
            bad: 1,
        },
        {
            name: "the package entry re-exports TorchServe",
            file: "components/index.ts",
            source: 'export { TorchServe } from "./torchserve";',
            bad: 0,
        },
        {
            name: "the package entry still must not import stacks/",
            file: "components/index.ts",
            source: 'export { main } from "../stacks/program";',
            bad: 1,
        },
        {
            name: "a type-only import from stacks/ (still the application's schema)",
            file: "components/torchserve/spec.ts",
            source: 'import type { Settings } from "../../stacks/config/settings";',
            bad: 1,
        },
        {
            name: "re-export, require and dynamic import of stacks/",
            file: "components/cluster/target.ts",
            source: [
                'export * from "../../stacks/platform";',
                'const p = require("../../stacks/program");',
                'async function f() { return import("../../stacks/aws"); }',
            ].join("\n"),
            bad: 3,
        },
        {
            name: "a mention in a comment or an ordinary string",
            file: "components/mesh/index.ts",
            source: '// see ../../stacks/platform\nconst s = "../../stacks/config/settings";',
            bad: 0,
        },
        {
            name: "a folder named stacks inside components",
            file: "components/mesh/index.ts",
            source: 'import { x } from "./stacks/y";',
            bad: 0,
        },
        {
            name: "stacks/ importing components/ (the allowed direction)",
            file: "stacks/platform.ts",
            source: 'import { TorchServe } from "../../components/torchserve";',
            bad: 0,
        },
        {
            name: "an add-on importing TorchServe's naming conventions",
            file: "components/monitoring/prometheus.ts",
            source: 'import * as conventions from "../torchserve/conventions";',
            bad: 1,
        },
        {
            name: "a cluster component importing TorchServe's uid",
            file: "components/eks/modelStore.ts",
            source: 'import { modelServerUid } from "../torchserve/conventions";',
            bad: 1,
        },
        {
            name: "TorchServe importing its own conventions",
            file: "components/torchserve/workload.ts",
            source: 'import { podLabels } from "./conventions";',
            bad: 0,
        },
        {
            name: "an add-on importing TorchServe's contract as types",
            file: "components/mesh/routes.ts",
            source: [
                'import type { ServingEndpoints } from "../torchserve/endpoints";',
                'import { type ServingPorts } from "../torchserve/endpoints";',
            ].join("\n"),
            bad: 0,
        },
    ];
    for (const c of cases) {
        it(`${c.bad ? "rejects" : "accepts"} ${c.name}`, () => {
            assert.strictEqual(violations(c.file, c.source).length, c.bad, violations(c.file, c.source).join("\n"));
        });
    }

    it("holds for every file under components/", () => {
        const files = sourceFiles("components");
        assert.ok(files.length > 30, `found only ${files.length} files`);
        const found = files.flatMap((f) => violations(f, fs.readFileSync(path.join(root, f), "utf8")));
        assert.deepStrictEqual(found, []);
    });
});
