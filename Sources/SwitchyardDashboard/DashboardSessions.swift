import Foundation
import SwitchyardGuard
import SwitchyardStore
import Synchronization

/// The signed-in sessions, kept in memory only: the admin key's secret never leaves the server;
/// the browser holds a random session id in a cookie.
///
/// Sessions end after ``DashboardConfiguration/sessionIdleTimeout`` without use, on sign-out, and
/// when their key is revoked; at most ``DashboardConfiguration/maximumSessions`` are kept (signing
/// in beyond that ends the least recently used), so memory stays bounded without a sweeper.
final class DashboardSessions: Sendable {
    /// One signed-in browser.
    struct Session: Sendable {
        let id: String
        /// The admin key's secret, re-checked on each request so a revoked key signs out.
        let secret: String
        let key: APIKey
        /// The token every state-changing form carries.
        let csrfToken: String
        var lastUsed: Date
    }

    private let idleTimeout: TimeInterval
    private let maximum: Int
    private let clock: WallClock
    private let sessions = Mutex<[String: Session]>([:])

    init(configuration: DashboardConfiguration, clock: WallClock) {
        let (seconds, attoseconds) = configuration.sessionIdleTimeout.components
        idleTimeout = Double(seconds) + Double(attoseconds) / 1e18
        maximum = configuration.maximumSessions
        self.clock = clock
    }

    /// How many sessions are kept.
    var count: Int { sessions.withLock { $0.count } }

    /// Starts a session for a key.
    func create(key: APIKey, secret: String) -> Session {
        let now = clock.date
        let session = Session(id: Self.randomToken(), secret: secret, key: key, csrfToken: Self.randomToken(), lastUsed: now)
        sessions.withLock { sessions in
            sessions = sessions.filter { now.timeIntervalSince($0.value.lastUsed) < idleTimeout }
            while sessions.count >= maximum, let oldest = sessions.values.min(by: { $0.lastUsed < $1.lastUsed }) {
                sessions[oldest.id] = nil
            }
            sessions[session.id] = session
        }
        return session
    }

    /// The live session with this id, marked as used now; an expired one is removed.
    func session(id: String) -> Session? {
        let now = clock.date
        return sessions.withLock { sessions in
            guard var session = sessions[id] else { return nil }
            guard now.timeIntervalSince(session.lastUsed) < idleTimeout else {
                sessions[id] = nil
                return nil
            }
            session.lastUsed = now
            sessions[id] = session
            return session
        }
    }

    /// Ends one session.
    func end(id: String) {
        sessions.withLock { _ = $0.removeValue(forKey: id) }
    }

    /// Ends every session of a key (after it is revoked).
    func end(keyID: String) {
        sessions.withLock { sessions in sessions = sessions.filter { $0.value.key.id != keyID } }
    }

    /// 32 random bytes as hex.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(generator.next() as UInt64, radix: 16).leftPadded(to: 16) }.joined()
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
