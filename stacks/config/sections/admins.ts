// `cluster.admins`: who administers the cluster the program creates. On azure, Entra ID principals
// given "Azure Kubernetes Service RBAC Cluster Admin" (components/aks/admins.ts); on aws, IAM
// principals given EKS access entries with AmazonEKSClusterAdminPolicy (components/eks/accessEntries.ts).
// No access is keyed on whoever runs `pulumi up`: the stack says who its admins are.
import { AksClusterAdmin, aksAdminPrincipalTypes } from "../../../components/aks/adminTypes";
import { isUnset, Problems } from "../problems";
import { Cloud } from "../settings";

/** An Entra ID object id: a GUID (learn.microsoft.com/graph/api/resources/directoryobject, `id`). */
const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The nil GUID: the example stack's placeholder, never a principal's id. */
export const nilGuid = "00000000-0000-0000-0000-000000000000";

/**
 * An IAM role or user ARN, as EKS CreateAccessEntry takes it (principalArn: "The ARN of the IAM
 * principal"; a role's path is part of its ARN). Partitions aws, aws-cn, aws-us-gov; 12-digit
 * account; IAM name characters `[\w+=,.@-]` (IAM API reference, CreateRole RoleName / Path).
 */
const iamPrincipalArn = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:(role|user)\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
/** An STS session ARN: what `aws sts get-caller-identity` prints for a role, not an IAM principal. */
const stsSessionArn = /^arn:aws(-cn|-us-gov)?:sts::(\d{12}):assumed-role\/([\w+=,.@-]+)\/[\w+=,.@-]+$/;

const azureExample = "[{objectId: <az ad signed-in-user show --query id -o tsv>, principalType: User}]";

export interface ClusterAdminSettings {
    /** azure: Entra ID principals made AKS RBAC cluster admins. */
    aks?: AksClusterAdmin[];
    /** aws: IAM principal ARNs given access entries with AmazonEKSClusterAdminPolicy. */
    eks?: string[];
}

/**
 * Required on azure (the Kubernetes provider, and every operator, reach the cluster only through
 * Azure RBAC, and no default can be right); optional on aws (EKS makes the cluster's creator an
 * admin on its own); refused on gcp (GKE access is project IAM) and existing (not the program's).
 */
export function readClusterAdmins(
    problems: Problems,
    prefix: string,
    value: unknown,
    cloud: Cloud | undefined,
): ClusterAdminSettings {
    const key = `${prefix}.admins`;
    if (cloud === "gcp" || cloud === "existing") {
        if (!isUnset(value))
            problems.errorText(
                key,
                cloud === "gcp"
                    ? "only used on azure and aws: GKE access is project IAM (grant roles/container.admin to the principal)"
                    : "only used on azure and aws: the program does not manage access to an existing cluster",
            );
        return {};
    }
    if (cloud === "azure") return { aks: readAzureAdmins(problems, key, value) };
    if (cloud === "aws") return { eks: readAwsAdmins(problems, key, value) };
    return {};
}

function readAzureAdmins(problems: Problems, key: string, value: unknown): AksClusterAdmin[] | undefined {
    if (isUnset(value)) {
        problems.errorText(
            key,
            `required on azure: the Entra ID users, groups or service principals made cluster admins (the identity running pulumi up among them, directly or through a group), e.g. ${azureExample}`,
        );
        return undefined;
    }
    if (!Array.isArray(value) || value.length === 0) {
        problems.error(key, value, `expected a non-empty list of {objectId, principalType}, e.g. ${azureExample}`);
        return undefined;
    }
    const admins: AksClusterAdmin[] = [];
    value.forEach((item, i) => {
        const k = `${key}[${i}]`;
        if (typeof item !== "object" || item === null || Array.isArray(item)) {
            problems.error(k, item, "expected {objectId, principalType}");
            return;
        }
        const entry = item as Record<string, unknown>;
        const unknown = Object.keys(entry).filter((x) => x !== "objectId" && x !== "principalType");
        if (unknown.length) {
            problems.errorText(`${k}.${unknown[0]}`, "unknown key; expected objectId and principalType");
            return;
        }
        const { objectId, principalType } = entry;
        if (typeof objectId !== "string" || !guidPattern.test(objectId)) {
            problems.error(
                `${k}.objectId`,
                objectId,
                "expected an Entra ID object id (a GUID such as 8a1b2c3d-0000-4000-8000-1234567890ab; az ad user show / az ad group show / az ad sp show --query id)",
            );
            return;
        }
        if (!aksAdminPrincipalTypes.includes(principalType as AksClusterAdmin["principalType"])) {
            problems.error(
                `${k}.principalType`,
                principalType,
                `expected one of ${aksAdminPrincipalTypes.join(", ")} (a managed identity is a ServicePrincipal); Azure refuses an assignment whose type does not match the principal (UnmatchedPrincipalType)`,
            );
            return;
        }
        if (objectId.toLowerCase() === nilGuid)
            problems.warn(
                `${k}.objectId`,
                `${nilGuid} is a placeholder: replace it with a real object id before pulumi up (Azure refuses the assignment: PrincipalNotFound)`,
            );
        admins.push({
            objectId: objectId.toLowerCase(),
            principalType: principalType as AksClusterAdmin["principalType"],
        });
    });
    const ids = admins.map((a) => a.objectId);
    const twice = ids.find((id, i) => ids.indexOf(id) !== i);
    if (twice) {
        // Azure refuses a second assignment of one role to one principal at one scope (RoleAssignmentExists).
        problems.error(
            key,
            value,
            `lists ${twice} twice (Azure refuses a duplicate role assignment: RoleAssignmentExists)`,
        );
        return undefined;
    }
    return admins.length === value.length ? admins : undefined;
}

function readAwsAdmins(problems: Problems, key: string, value: unknown): string[] {
    if (isUnset(value)) return [];
    if (!Array.isArray(value)) {
        problems.error(
            key,
            value,
            "expected a list of IAM role or user ARNs, e.g. [arn:aws:iam::123456789012:role/ops]",
        );
        return [];
    }
    const arns: string[] = [];
    value.forEach((arn, i) => {
        const k = `${key}[${i}]`;
        const session = typeof arn === "string" ? stsSessionArn.exec(arn) : null;
        if (session) {
            problems.error(
                k,
                arn,
                `a role session, not an IAM principal: give the role's ARN, arn:aws${session[1] ?? ""}:iam::${session[2]}:role/<path/>${session[3]} (aws iam get-role --role-name ${session[3]} --query Role.Arn)`,
            );
            return;
        }
        if (typeof arn !== "string" || !iamPrincipalArn.test(arn)) {
            problems.error(
                k,
                arn,
                "expected an IAM role or user ARN such as arn:aws:iam::123456789012:role/ops (EKS access entries take IAM roles and users)",
            );
            return;
        }
        arns.push(arn);
    });
    const twice = arns.find((a, i) => arns.indexOf(a) !== i);
    if (twice) {
        // CreateAccessEntry: "You can't specify the same ARN in more than one access entry."
        problems.error(key, value, `lists ${twice} twice (EKS takes one access entry per principal)`);
        return [];
    }
    return arns.length === value.length ? arns : [];
}

/**
 * The preview's check of the identity running `pulumi` against `cluster.admins` on azure: a warning
 * when its object id is not listed. A warning, not a refusal: membership of a listed group, or an
 * assignment made outside the stack (e.g. at the subscription), cannot be seen offline, and a
 * read-only preview identity is rightly not an admin.
 */
export function aksCallerWarning(admins: AksClusterAdmin[], callerObjectId: string, key: string): string | undefined {
    if (!callerObjectId || admins.some((a) => a.objectId === callerObjectId.toLowerCase())) return undefined;
    const groups = admins.some((a) => a.principalType === "Group");
    return `${key}: the identity running pulumi (object id ${callerObjectId}) is not listed${groups ? " (it may be a member of a listed group)" : ""}; unless Azure RBAC makes it cluster admin otherwise, pulumi up gets Forbidden from the cluster: add {objectId: ${callerObjectId}, principalType: User or ServicePrincipal}`;
}

/**
 * The check on aws: EKS gives the cluster's creator an access entry of its own
 * (bootstrapClusterCreatorAdminPermissions, the CreateCluster default), and a second entry for the
 * same principal fails (ResourceInUseException). A caller that is a role session compares by role name.
 */
export function eksCallerWarning(admins: string[], callerArn: string, key: string): string | undefined {
    const session = stsSessionArn.exec(callerArn);
    const same = (arn: string) =>
        session
            ? /:role\//.test(arn) && arn.split(":")[4] === session[2] && arn.endsWith(`/${session[3]}`)
            : arn === callerArn;
    const listed = admins.find(same);
    if (!listed) return undefined;
    return `${key}: ${listed} is the identity running pulumi; if it created the cluster, EKS already gave it an access entry and creating another fails (ResourceInUseException): leave it out, or import that entry`;
}
