/// What a client is serving, as ``SwitchyardClient/state`` reports it.
public enum ClientState: String, Sendable, Hashable {
    /// Connected to the server and serving its newest document.
    case ready
    /// Serving a document while the server is unreachable: the last one received, the disk cache
    /// or the bootstrap file. Evaluations still follow that document's rules.
    case stale
    /// No document at all: every evaluation serves the code default.
    case offline
}
