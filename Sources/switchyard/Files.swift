#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import ArgumentParser
import Foundation

/// Reads a whole file, or fails with a message naming it.
func readFile(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
        let reason = FileManager.default.fileExists(atPath: path) ? "it cannot be read" : "no such file"
        throw ValidationError("cannot open \(path): \(reason)")
    }
    return Array(data)
}

/// Reads all of standard input.
func readStandardInput() throws -> [UInt8] {
    Array(try FileHandle.standardInput.readToEnd() ?? Data())
}

/// Writes a line to standard error.
func printError(_ line: String) {
    var text = line + "\n"
    text.withUTF8 { buffer in _ = write(2, buffer.baseAddress, buffer.count) }
}

/// Reads a file (or standard input) a line at a time, so memory does not grow with its length
/// (Foundation on Linux has no line reader for a file, and the standard library's `readLine` reads
/// standard input only).
final class LineReader {
    private let handle: UnsafeMutablePointer<FILE>
    private let ownsHandle: Bool
    private var buffer: UnsafeMutablePointer<CChar>?
    private var capacity = 0

    /// Opens a file; `nil` reads standard input.
    init(path: String?) throws {
        if let path {
            guard let opened = fopen(path, "rb") else {
                throw ValidationError("cannot open \(path): \(String(cString: strerror(errno)))")
            }
            handle = opened
            ownsHandle = true
        } else {
            handle = fdopen(0, "rb")
            ownsHandle = false
        }
    }

    deinit {
        free(buffer)
        if ownsHandle { fclose(handle) }
    }

    /// The next line's bytes, without its line break; `nil` at the end.
    func next() -> [UInt8]? {
        let length = getline(&buffer, &capacity, handle)
        guard length >= 0, let buffer else { return nil }
        var count = length
        if count > 0, buffer[count - 1] == 0x0A { count -= 1 }
        if count > 0, buffer[count - 1] == 0x0D { count -= 1 }
        return buffer.withMemoryRebound(to: UInt8.self, capacity: count) { Array(UnsafeBufferPointer(start: $0, count: count)) }
    }
}
