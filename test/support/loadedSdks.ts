// Run in a fresh process: evaluates one example stack's whole program under preview mocks and
// prints (last line, JSON) how many files of each @pulumi/* package ended up in require.cache.
import { cloudCall } from "../../harness/cloudMocks";
import { configFor, runProgram } from "../../harness/program";

const stack = process.argv[2];
runProgram({ stack, preview: true, call: cloudCall(configFor(stack)) })
    .then(() => {
        const files: Record<string, number> = {};
        for (const file of Object.keys(require.cache)) {
            const m = /node_modules\/(@pulumi\/[^/]+)\//.exec(file.split("\\").join("/"));
            if (m) files[m[1]] = (files[m[1]] ?? 0) + 1;
        }
        console.log(JSON.stringify(files));
    })
    .catch((e) => {
        console.error(e);
        process.exit(1);
    });
