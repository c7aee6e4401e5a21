import Foundation
import NIOCore
import SwitchyardCore
import SwitchyardStore

/// One SSE event, serialised once for every subscriber in both stream formats.
struct StreamMessage: Sendable {
    /// The change version, `nil` for a heartbeat.
    let version: Int64?
    /// The flag a single-flag change is about.
    let flag: String?
    /// The event for `/api/v1/sdk/stream`.
    let sdk: ByteBuffer
    /// The event for `/ofrep/v1/stream`.
    let ofrep: ByteBuffer

    static let heartbeat = StreamMessage(
        version: nil, flag: nil, sdk: ByteBuffer(string: ": heartbeat\n\n"), ofrep: ByteBuffer(string: ": heartbeat\n\n"))

    /// The message announcing a change.
    init(change: ChangeRecord) {
        version = change.version
        switch change.payload {
        case .flag(let key, let served):
            flag = key
            var data: [String: JSONValue] = ["version": .integer(change.version), "flag": .string(key), "served": served ?? .null]
            if let kill = Self.kill(in: served) { data["kill"] = kill }
            sdk = Self.event(id: change.version, name: "change", data: data)
        case .document(let document):
            flag = nil
            sdk = Self.event(id: change.version, name: "document", data: ["version": .integer(change.version), "document": document])
        }
        ofrep = Self.event(
            id: change.version, name: "message",
            data: [
                "type": "refetchEvaluation", "etag": .string("\(change.version)"),
                "lastModified": .integer(Int64(change.at.timeIntervalSince1970)),
            ])
    }

    private init(version: Int64?, flag: String?, sdk: ByteBuffer, ofrep: ByteBuffer) {
        self.version = version
        self.flag = flag
        self.sdk = sdk
        self.ofrep = ofrep
    }

    /// A served flag's kill marker as `{"reason", "at", "by"}`, when it is killed.
    private static func kill(in served: JSONValue?) -> JSONValue? {
        guard let metadata = served?["metadata"], metadata["killed"] == true else { return nil }
        return ["reason": metadata["killReason"] ?? .null, "at": metadata["killedAt"] ?? .null, "by": metadata["killedBy"] ?? .null]
    }

    /// The full-document event a stream starts with.
    static func document(_ snapshot: EnvironmentSnapshot) -> ByteBuffer {
        event(id: snapshot.version, name: "document", data: ["version": .integer(snapshot.version), "document": .object(snapshot.served)])
    }

    /// `id:`, `event:` and one `data:` line (compact JSON never contains a line break).
    static func event(id: Int64, name: String, data: [String: JSONValue]) -> ByteBuffer {
        ByteBuffer(string: "id: \(id)\nevent: \(name)\ndata: \(JSONValue.object(data).serialized())\n\n")
    }
}
