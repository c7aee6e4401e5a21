import Logging
import SwitchyardCore
import SwitchyardGuard

extension SwitchyardClient {
    /// Attaches a local circuit breaker: `rule` watches `variant` of `flag` over this process's own
    /// outputs. When it trips, the client serves the flag's safe variant (`safeVariant`, else the
    /// default variant, else the code default) without asking the server, logs, reports a
    /// `breakerTrip` event, and keeps doing so until ``resetBreaker(flag:)`` or the rule's cool-down.
    /// - Parameter control: the control variant, for rules comparing two variants.
    public func attachBreaker(_ rule: KillRule, flag: String, variant: String, control: String? = nil) {
        breakers.withLock { $0.attach(rule, flag: flag, variant: variant, control: control, now: options.clock.now) }
        hasBreakers.store(true, ordering: .relaxed)
    }

    /// Re-arms the breakers of `flag` and serves the flag as the server defines it again.
    public func resetBreaker(flag: String) {
        let wasTripped = breakers.withLock { $0.reset(flag, now: options.clock.now) }
        if wasTripped { logger.notice("local breaker reset; serving the flag again", metadata: ["flag": "\(flag)"]) }
        updateKilledFlags()
    }

    /// The flags a local breaker currently holds on their safe variant.
    public var trippedBreakers: Set<String> {
        status.withLock { $0.killed }
    }

    /// Evaluates the breakers whenever events arrive for them (and on every flush tick, for
    /// cool-downs) until ``run()`` ends.
    func runBreakers() async {
        for await _ in breakerRequests {
            let pending = breakerInbox.withLock { inbox in
                var taken: [PendingEvent] = []
                swap(&taken, &inbox)
                return taken
            }
            checkBreakers(pending.map(\.event))
        }
    }

    /// Hands an event to the breakers' task; beyond ``Options/maximumQueuedEvents`` waiting, the
    /// oldest are dropped.
    func forwardToBreakers(_ event: PendingEvent) {
        breakerInbox.withLock { inbox in
            if inbox.count >= options.maximumQueuedEvents { inbox.removeFirst(inbox.count / 2) }
            inbox.append(event)
        }
        breakerSignal.yield()
    }

    /// Feeds the breakers events and acts on what they decide.
    private func checkBreakers(_ batch: [GuardEvent]) {
        let trips: [KillRuleTrip] = breakers.withLock { breakers in
            guard !breakers.isEmpty else { return [] }
            breakers.observe(batch)
            return breakers.evaluate(now: options.clock.now)
        }
        breakerEventsChecked.add(batch.count, ordering: .relaxed)
        guard hasBreakers.load(ordering: .relaxed) else { return }
        for trip in trips {
            logger.warning("local breaker tripped; serving the safe variant", metadata: ["flag": "\(trip.flag)", "trip": "\(trip)"])
            events.append(.event(.breakerTrip(trip.event)))
        }
        updateKilledFlags()
    }

    /// Publishes a snapshot when the set of killed flags changed (a trip, a reset, a cool-down).
    /// Holds the breakers' lock throughout, so concurrent updates apply in order.
    private func updateKilledFlags() {
        breakers.withLock { breakers in
            let killed = breakers.killedFlags
            status.withLock { status in
                guard status.killed != killed else { return }
                status.killed = killed
                if let served = status.served {
                    do {
                        status.document = try served.compiled(killing: killed)
                    } catch {
                        logger.error("cannot apply the local breakers to the document", metadata: ["error": "\(error)"])
                    }
                }
                publish(status)
            }
        }
    }
}
