extension RolloutPlanner {
    /// The planner's answer as aligned text, for `switchyard plan`.
    public func table(for plan: RolloutPlan) -> String {
        var lines = [
            "units per arm (even split, continuous monitoring): \(unitsPerArm)",
            "units per arm (single look at the end, for comparison): \(fixedHorizonUnitsPerArm)",
            "power \(KillRule.format(power)), α = \(KillRule.format(alpha))\(metrics > 1 ? " over \(metrics) metrics (Bonferroni)" : "")",
            "",
        ]
        var rows = [["stage", "treatment", "days planned", "days needed", "catches", "smallest change caught"]]
        for estimate in estimates(for: plan) {
            rows.append([
                estimate.stage,
                "\(KillRule.format((estimate.treatmentShare * 1000).rounded() / 10))%",
                KillRule.format((estimate.plannedDays * 10).rounded() / 10),
                estimate.daysNeeded.map { KillRule.format(($0 * 10).rounded(.up) / 10) } ?? "—",
                estimate.daysNeeded == nil ? "no control arm" : estimate.catchesRegression ? "yes" : "gross failures only",
                estimate.detectableChange.map { VariantReport.number($0) } ?? "—",
            ])
        }
        lines += VariantReport.align(rows, rightAligned: [1, 2, 3, 5])
        return lines.joined(separator: "\n")
    }
}
