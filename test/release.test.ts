// Releases (README: Releases): CHANGELOG.md follows Keep a Changelog with package.json's version as its
// top entry, and the README pins and publishes the component package by that version's tag.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../harness/stackFiles";

const read = (f: string) => fs.readFileSync(path.join(projectRoot, f), "utf8");
const version = (JSON.parse(read("package.json")) as { version: string }).version;

describe("releases", () => {
    const changelog = read("CHANGELOG.md");
    const entries = changelog.split("\n").filter((l) => l.startsWith("## "));

    it("has CHANGELOG.md in Keep a Changelog form, its top entry package.json's version", () => {
        assert.match(changelog, /^# Changelog\n/);
        assert.match(changelog, /\[Keep a Changelog\]\(https:\/\/keepachangelog\.com\//);
        assert.ok(entries.length > 0, "no release entry");
        for (const e of entries) assert.match(e, /^## \[\d+\.\d+\.\d+\] - \d{4}-\d{2}-\d{2}$/, e);
        assert.strictEqual(
            entries[0],
            entries[0].replace(/\[.*\]/, `[${version}]`),
            `top entry ${entries[0]} ≠ ${version}`,
        );
        // Each entry groups its changes under Keep a Changelog's headings.
        const kinds = changelog
            .split("\n")
            .filter((l) => l.startsWith("### "))
            .map((l) => l.slice(4));
        for (const k of kinds)
            assert.ok(["Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"].includes(k), k);
    });

    it("lists versions newest first", () => {
        const versions = entries.map((e) => /\[(\d+)\.(\d+)\.(\d+)\]/.exec(e)!.slice(1).map(Number));
        for (let i = 1; i < versions.length; i++) {
            const [a, b] = [versions[i - 1], versions[i]];
            assert.ok(
                a[0] > b[0] || (a[0] === b[0] && (a[1] > b[1] || (a[1] === b[1] && a[2] > b[2]))),
                entries.join(", "),
            );
        }
    });

    it("documents pinning to the release tag and publishing it to a private registry", () => {
        const readme = read("docs/development.md");
        assert.ok(readme.includes(`pulumi package add https://github.com/<org>/torchserve-platform@v${version}`));
        assert.ok(readme.includes(`pulumi package publish github.com/<org>/torchserve-platform@${version}`));
    });
});
