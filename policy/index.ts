// Entry point Pulumi runs for `--policy-pack policy`: it starts the analyzer (a gRPC server), so
// nothing but Pulumi may import this file (tests import policies.ts).
// Pulumi's policy runner registers ts-node itself: this TypeScript runs as it is, no build step.
import { PolicyPack } from "@pulumi/policy";
import { packArgs, packName } from "./policies";

new PolicyPack(packName, packArgs);
