// Model URL parsing and each object store's naming rules (components/torchserve/objectUrl.ts).
import { strict as assert } from "assert";
import {
    azureAccountProblem,
    azureContainerProblem,
    gcsBucketProblem,
    objectKeyProblem,
    parseModelUrl,
    s3BucketProblem,
} from "../components/torchserve/objectUrl";

describe("object URLs: naming rules", () => {
    // [checker, accepted names, refused names]
    const rules: [string, (n: string) => string | undefined, string[], string[]][] = [
        [
            "S3 buckets",
            s3BucketProblem,
            ["abc", "my-models", "my.models.2024", "a".repeat(63)],
            [
                "ab",
                "a".repeat(64),
                "My-Models",
                "-models",
                "models-",
                "my..models",
                "192.168.5.4",
                "xn--models",
                "sthree-x",
                "amzn-s3-demo-x",
                "models-s3alias",
                "models--ol-s3",
                "models.mrap",
                "models--x-s3",
                "models--table-s3",
                "my_models",
            ],
        ],
        [
            "GCS buckets",
            gcsBucketProblem,
            ["abc", "my_models", "my-models", `${"a".repeat(63)}.${"b".repeat(63)}`],
            [
                "ab",
                "a".repeat(64),
                "My-models",
                "_models",
                "models_",
                "a..b",
                "10.0.0.1",
                "goog-models",
                "my-google-models",
                "g00gle-x",
                `${"a".repeat(64)}.b`,
            ],
        ],
        [
            "Azure accounts",
            azureAccountProblem,
            ["abc", "myaccount1", "a".repeat(24)],
            ["ab", "a".repeat(25), "my-account", "MyAccount", "my_account"],
        ],
        [
            "Azure containers",
            azureContainerProblem,
            ["abc", "my-models", "a".repeat(63)],
            ["ab", "a".repeat(64), "-models", "models-", "my--models", "My-models", "my_models"],
        ],
        [
            "object keys",
            objectKeyProblem,
            ["m.mar", "a/b/c.mar", "é.mar", "x".repeat(1024)],
            ["", "x".repeat(1025), "a b.mar", "a/../b.mar", "./a.mar", "a?b", "a#b", "é".repeat(513)],
        ],
    ];
    for (const [what, check, good, bad] of rules) {
        it(`${what}: accepts ${good.length} valid names and refuses ${bad.length} invalid ones`, () => {
            for (const n of good)
                assert.equal(check(n), undefined, `${what} ${JSON.stringify(n)} refused: ${check(n)}`);
            for (const n of bad) assert.ok(check(n), `${what} ${JSON.stringify(n)} accepted`);
        });
    }
});

describe("object URLs: parseModelUrl", () => {
    const rows: [string, ReturnType<typeof parseModelUrl>][] = [
        ["https://example.com/m.mar", { kind: "http", url: "https://example.com/m.mar" }],
        ["HTTP://example.com/m.mar", { kind: "http", url: "http://example.com/m.mar" }],
        [
            "s3://models/resnet/1.mar",
            {
                kind: "object",
                url: "s3://models/resnet/1.mar",
                location: { store: "s3", bucket: "models", key: "resnet/1.mar" },
            },
        ],
        [
            "S3://models/m.mar",
            { kind: "object", url: "s3://models/m.mar", location: { store: "s3", bucket: "models", key: "m.mar" } },
        ],
        [
            "gs://my_models/m.mar",
            {
                kind: "object",
                url: "gs://my_models/m.mar",
                location: { store: "gcs", bucket: "my_models", key: "m.mar" },
            },
        ],
        [
            "https://Acct.blob.core.windows.net/models/a/m.mar",
            {
                kind: "object",
                url: "https://acct.blob.core.windows.net/models/a/m.mar",
                location: { store: "azureBlob", account: "acct", bucket: "models", key: "a/m.mar" },
            },
        ],
        // The path is percent-encoded; the blob's name is what it decodes to.
        [
            "https://acct.blob.core.windows.net/models/r%C3%A9seau/m.mar",
            {
                kind: "object",
                url: "https://acct.blob.core.windows.net/models/r%C3%A9seau/m.mar",
                location: { store: "azureBlob", account: "acct", bucket: "models", key: "réseau/m.mar" },
            },
        ],
        [
            "https://acct.blob.core.windows.net/models/a%20b.mar",
            { error: "object keys here have no whitespace, control characters, '?' or '#'" },
        ],
        [
            "https://acct.blob.core.windows.net/models/a%zz.mar",
            { error: "the blob's path has a malformed percent-encoding" },
        ],
        // A SAS query makes it a pre-signed URL: no identity needed.
        [
            "https://acct.blob.core.windows.net/models/m.mar?sv=1&sig=x",
            { kind: "http", url: "https://acct.blob.core.windows.net/models/m.mar?sv=1&sig=x" },
        ],
        ["http://acct.blob.core.windows.net/models/m.mar", { error: "Azure Blob URLs use https" }],
        ["s3://models", { error: "the URL names no object (expected <bucket>/<key>)" }],
        ["gs://goog/m.mar", { error: "Cloud Storage bucket names do not begin with goog" }],
        ["https://acct.blob.core.windows.net/models/", { error: "the URL names no object (expected <bucket>/<key>)" }],
        ["ftp://x/m.mar", { error: "expected an http(s), s3://, gs:// or Azure Blob URL" }],
    ];
    for (const [url, want] of rows) it(url, () => assert.deepEqual(parseModelUrl(url), want));
});
