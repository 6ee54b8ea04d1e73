// GKE's recurring maintenance window, and the availability GKE demands of it. GKE refuses a
// maintenance policy that leaves less than 48 hours of maintenance availability in some 32-day
// rolling window, counting only contiguous windows of at least 4 hours
// (https://cloud.google.com/kubernetes-engine/docs/how-to/maintenance-window, "Considerations when
// configuring a maintenance window"; the API answers `Error 400: maintenance policy would go longer
// than 32d without 48h maintenance availability`). A weekly window of 4 hours gives 16 hours.
import type { MaintenanceWindowSpec } from "../cluster/nodePool";

/** What GKE requires of a maintenance policy: `hours` in every `days`, from windows of at least `contiguousHours`. */
export const gkeMaintenanceRequirement = { hours: 48, days: 32, contiguousHours: 4 } as const;

/**
 * The window when `cluster.maintenanceWindow` is absent: Saturday 03:00 UTC for 12 hours. Any 32
 * days hold at least 4 whole weekly windows (4 weeks and 4 days), so a weekly window gives GKE 4 × its
 * length: 12 hours is the shortest weekly window GKE accepts.
 */
export const defaultGkeMaintenanceWindow: MaintenanceWindowSpec = { day: "Saturday", startHour: 3, durationHours: 12 };

const weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const rruleDays = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/** The recurring window GKE takes (`maintenancePolicy.recurringWindow`). */
export interface GkeRecurringWindow {
    /** RFC 3339 start of the first occurrence. */
    startTime: string;
    /** RFC 3339 end of the first occurrence: the length of every occurrence. */
    endTime: string;
    /** RFC 5545 RRULE, e.g. `FREQ=WEEKLY;BYDAY=SA`. */
    recurrence: string;
}

/**
 * GKE's recurring maintenance window for a weekly spec: RFC 3339 times on a reference week
 * (2024-01-01 was a Monday) and an RRULE for the day (https://cloud.google.com/kubernetes-engine/docs/concepts/maintenance-windows-and-exclusions).
 */
export function gkeMaintenanceWindow(w: MaintenanceWindowSpec): GkeRecurringWindow {
    const index = Math.max(0, weekdays.indexOf(w.day));
    const start = new Date(Date.UTC(2024, 0, 1 + index, w.startHour));
    const end = new Date(start.getTime() + w.durationHours * 3600_000);
    const iso = (d: Date) => d.toISOString().replace(".000Z", "Z");
    return {
        startTime: iso(start),
        endTime: iso(end),
        recurrence: `FREQ=WEEKLY;BYDAY=${rruleDays[index]}`,
    };
}

const hour = 3600_000;
const day = 24 * hour;

/**
 * The fewest hours of maintenance availability a recurring window gives in any `days`-day rolling
 * window, counting only occurrences (overlapping ones merged) at least `contiguousHours` long. Knows
 * `FREQ=DAILY` and `FREQ=WEEKLY[;BYDAY=..]`; undefined for any other recurrence or unreadable times.
 */
export function maintenanceAvailabilityHours(
    w: GkeRecurringWindow,
    requirement: { days: number; contiguousHours: number } = gkeMaintenanceRequirement,
): number | undefined {
    const start = Date.parse(w.startTime);
    const length = Date.parse(w.endTime) - start;
    if (!Number.isFinite(start) || !(length > 0)) return undefined;
    const rule = Object.fromEntries(
        w.recurrence.split(";").map((part) => part.split("=") as [string, string | undefined]),
    );
    let period: number;
    let offsets: number[];
    if (rule.FREQ === "DAILY" && Object.keys(rule).length === 1) {
        period = day;
        offsets = [0];
    } else if (rule.FREQ === "WEEKLY" && Object.keys(rule).every((k) => k === "FREQ" || k === "BYDAY")) {
        period = 7 * day;
        const first = (new Date(start).getUTCDay() + 6) % 7; // Monday = 0
        const days = rule.BYDAY === undefined ? [first] : rule.BYDAY.split(",").map((d) => rruleDays.indexOf(d));
        if (days.some((d) => d < 0)) return undefined;
        offsets = days.map((d) => (((d - first) % 7) + 7) % 7).map((d) => d * day);
    } else return undefined;
    const span = requirement.days * day;
    // Occurrences over more than the rolling window plus a period either side, merged where they touch.
    const raw: [number, number][] = [];
    for (let base = -period; base < span + 2 * period; base += period)
        for (const o of offsets) raw.push([base + o, base + o + length]);
    raw.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const [a, b] of raw) {
        const last = merged[merged.length - 1];
        if (last && a <= last[1]) last[1] = Math.max(last[1], b);
        else merged.push([a, b]);
    }
    const counted = merged.filter(([a, b]) => b - a >= requirement.contiguousHours * hour);
    const within = (s: number) =>
        counted.reduce((sum, [a, b]) => sum + Math.max(0, Math.min(b, s + span) - Math.max(a, s)), 0);
    // The sum is piecewise linear in the window's start: its minimum is where the window's start
    // leaves an occurrence or its end reaches one.
    const candidates = counted
        .flatMap(([a, b]) => [b, a - span])
        .filter((s) => s >= 0 && s < period)
        .concat(0);
    return Math.min(...candidates.map(within)) / hour;
}

/**
 * What is wrong with a weekly window for GKE, or undefined when GKE accepts it: the hours it gives
 * in some 32 days against the 48 GKE needs.
 */
export function gkeMaintenanceWindowProblem(w: MaintenanceWindowSpec): string | undefined {
    const { hours, days, contiguousHours } = gkeMaintenanceRequirement;
    const given = maintenanceAvailabilityHours(gkeMaintenanceWindow(w));
    if (given === undefined || given >= hours) return undefined;
    const weekly = Math.ceil(hours / Math.floor(days / 7));
    return `a weekly window of ${w.durationHours} hours gives GKE ${given} hours in some ${days} days; GKE needs at least ${hours} hours in every ${days} days (windows of ${contiguousHours}+ hours): durationHours ${weekly} or more`;
}
