// Where GKE can attach each common accelerator, by region: the GPU pool's node locations when
// `gpuNodePool.zones` is not set. Data, not a guess: every zone below is a row of SkyPilot's GCP
// catalog (skypilot-org/skypilot-catalog, catalogs/v7/gcp/vms.csv at commit
// 017e2502fb63c7a28757acd94002b2d6099d3e3d; rows ",,,<GPU>,1,...,<region>,<zone>"), which its
// fetcher builds from the Compute Engine API's `acceleratorTypes.list` for each zone
// (skypilot-org/skypilot sky/catalog/data_fetchers/fetch_gcp.py at a2f08cfd1e818ce5a596697b58dedb1f97245161:
// `nvidia-tesla-t4` -> T4, `nvidia-h100-80gb` -> H100, ...) - the same list as
// `gcloud compute accelerator-types list`. The fetcher drops zones whose GPU price it cannot find, so
// a zone may be missing (the pool then avoids it), never invented. Google's "GPU regions and zones"
// page (https://cloud.google.com/compute/docs/gpus/gpu-regions-zones) is the reference to re-check
// against; Google adds zones over time, so a zone set by hand outside this table is only warned about.

/** Zones offering each accelerator, per region (GKE accelerator type -> region -> zones). */
export const acceleratorZones: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
    "nvidia-a100-80gb": {
        "asia-southeast1": ["asia-southeast1-c"],
        "europe-west4": ["europe-west4-a"],
        "us-central1": ["us-central1-a", "us-central1-c"],
        "us-east4": ["us-east4-c"],
        "us-east5": ["us-east5-a", "us-east5-b"],
    },
    "nvidia-h100-80gb": {
        "asia-east1": ["asia-east1-c"],
        "asia-northeast1": ["asia-northeast1-b"],
        "asia-northeast3": ["asia-northeast3-a", "asia-northeast3-c"],
        "asia-south1": ["asia-south1-c"],
        "asia-southeast1": ["asia-southeast1-b", "asia-southeast1-c"],
        "australia-southeast1": ["australia-southeast1-c"],
        "europe-north1": ["europe-north1-c"],
        "europe-west1": ["europe-west1-b", "europe-west1-c"],
        "europe-west2": ["europe-west2-b"],
        "europe-west3": ["europe-west3-a", "europe-west3-c"],
        "europe-west4": ["europe-west4-b", "europe-west4-c"],
        "northamerica-northeast2": ["northamerica-northeast2-c"],
        "us-central1": ["us-central1-a", "us-central1-b", "us-central1-c"],
        "us-east4": ["us-east4-a", "us-east4-b", "us-east4-c"],
        "us-east5": ["us-east5-a"],
        "us-west1": ["us-west1-a", "us-west1-b"],
        "us-west4": ["us-west4-a"],
    },
    "nvidia-l4": {
        "asia-east1": ["asia-east1-a", "asia-east1-b", "asia-east1-c"],
        "asia-northeast1": ["asia-northeast1-a", "asia-northeast1-b", "asia-northeast1-c"],
        "asia-northeast3": ["asia-northeast3-a", "asia-northeast3-b"],
        "asia-south1": ["asia-south1-a", "asia-south1-b", "asia-south1-c"],
        "asia-southeast1": ["asia-southeast1-a", "asia-southeast1-b", "asia-southeast1-c"],
        "europe-west1": ["europe-west1-b", "europe-west1-c"],
        "europe-west2": ["europe-west2-a", "europe-west2-b"],
        "europe-west3": ["europe-west3-a", "europe-west3-b"],
        "europe-west4": ["europe-west4-a", "europe-west4-b", "europe-west4-c"],
        "europe-west6": ["europe-west6-b", "europe-west6-c"],
        "me-central2": ["me-central2-a", "me-central2-c"],
        "northamerica-northeast1": ["northamerica-northeast1-b"],
        "northamerica-northeast2": ["northamerica-northeast2-a", "northamerica-northeast2-b"],
        "us-central1": ["us-central1-a", "us-central1-b", "us-central1-c"],
        "us-east1": ["us-east1-b", "us-east1-c", "us-east1-d"],
        "us-east4": ["us-east4-a", "us-east4-c"],
        "us-west1": ["us-west1-a", "us-west1-b", "us-west1-c"],
        "us-west4": ["us-west4-a", "us-west4-c"],
    },
    "nvidia-tesla-a100": {
        "asia-northeast1": ["asia-northeast1-a", "asia-northeast1-c"],
        "asia-northeast3": ["asia-northeast3-a", "asia-northeast3-b"],
        "asia-southeast1": ["asia-southeast1-b", "asia-southeast1-c"],
        "europe-west4": ["europe-west4-a", "europe-west4-b"],
        "me-west1": ["me-west1-a", "me-west1-c"],
        "us-central1": ["us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f"],
        "us-east1": ["us-east1-b"],
        "us-west1": ["us-west1-b"],
        "us-west3": ["us-west3-b"],
        "us-west4": ["us-west4-b"],
    },
    "nvidia-tesla-p100": {
        // The catalog rows for 4 GPUs per VM (the block read in full); a zone offering P100s only
        // 1 or 2 at a time would be missing here, never wrongly present.
        "asia-east1": ["asia-east1-a", "asia-east1-c"],
        "australia-southeast1": ["australia-southeast1-b"],
        "europe-west1": ["europe-west1-b", "europe-west1-d"],
        "europe-west4": ["europe-west4-a"],
        "us-central1": ["us-central1-c", "us-central1-f"],
        "us-east1": ["us-east1-b", "us-east1-c"],
        "us-west1": ["us-west1-a", "us-west1-b"],
    },
    "nvidia-tesla-p4": {
        "asia-southeast1": ["asia-southeast1-b", "asia-southeast1-c"],
        "australia-southeast1": ["australia-southeast1-a", "australia-southeast1-b"],
        "europe-west4": ["europe-west4-b", "europe-west4-c"],
        "northamerica-northeast1": [
            "northamerica-northeast1-a",
            "northamerica-northeast1-b",
            "northamerica-northeast1-c",
        ],
        "us-central1": ["us-central1-a", "us-central1-c"],
        "us-east4": ["us-east4-a", "us-east4-b", "us-east4-c"],
        "us-west2": ["us-west2-b", "us-west2-c"],
    },
    "nvidia-tesla-t4": {
        "asia-east1": ["asia-east1-a", "asia-east1-c"],
        "asia-east2": ["asia-east2-a", "asia-east2-c"],
        "asia-northeast1": ["asia-northeast1-a", "asia-northeast1-c"],
        "asia-northeast3": ["asia-northeast3-b", "asia-northeast3-c"],
        "asia-south1": ["asia-south1-a", "asia-south1-b"],
        "asia-southeast1": ["asia-southeast1-a", "asia-southeast1-b", "asia-southeast1-c"],
        "asia-southeast2": ["asia-southeast2-a", "asia-southeast2-b"],
        "australia-southeast1": ["australia-southeast1-a", "australia-southeast1-c"],
        "europe-central2": ["europe-central2-b", "europe-central2-c"],
        "europe-west1": ["europe-west1-b", "europe-west1-c", "europe-west1-d"],
        "europe-west2": ["europe-west2-a", "europe-west2-b"],
        "europe-west3": ["europe-west3-b"],
        "europe-west4": ["europe-west4-a", "europe-west4-b", "europe-west4-c"],
        "me-west1": ["me-west1-b", "me-west1-c"],
        "northamerica-northeast1": ["northamerica-northeast1-c"],
        "southamerica-east1": ["southamerica-east1-a", "southamerica-east1-c"],
        "us-central1": ["us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f"],
        "us-east1": ["us-east1-c", "us-east1-d"],
        "us-east4": ["us-east4-a", "us-east4-b", "us-east4-c"],
        "us-west1": ["us-west1-a", "us-west1-b"],
        "us-west2": ["us-west2-b", "us-west2-c"],
        "us-west3": ["us-west3-b"],
        "us-west4": ["us-west4-a", "us-west4-b"],
    },
    "nvidia-tesla-v100": {
        "asia-east1": ["asia-east1-c"],
        "europe-west4": ["europe-west4-a", "europe-west4-b", "europe-west4-c"],
        "us-central1": ["us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f"],
        "us-east1": ["us-east1-c"],
        "us-west1": ["us-west1-a", "us-west1-b"],
    },
};

/**
 * What is wrong with a table of accelerator zones: a zone that is not `<region>-<letter>` of the
 * region it is listed under (GKE would refuse the node location), a region with no zones, or a zone
 * listed twice. The shipped table must have none (test/gkeAcceleratorZones.test.ts).
 */
export function acceleratorZoneTableProblems(
    table: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>,
): string[] {
    const problems: string[] = [];
    for (const [accelerator, regions] of Object.entries(table)) {
        for (const [region, zones] of Object.entries(regions)) {
            const where = `${accelerator} in ${region}`;
            if (zones.length === 0) problems.push(`${where}: no zones`);
            const zone = new RegExp(`^${region.replace(/[^a-z0-9-]/g, "")}-[a-z]$`);
            for (const z of zones) if (!zone.test(z)) problems.push(`${where}: ${z} is not a zone of ${region}`);
            const dupes = zones.filter((z, i) => zones.indexOf(z) !== i);
            if (dupes.length) problems.push(`${where}: ${dupes.join(", ")} listed twice`);
        }
    }
    return problems;
}

/** The zones of `region` known to offer `accelerator`; undefined when this table does not know. */
export function zonesOffering(accelerator: string, region: string): readonly string[] | undefined {
    return acceleratorZones[accelerator]?.[region];
}
