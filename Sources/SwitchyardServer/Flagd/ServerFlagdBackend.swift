import Foundation
import ServiceLifecycle
import SwitchyardCore
import SwitchyardGRPC
import SwitchyardGuard
import SwitchyardStore

/// The flagd gRPC services' view of the server: the same key cache, snapshots, stream hub,
/// propagation tracker and evaluation metrics that OFREP and the SSE streams use.
struct ServerFlagdBackend: FlagdBackend {
    let keys: KeyCache
    let snapshots: SnapshotRegistry
    let hub: StreamHub
    let tracker: PropagationTracker
    let metrics: ServerMetrics
    let budgetLog: BudgetExceededLog
    let clock: WallClock

    func key(secret: String) async throws -> FlagdKey? {
        try await keys.key(secret: secret).map(Self.flagdKey)
    }

    func key(id: String) async throws -> FlagdKey? {
        try await keys.key(id: id).map(Self.flagdKey)
    }

    private static func flagdKey(_ key: APIKey) -> FlagdKey {
        switch (key.kind, key.environment) {
        case (.sdk, let environment?): .sdk(id: key.id, environment: environment)
        default: .admin(id: key.id)
        }
    }

    func timestamp() -> Int64 {
        clock.now.secondsSinceEpoch
    }

    func snapshot(of environment: String) -> FlagdSnapshot? {
        snapshots[environment].map { FlagdSnapshot(version: $0.version, document: $0.document) }
    }

    func follow(environment: String, client: String, keyID: String, onChange: (Int64) async throws -> Void) async throws {
        let subscription = hub.subscribe(environment: environment, client: client, keyID: keyID)
        defer { subscription.cancel() }
        // Graceful shutdown ends the subscription, which ends the loop, as on the SSE streams.
        try await withGracefulShutdownHandler {
            try await onChange(snapshots[environment]?.version ?? 0)
            for await message in subscription.messages {
                guard let version = message.version else { continue }
                try await onChange(version)
            }
        } onGracefulShutdown: {
            subscription.cancel()
        }
    }

    func delivered(version: Int64, environment: String, client: String) {
        tracker.record(.delivered, environment: environment, client: client, version: version)
    }

    func evaluated(flag: String, _ resolution: Resolution, environment: String) {
        metrics.evaluated(flag: flag, resolution)
        budgetLog.note(resolution, flag: flag, environment: environment)
    }
}
