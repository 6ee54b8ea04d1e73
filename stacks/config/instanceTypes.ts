// Instance type names by cloud, for the types the built-in catalog does not list: a name of the
// wrong shape is a typo or another cloud's type, which the cloud refuses only at `pulumi up`. Pure.
//   aws:   family.size (g5.xlarge, m6i.large, u-6tb1.metal): EC2 User Guide, Amazon EC2 instance type
//          naming conventions (https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html)
//   azure: Standard_<family…> (Standard_NC4as_T4_v3): Azure VM sizes naming conventions
//          (https://learn.microsoft.com/azure/virtual-machines/vm-naming-conventions)
//   gcp:   series-type-size (n1-standard-8, a2-highgpu-1g, custom-4-16384): Compute Engine machine
//          types (https://cloud.google.com/compute/docs/machine-resource)
import type { Cloud } from "./settings";

const naming: Record<Exclude<Cloud, "existing">, { pattern: RegExp; shape: string }> = {
    aws: { pattern: /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/, shape: "family.size, such as g5.xlarge" },
    azure: { pattern: /^(Standard|Basic)_[A-Za-z0-9_-]+$/, shape: "Standard_<size>, such as Standard_NC4as_T4_v3" },
    gcp: { pattern: /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/, shape: "series-type-size, such as n1-standard-8" },
};

/** Why `instanceType` is not named like an instance type of `cloud`, or undefined. */
export function instanceTypeNameProblem(cloud: Cloud | undefined, instanceType: string): string | undefined {
    if (!cloud || cloud === "existing") return undefined;
    const { pattern, shape } = naming[cloud];
    return pattern.test(instanceType)
        ? undefined
        : `not ${cloud === "aws" ? "an" : "a"} ${cloud} instance type name (${shape})`;
}
