/// An incremental `text/event-stream` parser (the WHATWG event-stream interpretation): feed it the
/// body in chunks of any size, in order; it returns the events those bytes completed.
///
/// Lines end with LF, CR LF or CR; comments (`:`) and unknown fields are ignored; `retry:` is
/// reported through ``retry``; an event without data is not dispatched.
struct ServerSentEventParser: Sendable {
    /// The reconnection time the stream asked for with `retry:`, in milliseconds.
    private(set) var retry: Int?
    /// The last event id seen; it persists across events, as the specification says.
    private(set) var lastEventID: String?
    private var line: [UInt8] = []
    private var sawCarriageReturn = false
    private var name = ""
    private var data: [UInt8] = []
    private var hasData = false

    /// Consumes one chunk of the body and returns the events it completed.
    mutating func feed(_ bytes: some Sequence<UInt8>) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\n"):
                if sawCarriageReturn {
                    sawCarriageReturn = false
                    continue
                }
                if let event = endLine() { events.append(event) }
            case UInt8(ascii: "\r"):
                sawCarriageReturn = true
                if let event = endLine() { events.append(event) }
            default:
                sawCarriageReturn = false
                line.append(byte)
            }
        }
        return events
    }

    private mutating func endLine() -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        guard !line.isEmpty else { return dispatch() }
        guard line[0] != UInt8(ascii: ":") else { return nil }
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.endIndex
        let field = String(decoding: line[..<colon], as: UTF8.self)
        var valueStart = colon < line.endIndex ? colon + 1 : colon
        if valueStart < line.endIndex, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let value = line[valueStart...]
        switch field {
        case "data":
            if hasData { data.append(UInt8(ascii: "\n")) }
            data.append(contentsOf: value)
            hasData = true
        case "event":
            name = String(decoding: value, as: UTF8.self)
        case "id":
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        case "retry":
            if let milliseconds = Int(String(decoding: value, as: UTF8.self)), milliseconds >= 0 { retry = milliseconds }
        default:
            break
        }
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            name = ""
            data.removeAll(keepingCapacity: true)
            hasData = false
        }
        guard hasData else { return nil }
        return ServerSentEvent(name: name.isEmpty ? "message" : name, data: String(decoding: data, as: UTF8.self), id: lastEventID)
    }
}
