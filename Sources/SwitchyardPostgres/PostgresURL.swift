import Foundation
import PostgresNIO

/// A PostgreSQL connection URL, `postgres://user[:password]@host[:port]/database[?sslmode=…]`, as
/// given to `switchyard serve --db` or `SWITCHYARD_DB`.
///
/// Its ``description`` never contains the password: it is what logs and error messages show.
package struct PostgresURL: Sendable, CustomStringConvertible {
    /// How the connection uses TLS, as libpq's `sslmode` says it.
    package enum TLSMode: String, Sendable {
        /// Never TLS.
        case disable
        /// TLS when the server offers it (the default, as with libpq).
        case prefer
        /// TLS or no connection.
        case require
    }

    /// The server's host name or address.
    package var host: String
    /// The server's port (5432 when left out).
    package var port: Int
    /// The role to connect as.
    package var username: String
    /// The role's password, if the URL has one.
    package var password: String?
    /// The database name.
    package var database: String
    /// How the connection uses TLS.
    package var tls: TLSMode

    /// Whether a `--db` value names a PostgreSQL database rather than an SQLite file.
    package static func isPostgresURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses a URL; a mistake is reported with the URL's password hidden.
    package init(_ text: String) throws(PostgresURLError) {
        guard Self.isPostgresURL(text), let components = URLComponents(string: text) else {
            throw PostgresURLError(url: Self.redacting(text), problem: "expected postgres://user[:password]@host[:port]/database")
        }
        let shown = Self.redacting(text)
        guard let host = components.host, !host.isEmpty else { throw PostgresURLError(url: shown, problem: "the host is missing") }
        guard let user = components.user, !user.isEmpty else { throw PostgresURLError(url: shown, problem: "the user is missing") }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw PostgresURLError(url: shown, problem: "the database name is missing (postgres://user@host/DATABASE)")
        }
        let port = components.port ?? 5432
        guard (1...65_535).contains(port) else { throw PostgresURLError(url: shown, problem: "the port must be between 1 and 65535") }
        var tls = TLSMode.prefer
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode" else {
                throw PostgresURLError(url: shown, problem: "unknown parameter \(item.name) (only sslmode is understood)")
            }
            guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
                throw PostgresURLError(url: shown, problem: "sslmode must be disable, prefer or require, not \(item.value ?? "empty")")
            }
            tls = mode
        }
        self.host = host
        self.port = port
        self.username = components.percentEncodedUser?.removingPercentEncoding ?? user
        self.password = components.percentEncodedPassword?.removingPercentEncoding
        self.database = database.removingPercentEncoding ?? database
        self.tls = tls
    }

    /// The URL with its password replaced by `***`.
    package var description: String {
        "postgres://\(username)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)" + (tls == .prefer ? "" : "?sslmode=\(tls.rawValue)")
    }

    /// The same server and role, another database.
    package func database(_ name: String) -> PostgresURL {
        var url = self
        url.database = name
        return url
    }

    /// The client configuration: every commit waits for the server's write-ahead log to reach disk
    /// (`synchronous_commit = on`, whatever the server's default), so a write is durable before it is answered.
    var clientConfiguration: PostgresClient.Configuration {
        let tlsConfiguration: PostgresClient.Configuration.TLS =
            switch tls {
            case .disable: .disable
            case .prefer: .prefer(.makeClientConfiguration())
            case .require: .require(.makeClientConfiguration())
            }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tlsConfiguration)
        configuration.options.additionalStartupParameters = [("synchronous_commit", "on"), ("application_name", "switchyard")]
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }

    /// The same settings for one connection outside the pool (the start-up check, the listener).
    package func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tlsConfiguration: PostgresConnection.Configuration.TLS =
            switch tls {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tlsConfiguration)
        configuration.options.additionalStartupParameters = [("synchronous_commit", "on"), ("application_name", "switchyard")]
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }

    /// Hides whatever stands between `scheme://user:` and `@`.
    static func redacting(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return text }
        let rest = text[schemeEnd.upperBound...]
        let authority = rest[..<(rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex)]
        guard let at = authority.lastIndex(of: "@") else { return text }
        let userInfo = rest[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(rest[at...])
    }
}

/// A `--db` or `SWITCHYARD_DB` URL that cannot be used; its message shows the URL without its password.
package struct PostgresURLError: Error, Sendable, CustomStringConvertible {
    /// The URL, password hidden.
    package var url: String
    /// What is wrong with it.
    package var problem: String

    package var description: String { "invalid PostgreSQL URL \(url): \(problem)" }
}
