#if canImport(Darwin)
    import Darwin
#else
    import Glibc
#endif

extension ThreadSnapshots {
    /// The thread-specific key that holds each thread's cache; its destructor releases the cache
    /// when the thread exits. Reading a global costs a `swift_once` check, so readers keep a copy.
    static let key: pthread_key_t = {
        var key = pthread_key_t()
        #if canImport(Darwin)
            pthread_key_create(&key) { Unmanaged<ThreadSnapshots>.fromOpaque($0).release() }
        #else
            pthread_key_create(&key) { pointer in
                if let pointer { Unmanaged<ThreadSnapshots>.fromOpaque(pointer).release() }
            }
        #endif
        return key
    }()

    /// The calling thread's cache under `key` (a copy of ``key``), created on first use.
    @inline(__always)
    static func current(_ key: pthread_key_t) -> Unmanaged<ThreadSnapshots> {
        if let pointer = pthread_getspecific(key) { return Unmanaged.fromOpaque(pointer) }
        return install(key)
    }

    private static func install(_ key: pthread_key_t) -> Unmanaged<ThreadSnapshots> {
        let cache = Unmanaged.passRetained(ThreadSnapshots())
        pthread_setspecific(key, cache.toOpaque())
        return cache
    }
}
