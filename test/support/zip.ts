// Reads one file out of a zip archive with Node's zlib, so the tests need no unzip tool. Handles
// what zip writers produce for ordinary archives: stored or deflated entries, no zip64, no
// encryption (APPNOTE.TXT sections 4.3.7 local header, 4.3.12 central directory, 4.3.16 end record).
import * as fs from "fs";
import * as zlib from "zlib";

const endOfCentralDirectory = 0x06054b50;
const centralDirectoryEntry = 0x02014b50;
const localFileHeader = 0x04034b50;

/** The bytes of `entryName` (e.g. "helm/helm") in the zip archive at `file`. */
export function readZipEntry(file: string, entryName: string): Buffer {
    const zip = fs.readFileSync(file);
    // The end record is the last 22 bytes plus a comment of at most 64 KiB.
    let end = -1;
    for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
        if (zip.readUInt32LE(i) === endOfCentralDirectory) {
            end = i;
            break;
        }
    }
    if (end < 0) throw new Error(`${file}: not a zip archive (no end of central directory record)`);
    const entries = zip.readUInt16LE(end + 10);
    let at = zip.readUInt32LE(end + 16);
    for (let n = 0; n < entries; n++) {
        if (zip.readUInt32LE(at) !== centralDirectoryEntry) throw new Error(`${file}: corrupt central directory`);
        const method = zip.readUInt16LE(at + 10);
        const compressedSize = zip.readUInt32LE(at + 20);
        const size = zip.readUInt32LE(at + 24);
        const nameLength = zip.readUInt16LE(at + 28);
        const extraLength = zip.readUInt16LE(at + 30);
        const commentLength = zip.readUInt16LE(at + 32);
        const localOffset = zip.readUInt32LE(at + 42);
        const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
        if (name === entryName) {
            if (zip.readUInt32LE(localOffset) !== localFileHeader)
                throw new Error(`${file}: corrupt local header of ${name}`);
            const dataStart =
                localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
            const raw = zip.subarray(dataStart, dataStart + compressedSize);
            const data = method === 0 ? Buffer.from(raw) : method === 8 ? zlib.inflateRawSync(raw) : undefined;
            if (!data) throw new Error(`${file}: ${name} uses compression method ${method}`);
            if (data.length !== size)
                throw new Error(`${file}: ${name} inflated to ${data.length} bytes, expected ${size}`);
            return data;
        }
        at += 46 + nameLength + extraLength + commentLength;
    }
    throw new Error(`${file}: no entry ${entryName}`);
}
