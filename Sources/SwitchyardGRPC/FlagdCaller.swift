import GRPCCore
import SwitchyardCore

/// Who made a call and what it selected: an SDK key's environment, and the flag set from the
/// `flagd-selector` metadata or the deprecated `selector` field.
struct FlagdCaller: Sendable {
    let environment: String
    let keyID: String
    let selector: FlagSetSelector?

    /// The longest `provider_id` used as the client id in `propagation`; a longer one is cut.
    static let maximumClientIDLength = 200

    /// Authenticates a call by its `authorization: Bearer KEY` metadata, or, without one, by a
    /// selector binding.
    /// - Throws: `UNAUTHENTICATED` without a valid key, `PERMISSION_DENIED` for an admin key,
    ///   `INVALID_ARGUMENT` for a selector Switchyard cannot apply.
    static func authenticate(
        _ metadata: Metadata, selectorField: String, backend: any FlagdBackend, bindings: [FlagdSelectorBinding]
    ) async throws -> FlagdCaller {
        let selectorText = metadata[stringValues: "flagd-selector"].first(where: { _ in true }) ?? selectorField
        let selector: FlagSetSelector?
        do {
            selector = try FlagSetSelector.parse(Substring(selectorText))
        } catch {
            throw RPCError(code: .invalidArgument, message: "invalid selector: \(error)")
        }
        let key: FlagdKey?
        if let secret = bearerSecret(metadata) {
            key = try await backend.key(secret: secret)
            guard key != nil else { throw RPCError(code: .unauthenticated, message: "the API key is not valid (unknown or revoked)") }
        } else if let binding = bindings.first(where: { $0.selector == selectorText }) {
            key = try await backend.key(id: binding.keyID)
            guard key != nil else {
                throw RPCError(code: .unauthenticated, message: "the SDK key bound to this selector (\(binding.keyID)) is revoked or unknown")
            }
        } else {
            throw RPCError(code: .unauthenticated, message: "an SDK key is required: send `authorization: Bearer <key>` metadata")
        }
        switch key {
        case .sdk(let id, let environment)?:
            return FlagdCaller(environment: environment, keyID: id, selector: selector)
        case .admin(let id)?:
            throw RPCError(code: .permissionDenied, message: "flag sync and evaluation need an SDK key; \(id) is an admin key")
        case nil:
            throw RPCError(code: .unauthenticated, message: "the API key is not valid")
        }
    }

    /// The key in `authorization: Bearer KEY`, `nil` without one.
    private static func bearerSecret(_ metadata: Metadata) -> String? {
        guard let value = metadata[stringValues: "authorization"].first(where: { _ in true }) else { return nil }
        let prefix = "bearer "
        guard value.count > prefix.count, value.prefix(prefix.count).lowercased() == prefix else { return nil }
        let secret = value.dropFirst(prefix.count).trimmingSpaces
        return secret.isEmpty ? nil : String(secret)
    }

    /// The client id for `propagation`: the request's `provider_id`, else a random one.
    static func clientID(providerID: String) -> String {
        guard !providerID.isEmpty else { return "grpc-" + randomSuffix() }
        return String(providerID.prefix(maximumClientIDLength))
    }

    private static func randomSuffix() -> String {
        String(UInt64.random(in: 0...UInt64.max), radix: 16)
    }

    /// The current snapshot of the caller's environment.
    /// - Throws: `UNAVAILABLE` while the environment is not loaded.
    func snapshot(_ backend: any FlagdBackend) throws -> FlagdSnapshot {
        guard let snapshot = backend.snapshot(of: environment) else {
            throw RPCError(code: .unavailable, message: "the environment \(environment) is not loaded yet")
        }
        return snapshot
    }
}
