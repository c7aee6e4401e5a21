import Foundation
import Synchronization

/// A token bucket per SDK key for the OFREP evaluation endpoints: a key may make `rate` requests a
/// second, in bursts of up to `rate`.
///
/// Buckets are kept per key id, and only authenticated keys reach the limiter, so their number is
/// bounded by the keys an admin created.
final class OFREPRateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    /// Requests per second per key, and the burst.
    let rate: Int
    private let clock: @Sendable () -> Date
    private let buckets = Mutex<[String: Bucket]>([:])

    init(rate: Int, clock: @escaping @Sendable () -> Date) {
        precondition(rate >= 1, "an OFREP rate limit is at least 1 request per second")
        self.rate = rate
        self.clock = clock
    }

    /// A refused request: when it was refused, and when the key's next request will be admitted.
    struct Refusal {
        /// The limit that refused it, in requests per second.
        let rate: Int
        let at: Date
        let retryAt: Date

        /// `Retry-After` as delay-seconds: whole seconds, rounded up.
        var retryAfterSeconds: Int { Int(retryAt.timeIntervalSince(at).rounded(.up)) }

        /// `Retry-After` as an HTTP-date: the next whole second, since the format has no fractions.
        var retryAfterDate: Date { Date(timeIntervalSince1970: retryAt.timeIntervalSince1970.rounded(.up)) }
    }

    /// Takes a token from a key's bucket: `nil` when the request may go ahead, else why not.
    func admit(_ key: String) -> Refusal? {
        let now = clock()
        let capacity = Double(rate)
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
            bucket.tokens = min(capacity, bucket.tokens + max(0, now.timeIntervalSince(bucket.updated)) * capacity)
            bucket.updated = now
            defer { buckets[key] = bucket }
            // A token refilled exactly at the announced time may fall short of 1 by a rounding error.
            guard bucket.tokens < 1 - 1e-9 else {
                bucket.tokens -= 1
                return nil
            }
            return Refusal(rate: self.rate, at: now, retryAt: now.addingTimeInterval((1 - bucket.tokens) / capacity))
        }
    }
}
