#if canImport(Darwin)
import Darwin
#else
import Glibc
#endif

/// What one thread keeps for the clients that evaluate on it: the snapshots it read last and the
/// exposures it queued. Only its own thread touches it, so neither needs a lock; an evaluation
/// finds both with one thread-specific lookup.
final class ThreadMemory {
    let snapshots = ThreadSnapshots()
    let exposures = ThreadExposures()

    private init() {}

    /// The calling thread's memory, created on first use and released when the thread exits.
    static var current: Unmanaged<ThreadMemory> {
        @inline(__always) get {
            if let pointer = pthread_getspecific(threadMemoryKey) { return Unmanaged.fromOpaque(pointer) }
            return install()
        }
    }

    private static func install() -> Unmanaged<ThreadMemory> {
        let memory = Unmanaged.passRetained(ThreadMemory())
        pthread_setspecific(threadMemoryKey, memory.toOpaque())
        return memory
    }
}

/// The thread-specific key of ``ThreadMemory``; its destructor releases a thread's memory.
private let threadMemoryKey: pthread_key_t = {
    var key = pthread_key_t()
    #if canImport(Darwin)
    pthread_key_create(&key) { Unmanaged<ThreadMemory>.fromOpaque($0).release() }
    #else
    pthread_key_create(&key) { pointer in
        if let pointer { Unmanaged<ThreadMemory>.fromOpaque(pointer).release() }
    }
    #endif
    return key
}()
