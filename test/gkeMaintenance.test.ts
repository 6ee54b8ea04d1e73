// GKE's maintenance-window rule (components/gke/maintenance.ts): at least 48 hours of availability
// in every rolling 32 days, from windows of at least 4 contiguous hours
// (https://cloud.google.com/kubernetes-engine/docs/how-to/maintenance-window). A window GKE refuses
// fails `pulumi up` at the cluster (Error 400 "maintenance policy would go longer than 32d without 48h
// maintenance availability"), so the config refuses it at preview and the default meets it.
import * as assert from "assert";
import {
    defaultGkeMaintenanceWindow,
    gkeMaintenanceWindow,
    gkeMaintenanceWindowProblem,
    maintenanceAvailabilityHours,
} from "../components/gke/maintenance";
import { rulesFor } from "../harness/transitions/rules";

const window = (startTime: string, endTime: string, recurrence: string) => ({ startTime, endTime, recurrence });

describe("GKE maintenance window: 48 hours in every 32 days", () => {
    /** [what, window, fewest hours in any 32 days] */
    const rows: [string, ReturnType<typeof window>, number | undefined][] = [
        [
            "weekly, 4 hours (the old default)",
            window("2024-01-06T03:00:00Z", "2024-01-06T07:00:00Z", "FREQ=WEEKLY;BYDAY=SA"),
            16,
        ],
        ["weekly, 12 hours", window("2024-01-06T03:00:00Z", "2024-01-06T15:00:00Z", "FREQ=WEEKLY;BYDAY=SA"), 48],
        ["weekly, 11 hours", window("2024-01-07T03:00:00Z", "2024-01-07T14:00:00Z", "FREQ=WEEKLY;BYDAY=SU"), 44],
        [
            "weekly across midnight, 12 hours",
            window("2024-01-01T20:00:00Z", "2024-01-02T08:00:00Z", "FREQ=WEEKLY;BYDAY=MO"),
            48,
        ],
        // GKE's own example: weekdays, 4 hours a day (how-to/maintenance-window).
        [
            "Monday to Friday, 4 hours",
            window("2024-01-01T01:00:00Z", "2024-01-01T05:00:00Z", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
            4 * 22,
        ],
        [
            "weekend, 8 hours a day",
            window("2024-01-06T09:00:00Z", "2024-01-06T17:00:00Z", "FREQ=WEEKLY;BYDAY=SA,SU"),
            16 * 4,
        ],
        ["daily, 4 hours", window("2024-01-01T03:00:00Z", "2024-01-01T07:00:00Z", "FREQ=DAILY"), 128],
        // Windows shorter than 4 hours count for nothing, however often they come.
        ["daily, 3 hours", window("2024-01-01T03:00:00Z", "2024-01-01T06:00:00Z", "FREQ=DAILY"), 0],
        ["an unknown recurrence", window("2024-01-01T03:00:00Z", "2024-01-01T07:00:00Z", "FREQ=MONTHLY"), undefined],
    ];
    for (const [what, w, hours] of rows)
        it(`${what}: ${hours ?? "unknown"}`, () => assert.strictEqual(maintenanceAvailabilityHours(w), hours));

    it("a weekly window is accepted from 12 hours, refused below, whatever the day and hour", () => {
        for (const day of ["Monday", "Sunday"])
            for (const startHour of [0, 3, 23])
                for (let durationHours = 4; durationHours <= 24; durationHours++) {
                    const w = { day, startHour, durationHours };
                    assert.strictEqual(
                        gkeMaintenanceWindowProblem(w) === undefined,
                        durationHours >= 12,
                        JSON.stringify(w),
                    );
                    assert.strictEqual(maintenanceAvailabilityHours(gkeMaintenanceWindow(w)), 4 * durationHours);
                }
    });

    it("the default window is one GKE accepts", () => {
        assert.strictEqual(gkeMaintenanceWindowProblem(defaultGkeMaintenanceWindow), undefined);
        assert.deepStrictEqual(gkeMaintenanceWindow(defaultGkeMaintenanceWindow), {
            startTime: "2024-01-06T03:00:00Z",
            endTime: "2024-01-06T15:00:00Z",
            recurrence: "FREQ=WEEKLY;BYDAY=SA",
        });
    });
});

describe("the day-2 harness holds every planned GKE cluster to the same rule", () => {
    it("a cluster input with a 4-hour weekly window is invalid input, a 12-hour one is not", () => {
        const check = rulesFor("gcp:container/cluster:Cluster")!.validate!.check;
        const policy = (w: { day: string; startHour: number; durationHours: number }) => ({
            maintenancePolicy: { recurringWindow: gkeMaintenanceWindow(w) },
        });
        assert.deepStrictEqual(check(policy({ day: "Saturday", startHour: 3, durationHours: 4 })), [
            "maintenance policy would go longer than 32d without 48h maintenance availability (16h)",
        ]);
        assert.deepStrictEqual(check(policy(defaultGkeMaintenanceWindow)), []);
    });
});
