import Foundation
import SwitchyardCore

/// Reads the bootstrap file and reads and writes the last-known-good cache file.
///
/// The cache holds `{"version": N, "etag": "...", "document": {...}}` and is replaced atomically:
/// written to a temporary file in the same directory, then renamed over the old one, so a crash
/// mid-write leaves the previous cache intact.
enum DocumentFiles {
    /// Reads a flagd document shipped with the application.
    static func readBootstrap(_ path: String) throws -> ServedDocument {
        let json = try readJSON(path)
        guard let members = json.objectValue else { throw SwitchyardClientError.file(path, "not a JSON object") }
        let document = ServedDocument(members: members, version: nil, etag: nil)
        try validate(document, path: path)
        return document
    }

    /// Reads the last known good document.
    static func readCache(_ path: String) throws -> ServedDocument {
        let json = try readJSON(path)
        guard let members = json["document"]?.objectValue, case .integer(let version)? = json["version"] else {
            throw SwitchyardClientError.file(path, "not a Switchyard cache file (no document or version)")
        }
        let document = ServedDocument(members: members, version: version, etag: json["etag"]?.stringValue)
        try validate(document, path: path)
        return document
    }

    /// Replaces the cache file with `document`, atomically.
    static func writeCache(_ document: ServedDocument, to path: String) throws {
        var members: [String: JSONValue] = ["document": .object(document.members), "version": .integer(document.version ?? 0)]
        if let etag = document.etag { members["etag"] = .string(etag) }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UInt32.random(in: 0...UInt32.max)).tmp")
        do {
            try Data(JSONValue.object(members).serialized().utf8).write(to: temporary)
        } catch {
            throw SwitchyardClientError.file(temporary.path, "cannot be written: \(error)")
        }
        guard rename(temporary.path, path) == 0 else {
            let problem = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw SwitchyardClientError.file(path, "cannot be replaced: \(problem)")
        }
    }

    private static func readJSON(_ path: String) throws -> JSONValue {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SwitchyardClientError.file(path, "cannot be read: \(error.localizedDescription)")
        }
        do {
            return try JSONValue(parsing: [UInt8](data))
        } catch {
            throw SwitchyardClientError.file(path, "\(error)")
        }
    }

    private static func validate(_ document: ServedDocument, path: String) throws {
        do {
            _ = try document.compiled(killing: [])
        } catch {
            throw SwitchyardClientError.file(path, "not a valid flagd document: \(error)")
        }
    }
}
