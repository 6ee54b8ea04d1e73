// Run in a fresh process: evaluates one example stack's whole program under preview mocks and
// prints (last line, JSON) which @pulumi/* packages ended up in require.cache.
import { cloudCall } from "../../harness/cloudMocks";
import { configFor, runProgram } from "../../harness/program";

const stack = process.argv[2];
runProgram({ stack, preview: true, call: cloudCall(configFor(stack)) })
    .then(() => {
        const roots = new Set<string>();
        for (const file of Object.keys(require.cache)) {
            const m = /node_modules\/(@pulumi\/[^/]+)\//.exec(file);
            if (m) roots.add(m[1]);
        }
        console.log(JSON.stringify([...roots].sort()));
    })
    .catch((e) => {
        console.error(e);
        process.exit(1);
    });
