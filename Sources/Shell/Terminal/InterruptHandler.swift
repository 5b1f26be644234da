#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ctrl-C handling: a SIGINT handler that raises `InterruptFlag.shared`.
///
/// Installed with `sigaction` and no `SA_RESTART`, so a `read` blocked in libedit fails with EINTR and `readline`
/// returns NULL: the shell then tells Ctrl-C (flag raised: drop the line) from Ctrl-D (flag lowered: leave). While a
/// command runs, long loops poll the flag; a second Ctrl-C during the same command ends the process (status 130),
/// for commands that do not poll.
public enum InterruptHandler {
    /// Installs the handler for the whole process.
    public static func install() {
        _ = InterruptFlag.shared  // initialise the global before a signal can reach it
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = handleInterrupt
        #else
        action.__sigaction_u.__sa_handler = handleInterrupt
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
    }
}

/// The SIGINT handler: only async-signal-safe work (an atomic exchange, `write`, `_exit`).
private func handleInterrupt(_ signal: Int32) {
    if InterruptFlag.shared.raiseReportingRepeat() {
        let message: StaticString = "\nhashlab: interrupted twice, leaving\n"
        _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
        _exit(130)
    }
}
