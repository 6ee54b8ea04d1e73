// Entry point. Pulumi runs its compiled form, bin/index.js (see Pulumi.yaml; `npm run build`);
// everything lives in stacks/program.ts so tests run the same code from TypeScript.
import * as pulumi from "@pulumi/pulumi";
import { checkBuildIsCurrent } from "./stacks/build";
import { main } from "./stacks/program";

export = async () => {
    const stale = checkBuildIsCurrent(__filename);
    if (stale) throw new pulumi.RunError(stale);
    return main();
};
