#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ctrl-C, SIGTERM and SIGHUP: handlers that raise `InterruptFlag.shared`, so that nothing the user made is lost to
/// a key press or a closed terminal.
///
/// Installed with `sigaction` and no `SA_RESTART`, so a `read` blocked in libedit fails with EINTR and `readline`
/// returns NULL: the shell then tells Ctrl-C (flag raised: drop the line) from Ctrl-D (flag lowered: leave). While a
/// command runs, Ctrl-C prints "stopping after the current step …" at once and the command stops at its next check
/// (every long loop checks between batches, files, runs or entries), keeping what it finished. A second Ctrl-C
/// repeats the message and never ends the shell: leaving is `quit` or Ctrl-D. SIGTERM and SIGHUP stop the command
/// the same way and then end the shell as `quit` does, writing a notebook that is being recorded.
public enum InterruptHandler {
    /// Installs the handlers for the whole process.
    public static func install() {
        _ = InterruptFlag.shared  // initialise the global before a signal can reach it
        install(handleInterrupt, for: SIGINT)
        install(handleTermination, for: SIGTERM)
        install(handleTermination, for: SIGHUP)
    }

    private static func install(_ handler: @convention(c) (Int32) -> Void, for signalNumber: Int32) {
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = handler
        #else
        action.__sigaction_u.__sa_handler = handler
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(signalNumber, &action, nil)
    }
}

/// The SIGINT handler: only async-signal-safe work (atomics and `write`).
private func handleInterrupt(_ signal: Int32) {
    InterruptFlag.shared.raise()
    if InterruptFlag.shared.isCommandRunning {
        let message: StaticString = "\nstopping after the current step … (quit or Ctrl-D leaves the shell)\n"
        _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
    }
}

/// The SIGTERM and SIGHUP handler: asks the running command to stop and the shell to leave.
private func handleTermination(_ signal: Int32) {
    InterruptFlag.shared.requestTermination(signal: signal)
}
