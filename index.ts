// Entry point Pulumi loads. Everything lives in stacks/program.ts so tests run the same code.
import { main } from "./stacks/program";

export = main;
