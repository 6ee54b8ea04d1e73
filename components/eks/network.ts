import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { aliasPreviousType } from "../cluster/typeToken";

export interface EksNetworkArgs {
    /** EKS cluster name; subnets carry `kubernetes.io/cluster/<name>` so load balancers find them. */
    clusterName: string;
    /** VPC CIDR block, a /16 (subnets are carved from it by `subnetCidrs`). */
    cidrBlock: string;
    /** Availability zones to span (>= 2; EKS requires subnets in two zones). */
    zoneCount: number;
    /** Tags on every network resource. */
    tags?: Record<string, string>;
    /** The GPU pool's instance type: at least one chosen zone must offer it. Absent = no GPU pool. */
    gpuInstanceType?: string;
    /** AWS region: names the S3 gateway endpoint's service (`com.amazonaws.<region>.s3`). */
    region: pulumi.Input<string>;
}

/**
 * The S3 gateway endpoint on the private route table: the nodes' S3 traffic (models read from the
 * bucket, ECR image layers, which ECR serves from S3) stays off the NAT gateway, which bills every
 * GB it processes, while a gateway endpoint costs nothing
 * (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html; NAT gateway pricing,
 * https://aws.amazon.com/vpc/pricing/). Same-region buckets only, as the endpoint is regional.
 */
export function s3GatewayEndpointArgs(
    vpcId: pulumi.Input<string>,
    region: pulumi.Input<string>,
    routeTableIds: pulumi.Input<string>[],
    tags: Record<string, string>,
): aws.ec2.VpcEndpointArgs {
    return {
        vpcId,
        serviceName: pulumi.interpolate`com.amazonaws.${region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds,
        tags,
    };
}

/**
 * Zone IDs in which EKS cannot place a cluster's subnets (UnsupportedAvailabilityZoneException):
 * awsdocs/amazon-eks-user-guide latest/ug/networking/network-reqs.adoc@f60041409f8255b59682a2ca39382a2278e0e38b,
 * "Subnet requirements for clusters".
 */
export const eksUnsupportedZoneIds: readonly string[] = ["use1-az3", "usw1-az2", "cac1-az3"];

/** The region's zones EKS accepts, in the region's order (names and their IDs side by side). */
export function eksZones(names: string[], zoneIds: string[]): string[] {
    return names.filter((_, i) => !eksUnsupportedZoneIds.includes(zoneIds[i]));
}

/**
 * Problems with the zones the VPC spans for a GPU instance type offered in `offeredZoneIds`: an
 * error when none of them offers it (GPU nodes could never start), a warning naming those that do
 * not (the group's nodes start only in the others).
 */
export function gpuZoneProblems(
    chosen: string[],
    names: string[],
    zoneIds: string[],
    instanceType: string,
    offeredZoneIds: string[],
): { error?: string; warning?: string } {
    const idOf = (zone: string) => zoneIds[names.indexOf(zone)];
    const missing = chosen.filter((z) => !offeredZoneIds.includes(idOf(z)));
    if (missing.length === chosen.length)
        return {
            error: `gpuNodePool.instanceType: ${instanceType} is offered in none of the zones the cluster uses (${chosen.join(", ")}); pick a type the region offers (aws ec2 describe-instance-type-offerings --location-type availability-zone --filters Name=instance-type,Values=${instanceType})`,
        };
    if (missing.length > 0)
        return {
            warning: `gpuNodePool.instanceType: ${instanceType} is not offered in ${missing.join(", ")}; GPU nodes start only in ${chosen.filter((z) => !missing.includes(z)).join(", ")}`,
        };
    return {};
}

/**
 * Subnet blocks inside a /16: private /19s for nodes (the VPC CNI gives every pod a VPC address, so
 * they need room), public /22s for load balancers and the NAT gateway.
 */
export function subnetCidrs(vpcCidr: string, zoneCount: number): { private: string[]; public: string[] } {
    const m = /^(\d+)\.(\d+)\.0\.0\/16$/.exec(vpcCidr);
    if (!m) throw new Error(`VPC CIDR must be a /16 like 10.0.0.0/16, got ${vpcCidr}`);
    if (zoneCount < 2 || zoneCount > 4) throw new Error(`zone count must be 2-4, got ${zoneCount}`);
    const prefix = `${m[1]}.${m[2]}`;
    const range = (n: number) => [...Array(n).keys()];
    return {
        private: range(zoneCount).map((i) => `${prefix}.${i * 32}.0/19`),
        // Public blocks start after the last possible private one (4 × /19 = 10.x.0.0-127.255).
        public: range(zoneCount).map((i) => `${prefix}.${128 + i * 4}.0/22`),
    };
}

/**
 * Tags the AWS load balancer integrations use to pick subnets: `elb` for internet-facing, `internal-elb`
 * for internal load balancers, both scoped to the cluster.
 */
export function subnetTags(clusterName: string, tier: "public" | "private"): Record<string, string> {
    return {
        [`kubernetes.io/cluster/${clusterName}`]: "shared",
        [tier === "public" ? "kubernetes.io/role/elb" : "kubernetes.io/role/internal-elb"]: "1",
    };
}

/**
 * The i-th zone to use. Zones must be distinct: EFS allows one mount target per zone, and a second
 * subnet in the same zone would add nothing but a failed mount target.
 */
export function zoneAt(names: string[], i: number): string {
    if (i >= names.length) {
        // A user's choice of region, found only once the cloud answers: a clean one-line error.
        throw new pulumi.RunError(
            `aws:region: the VPC spans ${i + 1}+ availability zones but the region offers ${names.length} (${names.join(", ")}); choose a region with at least ${i + 1}`,
        );
    }
    return names[i];
}

/**
 * VPC for the cluster: public subnets (internet gateway) for load balancers, private subnets for nodes
 * with egress through one NAT gateway. One NAT gateway keeps a dev/test platform cheap; a zone outage
 * cuts node egress in the other zones until it returns.
 */
export class EksNetwork extends pulumi.ComponentResource {
    readonly vpc: aws.ec2.Vpc;
    readonly vpcId: pulumi.Output<string>;
    readonly cidrBlock: string;
    readonly publicSubnets: aws.ec2.Subnet[];
    readonly privateSubnets: aws.ec2.Subnet[];
    readonly publicSubnetIds: pulumi.Output<string>[];
    readonly privateSubnetIds: pulumi.Output<string>[];
    /** The private subnets' way out (see `egressReady`). */
    readonly natGateway: aws.ec2.NatGateway;
    /** Routes the private subnets to the NAT gateway. */
    readonly privateRouteTable: aws.ec2.RouteTable;
    /** One per private subnet. */
    readonly privateRouteTableAssociations: aws.ec2.RouteTableAssociation[];
    /** S3 reached from the private subnets without the NAT gateway (`s3GatewayEndpointArgs`). */
    readonly s3Endpoint: aws.ec2.VpcEndpoint;

    constructor(name: string, args: EksNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super(
            "torchserve-platform:index:EksNetwork",
            name,
            {},
            aliasPreviousType(opts, "torchserve-platform:eks:Network"),
        );
        const parent = { parent: this };
        const tags = args.tags ?? {};
        const cidrs = subnetCidrs(args.cidrBlock, args.zoneCount);
        // Regular zones only: local and wavelength zones lack EKS and most instance types; and only
        // zones EKS accepts, in the region's order (existing stacks keep the zones they have).
        const regionZones = aws.getAvailabilityZonesOutput(
            { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
            parent,
        );
        const offered = args.gpuInstanceType
            ? aws.ec2.getInstanceTypeOfferingsOutput(
                  {
                      locationType: "availability-zone-id",
                      filters: [{ name: "instance-type", values: [args.gpuInstanceType] }],
                  },
                  parent,
              ).locations
            : pulumi.output(undefined);
        // The check runs where the subnets read their zone, so a failure ends the run cleanly.
        const names = pulumi.all([regionZones, offered]).apply(([z, locations]) => {
            const supported = eksZones(z.names, z.zoneIds);
            if (args.gpuInstanceType && locations) {
                const p = gpuZoneProblems(
                    supported.slice(0, args.zoneCount),
                    z.names,
                    z.zoneIds,
                    args.gpuInstanceType,
                    locations,
                );
                if (p.error) throw new pulumi.RunError(p.error);
                if (p.warning) pulumi.log.warn(p.warning, this);
            }
            return supported;
        });
        const zones = { names };

        this.cidrBlock = args.cidrBlock;
        this.vpc = new aws.ec2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: args.cidrBlock,
                // EFS mount targets and the EKS endpoint are reached by DNS name.
                enableDnsHostnames: true,
                enableDnsSupport: true,
                tags: { ...tags, Name: `${args.clusterName}-vpc` },
            },
            parent,
        );
        this.vpcId = this.vpc.id;

        const igw = new aws.ec2.InternetGateway(
            `${name}-igw`,
            {
                vpcId: this.vpc.id,
                tags: { ...tags, Name: `${args.clusterName}-igw` },
            },
            parent,
        );
        const publicRoutes = new aws.ec2.RouteTable(
            `${name}-public`,
            {
                vpcId: this.vpc.id,
                routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
                tags: { ...tags, Name: `${args.clusterName}-public` },
            },
            parent,
        );

        this.publicSubnets = cidrs.public.map(
            (cidr, i) =>
                new aws.ec2.Subnet(
                    `${name}-public-${i}`,
                    {
                        vpcId: this.vpc.id,
                        cidrBlock: cidr,
                        availabilityZone: zones.names.apply((names) => zoneAt(names, i)),
                        mapPublicIpOnLaunch: true,
                        tags: {
                            ...tags,
                            ...subnetTags(args.clusterName, "public"),
                            Name: `${args.clusterName}-public-${i}`,
                        },
                    },
                    parent,
                ),
        );
        this.publicSubnets.forEach(
            (subnet, i) =>
                new aws.ec2.RouteTableAssociation(
                    `${name}-public-${i}`,
                    {
                        subnetId: subnet.id,
                        routeTableId: publicRoutes.id,
                    },
                    parent,
                ),
        );

        const natIp = new aws.ec2.Eip(
            `${name}-nat`,
            {
                domain: "vpc",
                tags: { ...tags, Name: `${args.clusterName}-nat` },
            },
            parent,
        );
        this.natGateway = new aws.ec2.NatGateway(
            `${name}-nat`,
            {
                allocationId: natIp.id,
                subnetId: this.publicSubnets[0].id,
                tags: { ...tags, Name: `${args.clusterName}-nat` },
            },
            { parent: this, dependsOn: [igw] },
        );
        this.privateRouteTable = new aws.ec2.RouteTable(
            `${name}-private`,
            {
                vpcId: this.vpc.id,
                routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: this.natGateway.id }],
                tags: { ...tags, Name: `${args.clusterName}-private` },
            },
            parent,
        );

        this.privateSubnets = cidrs.private.map(
            (cidr, i) =>
                new aws.ec2.Subnet(
                    `${name}-private-${i}`,
                    {
                        vpcId: this.vpc.id,
                        cidrBlock: cidr,
                        availabilityZone: zones.names.apply((names) => zoneAt(names, i)),
                        tags: {
                            ...tags,
                            ...subnetTags(args.clusterName, "private"),
                            Name: `${args.clusterName}-private-${i}`,
                        },
                    },
                    parent,
                ),
        );
        this.privateRouteTableAssociations = this.privateSubnets.map(
            (subnet, i) =>
                new aws.ec2.RouteTableAssociation(
                    `${name}-private-${i}`,
                    {
                        subnetId: subnet.id,
                        routeTableId: this.privateRouteTable.id,
                    },
                    parent,
                ),
        );

        this.s3Endpoint = new aws.ec2.VpcEndpoint(
            `${name}-s3`,
            s3GatewayEndpointArgs(this.vpcId, args.region, [this.privateRouteTable.id], tags),
            parent,
        );

        this.publicSubnetIds = this.publicSubnets.map((s) => s.id);
        this.privateSubnetIds = this.privateSubnets.map((s) => s.id);
        this.registerOutputs({
            vpcId: this.vpcId,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
        });
    }

    /** Private subnets reach the internet only once these exist: nodes and the control plane wait for them. */
    egressReady(): pulumi.Resource[] {
        return [this.natGateway, this.privateRouteTable, ...this.privateRouteTableAssociations];
    }
}
