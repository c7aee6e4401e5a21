import Foundation

/// How the dashboard keeps sessions.
package struct DashboardConfiguration: Sendable {
    /// A session unused for this long is signed out.
    package var sessionIdleTimeout: Duration
    /// The most sessions kept at once; signing in beyond it ends the least recently used one.
    package var maximumSessions: Int
    /// Whether cookies are always `Secure`. They are also `Secure` whenever a request arrives over
    /// TLS as a proxy reports it (`X-Forwarded-Proto: https`).
    package var secureCookies: Bool

    /// - Precondition: `maximumSessions` is at least 1.
    package init(
        sessionIdleTimeout: Duration = .seconds(12 * 3600), maximumSessions: Int = 1_000, secureCookies: Bool = false
    ) {
        precondition(maximumSessions >= 1, "maximumSessions must be at least 1")
        self.sessionIdleTimeout = sessionIdleTimeout
        self.maximumSessions = maximumSessions
        self.secureCookies = secureCookies
    }
}
