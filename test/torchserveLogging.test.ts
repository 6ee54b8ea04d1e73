// TorchServe's log4j2 configuration (components/torchserve/logging.ts): parsed by a real XML parser
// (Python's xml.etree), then checked: stdout only, no file appenders, every reference resolves,
// every logger the image's default configures is decided here, and the JVM is told to use it.
// Crafted broken files prove the checks fail.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import { configMountDir, configProperties, logConfigFilePath } from "../components/torchserve/config";
import { parseAccessLog } from "./support/accessLog";
import { log4j2Xml, logConfigFileName, logLayout } from "../components/torchserve/logging";
import { parseProperties } from "./support/properties";
import { requirePython } from "./support/python";
import { torchServeSpec } from "./support/specs";

/**
 * Loggers named in the image's default log4j2.xml (pytorch/serve v0.12.0,
 * frontend/server/src/main/resources/log4j2.xml); each must be configured here or it would fall
 * back to the root logger with the default's levels.
 */
const defaultLoggers = [
    "ACCESS_LOG",
    "io.netty",
    "MODEL_LOG",
    "MODEL_METRICS",
    "org.apache",
    "org.pytorch.serve",
    "TS_METRICS",
    "TELEMETRY_METRICS",
];

interface Parsed {
    appenders: { tag: string; name: string; target?: string; pattern?: string }[];
    loggers: { name: string; level?: string; additivity?: string; refs: string[] }[];
}

/** Parses a JSON list of XML documents in one python3 process (spawns are slow on a loaded machine). */
const parser = `
import json, sys, xml.etree.ElementTree as ET
def parse(text):
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        return {"error": str(e)}
    out = {"appenders": [], "loggers": []}
    for a in root.find("Appenders"):
        p = a.find("PatternLayout")
        out["appenders"].append({"tag": a.tag, "name": a.get("name"), "target": a.get("target"),
                                 "pattern": p.get("pattern") if p is not None else None})
    for l in root.find("Loggers"):
        out["loggers"].append({"name": l.get("name") if l.tag == "Logger" else "<root>", "level": l.get("level"),
                               "additivity": l.get("additivity"), "refs": [r.get("ref") for r in l.findall("AppenderRef")]})
    return out
print(json.dumps([parse(t) for t in json.load(sys.stdin)]))
`;

/** Each XML document as Python's parser reads it, or its parse error. */
function parseAll(xmls: string[]): (Parsed | { error: string })[] {
    const r = spawnSync("python3", ["-c", parser], { input: JSON.stringify(xmls), encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as (Parsed | { error: string })[];
}

/** Problems of a parsed document, or its parse error as one. */
function problemsOf(p: Parsed | { error: string }): string[] {
    return "error" in p ? [`not well-formed: ${p.error}`] : problems(p);
}

/** What is wrong with a parsed log4j2 configuration, one line each. */
function problems(p: Parsed): string[] {
    const out: string[] = [];
    const names = new Set(p.appenders.map((a) => a.name));
    for (const a of p.appenders) {
        if (a.tag !== "Console") out.push(`appender ${a.name} is a ${a.tag}, not Console`);
        else if (a.target !== "SYSTEM_OUT" && a.target !== "SYSTEM_ERR")
            out.push(`appender ${a.name} target ${a.target}`);
        if (a.pattern !== logLayout) out.push(`appender ${a.name} layout is not logLayout`);
    }
    for (const l of p.loggers) {
        for (const r of l.refs) if (!names.has(r)) out.push(`logger ${l.name} refers to missing appender ${r}`);
        if (l.refs.length > 0 && l.name !== "<root>" && l.additivity !== "false")
            out.push(`logger ${l.name} also goes to the root (duplicate lines)`);
    }
    const configured = new Set(p.loggers.map((l) => l.name));
    for (const n of defaultLoggers) if (!configured.has(n)) out.push(`logger ${n} not configured`);
    if (!configured.has("<root>")) out.push("no root logger");
    return out;
}

const broken: [string, (xml: string) => string, RegExp][] = [
    [
        "a rolling file appender",
        (x) =>
            x.replace('<Console name="STDOUT"', '<RollingFile name="STDOUT"').replace("</Console>", "</RollingFile>"),
        /RollingFile, not Console/,
    ],
    [
        "a dangling appender reference",
        (x) => x.replace('<AppenderRef ref="STDOUT"/></Root>', '<AppenderRef ref="ts_log"/></Root>'),
        /missing appender ts_log/,
    ],
    [
        "a logger left to the root",
        (x) => x.replace(/<Logger name="ACCESS_LOG"[^>]*>.*?<\/Logger>/, ""),
        /ACCESS_LOG not configured/,
    ],
    [
        "an additive logger",
        (x) => x.replace('name="MODEL_LOG" level="info" additivity="false"', 'name="MODEL_LOG" level="info"'),
        /MODEL_LOG also goes to the root/,
    ],
    ["another layout", (x) => x.replace(/pattern="[^"]*"/, 'pattern="%m%n"'), /layout is not logLayout/],
    ["malformed XML", (x) => x.replace("</Loggers>", ""), /not well-formed/],
];

describe("TorchServe log4j2 configuration", () => {
    let shipped: Parsed | { error: string };
    let brokenParsed: (Parsed | { error: string })[];
    before(function () {
        requirePython(this);
    });
    before(() => {
        [shipped, ...brokenParsed] = parseAll([log4j2Xml(), ...broken.map(([, breakIt]) => breakIt(log4j2Xml()))]);
    });

    it("is well-formed, stdout only, and decides every logger the image's default names", () => {
        assert.deepEqual(problemsOf(shipped), []);
    });

    it("sends the server, access and model logs to stdout and drops log-mode metrics", () => {
        const p = shipped as Parsed;
        const to = (n: string) => p.loggers.find((l) => l.name === n);
        for (const n of ["ACCESS_LOG", "MODEL_LOG", "org.pytorch.serve", "<root>"])
            assert.deepEqual(to(n)?.refs, ["STDOUT"], n);
        for (const n of ["TS_METRICS", "MODEL_METRICS"]) assert.equal(to(n)?.level, "off", n);
    });

    broken.forEach(([what, breakIt, expected], i) => {
        it(`catches ${what}`, () => {
            assert.notEqual(breakIt(log4j2Xml()), log4j2Xml(), "the row must change the file");
            const found = problemsOf(brokenParsed[i]);
            assert.ok(
                found.some((m) => expected.test(m)),
                found.join("\n"),
            );
        });
    });
});

describe("TorchServe log configuration wiring", () => {
    it("points the JVM at the mounted file through vmargs", () => {
        assert.equal(logConfigFilePath, `${configMountDir}/${logConfigFileName}`);
        const vmargs = parseProperties(configProperties(torchServeSpec())).vmargs.split(" ");
        assert.ok(vmargs.includes(`-Dlog4j.configurationFile=file://${logConfigFilePath}`), vmargs.join(" "));
    });
});

describe("TorchServe log layout and the access-log parser (components/logging)", () => {
    it("an ACCESS_LOG line in logLayout parses into its fields", () => {
        // logLayout with its conversions filled in as log4j2 would for one request.
        const rendered = logLayout
            .replace("%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}{UTC}", "2026-01-02T03:04:05.678Z")
            .replace("%-5p", "INFO ")
            .replace("%c", "ACCESS_LOG")
            .replace("%t", "epollEventLoopGroup-3-2")
            .replace("%m", '/10.0.0.7:51234 "POST /predictions/squeezenet1_1 HTTP/1.1" 200 41')
            .replace("%n", "");
        assert.doesNotMatch(rendered, /%/, "every conversion filled in");
        assert.deepEqual(parseAccessLog(rendered), {
            remote: "/10.0.0.7:51234",
            method: "POST",
            uri: "/predictions/squeezenet1_1",
            protocol: "HTTP/1.1",
            status: 200,
            latencyMs: 41,
            model: "squeezenet1_1",
        });
    });
});
